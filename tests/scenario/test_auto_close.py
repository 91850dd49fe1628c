"""The auto-close sweep: one ticket failing does not stop the others, and a ticket that became
active after the scan stays open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.escalation import sla
from bot.escalation.tickets import Tickets
from store.database import Database
from store.models import Escalation
from store.repositories.sla import SlaRepository
from tests.harness import BotHarness, reset_database, running_bot
from tests.store.rows import add_escalation

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(days=30)


@pytest.fixture
async def quiet_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot without workers or timers: the test runs the sweep itself."""
    await reset_database(database)
    async with running_bot(database, run_workers=False) as harness:
        yield harness


async def _quiet_escalations(bot: BotHarness, count: int) -> list[int]:
    async with bot.deps.sessions.begin() as session:
        return [(await add_escalation(session, created_at=LONG_AGO)).id for _ in range(count)]


async def _statuses(bot: BotHarness) -> dict[int, str]:
    async with bot.deps.sessions() as session:
        rows = await session.execute(select(Escalation.id, Escalation.status))
        return {row.id: row.status for row in rows}


async def test_one_ticket_failing_to_close_does_not_stop_the_sweep(
    quiet_bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, broken, last = await _quiet_escalations(quiet_bot, 3)
    close = Tickets.close_inactive

    async def flaky(self: Tickets, escalation_id: int, *args: object, **kwargs: object) -> object:
        if escalation_id == broken:
            raise RuntimeError("boom")
        return await close(self, escalation_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Tickets, "close_inactive", flaky)

    closed = await sla.close_inactive(quiet_bot.deps, NOW)

    assert closed == 2
    statuses = await _statuses(quiet_bot)
    assert statuses[first] == "resolved"
    assert statuses[broken] == "pending"
    assert statuses[last] == "resolved"


async def test_a_ticket_active_again_after_the_scan_is_not_closed(
    quiet_bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    [stale, touched] = await _quiet_escalations(quiet_bot, 2)
    scan = SlaRepository.inactive

    async def scan_then_touch(self: SlaRepository, now: datetime, days: float) -> list[int]:
        ids = await scan(self, now, days)
        # A learner message lands between the scan and the close.
        async with quiet_bot.deps.sessions.begin() as other:
            touched_row = await other.get(Escalation, touched)
            assert touched_row is not None
            touched_row.last_activity_at = NOW
        return ids

    monkeypatch.setattr(SlaRepository, "inactive", scan_then_touch)

    closed = await sla.close_inactive(quiet_bot.deps, NOW)

    assert closed == 1
    statuses = await _statuses(quiet_bot)
    assert statuses[stale] == "resolved"
    assert statuses[touched] == "pending"
