"""The latency bench's load generator: runs in a process of its own, so its work does not slow
the servers' event loop. Every stamp is ``time.monotonic()``, one clock for every process.

Two loads:

- ``fire``: each learner sends DMs back to back, the next as soon as the previous is acked (the
  ack load, sent alike to coachbot and to both baselines); returns every response time.
- ``converse``: each learner asks a question in a new DM, waits until the parent process says
  it was answered, then asks the next one (the load a learner feels); returns every DM sent.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import astuple
from multiprocessing.connection import Connection

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bench.latency_measures import SentDM
from tests.harness import SIGNING_SECRET, TEAM_ID

QUESTIONS = [
    "How do I add an item to a list?",
    "What does range() return in a for loop?",
    "How do I define a function with default arguments?",
    "What is the difference between a tuple and a list?",
    "How do I read a file line by line?",
]
# A learner whose answer has not come after this long asks the next question anyway.
ANSWER_TIMEOUT = 60.0


def event_body(user: str, channel: str, ts: str, text: str, event_id: str, bot_user: str) -> str:
    """An Events API callback for a learner's top-level DM."""
    event = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
    }
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0APP0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": bot_user, "is_bot": True}],
        }
    )


async def post_signed(http: aiohttp.ClientSession, url: str, body: str) -> tuple[float, float]:
    """POST a body signed as Slack signs it; (sent, answered) monotonic stamps."""
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
            timestamp=stamp, body=body
        ),
    }
    sent = time.monotonic()
    async with http.post(url, data=body.encode(), headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]}")
    return sent, time.monotonic()


def message_ts(learner: int, n: int, base: int) -> str:
    """A ts unique to one learner's n-th DM, increasing like Slack's."""
    return f"{base + n}.{learner:06d}"


# ---- the ack load


async def _back_to_back(
    http: aiohttp.ClientSession,
    url: str,
    learner: int,
    user: str,
    channel: str,
    count: int,
    bot_user: str,
    base: int,
) -> list[float]:
    timings = []
    for n in range(count):
        ts = message_ts(learner, n, base)
        body = event_body(
            user, channel, ts, QUESTIONS[n % len(QUESTIONS)], f"Ev{user}a{base}n{n}", bot_user
        )
        sent, acked = await post_signed(http, url, body)
        timings.append(acked - sent)
    return timings


async def _fire(
    url: str, users: list[tuple[str, str]], count: int, bot_user: str, base: int
) -> list[float]:
    connector = aiohttp.TCPConnector(limit=len(users) + 5)
    async with aiohttp.ClientSession(connector=connector) as http:
        runs = [
            _back_to_back(http, url, i, user, channel, count, bot_user, base)
            for i, (user, channel) in enumerate(users)
        ]
        return [s for timings in await asyncio.gather(*runs) for s in timings]


def fire(
    url: str, users: list[tuple[str, str]], count: int, bot_user: str, base: int
) -> list[float]:
    """Child-process entry point: the ack load; every response time in seconds."""
    return asyncio.run(_fire(url, users, count, bot_user, base))


# ---- the conversational load


class _Answers:
    """Answered threads as the parent reports them over a pipe: (channel, thread ts) lines, or
    (channel, "*") for "the answer streaming in this channel is complete"."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._waiting: dict[tuple[str, str], asyncio.Event] = {}
        self._current: dict[str, str] = {}  # channel -> the ts its learner waits on
        asyncio.get_running_loop().add_reader(conn.fileno(), self._read)

    def _read(self) -> None:
        while self._conn.poll():
            channel, ts = self._conn.recv()
            if ts == "*":
                ts = self._current.get(channel, "")
            event = self._waiting.get((channel, ts))
            if event is not None:
                event.set()

    async def wait(self, channel: str, ts: str) -> bool:
        """Wait for the answer to the DM ``ts``; False after ANSWER_TIMEOUT."""
        event = self._waiting.setdefault((channel, ts), asyncio.Event())
        self._current[channel] = ts
        try:
            await asyncio.wait_for(event.wait(), ANSWER_TIMEOUT)
        except TimeoutError:
            return False
        return True

    def expect(self, channel: str, ts: str) -> None:
        """Listen for this DM's answer from now on (an answer may beat the 200)."""
        self._waiting.setdefault((channel, ts), asyncio.Event())
        self._current[channel] = ts


async def _learner(
    http: aiohttp.ClientSession,
    answers: _Answers,
    url: str,
    learner: int,
    user: str,
    channel: str,
    rounds: int,
    delay: float,
    bot_user: str,
    base: int,
) -> list[SentDM]:
    await asyncio.sleep(delay)
    sent_dms = []
    for n in range(rounds):
        ts = message_ts(learner, n, base)
        marker = f"(ref {user}-{base}-{n})"
        text = f"{QUESTIONS[(learner + n) % len(QUESTIONS)]} {marker}"
        body = event_body(user, channel, ts, text, f"Ev{user}c{base}n{n}", bot_user)
        answers.expect(channel, ts)
        sent, acked = await post_signed(http, url, body)
        sent_dms.append(SentDM(user, channel, ts, sent, acked, marker))
        await answers.wait(channel, ts)
    return sent_dms


async def _converse(
    url: str,
    users: list[tuple[str, str]],
    rounds: int,
    stagger: float,
    bot_user: str,
    base: int,
    conn: Connection,
) -> list[SentDM]:
    answers = _Answers(conn)
    connector = aiohttp.TCPConnector(limit=len(users) + 5)
    async with aiohttp.ClientSession(connector=connector) as http:
        runs = [
            _learner(
                http,
                answers,
                url,
                i,
                user,
                channel,
                rounds,
                stagger * i / len(users),
                bot_user,
                base,
            )
            for i, (user, channel) in enumerate(users)
        ]
        return [dm for dms in await asyncio.gather(*runs) for dm in dms]


def converse(
    url: str,
    users: list[tuple[str, str]],
    rounds: int,
    stagger: float,
    bot_user: str,
    base: int,
    answers: Connection,
    results: Connection,
) -> None:
    """Child-process entry point: the conversational load, told of answers over ``answers``;
    sends every DM it sent back over ``results``."""
    dms = asyncio.run(_converse(url, users, rounds, stagger, bot_user, base, answers))
    results.send([astuple(dm) for dm in dms])
