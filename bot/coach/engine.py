"""The answer engine: retrieval, then the LLM or the offline answerer, with a confidence.

A question may carry a learner's text files, fenced (``bot.coach.attachments``): the course is
searched with the question and each file's telling lines only, and the answerer gets all of it.
Images (data URLs) go to the answerer with this question only, and only when there are some.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import Protocol

from bot.coach.answerability import Answerability, assess, combine
from bot.coach.attachments import focus, judged_words
from bot.coach.coaching import Coaching, course_mode, mode_for_question
from bot.coach.llm_answerer import LLMAnswerer
from bot.coach.offline import OfflineAnswerer
from bot.coach.retrieval import Retriever
from bot.coach.sentences import PASSAGES as SENTENCE_PASSAGES
from bot.coach.sentences import sentence_vectors_for
from bot.coach.streaming import (
    Done,
    Judged,
    StreamEvent,
    StreamingAnswerer,
    StreamingUnsupported,
)
from bot.coach.subjects import subject_banks_for
from bot.coach.types import Answer, HistoryTurn, Intent, RetrievedChunk
from bot.content.coaching import CoachingMode
from bot.content.vocabulary import Vocabulary, terms
from bot.deps import Deps

log = logging.getLogger(__name__)

# The highest confidence of an answer that cites nothing from the course.
UNCITED_CAP = 0.2
# What the model may read in any message, on the course's subject or not.
ESCALATING_INTENTS = frozenset({Intent.HUMAN_REQUEST, Intent.SAFETY})
# A follow-up this short ("and for dicts?") is searched together with the learner's last message.
FOLLOW_UP_TERMS = 3

NO_COURSE_ANSWER = "I could not find anything about this in your course material."


class ChunkSource(Protocol):
    """Anything that finds course chunks for a question (the Retriever in production)."""

    async def retrieve(self, course_id: int, question: str, k: int) -> list[RetrievedChunk]:
        """The ``k`` nearest chunks of the course."""
        ...


class Answerer(Protocol):
    """Turns a question and its passages into an Answer."""

    async def answer(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
        images: list[str] | None = None,
    ) -> Answer:
        """Answer from the passages, in the question's coaching mode, seeing ``images``."""
        ...


