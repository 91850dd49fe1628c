"""With a model, a confident answer streams into the thread and ends as one complete message."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.coach.types import Answer
from bot.inbox import InboundMessage
from bot.learner.answers import store_answer
from bot.learner.decision import Decision, decide
from bot.learner.stream import answer_streaming
from bot.learner.stream_appender import APPEND_EVERY
from bot.learner.stream_finish import FINISH_STREAM
from bot.learner.turn import store_turn
from bot.tasks.outbox import METADATA_EVENT
from store.database import Database
from store.models import AnswerStream, Response, Task
from store.repositories.streams import AnswerStreamRepository
from tests.fakes.llm import ChatRequest, FakeLLM
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness, reset_database, running_bot
from tests.scenario.test_agent_sessions import stopped_event
from tests.scenario.test_answers import LEARNER, answers_in, seed_course

_PASSAGE_ID = re.compile(r"^\[(\d+)\] ", re.MULTILINE)
ANSWER = (
    "Use **append** to add an item to the end of a list: `names.append('Ada')` changes the "
    "list in place, and <!channel> stays text. Each call adds exactly one item."
)
STREAMED = ANSWER.replace("<", "&lt;").replace(">", "&gt;")


def judged_first(request: ChatRequest, *, answer: str = ANSWER, **overrides: Any) -> str:
    """A model that cites the first passage it was shown, its judgement before its answer."""
    ids = [int(found) for found in _PASSAGE_ID.findall(request.prompt)]
    payload = {
        "used_chunk_ids": ids[:1],
        "intent": "course_content",
        "grounded": True,
        "grounding_score": 0.95,
        "lab_id": None,
        **overrides,
        "answer": answer,
    }
    return json.dumps(payload)


@pytest.fixture
async def streaming(database: Database) -> AsyncIterator[BotHarness]:
    """A bot that streams answers, its model sending a dozen characters at a time for 1.2 s."""
    await reset_database(database)
    async with running_bot(database, stream_answers=True) as harness:
        harness.llm.stream_chunk_chars = 12
        harness.llm.latency, harness.llm.first_token_latency = 1.2, 0.1
        await seed_course(harness)
        yield harness


def _stream_calls(bot: BotHarness) -> list[RecordedCall]:
    return [c for c in bot.slack.calls if c.method.startswith("chat.") and "Stream" in c.method]


async def _stored(bot: BotHarness) -> tuple[Response, AnswerStream]:
    async with bot.deps.sessions() as session:
        response = (await session.scalars(select(Response))).one()
        stream = (await session.scalars(select(AnswerStream))).one()
    return response, stream


def _final(bot: BotHarness, channel: str, ts: str) -> dict[str, Any]:
    [message] = [m for m in bot.slack.messages(channel) if m["ts"] == ts]
    assert not bot.slack.is_streaming(channel, ts)
    return message


def _has_buttons_and_metadata(message: dict[str, Any]) -> None:
    rendered = json.dumps(message["blocks"], ensure_ascii=False)
    assert ActionId.FEEDBACK_HELPFUL in rendered
    assert ActionId.ESCALATE in rendered
    assert "References" in rendered
    assert re.search(r"(🟢|🟡) \w+ confidence \(0\.\d\d\)", rendered)
    assert message["metadata"]["event_type"] == METADATA_EVENT


async def test_a_confident_answer_streams_and_is_stopped_with_its_buttons(
    streaming: BotHarness,
) -> None:
    bot = streaming
    bot.llm.reply_with(judged_first)
    channel = bot.slack.dm_channel_id(LEARNER)

    question = await bot.dm(LEARNER, "How do I add an item to a list?")
    [stop] = await bot.slack.wait_for("chat.stopStream")
    await bot.drain()

    [start] = bot.slack.calls_to("chat.startStream")
    assert start.args["thread_ts"] == question
    appends = bot.slack.calls_to("chat.appendStream")
    streamed = [start.args["markdown_text"], *(c.args["markdown_text"] for c in appends)]
    streamed.append(stop.args.get("markdown_text", ""))
    assert "".join(streamed) == STREAMED
    # Coalesced to Slack's pace: far fewer appends than pieces the model sent.
    assert 1 <= len(appends) < len(ANSWER) / 12 / 2
    gaps = [b.at - a.at for a, b in zip([start, *appends], appends, strict=False)]
    assert all(gap >= APPEND_EVERY * 0.9 for gap in gaps)
    ts = stop.args["ts"]
    final = _final(bot, channel, ts)
    assert final["text"] == STREAMED
    assert final["thread_ts"] == question
    _has_buttons_and_metadata(final)
    assert answers_in(bot, channel) == []
    assert bot.slack.calls_to("chat.update") == []
    response, stream = await _stored(bot)
    assert response.slack_ts == stream.ts == ts
    assert stream.finished_at is not None
    assert bot.slack.errors == []


@pytest.mark.parametrize(
    "judgement",
    [
        {"used_chunk_ids": []},  # cites nothing: too weak to post
        {"intent": "human_request"},  # the model read a request for a person
        {"intent": "safety"},
    ],
)
async def test_an_answer_that_will_not_be_posted_is_never_started(
    streaming: BotHarness, judgement: dict[str, Any]
) -> None:
    bot = streaming
    bot.llm.reply_with(lambda r: judged_first(r, **judgement))

    await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0TRAINERS")
    await bot.drain()

    assert _stream_calls(bot) == []
    assert answers_in(bot, bot.slack.dm_channel_id(LEARNER)) == []
    assert bot.slack.errors == []


async def test_an_answer_before_its_judgement_is_posted_whole(streaming: BotHarness) -> None:
    bot = streaming

    def answer_first(request: ChatRequest) -> str:
        payload = json.loads(judged_first(request))
        return json.dumps({"answer": payload.pop("answer"), **payload})

    bot.llm.reply_with(answer_first)
    channel = bot.slack.dm_channel_id(LEARNER)

    await bot.dm(LEARNER, "How do I add an item to a list?")
    [post] = await bot.slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == channel)
    await bot.drain()

    assert _stream_calls(bot) == []
    assert answers_in(bot, channel) == [post]


async def test_where_slack_refuses_streaming_answers_are_posted_whole_from_then_on(
    streaming: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = streaming
    bot.llm.reply_with(judged_first)
    bot.slack.disable_streaming("not_allowed")
    channel = bot.slack.dm_channel_id(LEARNER)

    first = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == first)
    second = await bot.dm(LEARNER, "How do I append to a list again?")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == second)
    await bot.drain()

    # One refused start, remembered: the second answer does not even try.
    assert [f.target for f in bot.slack.injected] == ["chat.startStream"]
    assert len(answers_in(bot, channel)) == 2
    assert [m for m in caplog.messages if "refused to stream" in m] != []
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(AnswerStream))).all() == []
    assert bot.slack.errors == []


async def test_offline_answers_are_posted_whole(database: Database) -> None:
    await reset_database(database)
    async with (
        FakeLLM() as embeddings,
        running_bot(
            database,
            llm=embeddings,
            stream_answers=True,
            openai_api_key=None,
            openai_base_url=None,
            embedding_base_url=embeddings.base_url,
            embedding_api_key="test",
        ) as bot,
    ):
        assert bot.deps.llm is None
        await seed_course(bot)
        channel = bot.slack.dm_channel_id(LEARNER)

        await bot.dm(LEARNER, "How do I add an item to the end of a list?")
        await bot.slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == channel)
        await bot.drain()

        assert _stream_calls(bot) == []
        assert len(answers_in(bot, channel)) == 1


async def test_rate_limited_appends_wait_and_lose_no_text(streaming: BotHarness) -> None:
    bot = streaming
    bot.llm.reply_with(judged_first)
    bot.llm.latency, bot.llm.first_token_latency = 5.0, 0.0
    bot.slack.inject("chat.appendStream", status=429, retry_after=1, times=1)
    channel = bot.slack.dm_channel_id(LEARNER)

    await bot.dm(LEARNER, "How do I add an item to a list?")
    [stop] = await bot.slack.wait_for("chat.stopStream")
    await bot.drain()

    [limited] = bot.slack.injected
    assert limited.target == "chat.appendStream"
    later = [c for c in bot.slack.calls_to("chat.appendStream") if c.at > limited.at]
    assert later, "appending went on after the wait"
    assert later[0].at - limited.at >= 0.9  # Retry-After was waited out
    # What the 429 refused was sent again with what came meanwhile: nothing was dropped.
    assert later[0].args["markdown_text"].startswith(limited.args["markdown_text"])
    assert _final(bot, channel, stop.args["ts"])["text"] == STREAMED
    assert bot.slack.errors == []


async def test_a_stream_slack_stops_appending_to_is_replaced_by_the_whole_answer(
    streaming: BotHarness,
) -> None:
    bot = streaming
    bot.llm.reply_with(judged_first)
    bot.slack.inject("chat.appendStream", error="messaging_processing_failed", times=1)
    channel = bot.slack.dm_channel_id(LEARNER)

    await bot.dm(LEARNER, "How do I add an item to a list?")
    [update] = await bot.slack.wait_for("chat.update")
    await bot.drain()

    [start] = bot.slack.calls_to("chat.startStream")
    [stop] = bot.slack.calls_to("chat.stopStream")
    ts = stop.args["ts"]
    assert update.args["ts"] == ts
    final = _final(bot, channel, ts)
    assert "names.append('Ada')" in final["blocks"][0]["text"]["text"]
    assert final["text"].startswith("Use **append**")
    _has_buttons_and_metadata(final)
    assert answers_in(bot, channel) == []
    response, _ = await _stored(bot)
    assert response.slack_ts == ts
    assert start.args["markdown_text"]
    assert bot.slack.errors == []


async def test_a_reply_that_breaks_after_streaming_began_is_withdrawn_and_escalated(
    streaming: BotHarness,
) -> None:
    bot = streaming
    bot.llm.reply_with(lambda r: judged_first(r)[:-10])
    channel = bot.slack.dm_channel_id(LEARNER)

    await bot.dm(LEARNER, "How do I add an item to a list?")
    [delete] = await bot.slack.wait_for("chat.delete")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0TRAINERS")
    await bot.drain()

    [start] = bot.slack.calls_to("chat.startStream")
    assert delete.args["ts"] == bot.slack.calls_to("chat.stopStream")[0].args["ts"]
    assert [m for m in bot.slack.messages(channel) if m["ts"] == delete.args["ts"]] == []
    assert ActionId.FEEDBACK_HELPFUL not in json.dumps(bot.slack.messages(channel))
    assert answers_in(bot, channel) == []
    assert start.args["thread_ts"]
    assert bot.slack.errors == []


async def test_a_cancelled_answer_stops_its_stream_with_what_it_shows(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, stream_answers=True, run_workers=False) as bot:
        await seed_course(bot)
        bot.llm.reply_with(judged_first)
        bot.llm.stream_chunk_chars = 6
        bot.llm.latency, bot.llm.first_token_latency = 10.0, 0.1
        channel = bot.slack.dm_channel_id(LEARNER)
        message = InboundMessage(
            "Ev1", LEARNER, channel, bot.next_ts(), None, "How do I add to a list?", False
        )
        turn = await store_turn(bot.deps, message)

        def policy(answer: Answer, struggles: int) -> Decision:
            return decide(answer, threshold=0.4, lab_struggles=struggles, struggle_threshold=3)

        answering = asyncio.create_task(answer_streaming(bot.deps, message, turn, policy, []))
        [start] = await bot.slack.wait_for("chat.startStream")
        await bot.slack.wait_for("chat.appendStream")
        answering.cancel()
        with pytest.raises(asyncio.CancelledError):
            await answering

        [stop] = bot.slack.calls_to("chat.stopStream")
        ts = stop.args["ts"]
        shown = "".join(
            [start.args["markdown_text"]]
            + [c.args["markdown_text"] for c in bot.slack.calls_to("chat.appendStream")]
        )
        assert not bot.slack.is_streaming(channel, ts)
        assert _final(bot, channel, ts)["text"] == shown
        assert STREAMED.startswith(shown)
        assert bot.slack.errors == []


async def test_a_stream_whose_ts_was_never_stored_is_found_and_replaced(
    database: Database,
) -> None:
    await reset_database(database)
    async with running_bot(database, stream_answers=True, run_workers=False) as bot:
        await seed_course(bot)
        bot.llm.reply_with(judged_first)
        channel = bot.slack.dm_channel_id(LEARNER)
        question = bot.slack.add_message(channel, "How do I add to a list?", user=LEARNER)["ts"]
        message = InboundMessage("Ev1", LEARNER, channel, question, None, "How do I add?", False)
        turn = await store_turn(bot.deps, message)
        # A run claimed the stream and started it, then died before storing its ts.
        async with bot.deps.sessions.begin() as session:
            await AnswerStreamRepository(session).claim(turn.message_id, channel, question)
        client = AsyncWebClient(token="xoxb-test", base_url=bot.slack.base_url)
        decoy = await client.chat_postMessage(
            channel=channel,
            thread_ts=question,
            text="an earlier notice",
            metadata={"event_type": METADATA_EVENT, "event_payload": {"task_id": 1}},
        )
        orphan = await client.api_call(
            "chat.startStream",
            json={"channel": channel, "thread_ts": question, "markdown_text": "Use"},
        )

        def policy(answer: Answer, struggles: int) -> Decision:
            return decide(answer, threshold=0.4, lab_struggles=struggles, struggle_threshold=3)

        answer, shown = await answer_streaming(bot.deps, message, turn, policy, [])
        await store_answer(bot.deps, turn, message, answer, policy, shown=shown)

        assert shown is None
        assert len(bot.slack.calls_to("chat.startStream")) == 1  # only the orphan
        async with bot.deps.sessions() as session:
            stream = (await session.scalars(select(AnswerStream))).one()
            [finish] = (await session.scalars(select(Task).where(Task.kind == FINISH_STREAM))).all()
        assert stream.ts == orphan["ts"] != decoy["ts"]
        assert finish.payload["mode"] == "replace"
        assert finish.payload["ts"] == orphan["ts"]
        assert bot.slack.errors == []


async def test_a_learner_who_stops_a_stream_keeps_what_it_showed_and_gets_nothing_more(
    streaming: BotHarness,
) -> None:
    bot = streaming
    bot.llm.reply_with(judged_first)
    bot.llm.stream_chunk_chars = 6
    bot.llm.latency, bot.llm.first_token_latency = 20.0, 0.1  # still writing when stopped
    channel = bot.slack.dm_channel_id(LEARNER)

    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    [start] = await bot.slack.wait_for("chat.startStream")
    status, _ = await bot.send_event(stopped_event(bot, root))
    assert status == 200
    [stop] = await bot.slack.wait_for("chat.stopStream")
    await bot.llm.wait_for_abandoned()
    await bot.drain()

    ts = str(stop.args["ts"])
    assert not bot.slack.is_streaming(channel, ts)
    [message] = [m for m in bot.slack.messages(channel) if m["ts"] == ts]
    assert message["text"]  # what it had shown...
    assert STREAMED.startswith(message["text"])
    assert message["text"] != STREAMED  # ...and no more
    assert "blocks" not in stop.args  # no buttons: nothing more is posted
    assert bot.slack.calls_to("chat.update") == []
    assert bot.slack.calls_to("chat.delete") == []
    assert answers_in(bot, channel) == []
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(Response))).all() == []
        [stream] = (await session.scalars(select(AnswerStream))).all()
    # Kept as the learner left it: the job that withdraws abandoned streams leaves it alone.
    assert stream.finished_at is not None
    assert start.args["thread_ts"] == root
    assert bot.slack.errors == []
