"""The durable task queue: enqueue idempotently, claim with SKIP LOCKED, finish or retry.

Repositories never commit: callers pass the session of their own transaction, so a task is
enqueued atomically with the state change that caused it (the outbox pattern).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task

# Only the oldest unfinished task of an ordering key is eligible, so tasks of one thread run one
# at a time and in order; SKIP LOCKED lets many workers in many processes claim without blocking.
_CLAIM_SQL = text(
    """
    SELECT t.id FROM tasks t
    WHERE t.status IN ('pending', 'running')
      AND t.run_at <= :now
      AND (t.status = 'pending' OR t.locked_until < :now)
      AND (CAST(:kinds AS text[]) IS NULL OR t.kind = ANY(CAST(:kinds AS text[])))
      AND NOT EXISTS (
        SELECT 1 FROM tasks e
        WHERE e.ordering_key = t.ordering_key AND e.id < t.id
          AND e.status IN ('pending', 'running')
      )
    ORDER BY t.run_at, t.id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
    """
)


@dataclass(frozen=True)
class ClaimedTask:
    """A task leased to one worker until ``locked_until``."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    ordering_key: str
    created_at: datetime
    deadline_at: datetime | None


class TaskRepository:
    """Queue operations on the ``tasks`` table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        ordering_key: str,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        deadline_at: datetime | None = None,
    ) -> int | None:
        """Add a task; returns its id, or None when ``dedupe_key`` was already enqueued."""
        values: dict[str, Any] = {
            "kind": kind,
            "payload": payload,
            "ordering_key": ordering_key,
            "dedupe_key": dedupe_key,
            "status": "pending",
            "deadline_at": deadline_at,
        }
        if run_at is not None:
            values["run_at"] = run_at
        stmt = (
            insert(Task)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Task.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def claim(
        self,
        worker_id: str,
        now: datetime,
        lease: timedelta,
        *,
        limit: int = 1,
        kinds: list[str] | None = None,
    ) -> list[ClaimedTask]:
        """Lease up to ``limit`` eligible tasks to ``worker_id``."""
        ids = (
            (await self.session.execute(_CLAIM_SQL, {"now": now, "limit": limit, "kinds": kinds}))
            .scalars()
            .all()
        )
        if not ids:
            return []
        rows = (
            await self.session.execute(
                update(Task)
                .where(Task.id.in_(ids))
                .values(
                    status="running",
                    locked_by=worker_id,
                    locked_until=now + lease,
                    attempts=Task.attempts + 1,
                )
                .returning(
                    Task.id,
                    Task.kind,
                    Task.payload,
                    Task.attempts,
                    Task.ordering_key,
                    Task.created_at,
                    Task.deadline_at,
                )
            )
        ).all()
        return sorted((ClaimedTask(*row) for row in rows), key=lambda t: ids.index(t.id))

    async def complete(
        self, task_id: int, worker_id: str, now: datetime, result: dict[str, Any] | None = None
    ) -> bool:
        """Mark a task done; False when the lease was lost to another worker meanwhile."""
        done = await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id, Task.status == "running")
            .values(status="done", finished_at=now, locked_until=None, result=result)
            .returning(Task.id)
        )
        return done.scalar_one_or_none() is not None

    async def retry(self, task_id: int, worker_id: str, run_at: datetime, error: str) -> None:
        """Hand a task back to the queue to run again at ``run_at``."""
        await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id)
            .values(status="pending", run_at=run_at, locked_until=None, last_error=error[:2000])
        )

    async def fail(self, task_id: int, worker_id: str, now: datetime, error: str) -> None:
        """Give up on a task, keeping it as a visible failed record."""
        await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id)
            .values(status="failed", finished_at=now, locked_until=None, last_error=error[:2000])
        )

    async def release(self, worker_id: str) -> None:
        """Return every task leased to ``worker_id`` (graceful shutdown)."""
        await self.session.execute(
            update(Task)
            .where(Task.locked_by == worker_id, Task.status == "running")
            .values(status="pending", locked_until=None, attempts=Task.attempts - 1)
        )

    async def get(self, task_id: int) -> Task | None:
        """One task by id."""
        return await self.session.get(Task, task_id)

    async def by_dedupe_key(self, dedupe_key: str) -> Task | None:
        """The task enqueued under ``dedupe_key``, if any."""
        return (
            await self.session.execute(select(Task).where(Task.dedupe_key == dedupe_key))
        ).scalar_one_or_none()
