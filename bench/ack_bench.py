"""Ack latency of learner DMs while the model is busy, beside a bare Bolt app that only acks.

The real app runs as in the scenario tests (signed HTTP in, fake Slack and a fake
OpenAI-compatible server with 1.5 s per chat completion, embedded PostgreSQL, its task worker
answering in the background). 50 learners each send 20 DMs back to back (a new DM as soon as the
previous one is acknowledged); every request's HTTP response time is measured. Then the same load
goes to a bare ``AsyncApp`` whose only listener acks, behind the same aiohttp adapter, in the same
run. The load generator runs in its own process so its work does not slow the servers' loop.

    .venv/bin/python bench/ack_bench.py [--conversations 50] [--per-conversation 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content.indexer import CourseIndexer  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from tests.fakes.llm import FakeLLM  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from tests.harness import SIGNING_SECRET, TEAM_ID, reset_database, running_bot  # noqa: E402

RESULTS = ROOT / "bench" / "results"
COURSE = ROOT / "examples" / "python-course"
LLM_LATENCY = 1.5
QUESTIONS = [
    "How do I add an item to a list?",
    "What does range() return in a for loop?",
    "How do I define a function with default arguments?",
    "What is the difference between a tuple and a list?",
    "How do I read a file line by line?",
]


# ---- load generator (runs in a child process)


def _event_body(user: str, channel: str, n: int, bot_user: str) -> str:
    ts = f"{1_900_000_000 + n}.{abs(hash(user)) % 1_000_000:06d}"
    event = {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user,
        "text": QUESTIONS[n % len(QUESTIONS)],
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
            "event_id": f"Ev{user}{n:05d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": bot_user, "is_bot": True}],
        }
    )


async def _conversation(
    http: aiohttp.ClientSession, url: str, user: str, channel: str, count: int, bot_user: str
) -> list[float]:
    signer = SignatureVerifier(SIGNING_SECRET)
    timings = []
    for n in range(count):
        body = _event_body(user, channel, n, bot_user)
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signer.generate_signature(timestamp=stamp, body=body),
        }
        started = time.perf_counter()
        async with http.post(url, data=body.encode(), headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {user} #{n}")
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def _fire(url: str, users: list[tuple[str, str]], count: int, bot_user: str) -> list[float]:
    connector = aiohttp.TCPConnector(limit=len(users) + 5)
    async with aiohttp.ClientSession(connector=connector) as http:
        runs = [_conversation(http, url, u, c, count, bot_user) for u, c in users]
        return [ms for timings in await asyncio.gather(*runs) for ms in timings]


def fire(url: str, users: list[tuple[str, str]], count: int, bot_user: str) -> list[float]:
    """Child-process entry point: send the load and return every response time in ms."""
    return asyncio.run(_fire(url, users, count, bot_user))


async def load(
    pool: ProcessPoolExecutor, url: str, users: list[tuple[str, str]], count: int, bot_user: str
) -> list[float]:
    """Run the load generator in the child process without blocking this event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool, fire, url, users, count, bot_user)


# ---- the servers


def summarise(timings: list[float]) -> dict[str, float]:
    """Percentiles of response times in ms."""
    ordered = sorted(timings)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

    return {
        "requests": len(ordered),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


async def bare_app_url(slack: FakeSlack) -> tuple[web.AppRunner, str]:
    """A Bolt AsyncApp whose message listener only acks, behind the same aiohttp adapter."""
    bolt = AsyncApp(
        signing_secret=SIGNING_SECRET,
        client=AsyncWebClient(token="xoxb-test-token", base_url=slack.base_url),
        process_before_response=True,
    )

    async def only_ack() -> None:
        return None

    bolt.event("message")(only_ack)

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", slack_events)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/slack/events"


async def main(conversations: int, per_conversation: int, *, worker: bool = True) -> dict[str, Any]:
    """Run both loads and return the results."""
    with tempfile.TemporaryDirectory(prefix="coachbot-ackbench-") as tmp:
        db = create_database(async_url(start_embedded(Path(tmp))), pool_size=20)
        await migrate(db)
        await reset_database(db)
        pool = ProcessPoolExecutor(max_workers=1)
        try:
            async with FakeSlack() as slack, FakeLLM(latency=LLM_LATENCY) as llm:
                users = [(f"U0BENCH{i:03d}", "") for i in range(conversations)]
                users = [(u, slack.dm_channel_id(u)) for u, _ in users]
                async with running_bot(db, slack=slack, llm=llm, run_workers=worker) as bot:
                    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(
                        COURSE, "python"
                    )
                    await load(pool, bot.url, users[:2], 2, slack.bot_user_id)  # warm-up
                    if worker:
                        await llm.wait_for_chat(timeout=60)  # measure once the model is busy
                    started = time.perf_counter()
                    coachbot = await load(pool, bot.url, users, per_conversation, slack.bot_user_id)
                    elapsed = time.perf_counter() - started
                    busy = llm.max_in_flight
                    chats = len(llm.chat_calls)
                runner, bare_url = await bare_app_url(slack)
                try:
                    await load(pool, bare_url, users[:2], 2, slack.bot_user_id)  # warm-up
                    bare = await load(pool, bare_url, users, per_conversation, slack.bot_user_id)
                finally:
                    await runner.cleanup()
        finally:
            pool.shutdown()
            await db.close()
    return {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "conversations": conversations,
        "events_per_conversation": per_conversation,
        "llm_latency_s": LLM_LATENCY,
        "worker_running": worker,
        "coachbot": summarise(coachbot)
        | {
            "load_seconds": round(elapsed, 2),
            "llm_max_in_flight": busy,
            "llm_calls_during_load": chats,
        },
        "bare_bolt": summarise(bare),
    }


def write(results: dict[str, Any]) -> None:
    """Write ack.json and ack.md under bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ack.json").write_text(json.dumps(results, indent=2) + "\n")
    ours, bare = results["coachbot"], results["bare_bolt"]
    verdict = "met" if ours["p99_ms"] < 100 else "NOT met"
    rows = "\n".join(
        f"| {name} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
        f"| {r['max_ms']} | {r['mean_ms']} |"
        for name, r in (("coachbot", ours), ("bare Bolt AsyncApp (ack only)", bare))
    )
    (RESULTS / "ack.md").write_text(
        f"""# Ack latency of DM events under load

Run {results["run_at"]} on {results["cpus"]} CPUs: {results["conversations"]} concurrent
conversations × {results["events_per_conversation"]} DMs each, the fake LLM answering in
{results["llm_latency_s"]} s per chat completion (up to {ours["llm_max_in_flight"]} in flight,
{ours["llm_calls_during_load"]} calls made while the load ran for {ours["load_seconds"]} s).

| app | requests | p50 ms | p95 ms | p99 ms | max ms | mean ms |
|---|---|---|---|---|---|---|
{rows}

Target p99 < 100 ms for coachbot: **{verdict}**. Coachbot's ack stores the event as a task in
PostgreSQL (one statement, committed with synchronous commit, that also enqueues the flood notice
when one is due) before answering 200; the bare app stores nothing, so the difference is the
price of not losing a message.
"""
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--per-conversation", type=int, default=20)
    parser.add_argument(
        "--without-worker",
        action="store_true",
        help="diagnostic: no background answering, so only the ack path is measured (not saved)",
    )
    args = parser.parse_args()
    outcome = asyncio.run(
        main(args.conversations, args.per_conversation, worker=not args.without_worker)
    )
    if not args.without_worker:
        write(outcome)
    print(json.dumps(outcome, indent=2))
