"""The monitoring snapshot counts what it says it counts (database-wide, so compared before and
after adding rows in the test's own transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tasks.outbox import SLACK_CALL
from store.models import Message, Query, Response, Task
from store.repositories.ops import OpsRepository
from tests.store.rows import add_conversation, add_escalation

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


def _task(kind: str, status: str, **values: Any) -> Task:
    return Task(kind=kind, status=status, ordering_key=f"ops-test:{kind}:{status}", **values)


async def _add_answer(session: AsyncSession) -> None:
    conversation = await add_conversation(session)
    message = Message(conversation_id=conversation.id, role="learner", text="q")
    session.add(message)
    await session.flush()
    query = Query(conversation_id=conversation.id, message_id=message.id, learner_id="UL", text="q")
    session.add(query)
    await session.flush()
    session.add(
        Response(
            query_id=query.id,
            conversation_id=conversation.id,
            answer="a",
            confidence=0.9,
            grounded=True,
            model="m",
        )
    )
    await session.flush()


async def test_snapshot_counts_answers_escalations_queue_and_outbox(
    session: AsyncSession,
) -> None:
    ops = OpsRepository(session)
    before = await ops.snapshot(NOW, outbox_kind=SLACK_CALL)

    await _add_answer(session)
    for status in ("pending", "pending", "in_progress", "resolved"):
        await add_escalation(session, created_at=NOW, status=status)
    session.add_all(
        [
            _task(SLACK_CALL, "pending", created_at=LONG_AGO),
            _task(SLACK_CALL, "running", locked_until=NOW + timedelta(minutes=1)),
            _task(SLACK_CALL, "done"),
            _task("test.other", "pending", locked_until=NOW - timedelta(minutes=1)),
            _task("test.other", "running", locked_until=NOW - timedelta(seconds=1)),
            _task("test.other", "failed"),
            _task(SLACK_CALL, "failed"),
        ]
    )
    await session.flush()
    after = await ops.snapshot(NOW, outbox_kind=SLACK_CALL)

    assert after.answers == before.answers + 1
    changed = {
        status: after.escalations.get(status, 0) - before.escalations.get(status, 0)
        for status in after.escalations
    }
    assert {s: n for s, n in changed.items() if n} == {
        "pending": 2,
        "in_progress": 1,
        "resolved": 1,
    }
    assert after.outbox_depth == before.outbox_depth + 2  # pending and running slack calls
    assert after.outbox_oldest == LONG_AGO
    assert after.queue_depth == before.queue_depth + 4  # every pending and running task
    assert after.failed_tasks == before.failed_tasks + 2
    assert after.stale_tasks == before.stale_tasks + 1  # running, lease ended before now
