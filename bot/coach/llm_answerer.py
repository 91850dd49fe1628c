"""Answering with an OpenAI-compatible model that returns a structured, cited result."""

from __future__ import annotations

import logging
import time

from openai import AsyncOpenAI
from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.coach.coaching import Coaching
from bot.coach.confidence import compute_confidence
from bot.coach.prompt import RESPONSE_FORMAT, build_messages
from bot.coach.types import Answer, HistoryTurn, Intent, Reference, RetrievedChunk

log = logging.getLogger(__name__)

# Said when the model's reply could not be read; the low confidence keeps it from being posted.
UNREADABLE_ANSWER = "I could not put together a reliable answer from the course material."


class ModelAnswer(BaseModel):
    """The structured result the model is asked for."""

    answer: str
    used_chunk_ids: list[int] = Field(default_factory=list)
    intent: Intent = Intent.COURSE_CONTENT
    grounded: bool = False
    grounding_score: float = Field(default=0.0, ge=0.0, le=1.0)
    lab_id: str | None = None

    @field_validator("intent", mode="before")
    @classmethod
    def _known_intent(cls, value: object) -> object:
        # An unknown label is not worth losing the whole answer over.
        return value if value in {i.value for i in Intent} else Intent.COURSE_CONTENT.value


def parse_model_reply(content: str) -> ModelAnswer | None:
    """The model's JSON reply, or None when it is not the structure asked for."""
    raw = content.strip()
    if raw.startswith("```"):
        # Some compatible servers wrap JSON in a fenced block despite response_format.
        raw = raw.strip("`").removeprefix("json").strip()
    try:
        parsed = ModelAnswer.model_validate_json(raw)
    except ValidationError:
        return None
    return parsed if parsed.answer.strip() else None


def references_for(cited: list[int], retrieved: list[RetrievedChunk]) -> list[Reference]:
    """References for the cited chunks that were really retrieved, in citation order, once each."""
    by_id = {chunk.chunk_id: chunk for chunk in retrieved}
    seen: set[int] = set()
    references = []
    for chunk_id in cited:
        chunk = by_id.get(chunk_id)
        if chunk is None or chunk_id in seen:
            continue
        seen.add(chunk_id)
        references.append(Reference(chunk.chunk_id, chunk.location, chunk.source_path))
    return references


def lab_of(
    claimed: str | None, references: list[Reference], retrieved: list[RetrievedChunk]
) -> str | None:
    """The lab an answer is about: the model's claim if a retrieved passage has it, else the
    first cited lab."""
    known = {chunk.location.lab_id for chunk in retrieved if chunk.location.lab_id}
    if claimed and claimed in known:
        return claimed
    return next((ref.location.lab_id for ref in references if ref.location.lab_id), None)


class LLMAnswerer:
    """Asks the model for an answer grounded in the retrieved chunks."""

    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self._client = client
        self._model = model

    async def answer(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
        images: list[str] | None = None,
    ) -> Answer:
        """One chat completion (with the learner's ``images``, data URLs, for a vision model);
        API errors propagate so the caller's task is retried."""
        started = time.monotonic()
        completion = await self._client.chat.completions.create(
            model=self._model,
            messages=build_messages(question, history, retrieved, coaching, images),
            response_format=RESPONSE_FORMAT,
            temperature=0.2,
        )
        latency_ms = int((time.monotonic() - started) * 1000)
        content = completion.choices[0].message.content or "" if completion.choices else ""
        usage = completion.usage
        return answer_from_reply(
            read_model_reply(content),
            retrieved,
            model=completion.model or self._model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            latency_ms=latency_ms,
        )


def read_model_reply(content: str) -> ModelAnswer:
    """The model's reply, or a stand-in that cannot be posted when it is not the JSON asked for."""
    parsed = parse_model_reply(content)
    if parsed is None:
        log.warning("model reply was not the expected JSON (%d chars)", len(content))
        parsed = ModelAnswer(answer=UNREADABLE_ANSWER, grounded=False, grounding_score=0.0)
    return parsed


def answer_from_reply(
    parsed: ModelAnswer,
    retrieved: list[RetrievedChunk],
    *,
    model: str,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    latency_ms: int = 0,
) -> Answer:
    """The Answer the model's structured reply makes: references, confidence, intent, lab.

    Everything but the text comes from the model's judgement fields, so a streamed reply whose
    judgement came first gets the same confidence before its text as after it.
    """
    references = references_for(parsed.used_chunk_ids, retrieved)
    confidence = compute_confidence(
        retrieved,
        cited_ids=parsed.used_chunk_ids,
        grounded=parsed.grounded,
        grounding_score=parsed.grounding_score,
        intent=parsed.intent,
    )
    return Answer(
        text=parsed.answer.strip(),
        references=references,
        confidence=confidence.value,
        confidence_signals=confidence.signals,
        grounded=parsed.grounded and bool(references),
        intent=parsed.intent,
        model=model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        latency_ms=latency_ms,
        lab_id=lab_of(parsed.lab_id, references, retrieved),
        retrieved=retrieved,
        self_report=confidence.value,
    )
