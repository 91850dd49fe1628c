"""What happens to an answer: posted, declined as outside the course, or escalated.

One function decides, for the learner flow and the quality benchmark alike, so the benchmark
measures exactly what learners get. Requests for a person, safety concerns and the turn limit
escalate before any answer (``bot.escalation.triggers.pre_answer_triggers``); this is the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.coach.types import Answer, Intent
from bot.escalation.triggers import Trigger, post_answer_triggers


class Outcome(StrEnum):
    """What the learner gets."""

    POST = "post"  # the answer, with its references
    DECLINE = "decline"  # "that is outside this course", with the Escalate button
    ESCALATE = "escalate"  # a trainer is asked


@dataclass(frozen=True)
class Decision:
    """The outcome and, for an escalation, why."""

    outcome: Outcome
    triggers: list[Trigger] = field(default_factory=list)


def is_off_topic(answer: Answer) -> bool:
    """True when the question is not about the course at all (not merely uncovered by it)."""
    return answer.intent is Intent.OUT_OF_SCOPE


def decide(
    answer: Answer, *, threshold: float, lab_struggles: int, struggle_threshold: int
) -> Decision:
    """Post a confident answer; decline an off-topic question; escalate the rest."""
    triggers = post_answer_triggers(
        answer,
        threshold=threshold,
        lab_struggles=lab_struggles,
        struggle_threshold=struggle_threshold,
    )
    only_low_confidence = all(t.kind.value == "low_confidence" for t in triggers)
    if only_low_confidence and is_off_topic(answer):
        # A pizza question is not a trainer's job, nor one to answer from the course, however
        # near a passage looks: say so kindly and offer the button instead.
        return Decision(Outcome.DECLINE)
    if not triggers:
        return Decision(Outcome.POST)
    return Decision(Outcome.ESCALATE, triggers)
