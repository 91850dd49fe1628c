"""Taking a burst of queued messages into one task: the task answers them, the others close.

The running task of a thread is the oldest unfinished one of its ordering key, so the pending
tasks behind it cannot start meanwhile; locking them and its own row makes two runs of the same
task (a lease that expired) agree on one burst. The burst is recorded in the task's payload, in
the transaction that closes the others, so a re-run after a crash answers the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task


class BurstRepository:
    """Pending tasks of one ordering key, and the burst a task took of them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_payload(self, task_id: int) -> dict[str, Any]:
        """The task's payload as stored now, its row locked until the transaction ends."""
        payload = await self._session.scalar(
            select(Task.payload).where(Task.id == task_id).with_for_update()
        )
        return dict(payload or {})

    async def pending(self, kind: str, ordering_key: str, after_id: int) -> list[Task]:
        """The pending ``kind`` tasks of ``ordering_key`` behind ``after_id``, oldest first,
        locked until the caller's transaction ends."""
        rows = await self._session.scalars(
            select(Task)
            .where(Task.kind == kind, Task.ordering_key == ordering_key, Task.status == "pending")
            .where(Task.id > after_id)
            .order_by(Task.id)
            .with_for_update()
        )
        return list(rows.all())

    async def take(
        self, task_id: int, payload: dict[str, Any], taken: Sequence[int], now: datetime
    ) -> None:
        """Store the task's ``payload`` (now naming its burst) and close the ``taken`` tasks as
        answered by it."""
        await self._session.execute(update(Task).where(Task.id == task_id).values(payload=payload))
        if taken:
            await self._session.execute(
                update(Task)
                .where(Task.id.in_(list(taken)), Task.status == "pending")
                .values(status="done", finished_at=now, result={"answered_with_task": task_id})
            )
