"""A queued task can tell whether a newer one of its kind and ordering key is waiting."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task
from store.tasks import TaskRepository

KIND = "test.refresh"
KEY = "test-home:USTORE"


async def _add(
    session: AsyncSession, kind: str = KIND, key: str = KEY, status: str = "pending"
) -> int:
    task = Task(kind=kind, ordering_key=key, status=status, payload={})
    session.add(task)
    await session.flush()
    return task.id


async def test_only_a_later_pending_task_of_the_same_kind_and_key_is_newer(
    session: AsyncSession,
) -> None:
    tasks = TaskRepository(session)
    older = await _add(session)
    current = await _add(session, status="running")
    assert not await tasks.has_newer_pending(KIND, KEY, current)  # the older one does not count

    for kind, key, status in (
        ("test.other", KEY, "pending"),
        (KIND, "test-home:USOMEONEELSE", "pending"),
        (KIND, KEY, "running"),
        (KIND, KEY, "done"),
        (KIND, KEY, "failed"),
    ):
        await _add(session, kind, key, status)
        assert not await tasks.has_newer_pending(KIND, KEY, current), (kind, key, status)

    await _add(session)
    assert await tasks.has_newer_pending(KIND, KEY, current)
    assert await tasks.has_newer_pending(KIND, KEY, older)
