"""A DM gets one threaded, cited answer; follow-ups carry the thread; retries never repeat it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.blocks.ids import ActionId
from bot.blocks.payloads import ResponseRef
from bot.content.indexer import CourseIndexer
from bot.learner.flow import GIVE_UP_AFTER
from store.database import Database
from store.models import Conversation, Escalation, Message, Query, Response
from tests.fakes.llm import ChatRequest
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness, FrozenClock, reset_database, running_bot

COURSE = Path(__file__).resolve().parents[2] / "examples" / "python-course"
LEARNER = "U0LEARN01"
_PASSAGE_ID = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


async def seed_course(bot: BotHarness, slug: str = "python") -> int:
    """Index the example course with the fake embeddings; returns the course id."""
    result = await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, slug)
    return result.course_id


def cite_first_passage(request: ChatRequest, **overrides: Any) -> str:
    """A model that answers from, and cites, the first passage it was shown."""
    ids = [int(found) for found in _PASSAGE_ID.findall(request.prompt)]
    payload = {
        "answer": "Use **append** to add an item to the end of a list.",
        "used_chunk_ids": ids[:1],
        "intent": "course_content",
        "grounded": True,
        "grounding_score": 0.95,
        "lab_id": None,
    } | overrides
    return json.dumps(payload)


def answers_in(bot: BotHarness, channel: str) -> list[RecordedCall]:
    """Answer messages (those with the feedback buttons) posted to a channel."""
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == channel and ActionId.FEEDBACK_HELPFUL in str(c.args),
    )


async def count(bot: BotHarness, model: type[Any]) -> int:
    async with bot.deps.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_dm_question_gets_one_threaded_cited_answer(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)

    ts = await bot.dm(LEARNER, "How do I add an item to a list?")
    [post] = await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == channel
    )
    await bot.drain()

    assert answers_in(bot, channel) == [post]
    assert post.args["thread_ts"] == ts
    assert "append" in post.args["text"]
    blocks = post.args["blocks"]
    assert blocks[0]["text"]["text"] == "Use *append* to add an item to the end of a list."
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert "Day " in rendered
    assert "References" in rendered
    assert re.search(r"(🟢|🟡) \w+ confidence \(0\.\d\d\)", rendered)
    buttons = blocks[-1]["elements"]
    assert {b["action_id"] for b in buttons} == {
        ActionId.FEEDBACK_HELPFUL,
        ActionId.FEEDBACK_NOT_HELPFUL,
        ActionId.ESCALATE,
    }
    response_id = ResponseRef.unpack(buttons[0]["value"]).response_id
    # The working indicators came and went: the reaction the DM got on arrival, and the agent
    # session's status while the model answered.
    shown = bot.slack.calls_to("agents.sessions.setStatus", lambda c: c.args["thread_ts"] == ts)
    assert [c.args["status"] for c in shown] == ["processing", "active"]
    [seen] = bot.slack.calls_to("reactions.add")
    [cleared] = bot.slack.calls_to("reactions.remove")
    assert seen.args == cleared.args == {"channel": channel, "timestamp": ts, "name": "eyes"}
    assert seen.at < cleared.at
    assert bot.slack.reactions(channel, ts) == []
    assert bot.slack.errors == []

    async with bot.deps.sessions() as session:
        response = await session.get(Response, response_id)
        assert response is not None
        query = await session.get(Query, response.query_id)
        assert query is not None
        assert query.text == "How do I add an item to a list?"
        assert query.intent == "course_content"
        assert query.context["course_id"] is not None
        assert response.model == "fake-chat"
        assert response.prompt_tokens > 0
        assert response.completion_tokens > 0
        assert response.word_count == 12
        assert response.references[0]["label"].startswith("Day ")
        assert response.slack_ts == post_ts(bot, post)
        assert 0.4 <= response.confidence <= 1.0
        roles = (await session.scalars(select(Message.role).order_by(Message.id))).all()
        assert roles == ["learner", "assistant"]


def post_ts(bot: BotHarness, post: RecordedCall) -> str:
    """The ts FakeSlack gave the posted message."""
    channel = str(post.args["channel"])
    found = [m for m in bot.slack.messages(channel) if m.get("text") == post.args["text"]]
    return str(found[-1]["ts"])


async def test_follow_up_in_thread_carries_earlier_turns(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args.get("channel") == channel)
    await bot.drain()

    await bot.dm(LEARNER, "And how do I remove one?", thread_ts=root)
    await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == channel, count=2
    )
    await bot.drain()

    second = bot.llm.chat_calls[-1]
    turns = [(m["role"], m["content"]) for m in second.messages[1:]]
    assert turns[0] == ("user", "How do I add an item to a list?")
    assert turns[1][0] == "assistant"
    assert "append" in turns[1][1]
    assert turns[-1] == ("user", "And how do I remove one?")
    assert all(c.args["thread_ts"] == root for c in answers_in(bot, channel))
    assert await count(bot, Conversation) == 1
    assert bot.slack.errors == []


async def test_retry_while_first_delivery_is_in_flight_gets_one_answer(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    bot.llm.latency = 1.0
    channel = bot.slack.dm_channel_id(LEARNER)
    ts = bot.next_ts()

    await bot.dm(LEARNER, "How do I add an item to a list?", ts=ts, event_id="Ev0RETRY01")
    await bot.llm.wait_for_chat()  # the first delivery is being answered right now
    for attempt in (1, 2, 3):
        await bot.dm(
            LEARNER,
            "How do I add an item to a list?",
            ts=ts,
            event_id="Ev0RETRY01",
            retry_num=attempt,
        )
    await bot.drain()

    assert len(answers_in(bot, channel)) == 1
    assert len(bot.llm.chat_calls) == 1
    assert await count(bot, Query) == 1
    assert bot.slack.errors == []


async def test_low_confidence_answer_is_not_posted_and_escalates(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(
        lambda r: cite_first_passage(r, grounded=False, grounding_score=0.05, used_chunk_ids=[])
    )
    channel = bot.slack.dm_channel_id(LEARNER)

    await bot.dm(LEARNER, "How do I deploy to Kubernetes?")
    await bot.drain()

    assert answers_in(bot, channel) == []
    async with bot.deps.sessions() as session:
        [escalation] = (await session.scalars(select(Escalation))).all()
        [response] = (await session.scalars(select(Response))).all()
    assert response.confidence < 0.4
    assert "low_confidence" in json.dumps(escalation.triggers)
    assert bot.slack.calls_to("chat.postMessage", lambda c: c.args.get("channel") == channel)
    assert bot.slack.errors == []


async def test_human_request_escalates_without_calling_the_model(bot: BotHarness) -> None:
    await seed_course(bot)
    await bot.dm(LEARNER, "Can I talk to a human trainer please?")
    await bot.drain()
    assert bot.llm.chat_calls == []
    assert await count(bot, Escalation) == 1
    assert await count(bot, Response) == 0


async def test_learner_without_a_course_is_told_to_get_enrolled(bot: BotHarness) -> None:
    await seed_course(bot, "python")
    await seed_course(bot, "python-two")  # two courses and no enrolment: which one?
    channel = bot.slack.dm_channel_id(LEARNER)
    await bot.dm(LEARNER, "How do I add an item to a list?")
    [post] = await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == channel
    )
    await bot.drain()
    assert "enrol" in post.args["text"]
    assert bot.llm.chat_calls == []
    assert bot.slack.errors == []


async def test_llm_outage_ends_in_a_friendly_apology(database: Database) -> None:
    await reset_database(database)
    # A clock past the task's give-up time: the first failure is final, no waiting for backoff.
    late = FrozenClock(datetime.now(UTC) + GIVE_UP_AFTER + timedelta(minutes=1))
    async with running_bot(database, clock=late) as bot:
        await seed_course(bot)
        bot.llm.fail_ratio(1.0, status=500, endpoint="chat.completions")
        channel = bot.slack.dm_channel_id(LEARNER)
        ts = await bot.dm(LEARNER, "How do I add an item to a list?")
        [post] = await bot.slack.wait_for(
            "chat.postMessage", lambda c: c.args.get("channel") == channel
        )
        await bot.drain()
        assert post.args["thread_ts"] == ts
        assert "Sorry, I couldn't answer" in post.args["text"]
        assert "Injected" not in post.args["text"]
        assert answers_in(bot, channel) == []
        assert bot.slack.reactions(channel, ts) == []
        assert bot.llm.injected  # the model really was asked, and failed
        assert bot.slack.errors == []
