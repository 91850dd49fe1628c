"""Admin reassign and dismiss from ``/coach``, through ``bot.escalation.tickets.Tickets``.

Tickets opens its own transaction (updates the card, tells the learner and refreshes the Home
tabs of everyone involved), so these run outside the command's transaction.
"""

from __future__ import annotations

from bot.blocks.labels import ticket_label
from bot.blocks.replies import Notice
from bot.deps import Deps
from bot.errors import NotFound
from bot.escalation.tickets import Tickets
from store.repositories.stats import StatsRepository


async def _escalation_id(deps: Deps, ticket: int) -> int:
    async with deps.sessions.begin() as session:
        row = await StatsRepository(session).escalation_by_ticket(ticket)
    if row is None:
        raise NotFound(f"There is no escalation {ticket_label(ticket)}.")
    return row.id


async def reassign(deps: Deps, ticket: int, to: str, by: str) -> Notice:
    """Give an open escalation to another trainer (admins only, checked by Tickets)."""
    await Tickets(deps).reassign(await _escalation_id(deps, ticket), by, to)
    return Notice(f"{ticket_label(ticket)} now belongs to <@{to}>.")


async def dismiss(deps: Deps, ticket: int, reason: str, by: str) -> Notice:
    """Close an open escalation without resolving it (admins only, checked by Tickets)."""
    await Tickets(deps).dismiss(await _escalation_id(deps, ticket), by, reason[:200])
    return Notice(f"Dismissed {ticket_label(ticket)}: {reason}")
