"""The audit trail: who did what to which escalation, and when. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditEvent


class AuditRepository:
    """Appends to and reads ``audit_events``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, action: str, actor_id: str | None, escalation_id: int | None = None, **details: Any
    ) -> AuditEvent:
        """Add one event; ``details`` must be JSON-serialisable."""
        event = AuditEvent(
            action=action, actor_id=actor_id, escalation_id=escalation_id, details=details
        )
        self._session.add(event)
        await self._session.flush()
        return event

    async def for_escalation(self, escalation_id: int) -> list[AuditEvent]:
        """Every event of one escalation, oldest first."""
        rows = await self._session.scalars(
            select(AuditEvent)
            .where(AuditEvent.escalation_id == escalation_id)
            .order_by(AuditEvent.id)
        )
        return list(rows)

    async def by_action(self, action: str) -> list[AuditEvent]:
        """Every event with this action, oldest first."""
        rows = await self._session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
        return list(rows)
