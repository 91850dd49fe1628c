"""The audit trail: who did what to which escalation, and when. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditEvent


class AuditRepository:
    """Appends to ``audit_events``."""

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
