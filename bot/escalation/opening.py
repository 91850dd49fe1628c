"""Opening escalations: a thread goes to a trainer, or its open ticket gets more reasons.

Triggers (from ``bot.learner.flow``) and the learner's "Escalate to trainer" button both end up
here. A thread has at most one open escalation: a new request adds its triggers (and note) to
that one. What trainers do next is ``bot.escalation.tickets``.

Each public method is one transaction: the state change, its audit events and every Slack write
it causes (through the outbox) commit together or not at all, and nothing awaits Slack inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.blocks.learner_notices import (
    build_added_to_notice,
    build_escalated_notice,
    build_safety_notice,
)
from bot.coach.types import Answer
from bot.deps import Deps
from bot.errors import NotFound, PermissionDenied
from bot.escalation.insights import schedule_insights
from bot.escalation.publish import Publisher
from bot.escalation.state import Action, Status, next_status
from bot.escalation.suggest import suggest_trainer
from bot.escalation.triggers import Trigger, TriggerKind, triggers_of
from store.models import Conversation, Escalation
from store.repositories.audit import AuditRepository
from store.repositories.courses import CourseAdminRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.people import PeopleRepository


def _raises_safety(escalation: Escalation, added: list[Trigger]) -> bool:
    """True when ``added`` brings the first safety concern to an open escalation."""
    before = any(t.kind is TriggerKind.SAFETY for t in triggers_of(escalation))
    return not before and any(t.kind is TriggerKind.SAFETY for t in added)


@dataclass(frozen=True)
class EscalationOutcome:
    """Which escalation a request ended up in, and whether it was new."""

    escalation_id: int
    ticket: str
    created: bool


class Escalations:
    """Opens escalations and adds to open ones."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def escalate(
        self,
        conversation_id: int,
        *,
        triggers: list[Trigger],
        question: str,
        answer: Answer | None,
        response_id: int | None,
        actor_id: str,
        note: str | None = None,
    ) -> EscalationOutcome:
        """Open an escalation for the thread, or add these triggers to its open one."""
        async with self._deps.sessions.begin() as session:
            conversation = await EscalationRepository(session).conversation(conversation_id)
            if conversation is None:
                raise NotFound("That conversation no longer exists.")
            details = await self._answer_details(session, answer, response_id)
            return await self._open_or_add(
                session,
                conversation,
                triggers=triggers,
                question=question,
                response_id=response_id,
                actor_id=actor_id,
                note=note,
                **details,
            )

    async def raise_safety(
        self, conversation_id: int, trigger: Trigger, *, question: str, actor_id: str
    ) -> bool:
        """A safety concern in a thread a trainer already has: added to its ticket (resources to
        the learner, admins pinged) unless the ticket has one already. True when added."""
        async with self._deps.sessions.begin() as session:
            escalation = await EscalationRepository(session).open_for_conversation(conversation_id)
            if escalation is None or not _raises_safety(escalation, [trigger]):
                return False
        await self.escalate(
            conversation_id,
            triggers=[trigger],
            question=question,
            answer=None,
            response_id=None,
            actor_id=actor_id,
        )
        return True

    async def check_manual(self, response_id: int, user_id: str) -> None:
        """Refuse early (before the modal opens) anyone but the learner of that answer."""
        async with self._deps.sessions.begin() as session:
            await self._learner_conversation(session, response_id, user_id)

    async def escalate_manually(
        self, response_id: int, user_id: str, note: str | None
    ) -> EscalationOutcome:
        """The learner pressed "Escalate to trainer" on an answer (and maybe wrote a note)."""
        async with self._deps.sessions.begin() as session:
            conversation, question = await self._learner_conversation(session, response_id, user_id)
            details = await self._answer_details(session, None, response_id)
            trigger = Trigger(TriggerKind.MANUAL, "the learner pressed Escalate to trainer")
            return await self._open_or_add(
                session,
                conversation,
                triggers=[trigger],
                question=question,
                response_id=response_id,
                actor_id=user_id,
                note=note,
                **details,
            )

    # ---- inside a transaction

    async def _learner_conversation(
        self, session: AsyncSession, response_id: int, user_id: str
    ) -> tuple[Conversation, str]:
        repo = EscalationRepository(session)
        response = await repo.response(response_id)
        conversation = await repo.conversation(response.conversation_id) if response else None
        if response is None or conversation is None:
            raise NotFound("I can't find that answer any more; please ask your question again.")
        if conversation.learner_id != user_id:
            await AuditRepository(session).record(
                "refused", user_id, None, attempted="escalate", response_id=response_id
            )
            raise PermissionDenied("Only the learner who asked can escalate this conversation.")
        return conversation, await repo.question_of(response) or ""

    async def _answer_details(
        self, session: AsyncSession, answer: Answer | None, response_id: int | None
    ) -> dict[str, Any]:
        if answer is not None:
            return {
                "ai_answer": answer.text,
                "ai_confidence": answer.confidence,
                "references": [ref.to_dict() for ref in answer.references],
            }
        response = (
            await EscalationRepository(session).response(response_id) if response_id else None
        )
        if response is None:
            return {"ai_answer": None, "ai_confidence": None, "references": []}
        return {
            "ai_answer": response.answer,
            "ai_confidence": response.confidence,
            "references": list(response.references or []),
        }

    async def _open_or_add(
        self,
        session: AsyncSession,
        conversation: Conversation,
        *,
        triggers: list[Trigger],
        question: str,
        response_id: int | None,
        actor_id: str,
        note: str | None,
        ai_answer: str | None,
        ai_confidence: float | None,
        references: list[dict[str, Any]],
    ) -> EscalationOutcome:
        repo = EscalationRepository(session)
        publish = Publisher(session, self._deps.settings)
        now = self._deps.clock.now()
        escalation = await repo.open_for_conversation(conversation.id)
        if escalation is None:
            suggested = await suggest_trainer(
                PeopleRepository(session),
                CourseAdminRepository(session),
                course_id=conversation.course_id,
                learner_id=conversation.learner_id,
                conversation_id=conversation.id,
            )
            escalation = await repo.create(
                {
                    "conversation_id": conversation.id,
                    "learner_id": conversation.learner_id,
                    "course_id": conversation.course_id,
                    "status": Status.PENDING.value,
                    "triggers": [t.to_dict() for t in triggers],
                    "question": question,
                    "ai_answer": ai_answer,
                    "ai_confidence": ai_confidence,
                    "references": references,
                    "response_id": response_id,
                    "learner_note": note,
                    "suggested_trainer_id": suggested,
                    "card_channel": await publish.trainer_channel(),
                    "created_at": now,
                    "last_activity_at": now,
                }
            )
            if escalation is not None:
                await self._announce(session, publish, conversation, escalation, actor_id)
                return EscalationOutcome(escalation.id, ticket_label(escalation.ticket), True)
            # Another process opened one a moment ago: add to it instead.
            escalation = await repo.open_for_conversation(conversation.id)
            if escalation is None:
                raise NotFound("That conversation's escalation could not be found.")
        next_status(escalation.ticket, escalation.status, Action.ADD_TRIGGER)
        new_safety = _raises_safety(escalation, triggers)  # before the row gets them
        await repo.add_triggers(escalation.id, [t.to_dict() for t in triggers])
        if note:
            joined = f"{escalation.learner_note}\n\n{note}" if escalation.learner_note else note
            await repo.update_if(escalation.id, [escalation.status], learner_note=joined)
        await repo.touch(escalation.id, now)
        refreshed = await repo.get(escalation.id)
        assert refreshed is not None
        await AuditRepository(session).record(
            "triggers_added",
            actor_id,
            escalation.id,
            triggers=[t.to_dict() for t in triggers],
            note=note,
        )
        await publish.update_card(refreshed, change=f"triggers:{len(refreshed.triggers)}")
        await schedule_insights(
            session, escalation.id, reason=f"triggers:{len(refreshed.triggers)}"
        )
        change = f"{escalation.id}:{len(refreshed.triggers)}"
        if new_safety:
            await publish.announce_safety(conversation, refreshed, change=change)
        else:
            await publish.to_learner(
                conversation,
                build_added_to_notice(escalation.ticket),
                dedupe_key=f"esc-added:{change}",
            )
        return EscalationOutcome(escalation.id, ticket_label(escalation.ticket), False)

    async def _announce(
        self,
        session: AsyncSession,
        publish: Publisher,
        conversation: Conversation,
        escalation: Escalation,
        actor_id: str,
    ) -> None:
        await AuditRepository(session).record(
            "escalated",
            actor_id,
            escalation.id,
            ticket=ticket_label(escalation.ticket),
            triggers=escalation.triggers,
            suggested_trainer=escalation.suggested_trainer_id,
        )
        safety = any(t.kind is TriggerKind.SAFETY for t in triggers_of(escalation))
        # A safety concern is answered at once with the support resources, in this same
        # transaction, before the card: it must never wait for a trainer.
        notice = (
            build_safety_notice(escalation.ticket, self._deps.settings.safety_resources)
            if safety
            else build_escalated_notice(escalation.ticket)
        )
        await publish.to_learner(conversation, notice, dedupe_key=f"esc-notice:{escalation.id}")
        await publish.post_card(escalation)
        await schedule_insights(session, escalation.id, reason="opened")
        if escalation.suggested_trainer_id:
            await publish.alert_trainer(
                escalation, escalation.suggested_trainer_id, reason="New escalation for you"
            )
            await AuditRepository(session).record(
                "trainer_notified",
                "system",
                escalation.id,
                trainer_id=escalation.suggested_trainer_id,
                email=bool(self._deps.settings.smtp_host),
            )
