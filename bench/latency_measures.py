"""What a learner feels, worked out from recorded timestamps: the pure part of latency_bench.py.

Every time here is a ``time.monotonic()`` reading (seconds), which is one clock for every process
of the machine: the load generator stamps when it sent each DM and when its 200 came back, the
fake Slack stamps when each Web API call arrived, the fake LLM when each chat request arrived and
when it sent the first token. Nothing here reads a clock or does I/O, so tests can feed it a
recorded list of calls.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Calls that show the learner, in their thread, that the coach is on it.
SIGN_OF_LIFE_METHODS = frozenset(
    {"agents.sessions.setStatus", "reactions.add", "chat.startStream", "chat.postMessage"}
)
STREAM_WRITES = frozenset({"chat.startStream", "chat.appendStream"})


class Call(Protocol):
    """A Web API call as the fake Slack recorded it (``tests.fakes.slack_api.RecordedCall``)."""

    @property
    def method(self) -> str: ...

    @property
    def args(self) -> dict[str, Any]: ...

    @property
    def at(self) -> float: ...


@dataclass(frozen=True)
class SentDM:
    """One DM the load generator sent: its message ts, and when it went out and was acked."""

    user: str
    channel: str
    ts: str
    sent_at: float
    acked_at: float
    marker: str = ""  # a tag only this DM's text carries, to find its chat request


@dataclass(frozen=True)
class Felt:
    """What one DM's learner saw, in seconds after the DM was sent (None: never seen)."""

    ack: float
    sign_of_life: float | None
    sign_of_life_by: str | None  # the method that gave it
    first_words: float | None
    words_streamed: bool  # False: first_words is the first answer post (nothing streamed)
    words_after_first_token: float | None  # first words minus the model's first token


