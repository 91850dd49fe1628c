"""Short Slack writes (an answer's post, a reaction) are claimed before the answers still
waiting for a worker slot, so a learner whose answer is ready sees it without queueing behind
every other learner's model call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task
from store.tasks import TaskRepository

ANSWER, POST = "test.urgent_answer", "test.urgent_post"
LEASE = timedelta(seconds=60)


async def _add(session: AsyncSession, kind: str, key: str, run_at: datetime) -> int:
    task = Task(kind=kind, ordering_key=key, status="pending", payload={}, run_at=run_at)
    session.add(task)
    await session.flush()
    return task.id


async def test_urgent_kinds_go_first_and_keep_their_own_order(session: AsyncSession) -> None:
    start = datetime.now(UTC) - timedelta(minutes=5)
    answers = [
        await _add(session, ANSWER, f"urgent-dm:{n}", start + timedelta(seconds=n))
        for n in range(3)
    ]
    # Two posts, due after every waiting answer, one of them in the first answer's thread.
    post_b = await _add(session, POST, "urgent-dm:9", start + timedelta(seconds=20))
    post_a = await _add(session, POST, "urgent-dm:8", start + timedelta(seconds=10))
    tasks = TaskRepository(session)
    now = datetime.now(UTC)

    claimed = await tasks.claim(
        "worker-a", now, LEASE, limit=3, kinds=[ANSWER, POST], urgent=[POST]
    )
    assert [t.id for t in claimed] == [post_a, post_b, answers[0]]

    # Without urgent kinds the queue is oldest first, as before.
    rest = await tasks.claim("worker-b", now, LEASE, limit=5, kinds=[ANSWER, POST])
    assert [t.id for t in rest] == answers[1:]


async def test_an_urgent_task_still_waits_for_the_earlier_task_of_its_thread(
    session: AsyncSession,
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=5)
    answer = await _add(session, ANSWER, "urgent-dm:1", start)
    await _add(session, POST, "urgent-dm:1", start + timedelta(seconds=1))
    other = await _add(session, ANSWER, "urgent-dm:2", start + timedelta(seconds=2))
    claimed = await TaskRepository(session).claim(
        "worker-a", datetime.now(UTC), LEASE, limit=5, kinds=[ANSWER, POST], urgent=[POST]
    )
    assert [t.id for t in claimed] == [answer, other]
