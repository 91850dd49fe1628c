"""A learner who floods the bot with new DMs gets at most N of them running at once, so the next
learner's message is claimed meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task
from store.tasks import TaskRepository

KIND = "test.learner_message"
LEASE = timedelta(seconds=60)


async def _add(session: AsyncSession, user_id: str, thread: int) -> int:
    task = Task(
        kind=KIND,
        ordering_key=f"test-dm:{user_id}:{thread}",
        status="pending",
        payload={"user_id": user_id, "text": "help"},
    )
    session.add(task)
    await session.flush()
    return task.id


async def test_a_flooding_learner_gets_n_tasks_and_the_next_learner_is_claimed(
    session: AsyncSession,
) -> None:
    flood = [await _add(session, "U0FLOOD", n) for n in range(6)]
    other = await _add(session, "U0OTHER", 0)
    tasks = TaskRepository(session)
    now = datetime.now(UTC) + timedelta(minutes=1)

    claimed = await tasks.claim("worker-a", now, LEASE, limit=4, kinds=[KIND], per_user=(KIND, 2))
    assert [t.id for t in claimed] == [flood[0], flood[1], other]

    # Still two of the flood running: nothing more of it, for this worker or another.
    assert (
        await tasks.claim("worker-b", now, LEASE, limit=4, kinds=[KIND], per_user=(KIND, 2)) == []
    )

    assert await tasks.complete(flood[0], "worker-a", now)
    [next_one] = await tasks.claim(
        "worker-b", now, LEASE, limit=4, kinds=[KIND], per_user=(KIND, 2)
    )
    assert next_one.id == flood[2]
