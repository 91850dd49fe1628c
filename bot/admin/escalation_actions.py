"""Admin reassign and dismiss from ``/coach``, through ``bot.escalation.tickets.Tickets``.

Tickets opens its own transaction (and updates the card and tells the learner), so these
run outside the command's transaction; the Home tabs of everyone involved are refreshed after.
"""

from __future__ import annotations

from bot.blocks.labels import ticket_label
from bot.blocks.replies import Notice
from bot.deps import Deps
from bot.errors import NotFound
from bot.escalation.tickets import Tickets
from bot.home.refresh import schedule_home_refresh
from store.repositories.stats import StatsRepository


async def _escalation(deps: Deps, ticket: int) -> tuple[int, list[str]]:
    async with deps.sessions.begin() as session:
        row = await StatsRepository(session).escalation_by_ticket(ticket)
    if row is None:
        raise NotFound(f"There is no escalation {ticket_label(ticket)}.")
    return row.id, [u for u in (row.assignee_id, row.learner_id) if u]


async def _refresh(deps: Deps, users: list[str]) -> None:
    async with deps.sessions.begin() as session:
        await schedule_home_refresh(session, users)


async def reassign(deps: Deps, ticket: int, to: str, by: str) -> Notice:
    """Give an open escalation to another trainer (admins only, checked by Tickets)."""
    escalation_id, involved = await _escalation(deps, ticket)
    await Tickets(deps).reassign(escalation_id, by, to)
    await _refresh(deps, [*involved, to])
    return Notice(f"{ticket_label(ticket)} now belongs to <@{to}>.")


async def dismiss(deps: Deps, ticket: int, reason: str, by: str) -> Notice:
    """Close an open escalation without resolving it (admins only, checked by Tickets)."""
    escalation_id, involved = await _escalation(deps, ticket)
    await Tickets(deps).dismiss(escalation_id, by, reason[:200])
    await _refresh(deps, involved)
    return Notice(f"Dismissed {ticket_label(ticket)}: {reason}")
