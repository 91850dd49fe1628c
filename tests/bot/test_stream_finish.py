"""The stream finish task: every attempt after the first ends with the same one message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.ids import ActionId
from bot.inbox import InboundMessage
from bot.learner.stream_finish import FINISH_STREAM, finish_stream
from bot.learner.stream_orphans import ABANDONED_AFTER, withdraw_abandoned
from bot.learner.turn import store_turn
from bot.tasks.outbox import METADATA_EVENT
from store.database import Database
from store.repositories.streams import AnswerStreamRepository
from store.tasks import ClaimedTask
from tests.harness import BotHarness, reset_database, running_bot

FOOTER = [
    {
        "type": "actions",
        "block_id": "answer_actions_0",
        "elements": [
            {
                "type": "button",
                "action_id": ActionId.FEEDBACK_HELPFUL.value,
                "text": {"type": "plain_text", "text": "Helpful"},
                "value": "x",
            }
        ],
    }
]
WHOLE = [{"type": "section", "text": {"type": "mrkdwn", "text": "Use *append*."}}, *FOOTER]


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[BotHarness]:
    await reset_database(database)
    async with running_bot(database, run_workers=False) as harness:
        yield harness


async def _stream(bot: BotHarness, channel: str, root: str) -> str:
    client = AsyncWebClient(token="xoxb-test", base_url=bot.slack.base_url)
    started = await client.api_call(
        "chat.startStream", json={"channel": channel, "thread_ts": root, "markdown_text": "Use "}
    )
    return str(started["ts"])


def _task(payload: dict[str, Any], attempts: int = 1) -> ClaimedTask:
    return ClaimedTask(7, FINISH_STREAM, payload, attempts, "dm:x", datetime.now(UTC), None, None)


def _payload(channel: str, root: str, ts: str, mode: str) -> dict[str, Any]:
    return {
        "mode": mode,
        "channel": channel,
        "thread_ts": root,
        "ts": ts,
        "response_id": 0,
        "markdown_text": "*append*.",
        "footer_blocks": FOOTER,
        "text": "Use **append**.",
        "blocks": WHOLE,
        "username": None,
        "icon_url": None,
    }


async def test_a_repeated_stop_finds_its_own_metadata_and_changes_nothing(
    bot: BotHarness,
) -> None:
    channel = bot.slack.dm_channel_id("U0LEARNER")
    root = bot.slack.add_message(channel, "q", user="U0LEARNER")["ts"]
    ts = await _stream(bot, channel, root)
    payload = _payload(channel, root, ts, "stop")

    await finish_stream(bot.deps, _task(payload))
    # The first attempt's reply was lost: the task runs again.
    await finish_stream(bot.deps, _task(payload, attempts=2))

    [message] = [m for m in bot.slack.messages(channel) if m["ts"] == ts]
    assert message["text"] == "Use *append*."
    assert message["blocks"] == FOOTER
    assert message["metadata"] == {"event_type": METADATA_EVENT, "event_payload": {"task_id": 7}}
    assert bot.slack.calls_to("chat.update") == []
    assert bot.slack.calls_to("conversations.replies")
    assert [e.error for e in bot.slack.errors] == ["message_not_in_streaming_state"]


async def test_a_stream_stopped_by_someone_else_is_replaced_by_the_whole_answer(
    bot: BotHarness,
) -> None:
    channel = bot.slack.dm_channel_id("U0LEARNER")
    root = bot.slack.add_message(channel, "q", user="U0LEARNER")["ts"]
    ts = await _stream(bot, channel, root)
    bot.slack.stop_stream_by_user(channel, ts)

    await finish_stream(bot.deps, _task(_payload(channel, root, ts, "stop")))

    [message] = [m for m in bot.slack.messages(channel) if m["ts"] == ts]
    assert message["blocks"] == WHOLE
    assert message["text"] == "Use **append**."
    assert message["metadata"]["event_type"] == METADATA_EVENT


async def test_a_replaced_stream_that_vanished_is_posted_again_once(bot: BotHarness) -> None:
    channel = bot.slack.dm_channel_id("U0LEARNER")
    root = bot.slack.add_message(channel, "q", user="U0LEARNER")["ts"]
    ts = await _stream(bot, channel, root)
    client = AsyncWebClient(token="xoxb-test", base_url=bot.slack.base_url)
    await client.chat_delete(channel=channel, ts=ts)
    payload = _payload(channel, root, ts, "replace")

    result = await finish_stream(bot.deps, _task(payload))
    await finish_stream(bot.deps, _task(payload, attempts=2))
    bot.deps.work.wake()
    async with running_bot(bot.deps.db, slack=bot.slack, llm=bot.llm) as worker:
        [post] = await bot.slack.wait_for("chat.postMessage")
        await worker.drain()

    assert result == {"posted_again": True}
    assert post.args["blocks"] == WHOLE
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


async def test_a_withdrawn_stream_is_stopped_and_deleted(bot: BotHarness) -> None:
    channel = bot.slack.dm_channel_id("U0LEARNER")
    root = bot.slack.add_message(channel, "q", user="U0LEARNER")["ts"]
    ts = await _stream(bot, channel, root)
    payload = _payload(channel, root, ts, "withdraw")

    await finish_stream(bot.deps, _task(payload))
    await finish_stream(bot.deps, _task(payload, attempts=2))

    assert [m for m in bot.slack.messages(channel) if m["ts"] == ts] == []
    assert not bot.slack.is_streaming(channel, ts)


async def test_a_stream_nothing_finished_is_withdrawn_by_the_sweep(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database) as bot:
        channel = bot.slack.dm_channel_id("U0LEARNER")
        root = bot.slack.add_message(channel, "q", user="U0LEARNER")["ts"]
        message = InboundMessage("Ev1", "U0LEARNER", channel, root, None, "q", False)
        turn = await store_turn(bot.deps, message)
        ts = await _stream(bot, channel, root)
        async with bot.deps.sessions.begin() as session:
            streams = AnswerStreamRepository(session)
            row = await streams.claim(turn.message_id, channel, root)
            assert row is not None
            await streams.set_ts(row.id, ts)
        now = datetime.now(UTC)

        early = await withdraw_abandoned(bot.deps, now)
        late = await withdraw_abandoned(bot.deps, now + ABANDONED_AFTER + timedelta(seconds=1))
        again = await withdraw_abandoned(bot.deps, now + 2 * ABANDONED_AFTER)
        await bot.slack.wait_for("chat.delete")
        await bot.drain()

        assert (early, late, again) == (0, 1, 0)
        assert [m for m in bot.slack.messages(channel) if m["ts"] == ts] == []
        assert not bot.slack.is_streaming(channel, ts)
