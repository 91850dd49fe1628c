"""A streamed answer: its judgement (so its confidence) before any text, then the text."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from openai import AsyncOpenAI

from bot.coach.engine import AnswerEngine
from bot.coach.streaming import Done, Judged, StreamEvent, Text, Trimmer
from bot.coach.types import Intent
from bot.settings import Settings
from store.database import Database
from tests.bot.test_engine import CHUNKS, VOCABULARY, StubRetriever, make_deps
from tests.fakes.llm import FakeLLM

ANSWER = '  Use `n % 3 == 0` for "Fizz" — then \\ 5 for Buzz 🐍.\n\n'
JUDGEMENT = {
    "used_chunk_ids": [11],
    "intent": "lab_guidance",
    "grounded": True,
    "grounding_score": 0.9,
    "lab_id": "2.1",
}


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


async def _events(engine: AnswerEngine, question: str = "how does fizzbuzz work") -> list[object]:
    events: list[StreamEvent] = []
    async for event in engine.stream(1, question, []):
        events.append(event)
    return list(events)


def _engine(database: Database, settings: Settings, llm: FakeLLM) -> AnswerEngine:
    client = AsyncOpenAI(base_url=llm.base_url, api_key="test")
    deps = make_deps(database, settings, client)
    return AnswerEngine(deps, retriever=StubRetriever(CHUNKS), vocabulary=VOCABULARY)


@pytest.mark.parametrize("piece", [1, 2, 3, 7, None])
async def test_the_judgement_comes_first_and_the_text_adds_up_to_the_answer(
    database: Database, settings: Settings, llm: FakeLLM, piece: int | None
) -> None:
    llm.reply_with(json.dumps({**JUDGEMENT, "answer": ANSWER}))
    llm.stream_chunk_chars = piece
    engine = _engine(database, settings, llm)

    events = await _events(engine)
    at_once = await engine.answer(1, "how does fizzbuzz work", [])

    judged, *texts, done = events
    assert isinstance(judged, Judged)
    assert isinstance(done, Done)
    assert all(isinstance(t, Text) for t in texts)
    assert "".join(t.text for t in texts if isinstance(t, Text)) == done.answer.text
    assert done.answer.text == ANSWER.strip()
    # What decides post or escalate is known before the first piece, and is the final value.
    assert judged.answer.text == ""
    assert judged.answer.confidence == done.answer.confidence == at_once.confidence
    assert judged.answer.intent is done.answer.intent is Intent.LAB_GUIDANCE
    assert judged.answer.lab_id == done.answer.lab_id == "2.1"
    assert [r.chunk_id for r in judged.answer.references] == [11]
    assert done.answer.prompt_tokens > 0
    first, second = llm.chat_calls
    assert first.body["stream"] is True
    assert "stream" not in second.body


async def test_an_answer_before_its_judgement_is_buffered(
    database: Database, settings: Settings, llm: FakeLLM
) -> None:
    llm.reply_with(json.dumps({"answer": "Loops repeat code.", **JUDGEMENT}))
    llm.stream_chunk_chars = 4

    events = await _events(_engine(database, settings, llm))

    [done] = events
    assert isinstance(done, Done)
    assert done.answer.text == "Loops repeat code."


async def test_a_missing_judgement_field_buffers_and_a_broken_reply_is_unpostable(
    database: Database, settings: Settings, llm: FakeLLM
) -> None:
    partial = {k: v for k, v in JUDGEMENT.items() if k != "grounded"}
    llm.reply_with(json.dumps({**partial, "answer": "x"}))
    [missing] = await _events(_engine(database, settings, llm))
    llm.reply_with(json.dumps({**JUDGEMENT, "answer": "cut off"})[:-5])
    judged, text, broken = await _events(_engine(database, settings, llm))

    assert isinstance(missing, Done)
    assert isinstance(judged, Judged)
    assert isinstance(text, Text)
    assert isinstance(broken, Done)
    # The reply stopped mid-answer: the final answer is the unreadable stand-in, low and
    # ungrounded, whatever the judgement said.
    assert broken.answer.confidence < judged.answer.confidence
    assert not broken.answer.grounded


async def test_without_a_model_only_the_answer_comes(
    database: Database, settings: Settings
) -> None:
    engine = AnswerEngine(
        make_deps(database, settings, None),
        retriever=StubRetriever(CHUNKS),
        vocabulary=VOCABULARY,
    )

    [done] = [event async for event in engine.stream(1, "what does fizzbuzz print", [])]

    assert isinstance(done, Done)
    assert not engine.streams


def test_the_trimmer_holds_back_whitespace() -> None:
    trimmer = Trimmer()

    shown = [trimmer.feed(p) for p in ["  \n", " Hi", " ", "\n", "there ", " "]]

    assert shown == ["", "Hi", "", "", " \nthere", ""]


async def test_a_server_that_cannot_stream_gets_the_question_again_whole(
    database: Database, settings: Settings, llm: FakeLLM
) -> None:
    llm.reply_with(json.dumps({**JUDGEMENT, "answer": "Loops repeat code."}))
    llm.inject(400, endpoint="chat.completions")

    [done] = await _events(_engine(database, settings, llm))

    assert isinstance(done, Done)
    assert done.answer.text == "Loops repeat code."
    [refused] = llm.injected
    assert refused.args["stream"] is True
    [answered] = llm.chat_calls
    assert "stream" not in answered.body
