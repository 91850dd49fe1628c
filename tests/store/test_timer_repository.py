"""Claiming a timer tick: one winner per tick, the next tick only once it is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from store.repositories.timers import TimerRepository

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
EVERY = timedelta(minutes=1)


async def _row(session: AsyncSession, name: str) -> tuple[datetime, datetime | None, str | None]:
    row = (
        await session.execute(
            text("SELECT next_run_at, last_run_at, last_run_by FROM timers WHERE name = :n"),
            {"n": name},
        )
    ).one()
    return row.next_run_at, row.last_run_at, row.last_run_by


async def test_a_new_job_is_due_at_once_and_its_tick_is_won_only_once(
    session: AsyncSession,
) -> None:
    timers = TimerRepository(session)
    assert await timers.claim_tick("test.job", NOW, NOW + EVERY, "runner-a")
    assert await _row(session, "test.job") == (NOW + EVERY, NOW, "runner-a")
    # The same tick, claimed by another process (or again): lost, and the row is unchanged.
    assert not await timers.claim_tick("test.job", NOW, NOW + EVERY, "runner-b")
    assert not await timers.claim_tick("test.job", NOW + EVERY / 2, NOW + EVERY * 2, "runner-b")
    assert await _row(session, "test.job") == (NOW + EVERY, NOW, "runner-a")


async def test_the_next_tick_is_won_once_it_is_due(session: AsyncSession) -> None:
    timers = TimerRepository(session)
    assert await timers.claim_tick("test.job", NOW, NOW + EVERY, "runner-a")
    later = NOW + EVERY
    assert await timers.claim_tick("test.job", later, later + EVERY, "runner-b")
    assert await _row(session, "test.job") == (later + EVERY, later, "runner-b")
    assert not await timers.claim_tick("test.job", later, later + EVERY, "runner-a")


async def test_jobs_are_claimed_independently(session: AsyncSession) -> None:
    timers = TimerRepository(session)
    assert await timers.claim_tick("test.one", NOW, NOW + EVERY, "runner-a")
    assert await timers.claim_tick("test.two", NOW, NOW + EVERY, "runner-a")
    assert not await timers.claim_tick("test.one", NOW, NOW + EVERY, "runner-a")
