"""A periodic job runs once per installed workspace, inside it; the queue's upkeep runs once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from bot.deps import Deps
from bot.tasks.timers import TimerJob, run_due
from bot.workspaces import across_workspaces
from store.database import Database
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import team_or_none
from tests.harness import FrozenClock, reset_database, running_bot

A, B, GONE = "T0JOBSA01", "T0JOBSB02", "T0JOBSGONE"


async def _workspaces(database: Database) -> None:
    with across_workspaces():
        async with database.sessions.begin() as session:
            workspaces = WorkspaceRepository(session)
            for team in (A, B, GONE):
                await workspaces.record(team, name=team, installed_by=None, now=Clock().now())
            await workspaces.mark_uninstalled(GONE, Clock().now())


async def test_a_job_runs_in_each_installed_workspace_and_one_failure_stops_no_other(
    database: Database,
) -> None:
    await reset_database(database)
    await _workspaces(database)
    seen: list[str | None] = []

    async def per_workspace(deps: Deps, now: datetime) -> int:
        seen.append(team_or_none())
        if team_or_none() == A:
            raise RuntimeError("this workspace's data is broken")
        return 2

    async def upkeep(deps: Deps, now: datetime) -> int:
        seen.append(team_or_none())
        return 1

    jobs = [
        TimerJob("test.per_workspace", timedelta(minutes=1), per_workspace),
        TimerJob("test.upkeep", timedelta(minutes=1), upkeep, across_workspaces=True),
    ]
    clock = FrozenClock(datetime(2031, 1, 1, tzinfo=UTC))
    async with running_bot(database, clock=clock, run_workers=False, known_workspace=False) as bot:
        done = await run_due(bot.deps, jobs, "runner-a")

    assert seen == [A, B, None]
    assert done == {"test.per_workspace": 2, "test.upkeep": 1}
