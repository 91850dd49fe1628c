"""The example course with the bundled model, offline: what the coach does with a few
representative messages of the tune split (bench/quality/eval_set.json). The rates over the
whole set are measured by bench/quality_bench.py; these few must hold in every run."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.coach.coaching import Coaching
from bot.coach.engine import AnswerEngine
from bot.coach.types import Answer, HistoryTurn, Intent, Reference, RetrievedChunk
from bot.content.indexer import CourseIndexer
from bot.deps import Deps
from bot.escalation.triggers import TriggerKind
from bot.learner.decision import Outcome, decide
from bot.settings import Settings
from store.database import Database
from tests.content.ingest_support import EXAMPLE_COURSE, CountingEmbedder, delete_course


class ModelReading:
    """A model that cites the first passage, sure of its answer, and reads ``intent``."""

    def __init__(self, intent: Intent) -> None:
        self.intent = intent

    async def answer(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
        images: list[str] | None = None,
    ) -> Answer:
        first = retrieved[0]
        return Answer(
            text="An answer.",
            references=[Reference(first.chunk_id, first.location, first.source_path)],
            confidence=1.0,
            confidence_signals={},
            grounded=True,
            intent=self.intent,
            model="reading",
            retrieved=retrieved,
            self_report=1.0,
        )


@pytest.fixture
async def engine(
    database: Database, settings: Settings
) -> AsyncIterator[tuple[AnswerEngine, int, Deps]]:
    """The example course indexed with the bundled model, and an offline engine over it."""
    slug = f"judgement-{uuid.uuid4().hex[:10]}"
    embedder = CountingEmbedder()
    result = await CourseIndexer(database.sessions, embedder).ingest(EXAMPLE_COURSE, slug)
    deps = Deps(settings=settings, db=database, slack=AsyncWebClient(), llm=None, embedder=embedder)
    try:
        yield AnswerEngine(deps), result.course_id, deps
    finally:
        await delete_course(database, slug)


@pytest.mark.parametrize(
    ("question", "outcome", "cites"),
    [
        ("How do I add an item to the end of a list?", Outcome.POST, "01-lists.md"),
        # Shares "table", "salary" and "select" with the course, but is SQL.
        (
            "sql question, how do i get the second highest salary from the employees table",
            Outcome.DECLINE,
            None,
        ),
        ("how do i make a pivot table in google sheets", Outcome.DECLINE, None),
        # The course says "thread" once, about something else.
        ("how can i run two functions at the same time with threading", Outcome.ESCALATE, None),
        ("how do i make a requirements.txt for my project", Outcome.ESCALATE, None),
    ],
)
async def test_what_the_coach_does_with_representative_messages(
    engine: tuple[AnswerEngine, int, Deps],
    settings: Settings,
    question: str,
    outcome: Outcome,
    cites: str | None,
) -> None:
    answers, course_id, _ = engine
    answer = await answers.answer(course_id, question, [])
    decision = decide(
        answer,
        threshold=settings.escalation_confidence_threshold,
        lab_struggles=0,
        struggle_threshold=settings.lab_struggle_threshold,
    )
    assert decision.outcome is outcome, answer.confidence_signals
    if cites is not None:
        assert any(ref.source_path.endswith(cites) for ref in answer.references)


async def test_a_concern_the_model_reads_in_an_off_topic_message_still_escalates(
    engine: tuple[AnswerEngine, int, Deps], settings: Settings
) -> None:
    _, course_id, deps = engine
    reading = AnswerEngine(deps, answerer=ModelReading(Intent.SAFETY))
    question = "sql question, how do i get the second highest salary from the employees table"
    answer = await reading.answer(course_id, question, [])
    decision = decide(answer, threshold=0.4, lab_struggles=0, struggle_threshold=3)
    assert answer.intent is Intent.SAFETY
    assert decision.outcome is Outcome.ESCALATE
    assert TriggerKind.SAFETY in [t.kind for t in decision.triggers]


async def test_a_topic_the_course_does_not_teach_escalates_under_a_low_threshold(
    engine: tuple[AnswerEngine, int, Deps],
) -> None:
    _, course_id, deps = engine
    sure = AnswerEngine(deps, answerer=ModelReading(Intent.COURSE_CONTENT))
    question = "how can i run two functions at the same time with threading"
    answer = await sure.answer(course_id, question, [], threshold=0.15)
    decision = decide(answer, threshold=0.15, lab_struggles=0, struggle_threshold=3)
    assert decision.outcome is Outcome.ESCALATE
