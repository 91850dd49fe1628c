"""Courses, their chunks and index runs; repositories never commit (services do)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.content import Chunk, Course, IndexRun
from store.models.people import Enrolment

# Keeps each INSERT ... VALUES and IN (...) list well below PostgreSQL's 65,535 parameters.
WRITE_BATCH = 500


@dataclass(frozen=True)
class StoredChunk:
    """What ingest needs to know about an indexed chunk, without its text or vector."""

    id: int
    source_path: str
    anchor: str
    ordinal: int
    token_estimate: int
    content_hash: str
    embedding_model: str

    @property
    def key(self) -> tuple[str, str]:
        """The chunk's identity within its course."""
        return (self.source_path, self.anchor)


@dataclass(frozen=True)
class OutlineEntry:
    """One day-and-lab place of a course (``lab_id`` None for the day's chapters)."""

    day: int | None
    lab_id: str | None
    day_title: str | None
    lab_title: str | None


class CourseRepository:
    """Look up and create courses."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_slug(self, slug: str, *, for_update: bool = False) -> Course | None:
        """The course with this slug, optionally locked until the transaction ends."""
        statement = select(Course).where(Course.slug == slug)
        if for_update:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def by_id(self, course_id: int) -> Course | None:
        """The course with this id."""
        return await self._session.get(Course, course_id)

    async def latest_enrolled(self, learner_id: str) -> Course | None:
        """The course the learner was enrolled in last, if any."""
        return await self._session.scalar(
            select(Course)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.learner_id == learner_id)
            .order_by(Enrolment.created_at.desc(), Course.id.desc())
            .limit(1)
        )

    async def only_course(self) -> Course | None:
        """The course, when exactly one exists; None when there are none or several."""
        courses = (await self._session.scalars(select(Course).limit(2))).all()
        return courses[0] if len(courses) == 1 else None

    async def add(self, slug: str, title: str, description: str | None) -> Course:
        """Create a course with no content yet."""
        course = Course(slug=slug, title=title, description=description)
        self._session.add(course)
        await self._session.flush()
        return course

    async def outline(self, course_id: int) -> list[OutlineEntry]:
        """The course's distinct (day, lab) places in course order, with their titles."""
        statement = (
            select(Chunk.day, Chunk.lab_id, Chunk.location)
            .where(Chunk.course_id == course_id)
            .distinct(Chunk.day, Chunk.lab_id)
            .order_by(Chunk.day, Chunk.lab_id, Chunk.source_path, Chunk.ordinal)
        )
        return [
            OutlineEntry(
                day, lab_id, _text(location.get("day_title")), _text(location.get("lab_title"))
            )
            for day, lab_id, location in (await self._session.execute(statement)).tuples()
        ]


def _text(value: Any) -> str | None:
    return str(value) if value else None


class ChunkRepository:
    """Bulk reads and writes of a course's chunks."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def stored(self, course_id: int) -> dict[tuple[str, str], StoredChunk]:
        """Every chunk of the course keyed by (source_path, anchor)."""
        statement = select(
            Chunk.id,
            Chunk.source_path,
            Chunk.anchor,
            Chunk.ordinal,
            Chunk.token_estimate,
            Chunk.content_hash,
            Chunk.embedding_model,
        ).where(Chunk.course_id == course_id)
        rows = (await self._session.execute(statement)).tuples()
        chunks = (StoredChunk(*row) for row in rows)
        return {chunk.key: chunk for chunk in chunks}

    async def embeddings_by_hash(
        self, course_id: int, hashes: Iterable[str], model: str
    ) -> dict[str, list[float]]:
        """Existing vectors of the course made by ``model`` for any of these content hashes."""
        wanted = sorted(set(hashes))
        found: dict[str, list[float]] = {}
        for start in range(0, len(wanted), WRITE_BATCH):
            statement = select(Chunk.content_hash, Chunk.embedding).where(
                Chunk.course_id == course_id,
                Chunk.embedding_model == model,
                Chunk.content_hash.in_(wanted[start : start + WRITE_BATCH]),
            )
            for content_hash, vector in (await self._session.execute(statement)).tuples():
                # pgvector hands back numpy arrays; the rest of the code deals in plain lists.
                found.setdefault(content_hash, [float(x) for x in vector])
        return found

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert chunks given as column dictionaries."""
        for start in range(0, len(rows), WRITE_BATCH):
            await self._session.execute(insert(Chunk), list(rows[start : start + WRITE_BATCH]))

    async def update_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update chunks by primary key; each dictionary holds ``id`` and the changed columns."""
        for start in range(0, len(rows), WRITE_BATCH):
            await self._session.execute(update(Chunk), list(rows[start : start + WRITE_BATCH]))

    async def delete_ids(self, ids: Sequence[int]) -> None:
        """Delete chunks by id."""
        for start in range(0, len(ids), WRITE_BATCH):
            batch = list(ids[start : start + WRITE_BATCH])
            await self._session.execute(delete(Chunk).where(Chunk.id.in_(batch)))


class IndexRunRepository:
    """The record of each ingest run."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def start(self, course_id: int, source: str, model: str) -> IndexRun:
        """Record a run that has just started."""
        run = IndexRun(course_id=course_id, source=source, embedding_model=model, status="running")
        self._session.add(run)
        await self._session.flush()
        return run

    async def finish(
        self,
        run_id: int,
        *,
        status: str,
        at: datetime,
        error: str | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> None:
        """Mark a run succeeded or failed, with its counts."""
        run = await self._session.get(IndexRun, run_id)
        if run is None:
            return
        run.status, run.finished_at, run.error = status, at, error
        for name, value in (counts or {}).items():
            setattr(run, name, value)
        await self._session.flush()

    async def latest(self, course_id: int) -> IndexRun | None:
        """The course's most recent run."""
        statement = (
            select(IndexRun)
            .where(IndexRun.course_id == course_id)
            .order_by(IndexRun.id.desc())
            .limit(1)
        )
        return (await self._session.execute(statement)).scalar_one_or_none()
