"""The sign of life stored with an inbound message is the next task a worker claims, even while
other learners' answers wait for a worker slot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from store.ack_path import BacklogNotice, Companion, enqueue_with_backlog_notice
from store.database import Database
from store.tasks import TaskRepository

LEARNER, SEEN = "test.sol_learner", "test.sol_seen"
LEASE = timedelta(seconds=60)


@pytest.fixture(autouse=True)
async def _forget_test_tasks(database: Database) -> AsyncIterator[None]:
    yield
    async with database.sessions.begin() as session:
        await session.execute(text("DELETE FROM tasks WHERE kind LIKE 'test.sol_%'"))


async def _inbound(database: Database, user: str, *, delay: float, seen: bool) -> None:
    companion = Companion(SEEN, {"user_id": user}, f"sol-seen:{user}", f"sol-seen:{user}:1")
    await enqueue_with_backlog_notice(
        database,
        LEARNER,
        {"user_id": user},
        user_id=user,
        ordering_key=f"sol-dm:{user}",
        dedupe_key=f"sol-dm:{user}:1",
        notice=BacklogNotice("test.sol_notice", {}, f"sol-notice:{user}", "sol-flood:", 100),
        delay_seconds=delay,
        companion=companion if seen else None,
    )


async def test_a_sign_of_life_goes_before_answers_already_waiting(database: Database) -> None:
    # Three learners' messages are due and wait for a slot (their windows are over) ...
    for n in range(3):
        await _inbound(database, f"U0WAIT{n}", delay=0, seen=False)
    # ... when another learner's message arrives, with its sign of life due at once.
    await _inbound(database, "U0NEW", delay=4, seen=True)
    now = datetime.now(UTC) + timedelta(seconds=1)
    async with database.sessions.begin() as session:
        [first] = await TaskRepository(session).claim(
            "worker-a", now, LEASE, limit=1, kinds=[LEARNER, SEEN], urgent=[SEEN]
        )
    assert first.kind == SEEN
    assert first.payload == {"user_id": "U0NEW"}
    async with database.sessions.begin() as session:
        rest = await TaskRepository(session).claim(
            "worker-a", now, LEASE, limit=10, kinds=[LEARNER, SEEN], urgent=[SEEN]
        )
    # The answers keep their order; the new message waits for its window.
    assert [t.payload["user_id"] for t in rest] == ["U0WAIT0", "U0WAIT1", "U0WAIT2"]
