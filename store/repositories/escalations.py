"""Escalations: create one per open thread, and change them only by atomic conditional updates.

Every status change is an ``UPDATE ... WHERE status IN (...) RETURNING``, so two trainers (or two
processes) racing on the same escalation can never both win; the loser gets ``None`` back and
reads the row to learn who did. Repositories never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, literal, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    OPEN_STATUSES,
    Conversation,
    Course,
    Escalation,
    Message,
    Query,
    Response,
)

_OPEN_WHERE = text("status IN ('pending', 'in_progress', 'reopened')")


class EscalationRepository:
    """Reads and conditional writes on ``escalations`` (plus the few rows an escalation shows)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, escalation_id: int, *, lock: bool = False) -> Escalation | None:
        """One escalation, fresh from the database (row-locked when ``lock``)."""
        stmt = select(Escalation).where(Escalation.id == escalation_id)
        if lock:
            stmt = stmt.with_for_update()
        return (
            await self._session.execute(stmt.execution_options(populate_existing=True))
        ).scalar_one_or_none()

    async def open_for_conversation(self, conversation_id: int) -> Escalation | None:
        """The conversation's open escalation, row-locked, if there is one."""
        stmt = (
            select(Escalation)
            .where(
                Escalation.conversation_id == conversation_id,
                Escalation.status.in_(OPEN_STATUSES),
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def latest_for_conversation(self, conversation_id: int) -> Escalation | None:
        """The conversation's most recent escalation, whatever its status, row-locked."""
        stmt = (
            select(Escalation)
            .where(Escalation.conversation_id == conversation_id)
            .order_by(Escalation.id.desc())
            .limit(1)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def by_card(self, channel: str, card_ts: str) -> Escalation | None:
        """The escalation whose trainer card is the message ``card_ts`` in ``channel``."""
        stmt = select(Escalation).where(
            Escalation.card_ts == card_ts,
            func.coalesce(Escalation.card_channel, channel) == channel,
        )
        return (await self._session.execute(stmt)).scalars().first()

    async def awaiting_card_ts(self, channel: str, since: Any) -> bool:
        """Whether an escalation created since ``since`` has its card in ``channel`` but no
        stored card ts yet (its post may be in Slack already, its ts not yet written)."""
        found = await self._session.scalar(
            select(Escalation.id)
            .where(Escalation.card_channel == channel, Escalation.card_ts.is_(None))
            .where(Escalation.created_at >= since)
            .limit(1)
        )
        return found is not None

    async def create(self, values: dict[str, Any]) -> Escalation | None:
        """Insert an open escalation; None when the conversation already has one (lost race)."""
        stmt = (
            insert(Escalation)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["conversation_id"], index_where=_OPEN_WHERE)
            .returning(Escalation.id)
        )
        new_id = (await self._session.execute(stmt)).scalar_one_or_none()
        return None if new_id is None else await self.get(new_id)

    async def update_if(
        self, escalation_id: int, statuses: Sequence[str], *extra: Any, **values: Any
    ) -> Escalation | None:
        """Apply ``values`` only if the status is one of ``statuses`` (and ``extra`` holds)."""
        stmt = (
            update(Escalation)
            .where(Escalation.id == escalation_id, Escalation.status.in_(statuses), *extra)
            .values(**values)
            .returning(Escalation)
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def drop_card_channel(self, escalation_id: int) -> Escalation | None:
        """Forget the card's channel: its card could not be posted there, so it goes by DM."""
        stmt = (
            update(Escalation)
            .where(Escalation.id == escalation_id)
            .values(card_channel=None)
            .returning(Escalation)
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def claim(
        self, escalation_id: int, user_id: str, statuses: Sequence[str], values: dict[str, Any]
    ) -> Escalation | None:
        """Win the claim atomically: unowned, or reopened and already owned by ``user_id``."""
        unowned = Escalation.assignee_id.is_(None)
        own_reopened = (Escalation.status == "reopened") & (Escalation.assignee_id == user_id)
        return await self.update_if(
            escalation_id, statuses, unowned | own_reopened, assignee_id=user_id, **values
        )

    async def add_triggers(self, escalation_id: int, triggers: list[dict[str, Any]]) -> None:
        """Append triggers to an escalation's record."""
        await self._session.execute(
            update(Escalation)
            .where(Escalation.id == escalation_id)
            .values(triggers=Escalation.triggers.op("||")(literal(triggers, JSONB)))
        )

    async def touch(self, escalation_id: int, now: Any) -> None:
        """Record activity (a relayed message) for SLA and auto-close timers."""
        await self._session.execute(
            update(Escalation).where(Escalation.id == escalation_id).values(last_activity_at=now)
        )

    # ---- the rows an escalation refers to (read only)

    async def conversation(self, conversation_id: int) -> Conversation | None:
        """The learner thread behind an escalation."""
        return await self._session.get(Conversation, conversation_id)

    async def message(self, message_id: int) -> Message | None:
        """One stored message."""
        return await self._session.get(Message, message_id)

    async def message_by_event(self, event_id: str) -> Message | None:
        """The message stored under a Slack event key, if any (makes relays idempotent)."""
        return await self._session.scalar(select(Message).where(Message.event_id == event_id))

    async def response(self, response_id: int) -> Response | None:
        """One stored AI response."""
        return await self._session.get(Response, response_id)

    async def question_of(self, response: Response) -> str | None:
        """The learner question an AI response answered."""
        return await self._session.scalar(select(Query.text).where(Query.id == response.query_id))

    async def course_title(self, course_id: int | None) -> str | None:
        """A course's title, for cards and emails."""
        if course_id is None:
            return None
        return await self._session.scalar(select(Course.title).where(Course.id == course_id))

    async def add_message(self, **values: Any) -> Message:
        """Store a message written into the thread by a trainer or the system."""
        message = Message(**values)
        self._session.add(message)
        await self._session.flush()
        return message
