"""A commit that enqueued a task wakes this process's listeners; nothing else does."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from store.ack_path import BacklogNotice, enqueue_with_backlog_notice
from store.database import Database
from store.tasks import TaskRepository


@pytest.fixture(autouse=True)
async def _forget_test_tasks(database: Database) -> AsyncIterator[None]:
    yield
    async with database.sessions.begin() as session:
        await session.execute(text("DELETE FROM tasks WHERE kind LIKE 'test.%'"))


class Listener:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1


async def test_a_commit_that_enqueued_wakes_after_the_commit(database: Database) -> None:
    listener = Listener()
    database.on_tasks_committed(listener.wake)
    async with database.sessions.begin() as session:
        await TaskRepository(session).enqueue("test.kind", {}, ordering_key="wake:1")
        await TaskRepository(session).enqueue("test.kind", {}, ordering_key="wake:1")
        # Not before the commit: the worker would claim nothing yet.
        assert listener.woken == 0
    assert listener.woken == 1


async def test_a_rolled_back_or_deduplicated_enqueue_wakes_nobody(database: Database) -> None:
    listener = Listener()
    database.on_tasks_committed(listener.wake)
    try:
        async with database.sessions.begin() as session:
            await TaskRepository(session).enqueue("test.kind", {}, ordering_key="wake:2")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    async with database.sessions.begin() as session:
        first = await TaskRepository(session).enqueue(
            "test.kind", {}, ordering_key="wake:2", dedupe_key="wake-dedupe"
        )
    assert first is not None
    assert listener.woken == 1
    async with database.sessions.begin() as session:
        again = await TaskRepository(session).enqueue(
            "test.kind", {}, ordering_key="wake:2", dedupe_key="wake-dedupe"
        )
        # A session that only read, or whose insert was a duplicate, commits without waking.
    assert again is None
    assert listener.woken == 1


async def test_the_ack_path_wakes_after_its_autocommit_statement(database: Database) -> None:
    listener = Listener()
    database.on_tasks_committed(listener.wake)
    notice = BacklogNotice("test.notice", {}, "notice:wake", "wake-notice:", limit=100)
    backlog = await enqueue_with_backlog_notice(
        database,
        "test.inbound",
        {"user_id": "U0WAKE"},
        user_id="U0WAKE",
        ordering_key="wake:3",
        dedupe_key="wake-inbound",
        notice=notice,
    )
    assert backlog.task_id is not None
    assert listener.woken == 1


async def test_a_listener_goes_away_with_its_owner(database: Database) -> None:
    listener = Listener()
    database.on_tasks_committed(listener.wake)
    gone = weakref.ref(listener)
    del listener
    gc.collect()
    assert gone() is None
    async with database.sessions.begin() as session:
        await TaskRepository(session).enqueue("test.kind", {}, ordering_key="wake:4")
