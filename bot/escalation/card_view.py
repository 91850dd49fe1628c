"""The card's view of a stored escalation: the facts ``bot.blocks.escalation_card`` renders."""

from __future__ import annotations

from typing import Any

from bot.blocks.escalation_card import CardFacts, CardStatus, CardTrigger
from bot.escalation.triggers import TriggerKind, triggers_of
from store.models import Escalation


def card_facts(row: Escalation, *, course_title: str | None, admin_ids: list[str]) -> CardFacts:
    """The card's view of a stored escalation."""
    return CardFacts(
        escalation_id=row.id,
        ticket=row.ticket,
        status=CardStatus(row.status),
        learner_id=row.learner_id,
        question=row.question,
        course_title=course_title,
        ai_answer=row.ai_answer,
        ai_confidence=row.ai_confidence,
        triggers=[CardTrigger(t.label, t.detail) for t in triggers_of(row)],
        reference_labels=[_reference_label(r) for r in row.references or []],
        learner_note=row.learner_note,
        suggested_trainer_id=row.suggested_trainer_id,
        assignee_id=row.assignee_id,
        admin_ids=list(admin_ids),
        resolved_by=row.resolved_by,
        resolution_notes=row.resolution_notes,
        minutes_to_resolve=row.minutes_to_resolve,
        dismissed_reason=row.dismissed_reason,
        urgent=any(t.kind is TriggerKind.SAFETY for t in triggers_of(row)),
    )


def _reference_label(reference: dict[str, Any]) -> str:
    return str(reference.get("label") or reference.get("source_path") or "a course page")
