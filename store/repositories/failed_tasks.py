"""Tasks given up on: listing them, alerting admins once per task, and queueing them again.

Never commits, like every repository.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task


class FailedTaskRepository:
    """What operators and the failure alerts do with failed tasks."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def failed(self, *, limit: int = 50) -> list[Task]:
        """Tasks given up on, newest first."""
        stmt = (
            select(Task)
            .where(Task.status == "failed")
            .order_by(Task.finished_at.desc(), Task.id.desc())
            .limit(limit)
        )
        return list((await self._session.execute(stmt)).scalars())

    async def counts_by_status(self) -> dict[str, int]:
        """How many tasks are in each status."""
        rows = await self._session.execute(select(Task.status, func.count()).group_by(Task.status))
        return {str(status): int(count) for status, count in rows.all()}

    async def mark_alerted(self, task_id: int, now: datetime) -> bool:
        """Record that admins were told about a failed task; False if they already were, or it
        is not failed (a cancelled task's workspace uninstalled the app: nobody to tell)."""
        marked = await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.status == "failed", Task.alerted_at.is_(None))
            .values(alerted_at=now)
            .returning(Task.id)
        )
        return marked.scalar_one_or_none() is not None

    async def clear_alerted(self, task_id: int) -> None:
        """Forget that admins were told about a task (the alert could not be sent)."""
        await self._session.execute(update(Task).where(Task.id == task_id).values(alerted_at=None))

    async def requeue_failed(self, task_id: int, now: datetime, *, extend: timedelta) -> bool:
        """Give a failed task another chance (an operator fixed the cause)."""
        return bool(await self._requeue(now, extend, Task.id == task_id))

    async def requeue_all_failed(self, now: datetime, *, extend: timedelta) -> int:
        """Give every failed task another chance; returns how many."""
        return await self._requeue(now, extend)

    async def _requeue(self, now: datetime, extend: timedelta, *where: Any) -> int:
        requeued = await self._session.execute(
            update(Task)
            .where(Task.status == "failed", *where)
            .values(
                status="pending",
                run_at=now,
                finished_at=None,
                locked_by=None,
                alerted_at=None,
                deadline_at=now + extend,
            )
            .returning(Task.id)
        )
        return len(requeued.all())
