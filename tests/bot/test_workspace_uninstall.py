"""Uninstalling the app stops a workspace's work at once and keeps a record of what was stopped;
a reinstall resumes it with all its data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.jobs import build_registry
from bot.slack_auth import SlackRefused
from bot.tasks.kinds import PermanentFailure, RetryLater
from bot.tasks.outbox import Outbox
from bot.tasks.worker import Worker
from bot.workspaces import across_workspaces, in_workspace
from bot.workspaces.lifecycle import CANCELLED_REASON, workspace_uninstalled
from store.database import Database
from store.models import Course, Task
from store.repositories.failed_tasks import FailedTaskRepository
from store.repositories.workspaces import WorkspaceRepository
from store.tasks import ClaimedTask, TaskRepository
from tests.harness import TEAM_ID, BotHarness, reset_database, running_bot

OTHER = "T0OTHER01"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


@pytest.fixture
async def quiet_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot without its own workers, serving two workspaces: the test runs the worker."""
    await reset_database(database)
    async with running_bot(database, clock=FrozenClock(NOW), run_workers=False) as harness:
        with across_workspaces():
            async with harness.deps.sessions.begin() as session:
                workspaces = WorkspaceRepository(session)
                for team in (TEAM_ID, OTHER):
                    await workspaces.record(team, name=team, installed_by=None, now=NOW)
        yield harness


async def _enqueue(deps: Deps, team: str, kind: str, key: str, **payload: Any) -> int:
    with in_workspace(team):
        async with deps.sessions.begin() as session:
            task_id = await TaskRepository(session).enqueue(kind, payload, ordering_key=key)
    assert task_id is not None
    return task_id


async def _task(deps: Deps, task_id: int) -> Task:
    with across_workspaces():
        async with deps.sessions() as session:
            task = await session.get(Task, task_id)
    assert task is not None
    return task


async def _claim(deps: Deps, worker: str = "w-test") -> list[ClaimedTask]:
    with across_workspaces():
        async with deps.sessions.begin() as session:
            return await TaskRepository(session).claim(worker, deps.clock.now(), LEASE, limit=50)


async def test_uninstall_cancels_open_tasks_as_a_visible_record(quiet_bot: BotHarness) -> None:
    deps = quiet_bot.deps
    pending = await _enqueue(deps, TEAM_ID, "test.work", "k:1")
    running = await _enqueue(deps, TEAM_ID, "test.work", "k:2")
    elsewhere = await _enqueue(deps, OTHER, "test.work", "k:1")
    claimed = await _claim(deps)
    assert {task.id for task in claimed} == {pending, running, elsewhere}
    with across_workspaces():
        async with deps.sessions.begin() as session:
            await TaskRepository(session).retry(pending, "w-test", NOW, "not yet")
    with in_workspace(OTHER):
        async with deps.sessions.begin() as session:
            await TaskRepository(session).retry(elsewhere, "w-test", NOW, "not yet")

    cancelled = await workspace_uninstalled(deps, TEAM_ID, NOW)

    assert cancelled == 2
    for task_id in (pending, running):
        task = await _task(deps, task_id)
        assert (task.status, task.last_error, task.finished_at) == (
            "cancelled",
            CANCELLED_REASON,
            NOW,
        )
        assert task.locked_until is None
        assert task.alerted_at is None
    assert (await _task(deps, elsewhere)).status == "pending"
    with across_workspaces():
        async with deps.sessions() as session:
            workspace = await WorkspaceRepository(session).get(TEAM_ID)
            assert workspace is not None
            assert workspace.uninstalled_at == NOW
            assert await WorkspaceRepository(session).active_team_ids() == [OTHER]
    # Not failures: `coachbot tasks --failed` does not list them, and retrying failed tasks
    # cannot send them to a workspace whose token is gone; the queue's counts show them.
    async with deps.sessions.begin() as session:
        failed = FailedTaskRepository(session)
        assert await failed.failed() == []
        assert (await failed.counts_by_status()).get("cancelled") == 2
        assert await failed.requeue_all_failed(NOW, extend=timedelta(hours=1)) == 0
        assert not await failed.mark_alerted(pending, NOW)  # no alert is ever sent about it

    # Slack may say it twice (app_uninstalled, then tokens_revoked): the first time is kept.
    assert await workspace_uninstalled(deps, TEAM_ID, NOW + timedelta(minutes=5)) == 0
    with across_workspaces():
        async with deps.sessions() as session:
            workspace = await WorkspaceRepository(session).get(TEAM_ID)
            assert workspace is not None
            assert workspace.uninstalled_at == NOW


