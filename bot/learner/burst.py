"""Bursts: a learner's messages sent seconds apart in one thread are answered once, together.

Each inbound message is due ``burst_window_seconds`` after it arrives, and its arrival postpones
the thread's earlier pending messages as long (``store.ack_path``). When the oldest runs, it takes
every pending message of its thread sent (by Slack's ``ts``) within the window of the previous
one, closes their tasks and records the burst in its own payload, in one transaction
(``store.bursts``); it then answers them as one question, in the order they were sent. A message
outside the chain keeps its own task and its own answer; a re-run answers the recorded burst.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.deps import Deps
from bot.inbox import LEARNER_MESSAGE, InboundMessage
from store.bursts import BurstRepository
from store.tasks import ClaimedTask

BURST_KEY = "burst"


def _sent_at(message: InboundMessage) -> float:
    try:
        return float(message.ts)
    except ValueError:
        return 0.0


def burst_of(
    own: InboundMessage, waiting: Sequence[InboundMessage], window: float
) -> list[InboundMessage]:
    """``own`` and the ``waiting`` messages chained to it, each sent within ``window`` seconds
    of the one before, in the order they were sent."""
    ordered = sorted([own, *waiting], key=lambda m: (_sent_at(m), m.ts))
    at = ordered.index(own)
    start = at
    while start > 0 and _sent_at(ordered[start]) - _sent_at(ordered[start - 1]) <= window:
        start -= 1
    end = at
    while end + 1 < len(ordered) and _sent_at(ordered[end + 1]) - _sent_at(ordered[end]) <= window:
        end += 1
    return ordered[start : end + 1]


def as_one_question(messages: Sequence[InboundMessage]) -> InboundMessage:
    """The burst as one message: its texts in order, replying where the latest was sent."""
    latest = messages[-1]
    return replace(latest, text="\n".join(m.text for m in messages))


async def gather_burst(deps: Deps, task: ClaimedTask) -> list[InboundMessage]:
    """The messages this task answers, in the order sent; taken once, recorded for re-runs."""
    own = InboundMessage.from_payload(task.payload)
    window = deps.settings.burst_window_seconds
    if BURST_KEY in task.payload:
        return [InboundMessage.from_payload(data) for data in task.payload[BURST_KEY]]
    if not window:
        return [own]  # every message is answered on its own
    async with deps.sessions.begin() as session:
        repo = BurstRepository(session)
        payload = await repo.lock_payload(task.id)
        if BURST_KEY in payload:
            return [InboundMessage.from_payload(data) for data in payload[BURST_KEY]]
        waiting = await repo.pending(LEARNER_MESSAGE, task.ordering_key, task.id)
        by_message = {InboundMessage.from_payload(t.payload): t.id for t in waiting}
        burst = burst_of(own, list(by_message), window)
        taken = [by_message[m] for m in burst if m is not own and m in by_message]
        payload[BURST_KEY] = [m.to_payload() for m in burst]
        await repo.take(task.id, payload, taken, deps.clock.now())
    return burst
