"""Latency a learner feels: sign of life, first words and ack, beside two bare Bolt baselines.

The real app runs as in the scenario tests (signed HTTP in, fake Slack, a fake OpenAI-compatible
server answering each chat completion in 1.5 s, embedded PostgreSQL, its task worker answering in
the background). Two loads, each from a load generator in its own process:

- **Learners**: 50 learners, each asking a question in a new DM and the next one once the answer
  came, for ``--rounds`` questions; first with the shipped settings (``BURST_WINDOW_SECONDS``
  4 s), then with each message answered on its own (window 0). Measured per DM, against its send
  time: the first sign of life in its thread (the first ``agents.sessions.setStatus``
  processing, ``reactions.add``, ``chat.startStream`` or answer post, from the fake Slack's
  arrival stamps), the first streamed words (the first ``chat.startStream``/``appendStream``
  with text; without streaming, the first answer post) and how long after the model's first
  token (the fake LLM's stamp) they came.
- **Acks**: 50 learners sending 20 DMs each back to back (the next once the previous is acked)
  to coachbot while its worker answers, then the same load to two bare ``AsyncApp``s behind the
  same aiohttp adapter: one that only acks, and one that stores each event with one INSERT
  (autocommit, synchronous commit) into the same PostgreSQL before acking, the least a durable
  ack can cost.

    .venv/bin/python bench/latency_bench.py [--learners 50] [--rounds 4] [--per-learner 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency_load import converse, fire  # noqa: E402
from bench.latency_measures import (  # noqa: E402
    Felt,
    SentDM,
    check_targets,
    felt,
    in_ms,
    percentiles,
    verdict,
)
from bench.latency_report import write  # noqa: E402
from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.content.indexer import CourseIndexer  # noqa: E402
from bot.settings import Settings  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from tests.fakes.llm import ChatRequest, FakeLLM  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from tests.harness import SIGNING_SECRET, BotHarness, reset_database, running_bot  # noqa: E402

COURSE = ROOT / "examples" / "python-course"
LLM_LATENCY = 1.5  # seconds per chat completion
FIRST_TOKEN_AFTER = 0.3  # seconds before a streamed completion's first token
POOL_SIZE = 20  # coachbot's connections per pool, and the durable baseline's
TRAINER_CHANNEL = "C0TRAINERS"  # the harness settings' trainer channel
MARKER = re.compile(r"\(ref (U\w+-\d+-\d+)\)")
Listener = Callable[[dict[str, Any]], Awaitable[None]]
# Answers stream wherever the code can stream them (the test harness turns streaming off).
STREAMING = {"stream_answers": True} if "stream_answers" in Settings.model_fields else {}


def _llm() -> FakeLLM:
    """The fake model: 1.5 s per completion, the first token after 0.3 s when streamed."""
    return FakeLLM(latency=LLM_LATENCY, first_token_latency=FIRST_TOKEN_AFTER)


# ---- the conversational load


async def _report_answers(slack: FakeSlack, conn: Any, start: int) -> None:
    """Tell the load generator, as soon as the fake Slack has it, which threads got an answer."""
    seen = start
    while True:
        calls = slack.calls
        while seen < len(calls):
            call = calls[seen]
            seen += 1
            if call.method == "chat.postMessage" and call.args.get("thread_ts"):
                conn.send((call.args["channel"], call.args["thread_ts"]))
            elif call.method == "chat.stopStream":
                conn.send((call.args["channel"], "*"))
        await asyncio.sleep(0.005)


async def conversations(
    slack: FakeSlack, url: str, users: list[tuple[str, str]], rounds: int, base: int
) -> list[SentDM]:
    """Run the learners' load from a child process; every DM it sent."""
    answers_r, answers_w = multiprocessing.Pipe(duplex=False)
    results_r, results_w = multiprocessing.Pipe(duplex=False)
    args = (url, users, rounds, 1.0, slack.bot_user_id, base)
    child = multiprocessing.Process(target=converse, args=(*args, answers_r, results_w))
    child.start()
    watcher = asyncio.create_task(_report_answers(slack, answers_w, len(slack.calls)))
    try:
        while not results_r.poll():
            if not child.is_alive():
                raise RuntimeError(f"the load generator stopped (exit code {child.exitcode})")
            await asyncio.sleep(0.05)
        rows = results_r.recv()
    finally:
        watcher.cancel()
        child.join(timeout=10)
    return [SentDM(*row) for row in rows]


