"""A course's chunk texts, read whole for the course vocabulary, and a cheap fingerprint that
changes whenever the course is re-indexed. Never commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.content import Chunk, IndexRun
from store.models.faq import FAQ_SOURCE_PATH


class CourseTextRepository:
    """Reads of every chunk text of one course."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def fingerprint(self, course_id: int) -> tuple[int, int, int]:
        """(chunks, highest chunk id, latest index run): changes with every re-index."""
        latest_run = (
            select(func.coalesce(func.max(IndexRun.id), 0))
            .where(IndexRun.course_id == course_id)
            .scalar_subquery()
        )
        row = (
            await self._session.execute(
                select(func.count(), func.coalesce(func.max(Chunk.id), 0), latest_run).where(
                    Chunk.course_id == course_id
                )
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    async def texts(self, course_id: int) -> list[str]:
        """Every chunk text of the course (with its section), in no particular order.

        Course FAQ entries are left out: an entry answers one question, and its words would make
        the course look as if it covered them for every other question (answerability counts an
        entry's words only for a question it was retrieved for).
        """
        rows = await self._session.execute(
            select(Chunk.section, Chunk.text).where(
                Chunk.course_id == course_id, Chunk.source_path != FAQ_SOURCE_PATH
            )
        )
        return [f"{section or ''}\n{text}" for section, text in rows.all()]