class AnswerEngine:
    """Answers a question from one course's content; opens no transaction around the LLM."""

    def __init__(
        self,
        deps: Deps,
        *,
        retriever: ChunkSource | None = None,
        vocabulary: Vocabulary | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self._settings = deps.settings
        self._deps = deps
        # Tests that retrieve from a stub pass the vocabulary of their stub chunks.
        self._vocabulary = vocabulary
        self._retriever = retriever or Retriever(deps.sessions, deps.embedder)
        self._answerer: Answerer = answerer or (
            LLMAnswerer(deps.llm, deps.settings.chat_model)
            if deps.llm is not None
            else OfflineAnswerer()
        )
        # Only the model streams; a test's own answerer or the offline one answers at once.
        self._streamer = (
            StreamingAnswerer(deps.llm, deps.settings.chat_model)
            if deps.llm is not None and answerer is None
            else None
        )

    async def answer(
        self,
        course_id: int | None,
        question: str,
        history: list[HistoryTurn],
        *,
        threshold: float | None = None,
        coaching: CoachingMode | None = None,
        images: list[str] | None = None,
    ) -> Answer:
        """Retrieve the course's best chunks and answer from them; ``threshold`` is the
        course's posting threshold and ``coaching`` its mode (the settings' defaults when None);
        ``images`` are data URLs the model sees with the question."""
        asked = await self._prepare(course_id, question, history, threshold, coaching)
        if isinstance(asked, Answer):
            return asked
        return await self._whole(asked, question, history, images)

    async def _whole(
        self,
        asked: _Asked,
        question: str,
        history: list[HistoryTurn],
        images: list[str] | None,
    ) -> Answer:
        """The answerer's whole answer, with its confidence."""
        if images:
            # Only a vision model is handed images (the flow decides): others never see them.
            answer = await self._answerer.answer(
                question, history, asked.retrieved, coaching=asked.mode, images=images
            )
        else:
            answer = await self._answerer.answer(
                question, history, asked.retrieved, coaching=asked.mode
            )
        return asked.finish(answer)

    @property
    def streams(self) -> bool:
        """True when answers come from a model that can stream them."""
        return self._streamer is not None

    async def stream(
        self,
        course_id: int | None,
        question: str,
        history: list[HistoryTurn],
        *,
        threshold: float | None = None,
        coaching: CoachingMode | None = None,
        images: list[str] | None = None,
    ) -> AsyncGenerator[StreamEvent]:
        """``answer``, streamed (``bot.coach.streaming``): ``Judged`` carries the confidence the
        final answer will have, before any of its text. Without a streaming model (or anything
        to ground an answer in) only ``Done`` comes."""
        asked = await self._prepare(course_id, question, history, threshold, coaching)
        if isinstance(asked, Answer):
            yield Done(asked)
            return
        if self._streamer is None:
            yield Done(await self._whole(asked, question, history, images))
            return
        events = self._streamer.stream(
            question, history, asked.retrieved, coaching=asked.mode, images=images
        )
        try:
            async with aclosing(events):
                async for event in events:
                    if isinstance(event, Judged):
                        yield Judged(asked.finish(event.answer))
                    elif isinstance(event, Done):
                        yield Done(asked.finish(event.answer))
                    else:
                        yield event
        except StreamingUnsupported as exc:
            log.warning("the model server refused to stream (%s): answering whole", exc)
            yield Done(await self._whole(asked, question, history, images))

    async def _prepare(
        self,
        course_id: int | None,
        question: str,
        history: list[HistoryTurn],
        threshold: float | None,
        coaching: CoachingMode | None,
    ) -> _Asked | Answer:
        """Everything known before the model is asked, or the answer when nothing was found."""
        if threshold is None:
            threshold = self._settings.escalation_confidence_threshold
        retrieved: list[RetrievedChunk] = []
        search = search_text(focus(question), history)
        if course_id is not None:
            retrieved = await self._retriever.retrieve(
                course_id, search, self._settings.retrieval_top_k
            )
        if course_id is None or not retrieved:
            # Nothing to ground an answer in: asking the model would only invite invention.
            return Answer(
                text=NO_COURSE_ANSWER,
                references=[],
                confidence=0.0,
                confidence_signals={"retrieval": 0.0},
                grounded=False,
                intent=Intent.OUT_OF_SCOPE,
                model="none",
            )
        vocabulary = self._vocabulary or await self._deps.vocabularies.get(
            self._deps.sessions, course_id
        )
        top = retrieved[:SENTENCE_PASSAGES]
        if any(chunk.sentence_similarity is None for chunk in top):
            # The re-ranking retriever measured its passages' sentences already (for this same
            # search); a FAQ entry in front, a stub retriever or a failed embedding did not.
            per_passage = await sentence_vectors_for(self._deps.embedder).per_passage(
                search, retrieved
            )
            if per_passage is not None:
                retrieved = [
                    replace(chunk, sentence_similarity=similarity)
                    for chunk, similarity in zip(retrieved, per_passage, strict=False)
                ] + retrieved[len(per_passage) :]
            top = retrieved[:SENTENCE_PASSAGES] if per_passage is not None else []
        found = [c.sentence_similarity for c in top if c.sentence_similarity is not None]
        sentence = max(found) if found else None
        # A question with files is judged on its typed words (the same text when it has none).
        judged = search_text(judged_words(question), history)
        nearest_course = sentence if sentence is not None else max(c.similarity for c in retrieved)
        # A learner who sends files is asking about them: the banks read typed questions only,
        # and the best sentence was found for the files' lines too, so the two would not compare.
        subjects = (
            await subject_banks_for(self._deps.embedder).check(
                self._deps.sessions, course_id, judged, nearest_course
            )
            if judged == search
            else {}
        )
        assessed = assess(
            judged,
            retrieved,
            vocabulary,
            sentence_similarity=sentence,
            subjects=tuple(subjects.values()),
        )
        mode = mode_for_question(question, retrieved, coaching or course_mode(None, self._settings))
        return _Asked(retrieved, assessed, mode, threshold)


@dataclass(frozen=True)
class _Asked:
    """A question's passages and answerability, ready for the answerer."""

    retrieved: list[RetrievedChunk]
    assessed: Answerability
    mode: Coaching
    threshold: float

    def finish(self, answer: Answer) -> Answer:
        """The answerer's answer with the confidence combined from the retrieval signals."""
        confidence = combine(self.assessed.value, answer.self_report, self.threshold)
        if not answer.references:
            # Nothing quoted or cited: however answerable the question, this answer is not.
            confidence = min(confidence, UNCITED_CAP)
        if self.assessed.out_of_scope:
            # Another subject's or language's question, or a topic the course does not teach:
            # never posted, whatever the course's threshold (but 0, which posts everything).
            confidence = min(confidence, self.threshold / 2)
        signals = {**answer.confidence_signals, **self.assessed.signals()}
        if answer.self_report is not None:
            signals["self_report"] = answer.self_report
        intent = answer.intent
        if self.assessed.off_topic and intent not in ESCALATING_INTENTS:
            # Off-topic for the course, but a model that read a request for a person or a
            # safety concern in it is heard: those escalate whatever the question was about.
            intent = Intent.OUT_OF_SCOPE
        return replace(
            answer, confidence=round(confidence, 4), confidence_signals=signals, intent=intent
        )


def search_text(question: str, history: list[HistoryTurn]) -> str:
    """What to search the course for: the question, with the last learner message before it
    when the question is a short follow-up."""
    if len(terms(question)) > FOLLOW_UP_TERMS:
        return question
    earlier = [turn.text for turn in history if turn.role == "learner"]
    return f"{earlier[-1]}\n{question}" if earlier else question