# Where the answer's text starts in the model's JSON reply (``bot.coach.prompt``'s schema).
ANSWER_VALUE = '"answer": "'


def first_tokens(
    llm: FakeLLM, chats: list[ChatRequest], dms: list[SentDM]
) -> tuple[dict[str, float], dict[str, float], bool]:
    """When the model sent the first word of each DM's answer text; how long its judgement
    fields took before it (from its first token); and whether it streamed."""
    by_marker = {dm.marker: dm.ts for dm in dms}
    tokens: dict[str, float] = {}
    judgement: dict[str, float] = {}
    streamed = False
    for call in chats:
        found = MARKER.findall(call.last_user_message) or MARKER.findall(call.prompt)
        ts = by_marker.get(f"(ref {found[-1]})") if found else None
        if ts is None or ts in tokens:
            continue
        if call.body.get("stream"):
            # The model's first token of the answer's text: its judgement fields come first
            # (the decision is made on them before anything is shown), then the words.
            streamed = True
            reply = call.reply or ""
            start = reply.find(ANSWER_VALUE)
            words_at = call.streamed_through(start + len(ANSWER_VALUE)) if start >= 0 else None
            first = call.piece_times[0][0] if call.piece_times else None
            tokens[ts] = words_at or first or call.at + llm.first_token_latency
            judgement[ts] = (tokens[ts] - first) if first is not None else 0.0
        else:  # a whole completion: its first token went out with the rest
            tokens[ts] = call.at + llm.latency
    return tokens, judgement, streamed


def summarise_felt(
    rows: list[Felt], streamed_model: bool, judgement: dict[str, float] | None = None
) -> dict[str, Any]:
    """Percentiles (ms) of each measure over the DMs, and how the signs of life came."""
    words = [r for r in rows if r.first_words is not None]
    return {
        "dms": len(rows),
        "ack_ms": in_ms(percentiles(r.ack for r in rows)),
        "sign_of_life_ms": in_ms(
            percentiles(r.sign_of_life for r in rows if r.sign_of_life is not None)
        ),
        "no_sign_of_life": sum(r.sign_of_life is None for r in rows),
        "sign_of_life_by": dict(Counter(r.sign_of_life_by or "none" for r in rows)),
        "first_words_ms": in_ms(percentiles(r.first_words for r in words)),
        "no_words": len(rows) - len(words),
        "words_streamed": sum(r.words_streamed for r in rows),
        "model_streamed": streamed_model,
        "words_after_first_token_ms": in_ms(
            percentiles(
                r.words_after_first_token for r in words if r.words_after_first_token is not None
            )
        ),
        # The model's own time from its first token to its first word of the answer's text.
        "model_judgement_ms": in_ms(percentiles((judgement or {}).values())),
    }


async def learners_phase(
    bot: BotHarness, users: list[tuple[str, str]], rounds: int, base: int
) -> dict[str, Any]:
    """The conversational load against one running bot, measured."""
    slack, llm = bot.slack, bot.llm
    calls_before, chats_before = len(slack.calls), len(llm.chat_calls)
    llm.max_in_flight = llm.in_flight
    started = time.monotonic()
    dms = await conversations(slack, bot.url, users, rounds, base)
    elapsed = time.monotonic() - started
    await bot.drain(timeout=120)
    calls = slack.calls[calls_before:]
    known = {
        (dm.channel, str(m.get("ts"))): str(m["thread_ts"])
        for dm in {d.channel: d for d in dms}.values()
        for m in slack.messages(dm.channel)
        if m.get("thread_ts")
    }
    tokens, judgement, streamed = first_tokens(llm, llm.chat_calls[chats_before:], dms)
    rows = felt(dms, calls, first_tokens=tokens, known_streams=known)
    return summarise_felt(rows, streamed, judgement) | {
        "seconds": round(elapsed, 1),
        "llm_calls": len(llm.chat_calls) - chats_before,
        "llm_max_in_flight": llm.max_in_flight,
        "slack_errors": len(slack.errors),
        # Answers below the confidence threshold escalate: the learner's first post is then the
        # "a trainer has been asked" reply, and a card goes to the trainer channel.
        "trainer_cards": sum(
            c.method == "chat.postMessage" and c.args.get("channel") == TRAINER_CHANNEL
            for c in calls
        ),
    }


