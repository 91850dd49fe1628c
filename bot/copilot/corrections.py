"""Corrections: a trainer marks the AI answer of a ticket as wrong and writes the right one.

The correction is stored against the AI response, with the chunks that answer cited, and shown
on the card. When the ticket is then resolved with "Save as course FAQ", the correction prefills
the FAQ answer (``bot.faq.resolution``) and the entry keeps those chunks as demoted: for a
question that matches the entry they go after every other passage (``bot.coach.faq_match``).
"""

from __future__ import annotations

from bot.deps import Deps
from bot.errors import NotFound, UsageError
from bot.escalation.publish import Publisher
from bot.escalation.tickets import Tickets
from bot.people.permissions import Role
from store.models import AiCorrection
from store.repositories.audit import AuditRepository
from store.repositories.copilot import CorrectionRepository
from store.repositories.escalations import EscalationRepository

CORRECT = "correct the AI"


class Corrections:
    """Corrections of tickets' AI answers, each in one short transaction."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def form(self, escalation_id: int, user_id: str) -> tuple[int, str]:
        """Check the user may correct; the ticket number and the AI answer to show."""
        ticket = await Tickets(self._deps).require(escalation_id, user_id, Role.TRAINER, CORRECT)
        async with self._deps.sessions.begin() as session:
            escalation = await EscalationRepository(session).get(escalation_id)
            if escalation is None:
                raise NotFound("That escalation no longer exists.")
            if not escalation.ai_answer:
                raise UsageError(
                    "The AI did not answer this ticket, so there is nothing to correct."
                )
            return ticket, escalation.ai_answer

    async def save(
        self, escalation_id: int, user_id: str, correction: str, note: str | None
    ) -> int:
        """Store the correction, audit it and show it on the card; returns its id."""
        await Tickets(self._deps).require(escalation_id, user_id, Role.TRAINER, CORRECT)
        async with self._deps.sessions.begin() as session:
            escalation = await EscalationRepository(session).get(escalation_id, lock=True)
            if escalation is None:
                raise NotFound("That escalation no longer exists.")
            if not escalation.ai_answer:
                raise UsageError(
                    "The AI did not answer this ticket, so there is nothing to correct."
                )
            repo = CorrectionRepository(session)
            chunk_ids = (
                await repo.response_chunk_ids(escalation.response_id)
                if escalation.response_id is not None
                else []
            )
            stored = await repo.add(
                AiCorrection(
                    response_id=escalation.response_id,
                    escalation_id=escalation.id,
                    trainer_id=user_id,
                    correction=correction,
                    note=note,
                    chunk_ids=chunk_ids,
                )
            )
            await AuditRepository(session).record(
                "ai_corrected",
                user_id,
                escalation.id,
                correction_id=stored.id,
                response_id=escalation.response_id,
                chunk_ids=chunk_ids,
            )
            await Publisher(session, self._deps.settings).update_card(
                escalation, change=f"corrected:{stored.id}"
            )
            return stored.id
