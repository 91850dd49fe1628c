"""The timers' view of escalations: unclaimed past an SLA, and quiet past the auto-close period.

Each SLA is marked at most once per escalation by a conditional UPDATE, so with any number of
processes a reminder or alert is sent once. The column an SLA marks comes from ``SlaMark``, never
from a string spliced into SQL. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Select, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from store.models import OPEN_STATUSES, Conversation, Course, Escalation


class SlaMark(StrEnum):
    """The SLAs of an unclaimed escalation, each recorded in its own column once passed."""

    TRAINER_REMINDED = "sla_reminded_at"
    ADMINS_ALERTED = "sla_admin_alerted_at"


_MARK_COLUMNS: dict[SlaMark, InstrumentedAttribute[datetime | None]] = {
    SlaMark.TRAINER_REMINDED: Escalation.sla_reminded_at,
    SlaMark.ADMINS_ALERTED: Escalation.sla_admin_alerted_at,
}


def _column(mark: SlaMark) -> InstrumentedAttribute[datetime | None]:
    # SlaMark(...) refuses any other name, should a plain string get here.
    return _MARK_COLUMNS[SlaMark(mark)]


@dataclass(frozen=True)
class Overdue:
    """An escalation this caller just marked overdue: what its notices need."""

    ticket: int
    suggested_trainer_id: str | None
    # None without a trainer channel (or once the card fell back to DMs): no card thread.
    card_channel: str | None = None


class SlaRepository:
    """SLA and auto-close reads and marks on ``escalations``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def unmarked_pending(self, mark: SlaMark, created_before: datetime) -> list[int]:
        """Ids of pending escalations created by ``created_before`` and not yet ``mark``ed."""
        column = _column(mark)
        rows = await self._session.scalars(
            select(Escalation.id)
            .where(
                Escalation.status == "pending",
                column.is_(None),
                Escalation.created_at <= created_before,
            )
            .order_by(Escalation.id)
        )
        return list(rows)

    async def mark_pending(
        self, escalation_id: int, mark: SlaMark, now: datetime
    ) -> Overdue | None:
        """Set ``mark`` to ``now`` if the escalation is still pending and unmarked; None when it
        was claimed, or marked by another process, meanwhile."""
        column = _column(mark)
        row = (
            await self._session.execute(
                update(Escalation)
                .where(
                    Escalation.id == escalation_id,
                    Escalation.status == "pending",
                    column.is_(None),
                )
                .values({column: now})
                .returning(
                    Escalation.ticket, Escalation.suggested_trainer_id, Escalation.card_channel
                )
            )
        ).one_or_none()
        return (
            None if row is None else Overdue(row.ticket, row.suggested_trainer_id, row.card_channel)
        )

    async def inactive(self, now: datetime, default_days: float) -> list[int]:
        """Ids of open escalations with no activity, on the escalation nor in the learner's
        thread, for their course's auto-close period (``default_days`` when it has none)."""
        rows = await self._session.scalars(_inactive(now, default_days).order_by(Escalation.id))
        return list(rows)

    async def lock_if_inactive(
        self, escalation_id: int, now: datetime, default_days: float
    ) -> bool:
        """Lock the escalation's row and tell whether it is still open and inactive: the check
        ``inactive`` made, repeated under the lock, so activity since the scan keeps it open."""
        found = await self._session.scalar(
            _inactive(now, default_days)
            .where(Escalation.id == escalation_id)
            .with_for_update(of=(Escalation, Conversation))
        )
        return found is not None


def _inactive(now: datetime, default_days: float) -> Select[int]:
    last_activity = func.greatest(Escalation.last_activity_at, Conversation.last_activity_at)
    days = func.coalesce(Course.auto_close_days, default_days)
    # make_interval(years, months, weeks, days, hours, mins, secs): exact seconds.
    period = func.make_interval(0, 0, 0, 0, 0, 0, days * 86400)
    return (
        select(Escalation.id)
        .join(Conversation, Conversation.id == Escalation.conversation_id)
        .outerjoin(Course, Course.id == Escalation.course_id)
        .where(
            Escalation.status.in_(OPEN_STATUSES),
            last_activity <= cast(literal(now), DateTime(timezone=True)) - period,
        )
    )
