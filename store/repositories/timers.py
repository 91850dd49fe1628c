"""Periodic timers: claiming a job's tick is one conditional UPDATE, so only one process wins it.

Never commits: the caller's transaction makes the claim visible to other processes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Timer


class TimerRepository:
    """Reads and conditional writes on ``timers``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_tick(
        self, name: str, now: datetime, next_run_at: datetime, runner_id: str
    ) -> bool:
        """True when this caller won the job's tick due at ``now``; it is next due at
        ``next_run_at``. A job seen for the first time is due at once."""
        await self._session.execute(
            insert(Timer).values(name=name, next_run_at=now).on_conflict_do_nothing()
        )
        won = await self._session.execute(
            update(Timer)
            .where(Timer.name == name, Timer.next_run_at <= now)
            .values(next_run_at=next_run_at, last_run_at=now, last_run_by=runner_id)
            .returning(Timer.name)
        )
        return won.scalar_one_or_none() is not None

    async def finish_tick(self, name: str, claimed_at: datetime) -> None:
        """Record that the job of the tick claimed at ``claimed_at`` has returned."""
        await self._session.execute(
            update(Timer)
            .where(Timer.name == name, Timer.last_run_at == claimed_at)
            .values(last_finished_at=claimed_at)
        )
