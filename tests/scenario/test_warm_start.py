"""The intent examples and the subject banks are embedded while the bot starts, before it
serves, so the first learner's message does not wait seconds for them; an embedder that fails
then does not stop the start, and the first message embeds them instead."""

from __future__ import annotations

import time

import pytest

from bot import server
from bot.coach.subjects import Bank, load_bank
from bot.escalation.intents.similarity import load_examples
from bot.escalation.intents.spelling import correct_key_words
from store.database import Database
from tests.fakes.llm import FakeLLM
from tests.harness import reset_database, running_bot

# A model with calibrated thresholds, so similarity is used (served by the fake endpoint).
CALIBRATED_MODEL = "all-MiniLM-L6-v2"


def _bank_texts() -> set[str]:
    # Examples are embedded as messages are read: mistyped key words corrected first.
    examples = {correct_key_words(example.text) for example in load_examples()}
    return examples | {q for bank in Bank for q in load_bank(bank)}


async def test_the_examples_and_banks_are_embedded_before_serving(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, embedding_model=CALIBRATED_MODEL) as bot:
        embedded = {text for call in bot.llm.embedding_calls for text in call.inputs}
        assert _bank_texts() <= embedded


async def test_an_uncalibrated_model_embeds_nothing_at_start(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, run_workers=False) as bot:
        assert bot.llm.embedding_calls == []


async def test_an_embedder_failing_at_start_does_not_stop_the_bot(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await reset_database(database)
    async with FakeLLM() as llm:
        # Every embedding refused from the start: the bot still starts and serves.
        llm.fail_ratio(1.0, 400, endpoint="embeddings")
        async with (
            running_bot(
                database, llm=llm, embedding_model=CALIBRATED_MODEL, run_workers=False
            ) as bot,
            bot.http.get(bot.url.replace("/slack/events", "/healthz")) as response,
        ):
            assert response.status == 200
    assert "intent examples not embedded at start-up" in caplog.text
    assert "subject banks not embedded at start-up" in caplog.text


async def test_a_hung_embedder_holds_the_start_only_so_long(
    database: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    await reset_database(database)
    monkeypatch.setattr(server, "WARM_SECONDS", 0.5)
    async with FakeLLM() as llm:
        llm.embedding_latency = 30.0
        started = time.monotonic()
        async with running_bot(
            database, llm=llm, embedding_model=CALIBRATED_MODEL, run_workers=False
        ):
            assert time.monotonic() - started < 20
    assert "judgement examples not embedded within" in caplog.text
