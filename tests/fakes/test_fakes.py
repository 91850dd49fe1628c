"""The fakes, driven by the real slack_sdk and openai clients."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.llm import ChatRequest, FakeLLM
from tests.fakes.slack_api import FakeSlack

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Hello *learner*"}}
MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Ask a trainer"},
    "blocks": [SECTION],
}


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.base_url)


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as fake:
        yield fake


@pytest.fixture
def openai_client(llm: FakeLLM) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=llm.base_url, api_key="test")


async def rejection(client: AsyncWebClient, method: str, **args: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call(method, json=args)
    data: dict[str, Any] = raised.value.response.data
    return data


# ---- fake Slack: the contract


async def test_post_message_with_blocks_is_accepted_and_recorded(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="Hello", blocks=[SECTION])
    second = await client.chat_postMessage(channel="C1", text="Again", thread_ts=first["ts"])

    [call] = await slack.wait_for("chat.postMessage", lambda c: c.args["text"] == "Hello")
    assert call.args == {"channel": "C1", "text": "Hello", "blocks": [SECTION]}
    assert call.token == "xoxb-test"
    assert first["ts"] == "1700000000.000100"
    assert second["ts"] > first["ts"]
    assert first["message"]["blocks"] == [SECTION]
    replies = await client.conversations_replies(channel="C1", ts=first["ts"])
    assert [m["text"] for m in replies["messages"]] == ["Hello", "Again"]
    assert slack.errors == []


async def test_form_encoded_json_arguments_are_decoded(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    data = {"channel": "C1", "text": "Hi", "blocks": json.dumps([SECTION])}
    await client.api_call("chat.postMessage", data=data)

    assert slack.calls_to("chat.postMessage")[0].args["blocks"] == [SECTION]


@pytest.mark.parametrize(
    ("method", "args", "error", "reason_part"),
    [
        ("chat.postMessage", {"text": "hi"}, "invalid_arguments", "channel"),
        ("chat.postMessage", {"channel": "C1", "text": "hi", "colour": "red"}, "", "colour"),
        ("chat.postMessage", {"channel": "C1", "blocks": [SECTION]}, "invalid_arguments", "text"),
        ("chat.postMessage", {"channel": "C1"}, "no_text", "text"),
        ("chat.sendTelegram", {"channel": "C1"}, "unknown_method", "chat.sendTelegram"),
    ],
)
async def test_calls_breaking_the_reference_are_rejected(
    slack: FakeSlack,
    client: AsyncWebClient,
    method: str,
    args: dict[str, Any],
    error: str,
    reason_part: str,
) -> None:
    data = await rejection(client, method, **args)

    assert data["error"] == (error or "invalid_arguments")
    assert reason_part in data["fake_reason"]
    assert [e.error for e in slack.errors] == [data["error"]]
    assert slack.calls == []


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{"type": "divider"}] * 51,
        [{"type": "carousel"}],
    ],
    ids=["section-text-over-3000", "51-blocks", "unknown-type"],
)
async def test_invalid_block_kit_is_rejected(
    slack: FakeSlack, client: AsyncWebClient, blocks: list[dict[str, Any]]
) -> None:
    data = await rejection(client, "chat.postMessage", channel="C1", text="t", blocks=blocks)

    assert data["error"] == "invalid_blocks"
    assert slack.errors[0].method == "chat.postMessage"


async def test_views_are_validated_and_get_ids(slack: FakeSlack, client: AsyncWebClient) -> None:
    opened = await client.views_open(trigger_id="1.2.abc", view=MODAL)
    home = await client.views_publish(user_id="U1", view={"type": "home", "blocks": [SECTION]})
    too_long = {**MODAL, "title": {"type": "plain_text", "text": "A title that is far too long"}}
    data = await rejection(client, "views.open", trigger_id="1.2.abc", view=too_long)

    assert opened["view"]["id"].startswith("V")
    assert slack.view(opened["view"]["id"]) is not None
    assert slack.home_view("U1") == home["view"]
    assert data["error"] == "invalid_arguments"
    assert "title" in data["fake_reason"]


async def test_views_update_keeps_the_id_and_checks_the_hash(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    opened = (await client.views_open(trigger_id="1.2.abc", view=MODAL))["view"]
    updated = (await client.views_update(view_id=opened["id"], view=MODAL, hash=opened["hash"]))[
        "view"
    ]
    stale = await rejection(
        client, "views.update", view_id=opened["id"], view=MODAL, hash=opened["hash"]
    )

    assert updated["id"] == opened["id"]
    assert stale["error"] == "hash_conflict"


async def test_missing_token_is_not_authed(slack: FakeSlack) -> None:
    anonymous = AsyncWebClient(base_url=slack.base_url)
    data = await rejection(anonymous, "auth.test")

    assert data["error"] == "not_authed"


# ---- fake Slack: responses and state


async def test_workspace_answers(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.add_user("U2", real_name="Ada Lovelace", email="ada@example.com")
    question = slack.add_message("D1", "How do tuples work?", user="U2")

    auth = await client.auth_test()
    dm = await client.conversations_open(users="U2")
    ada = await client.users_info(user="U2")
    anyone = await client.users_info(user="U3")
    await client.reactions_add(channel="D1", timestamp=question["ts"], name="eyes")
    answer = await client.chat_postMessage(channel="D1", text="...", thread_ts=question["ts"])
    await client.chat_update(channel="D1", ts=answer["ts"], text="Tuples are immutable.")
    link = await client.chat_getPermalink(channel="D1", message_ts=answer["ts"])
    cannot = await rejection(client, "chat.update", channel="D1", ts=question["ts"], text="x")

    assert auth["user_id"] == slack.bot_user_id
    assert dm["channel"]["id"] == slack.dm_channel_id("U2")
    assert ada["user"]["real_name"] == "Ada Lovelace"
    assert ada["user"]["profile"]["email"] == "ada@example.com"
    assert anyone["user"]["profile"]["image_72"].startswith("https://")
    assert slack.reactions("D1", question["ts"]) == ["eyes"]
    assert slack.messages("D1")[-1]["text"] == "Tuples are immutable."
    assert "thread_ts=" in link["permalink"]
    assert cannot["error"] == "cant_update_message"


async def test_files_upload_v2_round_trips(slack: FakeSlack, client: AsyncWebClient) -> None:
    result = await client.files_upload_v2(
        channel="C1", content="week,answers\n1,12\n", filename="report.csv", title="Report"
    )

    uploaded = slack.files[result["file"]["id"]]
    assert uploaded.text == "week,answers\n1,12\n"
    assert (uploaded.title, uploaded.channel_id, uploaded.completed) == ("Report", "C1", True)
    assert slack.messages("C1")[0]["files"][0]["name"] == "report.csv"
    assert slack.errors == []


async def test_response_url_posts_are_recorded(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as http:
        body = {"text": "Done", "replace_original": True}
        async with http.post(slack.response_url("r1"), json=body) as response:
            assert response.status == 200

    [call] = await slack.wait_for("response_url")
    assert call.args["text"] == "Done"
    assert call.path.endswith("/r1")


# ---- fake Slack: waiting and faults


async def test_wait_for_wakes_on_a_later_call(slack: FakeSlack, client: AsyncWebClient) -> None:
    waiter = asyncio.create_task(slack.wait_for("chat.postMessage", count=2))
    await client.chat_postMessage(channel="C1", text="one")
    assert not waiter.done()
    await client.chat_postMessage(channel="C1", text="two")

    calls = await asyncio.wait_for(waiter, 5)
    assert [c.args["text"] for c in calls] == ["one", "two"]
    # A predicate that raises KeyError on calls without thread_ts just does not match them.
    reply = asyncio.create_task(
        slack.wait_for("chat.postMessage", lambda c: c.args["thread_ts"] == "1700000000.000100")
    )
    await client.chat_postMessage(channel="C1", text="three", thread_ts="1700000000.000100")
    assert (await asyncio.wait_for(reply, 5))[0].args["text"] == "three"


async def test_wait_for_times_out_with_what_it_saw(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C1", text="not the one")

    with pytest.raises(AssertionError) as raised:
        await slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C9", timeout=0.2)
    assert "1 x chat.postMessage" in str(raised.value)
    assert "not the one" in str(raised.value)


async def test_rate_limit_is_retried_into_one_accepted_call(slack: FakeSlack) -> None:
    retrying = AsyncWebClient(
        token="xoxb-test",
        base_url=slack.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.inject("chat.postMessage", status=429, retry_after=0, times=1)

    await retrying.chat_postMessage(channel="C1", text="eventually")

    assert len(slack.calls_to("chat.postMessage")) == 1
    assert [(f.target, f.fault.status) for f in slack.injected] == [("chat.postMessage", 429)]
    assert slack.errors == []


async def test_server_errors_and_api_errors_can_be_injected(slack: FakeSlack) -> None:
    retrying = AsyncWebClient(
        token="xoxb-test",
        base_url=slack.base_url,
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=2)],
    )
    slack.inject(status=503, times=2)
    slack.inject("chat.postMessage", error="channel_not_found")

    await retrying.auth_test()
    with pytest.raises(SlackApiError) as raised:
        await retrying.chat_postMessage(channel="C404", text="hello?")

    assert raised.value.response["error"] == "channel_not_found"
    assert [c.method for c in slack.calls] == ["auth.test"]
    assert len(slack.injected) == 3


async def test_latency_delays_only_the_chosen_method(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.set_latency(0.3, "users.info")
    start = time.monotonic()
    await asyncio.gather(*(client.users_info(user=f"U{i}") for i in range(5)))
    slow = time.monotonic() - start
    start = time.monotonic()
    await client.auth_test()

    assert 0.3 <= slow < 2
    assert time.monotonic() - start < 0.3


async def test_hold_keeps_one_method_waiting_until_released(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    with slack.hold("users.info") as held:
        waiting = asyncio.create_task(client.users_info(user="U1"))
        await held.wait_arrived()
        await client.auth_test()  # other methods are answered meanwhile
        assert not waiting.done()
        assert slack.calls_to("users.info") == []
        held.release()
        assert (await asyncio.wait_for(waiting, 5))["user"]["id"] == "U1"
    assert [c.method for c in slack.calls] == ["auth.test", "users.info"]


async def test_leaving_a_hold_releases_it(slack: FakeSlack) -> None:
    async with aiohttp.ClientSession() as http:
        with slack.hold("response_url") as held:
            post = asyncio.create_task(http.post(slack.response_url("r1"), json={"text": "x"}))
            await held.wait_arrived()
        async with await asyncio.wait_for(post, 5) as response:
            assert response.status == 200
    assert len(slack.calls_to("response_url")) == 1


# ---- fake LLM


class Answer(BaseModel):
    answer: str
    confidence: float
    escalate: bool


COURSE_PROMPT: list[ChatCompletionMessageParam] = [
    {
        "role": "system",
        "content": "Answer from the context. Context: Lists are mutable. "
        "Tuples cannot be changed after they are created. Sets hold unique items.",
    },
    {"role": "user", "content": "Can tuples be changed after creation?"},
]


async def test_chat_completion_quotes_the_context(
    llm: FakeLLM, openai_client: openai.AsyncOpenAI
) -> None:
    plain = await openai_client.chat.completions.create(model="m", messages=COURSE_PROMPT)
    parsed = await openai_client.chat.completions.parse(
        model="m",
        messages=COURSE_PROMPT,
        response_format=Answer,
    )

    assert "Tuples cannot be changed" in (plain.choices[0].message.content or "")
    assert plain.choices[0].finish_reason == "stop"
    assert plain.usage is not None
    assert plain.usage.total_tokens > 0
    answer = parsed.choices[0].message.parsed
    assert answer is not None
    assert "Tuples cannot be changed" in answer.answer
    assert answer.escalate is False
    [first, second] = await llm.wait_for_chat(count=2)
    assert second.json_schema is not None
    assert first.reply == plain.choices[0].message.content


async def test_scripted_replies(llm: FakeLLM, openai_client: openai.AsyncOpenAI) -> None:
    llm.reply_with('{"answer": "42"}')
    fixed = await openai_client.chat.completions.create(model="m", messages=COURSE_PROMPT)

    async def echo(request: ChatRequest) -> str:
        return request.last_user_message.upper()

    llm.reply_with(echo)
    echoed = await openai_client.chat.completions.create(model="m", messages=COURSE_PROMPT)

    assert fixed.choices[0].message.content == '{"answer": "42"}'
    assert echoed.choices[0].message.content == "CAN TUPLES BE CHANGED AFTER CREATION?"


async def test_streaming(openai_client: openai.AsyncOpenAI) -> None:
    stream = await openai_client.chat.completions.create(
        model="m",
        messages=COURSE_PROMPT,
        stream=True,
    )
    parts = [chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices]

    assert "Tuples cannot be changed" in "".join(parts)


async def test_streaming_is_paced_to_the_latency(
    llm: FakeLLM, openai_client: openai.AsyncOpenAI
) -> None:
    llm.reply_with('{"answer": "a \\"quoted\\" word"}')
    llm.latency, llm.first_token_latency, llm.stream_chunk_chars = 0.6, 0.2, 3
    start = time.monotonic()
    stream = await openai_client.chat.completions.create(
        model="m", messages=COURSE_PROMPT, stream=True
    )
    arrivals: list[tuple[float, str]] = []
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append((time.monotonic() - start, chunk.choices[0].delta.content))

    [call] = await llm.wait_for_chat()
    assert "".join(piece for _, piece in arrivals) == call.reply == call.streamed
    assert all(len(piece) <= 3 for _, piece in arrivals)
    assert arrivals[0][0] >= 0.2
    assert arrivals[-1][0] >= 0.6
    assert arrivals[-1][0] - arrivals[0][0] >= 0.35


async def test_embeddings_are_deterministic_and_similar_texts_overlap(
    llm: FakeLLM, openai_client: openai.AsyncOpenAI
) -> None:
    texts = ["tuples are immutable", "tuples are immutable", "are tuples immutable", "pizza"]
    result = await openai_client.embeddings.create(model="e", input=texts)
    vectors = [d.embedding for d in result.data]

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert len(vectors[0]) == 384
    assert math.isclose(cosine(vectors[0], vectors[0]), 1.0, rel_tol=1e-6)
    assert vectors[0] == vectors[1]
    # The openai client asks for base64 (float32) by default, hence the tolerance.
    expected = llm.embed("tuples are immutable")
    assert all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(vectors[0], expected, strict=True))
    assert cosine(vectors[0], vectors[2]) > 0.9
    assert abs(cosine(vectors[0], vectors[3])) < 0.6
    [call] = await llm.wait_for_embeddings()
    assert call.inputs == texts


async def test_latency_applies_concurrently(
    llm: FakeLLM, openai_client: openai.AsyncOpenAI
) -> None:
    llm.latency = 0.5
    start = time.monotonic()
    await asyncio.gather(
        *(
            openai_client.chat.completions.create(model="m", messages=COURSE_PROMPT)
            for _ in range(10)
        )
    )

    assert 0.5 <= time.monotonic() - start < 3
    assert llm.max_in_flight == 10


async def test_injected_failures(llm: FakeLLM) -> None:
    no_retry = openai.AsyncOpenAI(base_url=llm.base_url, api_key="test", max_retries=0)
    retrying = openai.AsyncOpenAI(base_url=llm.base_url, api_key="test", max_retries=1)
    llm.inject(500, times=1)
    llm.inject(429, times=1, retry_after=0.05)

    with pytest.raises(openai.InternalServerError):
        await no_retry.chat.completions.create(model="m", messages=COURSE_PROMPT)
    await retrying.chat.completions.create(model="m", messages=COURSE_PROMPT)

    assert [f.fault.status for f in llm.injected] == [500, 429]
    assert len(llm.chat_calls) == 1
