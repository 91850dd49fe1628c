"""Requests that must not be answered: forged, stale, bot, edited and deleted messages."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from store.models import Message, Task
from tests.harness import BotHarness
from tests.scenario.test_answers import LEARNER, answers_in, cite_first_passage, seed_course


async def tasks_stored(bot: BotHarness) -> int:
    async with bot.deps.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Task)) or 0)


def dm_event(bot: BotHarness, text: str, **fields: object) -> dict[str, object]:
    ts = bot.next_ts()
    return {
        "type": "message",
        "channel": bot.slack.dm_channel_id(LEARNER),
        "channel_type": "im",
        "user": LEARNER,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    } | fields


async def test_bad_signature_is_refused_and_nothing_stored(bot: BotHarness) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": dm_event(bot, "hi")})
    status, _ = await bot.post(body, content_type="application/json", secret="not-the-secret")
    assert status == 401
    status, _ = await bot.post(body, content_type="application/json", signed=False)
    assert status == 401
    assert await tasks_stored(bot) == 0


async def test_stale_timestamp_is_refused_and_nothing_stored(bot: BotHarness) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "Ev2", "event": dm_event(bot, "hi")})
    status, _ = await bot.post(
        body, content_type="application/json", timestamp=int(time.time()) - 5 * 60 - 30
    )
    assert status == 401
    assert await tasks_stored(bot) == 0
    assert bot.slack.calls == []


async def test_bot_edit_and_delete_events_get_no_reply(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    events = [
        dm_event(bot, "I am a bot", bot_id="B0OTHER01", subtype="bot_message"),
        dm_event(bot, "own message", user=bot.slack.bot_user_id, bot_id="B0BOT0001"),
        dm_event(
            bot,
            "",
            subtype="message_changed",
            message={"type": "message", "user": LEARNER, "text": "edited question", "ts": "1.1"},
        ),
        dm_event(bot, "", subtype="message_deleted", deleted_ts="1.1"),
    ]
    for event in events:
        status, _ = await bot.send_event(event)
        assert status == 200
    await bot.drain()
    assert bot.slack.calls_to("chat.postMessage") == []
    assert bot.llm.chat_calls == []
    assert await tasks_stored(bot) == 0


async def test_file_only_dm_gets_a_short_explanation(bot: BotHarness) -> None:
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    event = dm_event(bot, "", subtype="file_share", files=[{"id": "F0001", "name": "x.png"}])
    await bot.send_event(event)
    [post] = await bot.slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == channel)
    await bot.drain()
    assert "I couldn't read your file" in post.args["text"]
    assert "text files" in post.args["text"]
    assert post.args["thread_ts"] == event["ts"]
    assert bot.llm.chat_calls == []


async def test_same_event_delivered_twice_is_answered_once(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    event = dm_event(bot, "How do I add an item to a list?")
    await bot.send_event(event, event_id="Ev0TWICE01")
    await bot.drain()
    await bot.send_event(event, event_id="Ev0TWICE01", retry_num=1)
    await bot.drain()
    assert len(answers_in(bot, channel)) == 1
    async with bot.deps.sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(Message))
    assert stored == 2  # the question once and the answer once
    assert bot.slack.errors == []
