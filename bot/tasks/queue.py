"""Enqueueing a task inside the caller's transaction, tagged with the request that caused it.

Workers need no reminder: the database wakes this process's worker once the transaction that
enqueued commits (``Database.on_tasks_committed``), and the tasks trigger's NOTIFY wakes the
other processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.logging_setup import current_request_id
from store.tasks import TaskRepository


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    ordering_key: str,
    dedupe_key: str | None = None,
    run_at: datetime | None = None,
    deadline_at: datetime | None = None,
) -> int | None:
    """Add a task to the caller's transaction; None when ``dedupe_key`` was already enqueued."""
    return await TaskRepository(session).enqueue(
        kind,
        payload,
        ordering_key=ordering_key,
        dedupe_key=dedupe_key,
        run_at=run_at,
        deadline_at=deadline_at,
        request_id=current_request_id(),
    )