async def test_tasks_enqueued_after_uninstall_are_never_claimed(quiet_bot: BotHarness) -> None:
    deps = quiet_bot.deps
    await workspace_uninstalled(deps, TEAM_ID, NOW)
    late = await _enqueue(deps, TEAM_ID, "test.work", "k:late")  # a Slack retry arriving late
    elsewhere = await _enqueue(deps, OTHER, "test.work", "k:1")

    assert [task.id for task in await _claim(deps)] == [elsewhere]
    assert (await _task(deps, late)).status == "pending"


async def test_a_reinstall_resumes_the_workspace_with_its_data(quiet_bot: BotHarness) -> None:
    deps = quiet_bot.deps
    async with deps.sessions.begin() as session:
        session.add(Course(slug="py101", title="Python 101"))
    stopped = await _enqueue(deps, TEAM_ID, "test.work", "k:1")
    await workspace_uninstalled(deps, TEAM_ID, NOW)
    late = await _enqueue(deps, TEAM_ID, "test.work", "k:late")

    with across_workspaces():
        async with deps.sessions.begin() as session:
            await WorkspaceRepository(session).record(
                TEAM_ID, name="again", installed_by="UINSTALLER", now=NOW + timedelta(days=3)
            )

    async with deps.sessions() as session:
        assert [c.slug for c in (await session.scalars(select(Course))).all()] == ["py101"]
    # Work stopped at the uninstall stays a record; work arriving since runs again.
    assert [task.id for task in await _claim(deps)] == [late]
    assert (await _task(deps, stopped)).status == "cancelled"


@pytest.mark.parametrize("outcome", ["return", "retry", "fail", "refused", "post"])
async def test_a_task_running_at_the_uninstall_stays_cancelled(
    quiet_bot: BotHarness, outcome: str
) -> None:
    deps = quiet_bot.deps
    started, finish, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()
    failure_hooks: list[int] = []

    async def slow(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
        started.set()
        await finish.wait()
        try:
            if outcome == "retry":
                raise RetryLater(1, "Slack asked to wait")
            if outcome == "fail":
                raise PermanentFailure("channel_not_found")
            if outcome == "refused":
                raise SlackRefused("chat.postMessage", "token_revoked")
            if outcome == "post":
                async with deps.sessions.begin() as session:
                    await Outbox(session).call(
                        "chat.postMessage",
                        {"channel": "D0LEARNER", "text": "late answer"},
                        ordering_key="post:late",
                    )
            return {"ok": True}
        finally:
            finished.set()

    async def on_failure(deps: Deps, task: ClaimedTask, reason: str) -> None:
        failure_hooks.append(task.id)

    registry = build_registry()
    # The frozen clock is years after the task was stored: it would give up at once.
    registry.register("test.slow", slow, on_failure=on_failure, give_up_after=timedelta(days=9999))
    task_id = await _enqueue(deps, TEAM_ID, "test.slow", "slow:1")
    worker = Worker(deps, registry, poll_interval=0.05)
    run = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(started.wait(), 10)
        await workspace_uninstalled(deps, TEAM_ID, NOW)
        finish.set()
        await asyncio.wait_for(finished.wait(), 10)
        for _ in range(500):
            if worker.busy == 0:
                break
            await asyncio.sleep(0.01)
        assert worker.busy == 0
    finally:
        worker.stop()
        await asyncio.wait_for(run, 10)

    task = await _task(deps, task_id)
    assert (task.status, task.last_error) == ("cancelled", CANCELLED_REASON)
    assert failure_hooks == []  # no admin alert about a workspace nobody can reach
    # One workspace's revoked token says nothing of the tokens the process uses for others.
    assert deps.slack_auth.blocking("chat.postMessage", NOW) is None
    if outcome == "post":
        with across_workspaces():
            async with deps.sessions() as session:
                kinds = (await session.scalars(select(Task.kind).where(Task.id != task_id))).all()
        assert list(kinds) == ["slack.call"]  # stored, so nothing is lost...
        with across_workspaces():
            assert await worker._claim(10) == []  # ...but never sent to the workspace
    assert quiet_bot.slack.calls_to("chat.postMessage") == []