# ---- the ack load and the baselines


async def ack_load(
    pool: ProcessPoolExecutor, url: str, users: list[tuple[str, str]], count: int, base: int
) -> list[float]:
    """The ack load from the child process, without blocking this event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool, fire, url, users, count, "U0BOT0001", base)


@asynccontextmanager
async def bare_bolt(slack: FakeSlack, listener: Listener) -> AsyncIterator[str]:
    """A Bolt AsyncApp with one message listener, behind the same aiohttp adapter as coachbot."""
    bolt = AsyncApp(
        signing_secret=SIGNING_SECRET,
        client=AsyncWebClient(token="xoxb-test-token", base_url=slack.base_url),
        process_before_response=True,
    )

    async def on_message(body: dict[str, Any]) -> None:
        await listener(body)

    bolt.event("message")(on_message)

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", slack_events)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/slack/events"
    finally:
        await runner.cleanup()


async def _only_ack(_body: dict[str, Any]) -> None:
    return None


@asynccontextmanager
async def durable_store(libpq_url: str) -> AsyncIterator[Listener]:
    """A listener that INSERTs each event (autocommit: its own transaction, synchronous commit)."""
    async with AsyncConnectionPool(
        libpq_url,
        min_size=POOL_SIZE,
        max_size=POOL_SIZE,
        kwargs={"autocommit": True},
        open=False,
    ) as pool:
        async with pool.connection() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS bench_events (id bigserial PRIMARY KEY, "
                "event_id text NOT NULL, event jsonb NOT NULL, "
                "received_at timestamptz NOT NULL DEFAULT now())"
            )
            setting = await (await conn.execute("SHOW synchronous_commit")).fetchone()
            assert setting == ("on",), setting

        async def store(body: dict[str, Any]) -> None:
            async with pool.connection() as conn:
                await conn.execute(
                    "INSERT INTO bench_events (event_id, event) VALUES (%s, %s)",
                    (body["event_id"], Jsonb(body["event"])),
                )

        yield store


# ---- the run


def after(moment: float) -> Callable[[ChatRequest], bool]:
    """Matches chat requests that arrived after ``moment``."""
    return lambda call: call.at > moment


def _p99_seconds(summary: dict[str, float]) -> float | None:
    return summary["p99"] / 1000 if summary["count"] else None


def judge(acks: dict[str, dict[str, float]], run: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets for one learners' run, each with its figures and verdict."""
    targets = check_targets(
        acks["coachbot"]["p99"] / 1000,
        acks["durable_bolt"]["p99"] / 1000,
        _p99_seconds(run["sign_of_life_ms"]),
        _p99_seconds(run["words_after_first_token_ms"]),
        streamed=run["model_streamed"] and run["words_streamed"] > 0,
    )
    return [vars(t) | {"verdict": verdict(t)} for t in targets]


