"""Looking tasks up by what they carry: whether the same work was asked for a moment ago."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task


async def asked_for_within(
    session: AsyncSession, kind: str, signature: str, within: timedelta
) -> bool:
    """Whether a ``kind`` task whose payload ``signature`` is ``signature`` was enqueued in the
    last ``within`` and has not failed (the database's clock, which fills ``created_at``)."""
    found = await session.scalar(
        select(Task.id)
        .where(Task.kind == kind, Task.payload["signature"].astext == signature)
        .where(Task.created_at >= func.now() - within, Task.status != "failed")
        .limit(1)
    )
    return found is not None
