"""The benchmarks' work runs in the workspace their signed requests name (bench/workspace.py)."""

from __future__ import annotations

import asyncio

from bench.workspace import BENCH_TEAM, run_in_bench_workspace
from bot.workspaces import current_team, in_workspace
from tests.fakes.slack_api import FakeSlack
from tests.harness import TEAM_ID


async def _teams() -> tuple[str, str]:
    """The workspace of the bench's coroutine, and of a task it starts."""
    spawned = asyncio.create_task(_current())
    return current_team(), await spawned


async def _current() -> str:
    return current_team()


async def test_bench_work_runs_in_the_fake_slacks_workspace() -> None:
    # Called from another workspace's work, in a thread of its own as a script's main() runs it.
    with in_workspace("T0OTHER01"):
        teams = await asyncio.to_thread(run_in_bench_workspace, _teams())
    assert teams == (TEAM_ID, TEAM_ID)
    assert BENCH_TEAM == FakeSlack().workspace.team_id == TEAM_ID
