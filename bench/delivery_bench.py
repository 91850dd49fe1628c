"""Delivery under sustained load with Slack rate-limiting 10% of calls.

Two bot processes (in-process, sharing one embedded PostgreSQL and one fake Slack, like two
``coachbot serve`` behind a load balancer) receive a steady stream of learner DMs (signed HTTP,
alternating between the processes, each event delivered to both as a Slack retry would be) and
trainer replies (relays stored in the outbox, as the escalation relay stores them). The fake Slack
answers 10% of Web API calls with HTTP 429 and ``Retry-After: 1``. Each learner DM gets a stand-in
answer through the outbox (the coach itself is measured in the other benchmarks), so every
delivery here goes through the reliability layer only.

Reported: delivered, duplicates (same item delivered twice), lost (never delivered), and the
relay delay (stored -> accepted by Slack) percentiles.

    .venv/bin/python bench/delivery_bench.py [--seconds 30] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.inbox import LEARNER_MESSAGE, InboundMessage  # noqa: E402
from bot.tasks.kinds import TaskKind  # noqa: E402
from bot.tasks.outbox import Outbox, dm_thread_key  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.tasks import ClaimedTask  # noqa: E402
from tests.fakes.llm import FakeLLM  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from tests.harness import BotHarness, running_bot  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LEARNERS = 20


async def stand_in_answer(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """One outbox post per learner task run, without a dedupe key of its own."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": message.channel_id, "thread_ts": message.root_ts, "text": message.text},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
        )
    return None


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def run(seconds: float, rate: float) -> dict[str, Any]:
    """Drive the load and count what Slack received."""
    with tempfile.TemporaryDirectory(prefix="coachbot-bench-") as tmp:
        db = create_database(async_url(start_embedded(Path(tmp))), pool_size=20)
        await migrate(db)
        async with (
            FakeSlack() as slack,
            FakeLLM() as llm,
            running_bot(db, slack=slack, llm=llm) as one,
            running_bot(db, slack=slack, llm=llm) as two,
        ):
            bots: list[BotHarness] = [one, two]
            for bot in bots:
                bot.tasks.kinds[LEARNER_MESSAGE] = TaskKind(stand_in_answer)
            slack.fail_ratio(None, 0.10, status=429, seed=7, retry_after=1)
            roots = {}
            for n in range(LEARNERS):
                user = f"U0L{n:04d}"
                channel = slack.dm_channel_id(user)
                roots[user] = (channel, slack.add_message(channel, "hi", user=user)["ts"])
            stored_at: dict[str, float] = {}
            sequence = itertools.count()
            started = time.monotonic()

            async def learner_message(k: int) -> None:
                user = f"U0L{k % LEARNERS:04d}"
                _, root = roots[user]
                label = f"answer-{k}"
                ts = one.next_ts()
                stored_at[label] = time.monotonic()
                event_id = f"EvB{k:06d}"
                first, second = (one, two) if k % 2 else (two, one)
                await first.dm(user, label, thread_ts=root, ts=ts, event_id=event_id)
                await second.dm(user, label, thread_ts=root, ts=ts, event_id=event_id, retry_num=1)

            async def trainer_reply(k: int) -> None:
                user = f"U0L{k % LEARNERS:04d}"
                channel, root = roots[user]
                label = f"relay-{k}"
                bot = bots[k % 2]
                async with bot.deps.sessions.begin() as session:
                    await Outbox(session).call(
                        "chat.postMessage",
                        {"channel": channel, "thread_ts": root, "text": label},
                        ordering_key=dm_thread_key(channel, root),
                    )
                stored_at[label] = time.monotonic()

            pending: list[asyncio.Task[None]] = []
            while time.monotonic() - started < seconds:
                k = next(sequence)
                pending.append(asyncio.create_task(learner_message(k)))
                pending.append(asyncio.create_task(trainer_reply(k)))
                await asyncio.sleep(1 / rate)
            await asyncio.gather(*pending)
            await one.drain(timeout=300)
            elapsed = time.monotonic() - started

            posts = [c for c in slack.calls_to("chat.postMessage") if c.args["text"] != "hi"]
            seen = Counter(c.args["text"] for c in posts)
            arrived = {c.args["text"]: c.at for c in reversed(posts)}
            delays = [arrived[label] - stored_at[label] for label in stored_at if label in arrived]
            async with db.engine.connect() as conn:
                failed = (
                    await conn.execute(text("SELECT count(*) FROM tasks WHERE status = 'failed'"))
                ).scalar_one()
            order_ok = all(
                _in_order([c.args["text"] for c in posts if c.args["channel"] == channel])
                for channel, _ in roots.values()
            )
        await db.close()
    expected = len(stored_at)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "processes": 2,
        "learners": LEARNERS,
        "items_stored": expected,
        "learner_messages": sum(1 for label in stored_at if label.startswith("answer-")),
        "trainer_replies": sum(1 for label in stored_at if label.startswith("relay-")),
        "injected_429s": len(slack.injected),
        "delivered": len(seen),
        "duplicates": sum(count - 1 for count in seen.values()),
        "lost": expected - len(set(seen) & set(stored_at)),
        "failed_tasks": int(failed),
        "relay_order_kept_per_thread": order_ok,
        "delay_p50_s": round(statistics.median(delays), 3),
        "delay_p95_s": round(percentile(delays, 95), 3),
        "delay_p99_s": round(percentile(delays, 99), 3),
        "delay_max_s": round(max(delays), 3),
    }


def _in_order(texts: list[str]) -> bool:
    """Relays of one thread arrive in the order they were stored (answers likewise)."""
    for prefix in ("relay-", "answer-"):
        numbers = [int(t.split("-")[1]) for t in texts if t.startswith(prefix)]
        if numbers != sorted(numbers):
            return False
    return True


def write(results: dict[str, Any]) -> None:
    """Save JSON and a Markdown summary under bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "delivery.json").write_text(json.dumps(results, indent=2) + "\n")
    r = results
    (RESULTS / "delivery.md").write_text(
        f"""# Delivery under load with 10% HTTP 429s ({r["date"]})

Two bot processes on one database; {r["learners"]} learners; {r["seconds"]} s of load;
every learner DM delivered to both processes (as a Slack retry); fake Slack answered
{r["injected_429s"]} calls with 429 + `Retry-After: 1`.

| measure | value |
|---|---|
| items stored | {r["items_stored"]} |
| learner answers / trainer relays | {r["learner_messages"]} / {r["trainer_replies"]} |
| delivered | {r["delivered"]} |
| duplicates (target 0) | {r["duplicates"]} |
| lost (target 0) | {r["lost"]} |
| failed tasks | {r["failed_tasks"]} |
| order kept in every thread | {r["relay_order_kept_per_thread"]} |
| delay stored -> accepted by Slack, p50 | {r["delay_p50_s"]} s |
| p95 | {r["delay_p95_s"]} s |
| p99 | {r["delay_p99_s"]} s |
| max | {r["delay_max_s"]} s |

Delays include waiting for `Retry-After` and for earlier items of the same thread (per-thread
order is kept), so a 429 on one item delays the items behind it in that thread by about 1 s.
"""
    )


def main() -> None:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20, help="learner DMs (and relays) per s")
    args = parser.parse_args()
    results = run_in_bench_workspace(run(args.seconds, args.rate))
    write(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
