"""Triggers: a human request in any wording, safety concerns, turns, confidence, lab struggle."""

from __future__ import annotations

import pytest

from bot.coach.types import Answer, Intent
from bot.escalation.intents import Detection, IntentDetector, IntentKind, SafetyKind
from bot.escalation.triggers import (
    Trigger,
    TriggerKind,
    intent_trigger,
    post_answer_triggers,
    pre_answer_triggers,
    triggers_of,
)
from store.models import Escalation

# Rules alone: these wordings must not depend on the embedder (see tests/bot/test_intents.py
# for the detector with the local model).
RULES_ONLY = IntentDetector(None)


async def pre(text: str, turns: int = 1, max_turns: int = 8) -> list[Trigger]:
    return await pre_answer_triggers(
        text, detector=RULES_ONLY, learner_turns=turns, max_turns=max_turns
    )


async def kinds(text: str, turns: int = 1, max_turns: int = 8) -> set[TriggerKind]:
    return {t.kind for t in await pre(text, turns, max_turns)}


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to a real person",
        "I want my trainer",
        "I want to talk to a human",
        "Could I speak with someone please?",
        "is there a human there?",
        "human please",
        "Please connect me with an instructor",
        "I need a tutor for this",
        "get me a human, you are not helping",
        "Can you escalate this?",
        "i'd like to chat with my teacher",
    ],
)
async def test_human_request_in_any_wording(text: str) -> None:
    assert TriggerKind.HUMAN_REQUEST in await kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "How do I make the output human-readable?",
        "What does the person class do?",
        "print person.name gives an error",
        "What is a for loop?",
        "How do I kill the process that hangs?",
        "my thread died with an exception",
        "the bleeding edge version of pandas",
    ],
)
async def test_ordinary_questions_trigger_nothing(text: str) -> None:
    assert await kinds(text) == set()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to kill myself", "self-harm"),
        ("honestly I feel like ending it all", "self-harm"),
        ("someone in my cohort keeps harassing me", "harassment"),
        ("I will hurt someone if this keeps failing", "threat"),
        ("my friend is having a heart attack", "medical emergency"),
        ("I cannot breathe properly", "medical emergency"),
        ("I got arrested and need a lawyer", "legal emergency"),
    ],
)
async def test_safety_concerns_name_their_category(text: str, category: str) -> None:
    [trigger] = [t for t in await pre(text) if t.kind is TriggerKind.SAFETY]
    assert trigger.value == category
    assert category in trigger.detail


async def test_max_turns_fires_at_the_limit_with_value_and_threshold() -> None:
    assert TriggerKind.MAX_TURNS not in await kinds("still broken", turns=7, max_turns=8)
    [trigger] = await pre("still broken", turns=8, max_turns=8)
    assert (trigger.kind, trigger.value, trigger.threshold) == (TriggerKind.MAX_TURNS, 8, 8)


def make_answer(confidence: float, intent: Intent = Intent.COURSE_CONTENT, lab: str | None = None):
    return Answer(
        text="answer",
        references=[],
        confidence=confidence,
        confidence_signals={},
        grounded=True,
        intent=intent,
        model="m",
        lab_id=lab,
    )


def test_low_confidence_records_value_and_threshold() -> None:
    [trigger] = post_answer_triggers(
        make_answer(0.21), threshold=0.4, lab_struggles=0, struggle_threshold=3
    )
    assert trigger.kind is TriggerKind.LOW_CONFIDENCE
    assert (trigger.value, trigger.threshold) == (0.21, 0.4)
    assert (
        post_answer_triggers(make_answer(0.4), threshold=0.4, lab_struggles=0, struggle_threshold=3)
        == []
    )


