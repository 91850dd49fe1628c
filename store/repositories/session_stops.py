"""Stop requests of learners' agent sessions (DM threads); repositories never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, SessionStop


class SessionStopRepository:
    """Stop clicks, found by the thread they were made in."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _in_thread(self, channel_id: str, thread_ts: str) -> Select[Any]:
        return select(Conversation.id).where(
            Conversation.channel_id == channel_id, Conversation.thread_ts == thread_ts
        )

    async def record(
        self, channel_id: str, thread_ts: str, user_id: str | None, event_ts: str
    ) -> bool:
        """Store a stop of a thread the bot knows, by its own learner (anyone's when the event
        names nobody); False when it names no such thread or was stored already."""
        thread = self._in_thread(channel_id, thread_ts)
        if user_id is not None:
            thread = thread.where(Conversation.learner_id == user_id)
        conversation_id = (await self._session.execute(thread)).scalar_one_or_none()
        if conversation_id is None:
            return False
        statement = (
            insert(SessionStop)
            .values(conversation_id=conversation_id, user_id=user_id, event_ts=event_ts)
            .on_conflict_do_nothing(constraint="uq_session_stops_event")
            .returning(SessionStop.id)
        )
        return (await self._session.execute(statement)).first() is not None

    async def latest_id(self, channel_id: str, thread_ts: str) -> int:
        """The newest stop of the thread so far (0 when none): later ones are new clicks."""
        statement = select(func.coalesce(func.max(SessionStop.id), 0)).where(
            SessionStop.conversation_id.in_(self._in_thread(channel_id, thread_ts))
        )
        return int((await self._session.execute(statement)).scalar_one())

    async def after(self, channel_id: str, thread_ts: str, after_id: int) -> list[int]:
        """Stops of the thread newer than ``after_id`` (one index range scan)."""
        statement = select(SessionStop.id).where(
            SessionStop.conversation_id.in_(self._in_thread(channel_id, thread_ts)),
            SessionStop.id > after_id,
        )
        return list((await self._session.execute(statement)).scalars())

    async def mark_stopped(self, stop_ids: list[int], message_id: int) -> None:
        """Record that these stops stopped the answer to ``message_id``."""
        await self._session.execute(
            update(SessionStop).where(SessionStop.id.in_(stop_ids)).values(message_id=message_id)
        )

    async def was_stopped(self, message_id: int) -> bool:
        """Whether the answer to this learner message was stopped."""
        statement = select(SessionStop.id).where(SessionStop.message_id == message_id).limit(1)
        return (await self._session.execute(statement)).first() is not None
