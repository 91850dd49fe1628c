"""Streaming the model's answer: its judgement first, then the answer text as it arrives.

The schema asks for the judgement fields (``used_chunk_ids``, ``intent``, ``grounded``,
``grounding_score``, ``lab_id``) before ``answer`` (``bot.coach.prompt``), and the completion is
streamed. ``ObjectReader`` reads the JSON as it comes; when the ``answer`` value begins and every
judgement field is known, the stream yields ``Judged`` with the Answer those fields make (no text
yet, but its references, intent, lab and confidence are final), then ``Text`` pieces of the
answer, then ``Done`` with the Answer parsed from the whole reply, exactly as the non-streamed
answerer would build it. A reply that puts the answer first (or leaves a judgement field out) is
buffered: no ``Judged``, no ``Text``, only ``Done``. The texts of the pieces add up to
``Done.answer.text`` whenever the whole reply parses as it streamed (leading and trailing
whitespace are held back, as the final answer is stripped).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from openai import AsyncOpenAI, BadRequestError
from pydantic import ValidationError

from bot.coach.coaching import Coaching
from bot.coach.json_reader import ObjectReader, TextPiece, ValueStarted
from bot.coach.llm_answerer import ModelAnswer, answer_from_reply, read_model_reply
from bot.coach.prompt import RESPONSE_FORMAT, build_messages
from bot.coach.types import Answer, HistoryTurn, RetrievedChunk

ANSWER_FIELD = "answer"
JUDGEMENT_FIELDS = ("used_chunk_ids", "intent", "grounded", "grounding_score", "lab_id")


@dataclass(frozen=True)
class Judged:
    """The model's judgement is known: ``answer`` has everything but its text."""

    answer: Answer


@dataclass(frozen=True)
class Text:
    """The next piece of the answer's text."""

    text: str


@dataclass(frozen=True)
class Done:
    """The whole reply, read as the non-streamed answerer reads it."""

    answer: Answer


StreamEvent = Judged | Text | Done


class StreamingUnsupported(Exception):
    """The model's server refused a streamed completion before it began."""


def judgement_of(members: dict[str, object]) -> ModelAnswer | None:
    """The judgement fields read so far as a text-less ModelAnswer; None unless all are valid."""
    if any(name not in members for name in JUDGEMENT_FIELDS):
        return None
    try:
        return ModelAnswer.model_validate(
            {**{name: members[name] for name in JUDGEMENT_FIELDS}, ANSWER_FIELD: ""}
        )
    except ValidationError:
        return None


class Trimmer:
    """Drops leading whitespace and holds trailing whitespace back until more text follows."""

    def __init__(self) -> None:
        self._started = False
        self._held = ""

    def feed(self, text: str) -> str:
        """What may be shown of the text read so far, beyond what was already returned."""
        if not self._started:
            text = text.lstrip()
            if not text:
                return ""
            self._started = True
        text = self._held + text
        shown = text.rstrip()
        self._held = text[len(shown) :]
        return shown


class StreamingAnswerer:
    """Asks the model for a streamed answer (see the module docstring)."""

    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self._client = client
        self._model = model

    async def stream(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
        images: list[str] | None = None,
    ) -> AsyncGenerator[StreamEvent]:
        """Judged (when the judgement comes first), Text pieces, then Done; API errors
        propagate, and closing the iterator early closes the model's stream. ``images`` (data
        URLs) go with the question, for a vision model."""
        started = time.monotonic()
        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=build_messages(question, history, retrieved, coaching, images),
                response_format=RESPONSE_FORMAT,
                temperature=0.2,
                stream=True,
                stream_options={"include_usage": True},
            )
        except BadRequestError as exc:
            # An OpenAI-compatible server that cannot stream (or take stream_options) says so
            # before anything was read: the answer is asked for again, whole.
            raise StreamingUnsupported(str(exc)) from exc
        reader, trimmer = ObjectReader(frozenset({ANSWER_FIELD})), Trimmer()
        content: list[str] = []
        model, prompt_tokens, completion_tokens = self._model, 0, 0
        judged = False
        try:
            async for chunk in completion:
                model = chunk.model or model
                if chunk.usage is not None:
                    prompt_tokens = chunk.usage.prompt_tokens
                    completion_tokens = chunk.usage.completion_tokens
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if not piece:
                    continue
                content.append(piece)
                for event in reader.feed(piece):
                    if isinstance(event, ValueStarted) and event.name == ANSWER_FIELD:
                        judgement = judgement_of(reader.members)
                        if judgement is not None:
                            judged = True
                            yield Judged(answer_from_reply(judgement, retrieved, model=model))
                    elif isinstance(event, TextPiece) and judged and event.name == ANSWER_FIELD:
                        shown = trimmer.feed(event.text)
                        if shown:
                            yield Text(shown)
        finally:
            await completion.close()
        answer = answer_from_reply(
            read_model_reply("".join(content)),
            retrieved,
            model=model,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_ms=int((time.monotonic() - started) * 1000),
        )
        yield Done(answer)