def test_lab_struggle_counts_this_question_too() -> None:
    answer = make_answer(0.9, Intent.LAB_STRUGGLE, "lab-2")
    assert post_answer_triggers(answer, threshold=0.4, lab_struggles=1, struggle_threshold=3) == []
    [trigger] = post_answer_triggers(answer, threshold=0.4, lab_struggles=2, struggle_threshold=3)
    assert (trigger.kind, trigger.value, trigger.threshold) == (TriggerKind.LAB_STRUGGLE, 3, 3)
    assert "lab-2" in trigger.detail
    no_lab = make_answer(0.9, Intent.LAB_STRUGGLE, None)
    assert post_answer_triggers(no_lab, threshold=0.4, lab_struggles=9, struggle_threshold=3) == []


def test_trigger_round_trips_through_json() -> None:
    trigger = Trigger(TriggerKind.LOW_CONFIDENCE, "low", 0.1, 0.4)
    assert Trigger.from_dict(trigger.to_dict()) == trigger
    assert trigger.to_dict()["kind"] == "low_confidence"


def test_trigger_json_format_is_unchanged() -> None:
    stored = {"kind": "max_turns", "detail": "8 learner messages", "value": 8, "threshold": 8}
    trigger = Trigger.from_dict(stored)
    assert trigger == Trigger(TriggerKind.MAX_TURNS, "8 learner messages", 8, 8)
    assert trigger.to_dict() == stored


def test_an_unknown_kind_from_an_old_row_reads_as_other() -> None:
    stored = {"kind": "profanity", "detail": "learner swore", "value": None, "threshold": None}
    trigger = Trigger.from_dict(stored)
    assert trigger.kind is TriggerKind.UNKNOWN
    assert trigger.label == "Other (profanity)"
    assert trigger.detail == "learner swore"
    assert trigger.to_dict() == stored  # written back as it was stored


def test_a_sparse_old_trigger_still_reads() -> None:
    trigger = Trigger.from_dict({"kind": "human_request"})
    assert (trigger.kind, trigger.detail, trigger.value, trigger.threshold) == (
        TriggerKind.HUMAN_REQUEST,
        "",
        None,
        None,
    )
    nameless = Trigger.from_dict({"detail": "no kind at all"})
    assert nameless.kind is TriggerKind.UNKNOWN
    assert nameless.label == "Other reason"
    assert nameless.detail == "no kind at all"


def test_triggers_of_reads_an_escalation_row() -> None:
    row = Escalation(
        triggers=[
            Trigger(TriggerKind.SAFETY, "harassment: “harassing”", "harassment").to_dict(),
            {"kind": "retired_kind", "detail": "from an old release"},
        ]
    )
    safety, old = triggers_of(row)
    assert safety.kind is TriggerKind.SAFETY
    assert safety.label == "Safety or wellbeing concern"
    assert (old.kind, old.detail) == (TriggerKind.UNKNOWN, "from an old release")
    assert triggers_of(Escalation(triggers=None)) == []


def test_the_models_own_reading_escalates_after_answering() -> None:
    [safety] = post_answer_triggers(
        make_answer(0.9, Intent.SAFETY), threshold=0.4, lab_struggles=0, struggle_threshold=3
    )
    assert safety.kind is TriggerKind.SAFETY
    assert "model" in safety.detail
    [human] = post_answer_triggers(
        make_answer(0.9, Intent.HUMAN_REQUEST), threshold=0.4, lab_struggles=0, struggle_threshold=3
    )
    assert human.kind is TriggerKind.HUMAN_REQUEST


async def test_a_rule_trigger_names_the_words_and_a_similarity_trigger_its_example() -> None:
    [by_rule] = await pre("can I talk to a real person")
    assert by_rule.detail == "learner wrote “talk to a real person”"
    similar = Detection(
        IntentKind.SAFETY,
        "similarity",
        0.61,
        "like “an example” (0.61, margin 0.20)",
        "words",
        SafetyKind.HOPELESSNESS,
    )
    trigger = intent_trigger(similar)
    assert (trigger.kind, trigger.value) == (TriggerKind.SAFETY, "hopelessness")
    assert trigger.detail == "hopelessness: “words”, like “an example” (0.61, margin 0.20)"
