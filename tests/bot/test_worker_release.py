"""A worker shutting down hands back only the tasks it no longer runs: one whose handler is still
going keeps its lease (handing it back would let a second worker run it at the same time)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.deps import Deps
from bot.tasks.kinds import TaskRegistry
from bot.tasks.worker import Worker
from store.database import Database
from store.models import Task
from store.tasks import ClaimedTask, TaskRepository
from tests.harness import BotHarness, reset_database, running_bot


@pytest.fixture
async def quiet_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot without its own workers: the test runs one."""
    await reset_database(database)
    async with running_bot(database, run_workers=False) as harness:
        yield harness


async def _rows(bot: BotHarness) -> dict[str, tuple[str, str | None]]:
    async with bot.deps.sessions() as session:
        rows = await session.execute(select(Task.kind, Task.status, Task.locked_by))
        return {row.kind: (row.status, row.locked_by) for row in rows}


async def test_release_keeps_the_lease_of_a_task_still_running(quiet_bot: BotHarness) -> None:
    started, finish = asyncio.Event(), asyncio.Event()

    async def still_running(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
        started.set()
        await finish.wait()
        return None

    async def cancelled(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
        raise asyncio.CancelledError

    registry = TaskRegistry()
    registry.register("test.still_running", still_running)
    registry.register("test.cancelled", cancelled)
    async with quiet_bot.deps.sessions.begin() as session:
        tasks = TaskRepository(session)
        await tasks.enqueue("test.still_running", {}, ordering_key="test:1")
        await tasks.enqueue("test.cancelled", {}, ordering_key="test:2")
    worker = Worker(quiet_bot.deps, registry, poll_interval=0.05)
    run = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(started.wait(), 10)
        for _ in range(200):
            if worker.busy == 1 and len(await _rows(quiet_bot)) == 2:
                break
            await asyncio.sleep(0.02)
        assert worker.busy == 1

        await worker.release_unfinished()

        rows = await _rows(quiet_bot)
        assert rows["test.still_running"] == ("running", worker.worker_id)
        assert rows["test.cancelled"][0] == "pending"
    finally:
        finish.set()
        worker.stop()
        await asyncio.wait_for(run, 10)
