"""The stored state of streamed answers; the repository never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AnswerStream


class AnswerStreamRepository:
    """Which learner message streams into which Slack message."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, message_id: int, channel_id: str, thread_ts: str) -> AnswerStream | None:
        """A new stream row for the message; None when one exists (an earlier or parallel run
        of the same task streamed, or is streaming, the answer)."""
        row_id = await self._session.scalar(
            insert(AnswerStream)
            .values(message_id=message_id, channel_id=channel_id, thread_ts=thread_ts)
            .on_conflict_do_nothing(index_elements=[AnswerStream.message_id])
            .returning(AnswerStream.id)
        )
        return None if row_id is None else await self._session.get(AnswerStream, row_id)

    async def for_message(self, message_id: int) -> AnswerStream | None:
        """The stream of a learner message's answer, if one was ever started."""
        return await self._session.scalar(
            select(AnswerStream).where(AnswerStream.message_id == message_id)
        )

    async def known_ts(self, channel_id: str, thread_ts: str) -> set[str]:
        """The ts of every stream recorded in a thread."""
        rows = await self._session.scalars(
            select(AnswerStream.ts).where(
                AnswerStream.channel_id == channel_id,
                AnswerStream.thread_ts == thread_ts,
                AnswerStream.ts.is_not(None),
            )
        )
        return {ts for ts in rows if ts is not None}

    async def set_ts(self, stream_id: int, ts: str) -> None:
        """Record the ts chat.startStream returned."""
        await self._session.execute(
            update(AnswerStream).where(AnswerStream.id == stream_id).values(ts=ts)
        )

    async def forget(self, stream_id: int) -> None:
        """Drop a row whose chat.startStream failed: no message was started."""
        await self._session.execute(
            delete(AnswerStream).where(AnswerStream.id == stream_id, AnswerStream.ts.is_(None))
        )

    async def abandoned(self, before: datetime) -> list[AnswerStream]:
        """Streams started before ``before`` that nothing finished, locked (others skip them)."""
        rows = await self._session.scalars(
            select(AnswerStream)
            .where(AnswerStream.finished_at.is_(None), AnswerStream.created_at < before)
            .order_by(AnswerStream.id)
            .limit(100)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def mark_finished(self, stream_id: int, at: datetime) -> None:
        """The stream's final form (finish, replace or withdraw) is enqueued."""
        await self._session.execute(
            update(AnswerStream)
            .where(AnswerStream.id == stream_id, AnswerStream.finished_at.is_(None))
            .values(finished_at=at)
        )
