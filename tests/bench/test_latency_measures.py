"""The latency bench's arithmetic and its reading of recorded calls (bench/latency_measures.py).

Nothing here is timed: the calls and stamps are written out by hand, as the fakes record them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bench.latency_measures import SentDM, check_targets, felt, in_ms, percentiles, verdict

CHANNEL = "D0LEARNER1"
OTHER = "D0LEARNER2"


@dataclass(frozen=True)
class Call:
    method: str
    at: float
    args: dict[str, Any] = field(default_factory=dict)


def dm(ts: str, sent_at: float, acked_at: float | None = None, channel: str = CHANNEL) -> SentDM:
    return SentDM("U1", channel, ts, sent_at, sent_at + 0.02 if acked_at is None else acked_at)


def test_percentiles_are_nearest_rank():
    summary = percentiles(float(n) for n in range(1, 101))
    assert summary["count"] == 100
    assert (summary["p50"], summary["p95"], summary["p99"]) == (50.0, 95.0, 99.0)
    assert summary["max"] == 100.0
    assert summary["mean"] == pytest.approx(50.5)


def test_percentiles_of_few_values_are_values():
    assert percentiles([3.0, 1.0, 2.0])["p50"] == 2.0
    assert percentiles([3.0, 1.0, 2.0])["p99"] == 3.0
    assert percentiles([7.0])["p50"] == 7.0
    assert percentiles([]) == {"count": 0}


def test_in_ms_keeps_the_count():
    assert in_ms({"count": 3, "p50": 0.01234, "p99": 1.5}) == {
        "count": 3,
        "p50": 12.3,
        "p99": 1500.0,
    }


def test_the_first_sign_of_life_in_the_dms_thread_counts():
    sent = dm("100.000001", sent_at=10.0)
    calls = [
        # Another learner's reaction, and one on another message of this channel: not this DM.
        Call("reactions.add", 10.05, {"channel": OTHER, "timestamp": "100.000001", "name": "eyes"}),
        Call("reactions.add", 10.06, {"channel": CHANNEL, "timestamp": "99.000001", "name": "x"}),
        # A status that is not "processing" is no sign of work.
        Call(
            "agents.sessions.setStatus",
            10.07,
            {"channel_id": CHANNEL, "thread_ts": "100.000001", "status": "active"},
        ),
        Call(
            "agents.sessions.setStatus",
            10.3,
            {"channel_id": CHANNEL, "thread_ts": "100.000001", "status": "processing"},
        ),
        Call("reactions.add", 10.4, {"channel": CHANNEL, "timestamp": "100.000001"}),
        Call("chat.postMessage", 11.9, {"channel": CHANNEL, "thread_ts": "100.000001"}),
    ]
    [seen] = felt([sent], calls)
    assert seen.sign_of_life == pytest.approx(0.3)
    assert seen.sign_of_life_by == "agents.sessions.setStatus"
    assert seen.ack == pytest.approx(0.02)


def test_calls_are_read_in_time_order_whatever_order_they_come_in():
    sent = dm("100.000001", sent_at=10.0)
    calls = [
        Call("chat.postMessage", 11.9, {"channel": CHANNEL, "thread_ts": "100.000001"}),
        Call("reactions.add", 10.4, {"channel": CHANNEL, "timestamp": "100.000001"}),
    ]
    [seen] = felt([sent], calls)
    assert seen.sign_of_life_by == "reactions.add"
    assert seen.sign_of_life == pytest.approx(0.4)


def test_an_answer_post_is_a_sign_of_life_and_the_first_words_when_nothing_streams():
    sent = dm("100.000001", sent_at=10.0)
    calls = [Call("chat.postMessage", 12.0, {"channel": CHANNEL, "thread_ts": "100.000001"})]
    [seen] = felt([sent], calls, first_tokens={"100.000001": 11.8})
    assert seen.sign_of_life == pytest.approx(2.0)
    assert seen.sign_of_life_by == "chat.postMessage"
    assert seen.first_words == pytest.approx(2.0)
    assert seen.words_streamed is False
    assert seen.words_after_first_token == pytest.approx(0.2)


def test_first_streamed_words_are_the_first_stream_write_with_text():
    sent = dm("100.000001", sent_at=10.0)
    calls = [
        # The stream opens empty (a sign of life, not words) ...
        Call("chat.startStream", 10.2, {"channel": CHANNEL, "thread_ts": "100.000001"}),
        # ... another learner's stream in another channel says nothing of this one ...
        Call("chat.appendStream", 10.5, {"channel": OTHER, "ts": "200.1", "markdown_text": "Hi"}),
        Call("chat.appendStream", 10.6, {"channel": CHANNEL, "ts": "300.1", "markdown_text": " "}),
        # ... and the first words come in an append to this thread's streamed message.
        Call("chat.appendStream", 10.7, {"channel": CHANNEL, "ts": "300.1", "markdown_text": "A"}),
        Call("chat.stopStream", 11.9, {"channel": CHANNEL, "ts": "300.1"}),
    ]
    [seen] = felt([sent], calls, first_tokens={"100.000001": 10.55})
    assert seen.sign_of_life_by == "chat.startStream"
    assert seen.sign_of_life == pytest.approx(0.2)
    assert seen.words_streamed is True
    assert seen.first_words == pytest.approx(0.7)
    assert seen.words_after_first_token == pytest.approx(0.15)


def test_streamed_words_go_to_the_thread_of_their_message_when_the_fake_knows_it():
    first, second = dm("100.000001", sent_at=10.0), dm("101.000001", sent_at=10.1)
    calls = [
        Call("chat.startStream", 10.2, {"channel": CHANNEL, "thread_ts": "100.000001"}),
        Call("chat.startStream", 10.3, {"channel": CHANNEL, "thread_ts": "101.000001"}),
        # Two streams open in one channel: the message ts says which thread each append is in.
        Call("chat.appendStream", 10.4, {"channel": CHANNEL, "ts": "500.1", "markdown_text": "A"}),
        Call("chat.appendStream", 10.9, {"channel": CHANNEL, "ts": "501.1", "markdown_text": "B"}),
    ]
    known = {(CHANNEL, "500.1"): "100.000001", (CHANNEL, "501.1"): "101.000001"}
    a, b = felt([first, second], calls, known_streams=known)
    assert a.first_words == pytest.approx(0.4)
    assert b.first_words == pytest.approx(0.8)


def test_words_in_the_stream_start_count_and_chunks_carry_text_too():
    first, second = dm("100.000001", sent_at=10.0), dm("101.000001", sent_at=10.0)
    calls = [
        Call(
            "chat.startStream",
            10.2,
            {"channel": CHANNEL, "thread_ts": "100.000001", "markdown_text": "To add"},
        ),
        Call("chat.startStream", 10.3, {"channel": OTHER, "thread_ts": "101.000001"}),
        Call(
            "chat.appendStream",
            10.6,
            {"channel": OTHER, "ts": "9.1", "chunks": [{"type": "markdown_text", "text": "Yes"}]},
        ),
    ]
    a, b = felt([first, dm("101.000001", 10.0, channel=OTHER)], calls)
    assert (a.first_words, a.words_streamed) == (pytest.approx(0.2), True)
    assert (b.first_words, b.words_streamed) == (pytest.approx(0.6), True)
    assert second.ts == "101.000001"


def test_a_dm_that_got_nothing_says_so():
    [seen] = felt([dm("100.000001", sent_at=10.0)], [])
    assert seen.sign_of_life is None
    assert seen.first_words is None
    assert seen.words_after_first_token is None


def test_targets_are_judged_on_the_figures():
    met = check_targets(0.060, 0.045, 0.4, 0.2, streamed=True)
    assert [t.met for t in met] == [True, True, True]
    missed = check_targets(0.070, 0.045, 1.2, 0.7, streamed=True)
    assert [t.met for t in missed] == [False, False, False]
    assert "70.0 ms against 1.5 x 45.0 = 67.5 ms" in missed[0].figure
    assert [verdict(t) for t in missed] == ["NOT met"] * 3


def test_the_streaming_target_is_not_measurable_without_streaming():
    targets = check_targets(0.060, 0.045, 0.4, 0.2, streamed=False)
    assert targets[2].met is None
    assert verdict(targets[2]) == "not measurable"
    assert "not streamed" in targets[2].figure
    assert check_targets(0.06, 0.045, None, None, streamed=True)[1].met is None