async def main(
    learners: int, rounds: int, per_learner: int, *, worker: bool = True
) -> dict[str, Any]:
    """Both loads, every app; the results. ``rounds`` 0: the ack load only."""
    with tempfile.TemporaryDirectory(prefix="coachbot-latency-") as tmp:
        libpq_url = start_embedded(Path(tmp))
        db = create_database(async_url(libpq_url), pool_size=POOL_SIZE)
        await migrate(db)
        await reset_database(db)
        pool = ProcessPoolExecutor(max_workers=1)
        felt_runs: dict[str, dict[str, Any]] = {}
        try:
            async with FakeSlack() as slack, _llm() as llm:
                talkers = [(f"U0TALK{i:03d}", "") for i in range(learners)]
                talkers = [(u, slack.dm_channel_id(u)) for u, _ in talkers]
                ackers = [(f"U0ACKS{i:03d}", "") for i in range(learners)]
                ackers = [(u, slack.dm_channel_id(u)) for u, _ in ackers]
                runs = [
                    ("each message on its own (BURST_WINDOW_SECONDS=0)", 0.0),
                    ("shipped settings (BURST_WINDOW_SECONDS=4)", 4.0),
                ]
                for n, (name, window) in enumerate(runs):
                    if not rounds and not window:
                        continue
                    async with running_bot(
                        db,
                        slack=slack,
                        llm=llm,
                        burst_window_seconds=window,
                        run_workers=worker,
                        # The fake embeddings make every answer look unsupported; with no
                        # threshold the questions are answered, which is what learners wait for.
                        escalation_confidence_threshold=0.0,
                        **STREAMING,
                    ) as bot:
                        if not n or not rounds:
                            await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(
                                COURSE, "python"
                            )
                        if rounds:
                            base = 1_900_000_000 + 1000 * n
                            felt_runs[name] = await learners_phase(bot, talkers, rounds, base)
                        if window:
                            # The ack load, with the shipped settings and the model busy.
                            warmed = time.monotonic()
                            await ack_load(pool, bot.url, ackers[:2], 2, 1_950_000_000)
                            if worker:
                                await llm.wait_for_chat(after(warmed), timeout=60)
                            started = time.monotonic()
                            coachbot = await ack_load(
                                pool, bot.url, ackers, per_learner, 1_960_000_000
                            )
                            ack_seconds = time.monotonic() - started
                            busy = llm.in_flight
                async with bare_bolt(slack, _only_ack) as url:
                    await ack_load(pool, url, ackers[:2], 2, 1_950_000_000)
                    bare = await ack_load(pool, url, ackers, per_learner, 1_960_000_000)
                async with durable_store(libpq_url) as store, bare_bolt(slack, store) as url:
                    await ack_load(pool, url, ackers[:2], 2, 1_950_000_000)
                    durable = await ack_load(pool, url, ackers, per_learner, 1_960_000_000)
        finally:
            pool.shutdown()
            await db.close()
    acks = {
        "coachbot": in_ms(percentiles(coachbot)),
        "durable_bolt": in_ms(percentiles(durable)),
        "bare_bolt": in_ms(percentiles(bare)),
    }
    targets = {name: judge(acks, run) for name, run in felt_runs.items()}
    return {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "learners": learners,
        "rounds": rounds,
        "acks_per_learner": per_learner,
        "llm_latency_s": LLM_LATENCY,
        "first_token_after_s": FIRST_TOKEN_AFTER,
        "felt": felt_runs,
        "acks": acks,
        "ack_load_seconds": round(ack_seconds, 2),
        "llm_in_flight_after_ack_load": busy,
        "targets": targets,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="questions per learner")
    parser.add_argument("--per-learner", type=int, default=20, help="DMs per learner, ack load")
    parser.add_argument("--no-save", action="store_true", help="print, do not write results")
    parser.add_argument(
        "--acks-only", action="store_true", help="diagnostic: the ack load only (not saved)"
    )
    parser.add_argument(
        "--without-worker",
        action="store_true",
        help="diagnostic: the ack load only, with no background answering (not saved)",
    )
    args = parser.parse_args()
    acks_only = args.acks_only or args.without_worker
    outcome = run_in_bench_workspace(
        main(
            args.learners,
            0 if acks_only else args.rounds,
            args.per_learner,
            worker=not args.without_worker,
        )
    )
    if not (args.no_save or acks_only):
        write(outcome)
    print(json.dumps(outcome, indent=2))
    for name, targets in outcome["targets"].items():
        for target in targets:
            print(f"{name}: {target['name']}: {target['verdict']} ({target['figure']})")
