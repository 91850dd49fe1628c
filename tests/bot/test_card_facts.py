"""The card's view model is built from the stored row by the escalation domain, not by blocks."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block

from bot.blocks.escalation_card import CardStatus, CardTrigger, build_escalation_card
from bot.escalation.publish import card_facts
from bot.escalation.state import Status
from bot.escalation.triggers import Trigger, TriggerKind
from store.models import Escalation


def stored(**fields: object) -> Escalation:
    values: dict[str, object] = {
        "id": 7,
        "ticket": 1042,
        "status": "reopened",
        "learner_id": "U0LEARN01",
        "question": "Why does my loop never end?",
        "ai_answer": "Check the condition.",
        "ai_confidence": 0.31,
        "triggers": [
            Trigger(
                TriggerKind.LOW_CONFIDENCE, "confidence 0.31 is below 0.40", 0.31, 0.4
            ).to_dict()
        ],
        "references": [{"label": "Day 2 › Loops"}, {"source_path": "day-3/lists.md"}, {}],
        "learner_note": "I tried a for loop",
        "suggested_trainer_id": "U0TRAIN01",
        "assignee_id": "U0TRAIN02",
        "resolved_by": "U0TRAIN02",
        "resolution_notes": "Fixed",
        "minutes_to_resolve": 42.4,
        "dismissed_reason": None,
    }
    values.update(fields)
    return Escalation(**values)


def test_card_facts_carry_everything_the_card_shows() -> None:
    facts = card_facts(stored(), course_title="Python Foundations", admin_ids=["UADMIN"])
    assert (facts.escalation_id, facts.ticket, facts.status) == (7, 1042, CardStatus.REOPENED)
    assert (facts.learner_id, facts.course_title) == ("U0LEARN01", "Python Foundations")
    assert (facts.ai_answer, facts.ai_confidence) == ("Check the condition.", 0.31)
    assert facts.triggers == [CardTrigger("Low confidence", "confidence 0.31 is below 0.40")]
    assert facts.reference_labels == ["Day 2 › Loops", "day-3/lists.md", "a course page"]
    assert facts.learner_note == "I tried a for loop"
    assert (facts.suggested_trainer_id, facts.assignee_id) == ("U0TRAIN01", "U0TRAIN02")
    assert facts.admin_ids == ["UADMIN"]
    assert (facts.resolved_by, facts.resolution_notes) == ("U0TRAIN02", "Fixed")
    assert (facts.minutes_to_resolve, facts.dismissed_reason) == (42.4, None)


def test_a_card_of_an_old_row_with_an_unknown_trigger_still_renders() -> None:
    row = stored(
        triggers=[{"kind": "retired_kind", "detail": "from an old release"}], references=None
    )
    facts = card_facts(row, course_title=None, admin_ids=[])
    assert facts.triggers == [CardTrigger("Other (retired kind)", "from an old release")]
    assert facts.reference_labels == []
    blocks = build_escalation_card(facts)
    text = json.dumps([Block.parse(b.to_dict()).to_dict() for b in blocks], ensure_ascii=False)  # type: ignore[union-attr]
    assert "*Other (retired kind)*: from an old release" in text


def test_card_statuses_are_the_state_machine_statuses() -> None:
    assert {s.value for s in CardStatus} == {s.value for s in Status}
    for status in Status:
        assert card_facts(stored(status=status.value), course_title=None, admin_ids=[]).status == (
            CardStatus(status.value)
        )
