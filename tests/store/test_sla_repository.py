"""SLA marks and auto-close candidates on escalations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from store.repositories.sla import Overdue, SlaMark, SlaRepository
from tests.store.rows import add_conversation, add_course, add_escalation

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def _marks(session: AsyncSession, escalation_id: int) -> tuple[Any, Any]:
    row = (
        await session.execute(
            text("SELECT sla_reminded_at, sla_admin_alerted_at FROM escalations WHERE id = :id"),
            {"id": escalation_id},
        )
    ).one()
    return row.sla_reminded_at, row.sla_admin_alerted_at


async def test_unmarked_pending_are_old_enough_pending_and_not_yet_marked(
    session: AsyncSession,
) -> None:
    old = await add_escalation(session, created_at=NOW - 2 * HOUR)
    at_cutoff = await add_escalation(session, created_at=NOW - HOUR)
    young = await add_escalation(session, created_at=NOW - HOUR + timedelta(seconds=1))
    claimed = await add_escalation(session, created_at=NOW - 2 * HOUR, status="in_progress")
    reminded = await add_escalation(session, created_at=NOW - 2 * HOUR, sla_reminded_at=NOW)
    alerted = await add_escalation(session, created_at=NOW - 2 * HOUR, sla_admin_alerted_at=NOW)
    sla = SlaRepository(session)

    ids = await sla.unmarked_pending(SlaMark.TRAINER_REMINDED, NOW - HOUR)
    mine = [
        i for i in ids if i in {e.id for e in (old, at_cutoff, young, claimed, reminded, alerted)}
    ]
    assert mine == [old.id, at_cutoff.id, alerted.id]  # in id order
    ids = await sla.unmarked_pending(SlaMark.ADMINS_ALERTED, NOW - HOUR)
    assert reminded.id in ids
    assert alerted.id not in ids


async def test_a_mark_sets_only_its_own_column_and_only_once(session: AsyncSession) -> None:
    escalation = await add_escalation(
        session, created_at=NOW - 2 * HOUR, suggested_trainer_id="UTRAINER"
    )
    sla = SlaRepository(session)

    marked = await sla.mark_pending(escalation.id, SlaMark.TRAINER_REMINDED, NOW)
    assert marked == Overdue(ticket=escalation.ticket, suggested_trainer_id="UTRAINER")
    assert await _marks(session, escalation.id) == (NOW, None)
    # A second process (or tick) marking the same SLA gets nothing: its notices are not sent.
    assert await sla.mark_pending(escalation.id, SlaMark.TRAINER_REMINDED, NOW + HOUR) is None
    assert await _marks(session, escalation.id) == (NOW, None)
    assert escalation.id not in await sla.unmarked_pending(SlaMark.TRAINER_REMINDED, NOW)

    later = NOW + HOUR
    assert await sla.mark_pending(escalation.id, SlaMark.ADMINS_ALERTED, later) is not None
    assert await _marks(session, escalation.id) == (NOW, later)


async def test_only_pending_escalations_are_marked(session: AsyncSession) -> None:
    escalation = await add_escalation(session, created_at=NOW - 2 * HOUR, status="in_progress")
    sla = SlaRepository(session)
    assert await sla.mark_pending(escalation.id, SlaMark.TRAINER_REMINDED, NOW) is None
    assert await _marks(session, escalation.id) == (None, None)


async def test_no_other_column_can_be_marked(session: AsyncSession) -> None:
    escalation = await add_escalation(session, created_at=NOW - 2 * HOUR)
    sla = SlaRepository(session)
    with pytest.raises(ValueError):
        await sla.mark_pending(escalation.id, cast(SlaMark, "resolved_at"), NOW)
    with pytest.raises(ValueError):
        await sla.unmarked_pending(cast(SlaMark, "claimed_at; DROP TABLE escalations"), NOW)
    assert await _marks(session, escalation.id) == (None, None)


async def test_inactive_uses_the_latest_activity_and_the_courses_own_period(
    session: AsyncSession,
) -> None:
    days = timedelta(days=1)
    quick = await add_course(session, "store-quick", auto_close_days=0.5)
    slow = await add_course(session, "store-slow")  # the default period: 1 day here
    quiet = await add_escalation(session, created_at=NOW - days, course_id=slow.id)
    no_course = await add_escalation(session, created_at=NOW - days)
    almost = await add_escalation(
        session, created_at=NOW - days + timedelta(seconds=1), course_id=slow.id
    )
    learner_spoke = await add_escalation(
        session,
        created_at=NOW - 2 * days,
        course_id=slow.id,
        conversation=await add_conversation(
            session, course_id=slow.id, last_activity_at=NOW - HOUR
        ),
    )
    quick_quiet = await add_escalation(session, created_at=NOW - 13 * HOUR, course_id=quick.id)
    quick_recent = await add_escalation(session, created_at=NOW - 11 * HOUR, course_id=quick.id)
    resolved = await add_escalation(
        session, created_at=NOW - 2 * days, course_id=slow.id, status="resolved"
    )
    reopened = await add_escalation(
        session, created_at=NOW - 2 * days, course_id=slow.id, status="reopened"
    )

    ids = set(await SlaRepository(session).inactive(NOW, default_days=1.0))
    assert {quiet.id, no_course.id, quick_quiet.id, reopened.id} <= ids
    assert not {almost.id, learner_spoke.id, quick_recent.id, resolved.id} & ids
