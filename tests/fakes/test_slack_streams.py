"""The fake Slack's streaming messages, driven by the real slack_sdk client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_contract import SLACK_REFERENCE

BUTTONS = {
    "type": "actions",
    "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Helpful"}}],
}
METADATA = {"event_type": "coachbot_outbox", "event_payload": {"task_id": 7}}


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.base_url)


async def _error(client: AsyncWebClient, method: str, **args: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call(method, json=args)
    return str(raised.value.response["error"])


async def test_a_stream_is_in_the_thread_while_it_streams_and_final_once_stopped(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    dm = slack.dm_channel_id("U0LEARNER")
    root = slack.add_message(dm, "how do I slice?", user="U0LEARNER")["ts"]

    started = await client.api_call(
        "chat.startStream", json={"channel": dm, "thread_ts": root, "markdown_text": "Use "}
    )
    ts = started["ts"]
    await client.api_call(
        "chat.appendStream", json={"channel": dm, "ts": ts, "markdown_text": "`xs[1:3]`"}
    )
    replies = await client.conversations_replies(channel=dm, ts=root)
    streaming = replies["messages"][-1]

    assert streaming["ts"] == ts
    assert streaming["text"] == "Use `xs[1:3]`"
    assert slack.is_streaming(dm, ts)

    stopped = await client.api_call(
        "chat.stopStream",
        json={
            "channel": dm,
            "ts": ts,
            "markdown_text": ".",
            "blocks": [BUTTONS],
            "metadata": METADATA,
        },
    )

    assert stopped["message"]["text"] == "Use `xs[1:3]`."
    assert not slack.is_streaming(dm, ts)
    [message] = [m for m in slack.messages(dm) if m["ts"] == ts]
    assert message["blocks"] == [BUTTONS]
    assert message["metadata"] == METADATA
    assert await _error(client, "chat.appendStream", channel=dm, ts=ts, markdown_text="x") == (
        "message_not_in_streaming_state"
    )
    assert await _error(client, "chat.stopStream", channel=dm, ts=ts) == (
        "message_not_in_streaming_state"
    )
    assert [e.error for e in slack.errors] == ["message_not_in_streaming_state"] * 2


async def test_streaming_calls_are_checked_against_the_reference(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    dm = slack.dm_channel_id("U0LEARNER")
    root = slack.add_message(dm, "q", user="U0LEARNER")["ts"]
    ts = (await client.api_call("chat.startStream", json={"channel": dm, "thread_ts": root}))["ts"]
    posted = (await client.chat_postMessage(channel=dm, text="not a stream"))["ts"]

    # stopStream takes no `text`; appendStream needs markdown_text; metadata needs its fields.
    assert await _error(client, "chat.stopStream", channel=dm, ts=ts, text="x") == (
        "invalid_arguments"
    )
    assert await _error(client, "chat.appendStream", channel=dm, ts=ts) == "invalid_arguments"
    assert await _error(client, "chat.appendStream", channel=dm, ts=ts, markdown_text="") == (
        "no_text"
    )
    long = "x" * 12_001
    assert await _error(client, "chat.appendStream", channel=dm, ts=ts, markdown_text=long) == (
        "invalid_arguments"
    )
    bad_metadata = {"event_type": "x"}
    assert await _error(client, "chat.stopStream", channel=dm, ts=ts, metadata=bad_metadata) == (
        "invalid_metadata_format"
    )
    bad_blocks = [{"type": "section"}]
    assert await _error(client, "chat.stopStream", channel=dm, ts=ts, blocks=bad_blocks) == (
        "invalid_blocks"
    )
    assert await _error(client, "chat.startStream", channel="C0GENERAL") == (
        "missing_recipient_user_id"
    )
    assert await _error(client, "chat.appendStream", channel=dm, ts=posted, markdown_text="x") == (
        "message_not_in_streaming_state"
    )
    assert await _error(client, "chat.stopStream", channel=dm, ts="1.000001") == (
        "message_not_found"
    )
    assert slack.is_streaming(dm, ts)
    # Every error the fake answers is one the reference lists for the method.
    for rejected in slack.errors:
        reference = SLACK_REFERENCE / "web-api" / "methods" / f"{rejected.method}.json"
        listed = json.loads(reference.read_text())["errors"]
        assert rejected.error in listed or rejected.error in ("invalid_arguments", "no_text")


async def test_the_sdks_chunks_stream_too(slack: FakeSlack, client: AsyncWebClient) -> None:
    dm = slack.dm_channel_id("U0LEARNER")
    root = slack.add_message(dm, "q", user="U0LEARNER")["ts"]

    chunk = {"type": "markdown_text", "text": "Hello"}
    started = await client.chat_startStream(channel=dm, thread_ts=root, chunks=[chunk])
    await client.chat_stopStream(channel=dm, ts=started["ts"], markdown_text=" world")

    [message] = [m for m in slack.messages(dm) if m["ts"] == started["ts"]]
    assert message["text"] == "Hello world"


async def test_a_learner_stop_refuses_later_appends(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    dm = slack.dm_channel_id("U0LEARNER")
    root = slack.add_message(dm, "q", user="U0LEARNER")["ts"]
    ts = (await client.api_call("chat.startStream", json={"channel": dm, "thread_ts": root}))["ts"]

    slack.stop_stream_by_user(dm, ts)

    assert await _error(client, "chat.appendStream", channel=dm, ts=ts, markdown_text="x") == (
        "stopped_by_user"
    )


async def test_streaming_can_be_made_unavailable(slack: FakeSlack, client: AsyncWebClient) -> None:
    dm = slack.dm_channel_id("U0LEARNER")
    root = slack.add_message(dm, "q", user="U0LEARNER")["ts"]
    slack.disable_streaming("not_allowed")

    for _ in range(3):
        assert await _error(client, "chat.startStream", channel=dm, thread_ts=root) == (
            "not_allowed"
        )
    await client.chat_postMessage(channel=dm, thread_ts=root, text="still posts")

    assert [f.target for f in slack.injected] == ["chat.startStream"] * 3
    slack.clear_faults()
    await client.api_call("chat.startStream", json={"channel": dm, "thread_ts": root})
