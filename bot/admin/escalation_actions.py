"""Admin reassign and dismiss from ``/coach``, through the escalation state machine."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.results import Notice
from bot.deps import Deps
from bot.errors import InvalidTransition, NotFound
from bot.escalation.state import Action, next_status, sources_of, ticket_label
from bot.home_refresh import schedule_home_refresh
from store.repositories.audit import AuditRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.people import PeopleRepository
from store.repositories.stats import StatsRepository


async def _escalation_id(session: AsyncSession, ticket: int) -> int:
    row = await StatsRepository(session).escalation_by_ticket(ticket)
    if row is None:
        raise NotFound(f"There is no escalation {ticket_label(ticket)}.")
    return row.id


async def reassign(deps: Deps, session: AsyncSession, ticket: int, to: str, by: str) -> Notice:
    """Give an open escalation to another active trainer."""
    trainer = await PeopleRepository(session).trainer(to)
    if trainer is None or not trainer.active:
        raise NotFound(f"<@{to}> is not an active trainer.")
    repo = EscalationRepository(session)
    escalation_id = await _escalation_id(session, ticket)
    current = await repo.get(escalation_id, lock=True)
    assert current is not None  # found just above, and escalations are never deleted
    target = next_status(ticket, current.status, Action.REASSIGN)
    previous = current.assignee_id
    now = deps.clock.now()
    values = {"assignee_id": to, "status": target.value, "last_activity_at": now}
    if current.claimed_at is None:
        values["claimed_at"] = now
    updated = await repo.update_if(escalation_id, sources_of(Action.REASSIGN), **values)
    if updated is None:
        raise InvalidTransition(f"{ticket_label(ticket)} changed meanwhile; please try again.")
    await AuditRepository(session).record(
        "escalation.reassigned", by, escalation_id, old=previous, new=to
    )
    await schedule_home_refresh(
        session, [u for u in (to, previous, current.learner_id) if u is not None]
    )
    return Notice(f"{ticket_label(ticket)} now belongs to <@{to}>.")


async def dismiss(deps: Deps, session: AsyncSession, ticket: int, reason: str, by: str) -> Notice:
    """Close an open escalation without resolving it, with a reason."""
    repo = EscalationRepository(session)
    escalation_id = await _escalation_id(session, ticket)
    current = await repo.get(escalation_id, lock=True)
    assert current is not None  # found just above, and escalations are never deleted
    target = next_status(ticket, current.status, Action.DISMISS)
    updated = await repo.update_if(
        escalation_id,
        sources_of(Action.DISMISS),
        status=target.value,
        dismissed_reason=reason[:200],
        resolved_by=by,
        last_activity_at=deps.clock.now(),
    )
    if updated is None:
        raise InvalidTransition(f"{ticket_label(ticket)} changed meanwhile; please try again.")
    await AuditRepository(session).record("escalation.dismissed", by, escalation_id, reason=reason)
    await schedule_home_refresh(
        session, [u for u in (current.assignee_id, current.learner_id) if u is not None]
    )
    return Notice(f"Dismissed {ticket_label(ticket)}: {reason}")
