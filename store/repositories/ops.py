"""Database-wide operational figures for monitoring, read in a few short queries. Never writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Escalation, Response, Task

_UNFINISHED = ("pending", "running")


@dataclass(frozen=True)
class OpsSnapshot:
    """Answers given, escalations by status, and the state of the task queue and outbox."""

    answers: int
    escalations: dict[str, int]
    outbox_depth: int
    outbox_oldest: datetime | None
    queue_depth: int
    failed_tasks: int
    stale_tasks: int


def _count_tasks(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(Task).where(*where).scalar_subquery()


class OpsRepository:
    """Read-only figures across all processes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def snapshot(self, now: datetime, *, outbox_kind: str) -> OpsSnapshot:
        """The figures as of now; running tasks whose lease ended before ``now`` are stale.

        ``outbox_kind`` is the task kind whose unfinished tasks are the outbox's backlog.

        Nothing here reads a big table row by row: the task counts use the queue's partial
        indexes, escalations their status index, and answers the primary key only.
        """
        unfinished = Task.status.in_(_UNFINISHED)
        outbox = (Task.kind == outbox_kind) & unfinished

        row = (
            await self._session.execute(
                select(
                    # Answer ids only grow, so the highest (one index lookup) is the number of
                    # answers given, give or take an insert rolled back; count(*) would read the
                    # whole table on every scrape.
                    select(func.coalesce(func.max(Response.id), 0)).scalar_subquery(),
                    _count_tasks(outbox),
                    select(func.min(Task.created_at)).where(outbox).scalar_subquery(),
                    _count_tasks(unfinished),
                    _count_tasks(Task.status == "failed"),
                    _count_tasks(Task.status == "running", Task.locked_until < now),
                )
            )
        ).one()
        answers, outbox_depth, outbox_oldest, queue_depth, failed, stale = row
        by_status = await self._session.execute(
            select(Escalation.status, func.count()).group_by(Escalation.status)
        )
        return OpsSnapshot(
            answers=int(answers),
            escalations={str(status): int(count) for status, count in by_status.tuples()},
            outbox_depth=int(outbox_depth),
            outbox_oldest=outbox_oldest,
            queue_depth=int(queue_depth),
            failed_tasks=int(failed),
            stale_tasks=int(stale),
        )
