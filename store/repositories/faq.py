"""Course FAQ entries and their chunks; repositories never commit (services do)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from store.models.content import Chunk
from store.models.conversation import Message
from store.models.escalation import Escalation
from store.models.faq import FAQ_SOURCE_PATH, FaqEntry, faq_anchor
from store.vector_search import cosine_distance

# A course's FAQ chunks are few (one per saved entry): they are all read and compared exactly.
MAX_FAQ_CANDIDATES = 1000


class FaqRepository:
    """Reads and writes of ``faq_entries`` and of the chunks that publish them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: FaqEntry) -> FaqEntry:
        """Store a new entry (not yet published as a chunk)."""
        self._session.add(entry)
        await self._session.flush()
        return entry

    async def get(self, entry_id: int, *, lock: bool = False) -> FaqEntry | None:
        """One entry, removed or not, optionally locked until the transaction ends."""
        statement = select(FaqEntry).where(FaqEntry.id == entry_id)
        if lock:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def live(self, course_id: int) -> list[FaqEntry]:
        """The course's entries that are not removed, oldest first."""
        statement = (
            select(FaqEntry)
            .where(FaqEntry.course_id == course_id, FaqEntry.removed_at.is_(None))
            .order_by(FaqEntry.id)
        )
        return list((await self._session.execute(statement)).scalars())

    async def live_for_escalation(self, escalation_id: int) -> FaqEntry | None:
        """The newest live entry saved from this ticket, if any."""
        statement = (
            select(FaqEntry)
            .where(FaqEntry.escalation_id == escalation_id, FaqEntry.removed_at.is_(None))
            .order_by(FaqEntry.id.desc())
            .limit(1)
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def live_with_tickets(self, course_id: int) -> list[tuple[FaqEntry, int | None]]:
        """The course's live entries, oldest first, with the ticket number each came from."""
        statement = (
            select(FaqEntry, Escalation.ticket)
            .outerjoin(Escalation, Escalation.id == FaqEntry.escalation_id)
            .where(FaqEntry.course_id == course_id, FaqEntry.removed_at.is_(None))
            .order_by(FaqEntry.id)
        )
        return list((await self._session.execute(statement)).tuples())

    async def mark_published(self, entry_id: int, at: datetime) -> None:
        """Record that the entry's chunk is written."""
        await self._session.execute(
            update(FaqEntry).where(FaqEntry.id == entry_id).values(published_at=at)
        )

    async def mark_removed(self, entry_id: int, by: str, at: datetime) -> None:
        """Mark the entry removed (it stays for the audit trail)."""
        await self._session.execute(
            update(FaqEntry).where(FaqEntry.id == entry_id).values(removed_at=at, removed_by=by)
        )

    async def trainer_replies(self, conversation_id: int, since: datetime) -> list[Message]:
        """Trainer messages relayed into the conversation since ``since``, oldest first."""
        statement = (
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.role == "trainer",
                Message.created_at >= since,
            )
            .order_by(Message.id)
        )
        return list((await self._session.execute(statement)).scalars())

    # ---- the chunks

    async def write_chunk(self, columns: dict[str, Any]) -> None:
        """Insert the entry's chunk, or replace the one a previous run wrote."""
        statement = insert(Chunk).values(**columns)
        changed = {k: v for k, v in columns.items() if k not in ("course_id", "source_path")}
        await self._session.execute(
            statement.on_conflict_do_update(constraint="uq_chunks_location", set_=changed)
        )

    async def delete_chunk(self, course_id: int, entry_id: int) -> None:
        """Delete the entry's chunk, if it was written."""
        await self._session.execute(
            delete(Chunk).where(
                Chunk.course_id == course_id,
                Chunk.source_path == FAQ_SOURCE_PATH,
                Chunk.anchor == faq_anchor(entry_id),
            )
        )

    async def chunk_texts(self, course_id: int) -> dict[int, tuple[str | None, str, str]]:
        """The course's FAQ chunks: id -> (section, text, embedding model)."""
        statement = select(Chunk.id, Chunk.section, Chunk.text, Chunk.embedding_model).where(
            Chunk.course_id == course_id, Chunk.source_path == FAQ_SOURCE_PATH
        )
        rows = (await self._session.execute(statement)).tuples()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    async def set_chunk_vectors(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update FAQ chunks' ``embedding`` and ``embedding_model`` by id."""
        if rows:
            await self._session.execute(update(Chunk), list(rows))

    async def nearest(
        self, course_id: int, embedding: list[float], dim: int
    ) -> list[tuple[Chunk, float]]:
        """The course's FAQ chunks with their cosine distance to ``embedding``, nearest first.

        No ORDER BY in SQL: ordering by the distance could make the planner walk the course's
        HNSW index and filter afterwards, which may miss them; there are few, so all are read.
        """
        distance = cosine_distance(embedding, dim).label("distance")
        statement = (
            select(Chunk, distance)
            .options(defer(Chunk.embedding))
            .where(Chunk.course_id == course_id, Chunk.source_path == FAQ_SOURCE_PATH)
            .limit(MAX_FAQ_CANDIDATES)
        )
        rows = [(chunk, float(d)) for chunk, d in (await self._session.execute(statement)).tuples()]
        return sorted(rows, key=lambda row: row[1])