def percentiles(values: Iterable[float]) -> dict[str, float]:
    """count, p50, p95, p99, max and mean of ``values`` (nearest-rank percentiles).

    The p-th percentile is the smallest value with at least p % of the values at or below it,
    so it is always one of the values; of 100 values, p99 is the second largest.
    """
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {
        "count": len(ordered),
        "p50": rank(50),
        "p95": rank(95),
        "p99": rank(99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def in_ms(summary: Mapping[str, float]) -> dict[str, float]:
    """A ``percentiles`` summary of seconds, in milliseconds rounded to 0.1 (count unchanged)."""
    return {k: (v if k == "count" else round(v * 1000, 1)) for k, v in summary.items()}


def is_sign_of_life(call: Call, channel: str, ts: str) -> bool:
    """Whether ``call`` shows, in the thread of the DM ``ts``, that the coach is on it."""
    args = call.args
    if call.method == "agents.sessions.setStatus":
        return (
            args.get("channel_id") == channel
            and args.get("thread_ts") == ts
            and args.get("status") == "processing"
        )
    if call.method == "reactions.add":
        return args.get("channel") == channel and args.get("timestamp") == ts
    if call.method in ("chat.startStream", "chat.postMessage"):
        return args.get("channel") == channel and args.get("thread_ts") == ts
    return False


def carries_text(call: Call) -> bool:
    """Whether a streaming call carries words (in ``markdown_text`` or a text chunk)."""
    if str(call.args.get("markdown_text") or "").strip():
        return True
    chunks = call.args.get("chunks")
    return isinstance(chunks, list) and any(
        isinstance(chunk, dict) and str(chunk.get("text") or "").strip() for chunk in chunks
    )


def stream_threads(calls: Sequence[Call], known: Mapping[tuple[str, str], str]) -> dict[int, str]:
    """For each chat.appendStream (by its index in ``calls``), the thread it streams into.

    ``known`` maps (channel, streamed message ts) to its thread, from the fake's stored messages;
    an append whose message is not there goes to the latest stream started in its channel.
    """
    latest: dict[str, str] = {}
    threads: dict[int, str] = {}
    for i, call in enumerate(calls):
        channel = str(call.args.get("channel", ""))
        if call.method == "chat.startStream" and call.args.get("thread_ts"):
            latest[channel] = str(call.args["thread_ts"])
        elif call.method == "chat.appendStream":
            thread = known.get((channel, str(call.args.get("ts", "")))) or latest.get(channel)
            if thread is not None:
                threads[i] = thread
    return threads


def felt(
    dms: Sequence[SentDM],
    calls: Sequence[Call],
    *,
    first_tokens: Mapping[str, float] | None = None,
    known_streams: Mapping[tuple[str, str], str] | None = None,
) -> list[Felt]:
    """What each DM's learner saw, from the calls the fake Slack recorded (any order).

    Sign of life: the first ``agents.sessions.setStatus`` (processing), ``reactions.add``,
    ``chat.startStream`` or ``chat.postMessage`` in the DM's thread. First words: the first
    ``chat.startStream`` / ``chat.appendStream`` of that thread carrying text; with no stream in
    the thread, the first post there (``words_streamed`` False). ``first_tokens`` maps a DM's ts
    to when the model sent the first token of its answer.
    """
    ordered = sorted(calls, key=lambda c: c.at)
    appends = stream_threads(ordered, known_streams or {})
    life: dict[tuple[str, str], Call] = {}
    streamed: dict[tuple[str, str], Call] = {}
    posted: dict[tuple[str, str], Call] = {}
    for i, call in enumerate(ordered):
        args = call.args
        channel = str(args.get("channel") or args.get("channel_id") or "")
        if call.method in SIGN_OF_LIFE_METHODS:
            ts = args.get("timestamp") if call.method == "reactions.add" else args.get("thread_ts")
            key = (channel, str(ts))
            if key not in life and is_sign_of_life(call, *key):
                life[key] = call
        if call.method == "chat.postMessage" and args.get("thread_ts"):
            posted.setdefault((channel, str(args["thread_ts"])), call)
        if call.method in STREAM_WRITES and carries_text(call):
            thread = args.get("thread_ts") if call.method == "chat.startStream" else appends.get(i)
            if thread is not None:
                streamed.setdefault((channel, str(thread)), call)
    tokens = first_tokens or {}
    out = []
    for dm in dms:
        key = (dm.channel, dm.ts)
        sign = life.get(key)
        words = streamed.get(key) or posted.get(key)
        token = tokens.get(dm.ts)
        out.append(
            Felt(
                ack=dm.acked_at - dm.sent_at,
                sign_of_life=None if sign is None else sign.at - dm.sent_at,
                sign_of_life_by=None if sign is None else sign.method,
                first_words=None if words is None else words.at - dm.sent_at,
                words_streamed=key in streamed,
                words_after_first_token=(
                    None if words is None or token is None else words.at - token
                ),
            )
        )
    return out


@dataclass(frozen=True)
class Target:
    """A latency target checked against this run's figures."""

    name: str
    figure: str  # what was measured, in words
    met: bool | None  # None: not measurable in this run


def check_targets(
    coachbot_ack_p99: float,
    durable_ack_p99: float,
    sign_of_life_p99: float | None,
    words_after_token_p99: float | None,
    *,
    streamed: bool,
) -> list[Target]:
    """The three targets, in seconds: ack p99 within 1.5x the durable baseline's, sign of life
    p99 under 1 s, first streamed words p99 within 0.5 s of the model's first word of the answer
    (its judgement fields come before that word, by design: the decision needs them first)."""
    limit = 1.5 * durable_ack_p99
    targets = [
        Target(
            "coachbot's ack p99 within 1.5x of the durable baseline's",
            f"{coachbot_ack_p99 * 1000:.1f} ms against 1.5 x {durable_ack_p99 * 1000:.1f} = "
            f"{limit * 1000:.1f} ms",
            coachbot_ack_p99 <= limit,
        ),
        Target(
            "first sign of life p99 under 1 s",
            "no sign of life seen"
            if sign_of_life_p99 is None
            else f"{sign_of_life_p99 * 1000:.0f} ms",
            None if sign_of_life_p99 is None else sign_of_life_p99 < 1.0,
        ),
    ]
    if not streamed or words_after_token_p99 is None:
        targets.append(
            Target(
                "first streamed words within 0.5 s of the model's first word of the answer (p99)",
                "not measurable: the answers were posted whole, not streamed",
                None,
            )
        )
    else:
        targets.append(
            Target(
                "first streamed words within 0.5 s of the model's first word of the answer (p99)",
                f"{words_after_token_p99 * 1000:.0f} ms after it",
                words_after_token_p99 <= 0.5,
            )
        )
    return targets


def verdict(target: Target) -> str:
    """met / NOT met / not measurable."""
    return {True: "met", False: "NOT met", None: "not measurable"}[target.met]
