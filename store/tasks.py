"""The durable task queue: enqueue idempotently, claim with SKIP LOCKED, finish or retry.

Repositories never commit: callers pass the session of their own transaction, so a task is
enqueued atomically with the state change that caused it (the outbox pattern).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.database import TASKS_ENQUEUED, Database
from store.models import Task
from store.task_claim import CLAIM_SQL

log = logging.getLogger(__name__)


# The channel the tasks triggers notify on (migrations 0002 and 0004).
NOTIFY_CHANNEL = "coachbot_tasks"


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
    request_id: str | None = None
    # The workspace that enqueued it: the task runs in it (store.tenancy.in_workspace).
    team_id: str = ""


def _insert_task(
    kind: str,
    payload: dict[str, Any],
    ordering_key: str,
    dedupe_key: str | None,
    run_at: datetime | None,
    deadline_at: datetime | None,
    request_id: str | None,
) -> Insert:
    values: dict[str, Any] = {
        "request_id": request_id,
        "kind": kind,
        "payload": payload,
        "ordering_key": ordering_key,
        "dedupe_key": dedupe_key,
        "status": "pending",
        "deadline_at": deadline_at,
    }
    if run_at is not None:
        values["run_at"] = run_at
    return (
        insert(Task)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"])
    )


class TaskRepository:
    """Queue operations on the ``tasks`` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        ordering_key: str,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        deadline_at: datetime | None = None,
        request_id: str | None = None,
    ) -> int | None:
        """Add a task; returns its id, or None when ``dedupe_key`` was already enqueued."""
        stmt = _insert_task(
            kind, payload, ordering_key, dedupe_key, run_at, deadline_at, request_id
        ).returning(Task.id)
        task_id = (await self._session.execute(stmt)).scalar_one_or_none()
        if task_id is not None:
            self._session.info[TASKS_ENQUEUED] = True
        return task_id

    async def claim(
        self,
        worker_id: str,
        now: datetime,
        lease: timedelta,
        *,
        limit: int = 1,
        kinds: list[str] | None = None,
        per_user: tuple[str, int] | None = None,
        urgent: list[str] | None = None,
    ) -> list[ClaimedTask]:
        """Lease up to ``limit`` eligible tasks to ``worker_id``.

        ``per_user`` (kind, n): at most n tasks of that kind running per payload ``user_id``.
        ``urgent``: kinds claimed before all others (each still in its thread's order).
        """
        per_user_kind, per_user_limit = per_user if per_user is not None else (None, None)
        params = {
            "now": now,
            "limit": limit,
            "kinds": kinds,
            "per_user_kind": per_user_kind,
            "per_user_limit": per_user_limit,
            "urgent": urgent,
        }
        ids = (await self._session.execute(CLAIM_SQL, params)).scalars().all()
        if not ids:
            return []
        rows = (
            await self._session.execute(
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
                    Task.request_id,
                    Task.team_id,
                )
            )
        ).all()
        return sorted((ClaimedTask(*row) for row in rows), key=lambda t: ids.index(t.id))

    async def complete(
        self, task_id: int, worker_id: str, now: datetime, result: dict[str, Any] | None = None
    ) -> bool:
        """Mark a task done; False when the lease was lost to another worker meanwhile."""
        done = await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id, Task.status == "running")
            .values(status="done", finished_at=now, locked_until=None, result=result)
            .returning(Task.id)
        )
        return done.scalar_one_or_none() is not None

    async def retry(self, task_id: int, worker_id: str, run_at: datetime, error: str) -> None:
        """Hand a task back to the queue to run again at ``run_at`` (unless it was cancelled)."""
        await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id, Task.status == "running")
            .values(status="pending", run_at=run_at, locked_until=None, last_error=error[:2000])
        )

    async def wait(
        self, task_id: int, worker_id: str, run_at: datetime, error: str, *, deadline_at: datetime
    ) -> bool:
        """Hand a task back to wait for an outage to end: not an attempt, and its give-up
        deadline moves to ``deadline_at``. False when it was cancelled meanwhile."""
        waiting = await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id, Task.status == "running")
            .values(
                status="pending",
                run_at=run_at,
                locked_until=None,
                last_error=error[:2000],
                attempts=Task.attempts - 1,
                deadline_at=deadline_at,
            )
            .returning(Task.id)
        )
        return waiting.scalar_one_or_none() is not None

    async def fail(self, task_id: int, worker_id: str, now: datetime, error: str) -> bool:
        """Give up on a task, keeping it as a visible failed record; False when it was
        cancelled meanwhile (it stays so)."""
        failed = await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.locked_by == worker_id, Task.status == "running")
            .values(status="failed", finished_at=now, locked_until=None, last_error=error[:2000])
            .returning(Task.id)
        )
        return failed.scalar_one_or_none() is not None

    async def release(self, worker_id: str, *, keep: Collection[int] = ()) -> None:
        """Return every task leased to ``worker_id`` but those in ``keep`` (graceful shutdown:
        those are still running, and keep their lease)."""
        statement = update(Task).where(Task.locked_by == worker_id, Task.status == "running")
        if keep:
            statement = statement.where(Task.id.not_in(list(keep)))
        await self._session.execute(
            statement.values(status="pending", locked_until=None, attempts=Task.attempts - 1)
        )

    async def get(self, task_id: int) -> Task | None:
        """One task by id."""
        return await self._session.get(Task, task_id)

    async def has_newer_pending(self, kind: str, ordering_key: str, after_id: int) -> bool:
        """Whether a pending ``kind`` task of ``ordering_key`` was enqueued after ``after_id``."""
        newer = await self._session.scalar(
            select(Task.id)
            .where(Task.ordering_key == ordering_key, Task.id > after_id)
            .where(Task.kind == kind, Task.status == "pending")
            .limit(1)
        )
        return newer is not None

    async def pending_of_key(self, kind: str, ordering_key: str) -> list[Task]:
        """The pending ``kind`` tasks of ``ordering_key``, oldest first, locked against claims."""
        rows = await self._session.scalars(
            select(Task)
            .where(Task.kind == kind, Task.ordering_key == ordering_key, Task.status == "pending")
            .order_by(Task.id)
            .with_for_update(skip_locked=True)
        )
        return list(rows.all())

    async def supersede(self, task_id: int, now: datetime, reason: str) -> bool:
        """Close a pending task without running it (its work was handed to other tasks)."""
        done = await self._session.execute(
            update(Task)
            .where(Task.id == task_id, Task.status == "pending")
            .values(status="done", finished_at=now, result={"superseded": reason[:500]})
            .returning(Task.id)
        )
        return done.scalar_one_or_none() is not None

    async def extend_leases(self, worker_id: str, until: datetime) -> int:
        """Keep the tasks ``worker_id`` is still running leased (a live worker's heartbeat)."""
        extended = await self._session.execute(
            update(Task)
            .where(Task.locked_by == worker_id, Task.status == "running")
            .values(locked_until=until)
            .returning(Task.id)
        )
        return len(extended.all())

    async def stale_running(self, now: datetime) -> int:
        """Running tasks whose lease expired: their worker died; they will be claimed again."""
        stmt = select(func.count()).where(Task.status == "running", Task.locked_until < now)
        return int((await self._session.execute(stmt)).scalar_one())

    async def prune_done(self, before: datetime) -> int:
        """Delete finished tasks older than ``before``, done or cancelled (failed ones stay until
        handled)."""
        deleted = await self._session.execute(
            delete(Task)
            .where(Task.status.in_(("done", "cancelled")), Task.finished_at < before)
            .returning(Task.id)
        )
        return len(deleted.all())


async def task_notifications(db: Database) -> AsyncIterator[None]:
    """Yield once on connecting, then once per NOTIFY of any process's new or finished task.

    Listens on ``db.listen_url`` (there must be one). Ends (raising) when the connection is
    lost; the caller reconnects.
    """
    if db.listen_url is None:
        raise ValueError("this database has no connection to LISTEN on")
    async with await psycopg.AsyncConnection.connect(db.listen_url, autocommit=True) as conn:
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        yield
        async for _ in conn.notifies():
            yield
