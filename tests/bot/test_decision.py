"""What the learner gets for an answer: posted, declined as outside the course, or escalated."""

from __future__ import annotations

from bot.coach.types import Answer, Intent, Reference
from bot.content.location import Location
from bot.learner.decision import Outcome, decide


def _answer(confidence: float, intent: Intent) -> Answer:
    return Answer(
        text="From the course.",
        references=[Reference(1, Location(day=1), "a.md")],
        confidence=confidence,
        confidence_signals={},
        grounded=True,
        intent=intent,
        model="offline",
    )


def _decide(answer: Answer) -> Outcome:
    return decide(answer, threshold=0.4, lab_struggles=0, struggle_threshold=3).outcome


def test_a_confident_course_answer_is_posted_and_a_weak_one_escalates() -> None:
    assert _decide(_answer(0.8, Intent.COURSE_CONTENT)) is Outcome.POST
    assert _decide(_answer(0.2, Intent.COURSE_CONTENT)) is Outcome.ESCALATE


def test_an_off_topic_question_is_declined_however_near_a_passage_looks() -> None:
    assert _decide(_answer(0.1, Intent.OUT_OF_SCOPE)) is Outcome.DECLINE
    assert _decide(_answer(0.9, Intent.OUT_OF_SCOPE)) is Outcome.DECLINE
