"""A timer tick is recorded as finished only once its job has returned (or failed), so anyone
waiting on a tick (an operator, a test) sees the job's effects, not just its claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.tasks.timers import TimerJob, run_due
from store.database import Database
from tests.harness import reset_database, running_bot


async def _finished_at(deps: Deps, name: str) -> datetime | None:
    async with deps.db.engine.connect() as conn:
        result = await conn.execute(
            text("SELECT last_finished_at FROM timers WHERE name = :n"), {"n": name}
        )
        return result.scalar_one_or_none()


async def test_a_tick_is_finished_only_after_its_job_returns(database: Database) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime(2030, 1, 1, 12, 0, tzinfo=UTC))
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(deps: Deps, now: datetime) -> int:
        started.set()
        await release.wait()
        return 1

    async def broken(deps: Deps, now: datetime) -> int:
        raise RuntimeError("job failed")

    jobs = [TimerJob("test.slow", timedelta(minutes=1), slow, across_workspaces=True)]
    jobs.append(TimerJob("test.broken", timedelta(minutes=1), broken, across_workspaces=True))
    async with running_bot(database, clock=clock, run_workers=False) as bot:
        run = asyncio.create_task(run_due(bot.deps, jobs, "runner-a"))
        await asyncio.wait_for(started.wait(), 10)
        assert await _finished_at(bot.deps, "test.slow") is None
        release.set()
        assert await asyncio.wait_for(run, 10) == {"test.slow": 1}
        assert await _finished_at(bot.deps, "test.slow") == clock.now()
        # A failed job is finished too: the next tick retries it.
        assert await _finished_at(bot.deps, "test.broken") == clock.now()
