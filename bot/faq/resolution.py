"""The Resolve modal with "Save as course FAQ": what it starts with, and what submitting does.

The form is offered for a ticket of a course: its question is the learner's, its answer the
trainer replies relayed in the card's thread since the ticket opened, newest last (internal
notes are never relayed, so never offered), or the trainer's correction of the AI answer
when the ticket has one. On submit the entry is saved first, then the ticket
resolved, each by its own service: a trainer's approved answer is kept even if someone resolved
the ticket a moment earlier.
"""

from __future__ import annotations

from bot.blocks.faq_form import FaqDraft, FaqSubmission, draft_answer
from bot.blocks.payloads import ResolveForm
from bot.deps import Deps
from bot.escalation.state import Action
from bot.escalation.tickets import Tickets
from bot.faq.entries import CourseFaq
from bot.people.permissions import Role
from store.repositories.copilot import CorrectionRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.faq import FaqRepository

RESOLVE = "resolve escalations"


class FaqResolutions:
    """Resolving a ticket, optionally saving its answer as a course FAQ entry."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def form(self, escalation_id: int, user_id: str) -> tuple[int, FaqDraft | None]:
        """Check the user may resolve; the ticket number and the FAQ draft (None: no course)."""
        ticket = await Tickets(self._deps).require(
            escalation_id, user_id, Role.TRAINER, RESOLVE, Action.RESOLVE
        )
        async with self._deps.sessions.begin() as session:
            escalation = await EscalationRepository(session).get(escalation_id)
            if escalation is None or escalation.course_id is None:
                return ticket, None
            replies = await FaqRepository(session).trainer_replies(
                escalation.conversation_id, escalation.created_at
            )
            # A trainer's correction of the AI answer is the approved answer, when there is one.
            correction = await CorrectionRepository(session).latest(escalation.id)
            answer = (
                correction.correction
                if correction is not None
                else draft_answer([r.text for r in replies])
            )
            draft = FaqDraft(escalation.question, answer)
        return ticket, draft

    async def resolve(
        self, form: ResolveForm, user_id: str, notes: str | None, faq: FaqSubmission | None
    ) -> None:
        """Save the FAQ entry (when ticked on a form that offered it), then resolve."""
        tickets = Tickets(self._deps)
        if faq is not None and form.faq:
            await tickets.require(
                form.escalation_id, user_id, Role.TRAINER, RESOLVE, Action.RESOLVE
            )
            await CourseFaq(self._deps).save(form.escalation_id, user_id, faq)
        await tickets.resolve(form.escalation_id, user_id, notes)
