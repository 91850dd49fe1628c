"""Which waiting messages join a burst: those chained to it, each within the window of the last."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.inbox import InboundMessage
from bot.learner.burst import as_one_question, burst_of


def message(sent: float, text: str = "") -> InboundMessage:
    return InboundMessage(
        event_id=f"Ev{sent}",
        user_id="U1",
        channel_id="D1",
        ts=f"{sent:.6f}",
        thread_ts="1000.000000",
        text=text or f"m{sent}",
        has_files=False,
    )


def test_messages_seconds_apart_chain_into_one_burst() -> None:
    own = message(1000)
    waiting = [message(1003), message(1006), message(1020)]
    assert burst_of(own, waiting, 4.0) == [own, waiting[0], waiting[1]]


def test_a_message_sent_earlier_but_delivered_later_joins_in_order() -> None:
    own = message(1002)
    early = message(1000)
    assert burst_of(own, [early], 4.0) == [early, own]


def test_no_window_means_no_burst() -> None:
    own = message(1000)
    assert burst_of(own, [message(1000.5)], 0.0) == [own]


def test_one_question_keeps_the_order_and_replies_where_the_latest_was_sent() -> None:
    burst = [message(1000, "a"), message(1001, "b"), message(1002, "c")]
    combined = as_one_question(burst)
    assert combined.text == "a\nb\nc"
    assert combined.ts == burst[-1].ts
    assert combined.root_ts == "1000.000000"


@settings(max_examples=300)
@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12, unique=True),
    st.floats(min_value=0, max_value=60),
)
def test_a_burst_is_contiguous_in_time_and_keeps_its_own_message(
    offsets: list[int], window: float
) -> None:
    messages = [message(1000 + offset / 10) for offset in offsets]
    own, waiting = messages[0], messages[1:]
    burst = burst_of(own, waiting, window)
    assert own in burst
    sent = [float(m.ts) for m in burst]
    assert sent == sorted(sent)
    assert all(b - a <= window + 1e-9 for a, b in itertools.pairwise(sent))
    # Nothing left out is within the window of the burst's ends.
    for other in set(waiting) - set(burst):
        at = float(other.ts)
        assert at - sent[-1] > window or sent[0] - at > window
