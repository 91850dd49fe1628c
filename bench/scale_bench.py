"""How far one PostgreSQL carries the bot: 2 and 4 bot processes under the delivery load.

Each bot process is a real OS process (its own event loop, pools and worker, like one
``coachbot serve`` behind a load balancer) on one embedded PostgreSQL, with the learner task
swapped for a stand-in answer through the outbox, as in ``delivery_bench.py``. This process runs
the fake Slack (10% of calls answered 429 with ``Retry-After: 1``) and the load: learner DMs as
signed HTTP, each delivered to two processes (a Slack retry landing elsewhere), and trainer
relays stored in the outbox, at a fixed offered rate.

Reported per run: items delivered, duplicates, lost, throughput (items delivered per second
from the first item stored to the last delivered), delivery delays, PostgreSQL transactions per
item, and the CPU seconds spent by PostgreSQL, by the bot processes and by this process, per
item, which say how far one PostgreSQL goes before it is the bottleneck.

    .venv/bin/python bench/scale_bench.py [--processes 2 4] [--seconds 30] [--rates 10 40]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.deps import Deps  # noqa: E402
from bot.inbox import LEARNER_MESSAGE, InboundMessage  # noqa: E402
from bot.jobs import build_registry  # noqa: E402
from bot.runtime import build_deps  # noqa: E402
from bot.server import build_web_app  # noqa: E402
from bot.tasks.kinds import TaskKind  # noqa: E402
from bot.tasks.outbox import Outbox, dm_thread_key  # noqa: E402
from store.database import Database, create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.tasks import ClaimedTask  # noqa: E402
from tests.fakes.llm import FakeLLM  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from tests.harness import BotHarness, harness_settings  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---- one bot process


async def stand_in_answer(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """One outbox post per learner task run (as in delivery_bench.py)."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": message.channel_id, "thread_ts": message.root_ts, "text": message.text},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
        )
    return None


async def serve_child(database_url: str, slack_url: str, llm_url: str) -> None:
    """A bot process: serve until stdin closes, printing its Slack URL once ready."""
    db = create_database(database_url, pool_size=10)
    settings = harness_settings(
        SimpleNamespace(base_url=slack_url),  # type: ignore[arg-type]
        SimpleNamespace(base_url=llm_url),  # type: ignore[arg-type]
    )
    deps = build_deps(settings, db)
    tasks = build_registry()
    tasks.kinds[LEARNER_MESSAGE] = TaskKind(stand_in_answer)
    runner = web.AppRunner(build_web_app(create_app(deps), deps, tasks), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"http://127.0.0.1:{port}/slack/events", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()
    await db.close()


# ---- measuring


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a live process, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (PostgreSQL's backends under its postmaster)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def postgres_cpu(postmaster: int) -> dict[int, float]:
    """CPU seconds of the postmaster and each of its processes (new ones count from zero)."""
    pids = [postmaster, *children_of(postmaster)]
    return {pid: cpu_seconds(pid) for pid in pids}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def commits(db: Database) -> int:
    """Transactions committed in the database so far."""
    async with db.engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    text(
                        "SELECT xact_commit FROM pg_stat_database "
                        "WHERE datname = current_database()"
                    )
                )
            ).scalar_one()
        )


# ---- one run


async def run(processes: int, seconds: float, rate: float, learners: int) -> dict[str, Any]:
    """Drive the load through ``processes`` bot processes and count what Slack received."""
    with tempfile.TemporaryDirectory(prefix="coachbot-scale-") as tmp:
        url = async_url(start_embedded(Path(tmp)))
        postmaster = int((Path(tmp) / "pgdata" / "postmaster.pid").read_text().split()[0])
        db = create_database(url, pool_size=20)
        await migrate(db)
        children: list[subprocess.Popen[str]] = []
        async with FakeSlack() as slack, FakeLLM() as llm, aiohttp.ClientSession() as http:
            try:
                for _ in range(processes):
                    children.append(
                        subprocess.Popen(  # noqa: ASYNC220
                            [
                                sys.executable,
                                __file__,
                                "--child",
                                url,
                                slack.base_url,
                                llm.base_url,
                            ],
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            text=True,
                            cwd=ROOT,
                        )
                    )
                loop = asyncio.get_running_loop()
                urls = [
                    await loop.run_in_executor(None, child.stdout.readline)  # type: ignore[union-attr]
                    for child in children
                ]
                deps = build_deps(harness_settings(slack, llm), db)
                bots = [
                    BotHarness(deps, slack, llm, u.strip(), http, build_registry()) for u in urls
                ]
                result = await _load(db, slack, bots, postmaster, children, seconds, rate, learners)
            finally:
                for child in children:
                    if child.stdin:
                        child.stdin.close()
                for child in children:
                    child.wait(30)
        await db.close()
    return result | {"processes": processes, "offered_rate_per_s": rate * 2}


async def _load(
    db: Database,
    slack: FakeSlack,
    bots: list[BotHarness],
    postmaster: int,
    children: list[subprocess.Popen[str]],
    seconds: float,
    rate: float,
    learners: int,
) -> dict[str, Any]:
    first = bots[0]
    slack.fail_ratio(None, 0.10, status=429, seed=7, retry_after=1)
    roots = {}
    for n in range(learners):
        user = f"U0L{n:04d}"
        channel = slack.dm_channel_id(user)
        roots[user] = (channel, slack.add_message(channel, "hi", user=user)["ts"])
    stored_at: dict[str, float] = {}
    sequence = itertools.count()
    commits_before = await commits(db)
    pg_before = postgres_cpu(postmaster)
    bots_before = sum(cpu_seconds(child.pid) for child in children)
    self_before = time.process_time()
    started = time.monotonic()

    async def learner_message(k: int) -> None:
        user = f"U0L{k % learners:04d}"
        _, root = roots[user]
        label = f"answer-{k}"
        ts = first.next_ts()
        stored_at[label] = time.monotonic()
        event_id = f"EvS{k:06d}"
        # Delivered to one process, and retried by Slack to the next one.
        one, other = bots[k % len(bots)], bots[(k + 1) % len(bots)]
        await one.dm(user, label, thread_ts=root, ts=ts, event_id=event_id)
        await other.dm(user, label, thread_ts=root, ts=ts, event_id=event_id, retry_num=1)

    async def trainer_reply(k: int) -> None:
        user = f"U0L{k % learners:04d}"
        channel, root = roots[user]
        label = f"relay-{k}"
        async with db.sessions.begin() as session:
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
    await first.drain(timeout=600)

    # Flood-control notices ("still working on your earlier messages") are posts too, but not items.
    every_post = [c for c in slack.calls_to("chat.postMessage") if c.args["text"] != "hi"]
    posts = [c for c in every_post if c.args["text"].startswith(("answer-", "relay-"))]
    last_delivery = max(c.at for c in posts)
    elapsed = last_delivery - min(stored_at.values())
    pg_after = postgres_cpu(postmaster)
    pg_cpu = sum(after - pg_before.get(pid, 0.0) for pid, after in pg_after.items())
    bots_cpu = sum(cpu_seconds(child.pid) for child in children) - bots_before
    self_cpu = time.process_time() - self_before
    transactions = await commits(db) - commits_before
    seen = Counter(c.args["text"] for c in posts)
    arrived = {c.args["text"]: c.at for c in reversed(posts)}
    delays = [arrived[label] - stored_at[label] for label in stored_at if label in arrived]
    async with db.engine.connect() as conn:
        failed = (
            await conn.execute(text("SELECT count(*) FROM tasks WHERE status = 'failed'"))
        ).scalar_one()
    expected = len(stored_at)
    delivered = len(seen)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_seconds": seconds,
        "learners": learners,
        "items_stored": expected,
        "injected_429s": len(slack.injected),
        "delivered": delivered,
        "other_posts": len(every_post) - len(posts),
        "duplicates": sum(count - 1 for count in seen.values()),
        "lost": expected - len(set(seen) & set(stored_at)),
        "failed_tasks": int(failed),
        "throughput_per_s": round(delivered / elapsed, 1),
        "delay_p50_s": round(statistics.median(delays), 3),
        "delay_p95_s": round(percentile(delays, 95), 3),
        "delay_max_s": round(max(delays), 3),
        "pg_transactions_per_item": round(transactions / max(1, delivered), 1),
        "pg_transactions_per_s": round(transactions / elapsed, 1),
        "pg_cpu_ms_per_item": round(1000 * pg_cpu / max(1, delivered), 2),
        "bots_cpu_ms_per_item": round(1000 * bots_cpu / max(1, delivered), 2),
        "load_and_fake_slack_cpu_ms_per_item": round(1000 * self_cpu / max(1, delivered), 2),
        "pg_cpu_share": round(pg_cpu / max(1e-9, pg_cpu + bots_cpu + self_cpu), 3),
    }


def write(runs: list[dict[str, Any]]) -> None:
    """Save JSON and a Markdown table under bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(runs, indent=2) + "\n")
    rows = [
        ("processes", "processes"),
        ("items stored", "items_stored"),
        ("delivered", "delivered"),
        ("duplicates (target 0)", "duplicates"),
        ("lost (target 0)", "lost"),
        ("failed tasks", "failed_tasks"),
        ("other posts (backlog notices to learners)", "other_posts"),
        ("injected 429s", "injected_429s"),
        ("throughput, items delivered per s", "throughput_per_s"),
        ("delay stored -> accepted by Slack, p50 (s)", "delay_p50_s"),
        ("p95 (s)", "delay_p95_s"),
        ("max (s)", "delay_max_s"),
        ("PostgreSQL transactions per item", "pg_transactions_per_item"),
        ("PostgreSQL transactions per s", "pg_transactions_per_s"),
        ("PostgreSQL CPU per item (ms)", "pg_cpu_ms_per_item"),
        ("bot processes' CPU per item (ms)", "bots_cpu_ms_per_item"),
        ("load generator + fake Slack CPU per item (ms)", "load_and_fake_slack_cpu_ms_per_item"),
        ("PostgreSQL's share of the CPU used", "pg_cpu_share"),
    ]
    header = (
        "| measure | "
        + " | ".join(
            f"{r['processes']} processes, {r['offered_rate_per_s']:g}/s offered" for r in runs
        )
        + " |"
    )
    lines = [header, "|---|" + "---|" * len(runs)]
    lines += [f"| {label} | " + " | ".join(str(r[key]) for r in runs) + " |" for label, key in rows]
    first = runs[0]
    (RESULTS / "scale.md").write_text(
        f"""# Scale: bot processes on one PostgreSQL ({first["date"]})

{first["cpus"]} CPUs shared by everything (PostgreSQL, the bot processes, the load generator and
the fake Slack). {first["learners"]} learners; {first["load_seconds"]} s of load offered at the
rate shown (half learner DMs, each delivered to two processes, half trainer relays; the load
generator stores fewer when it runs short of CPU); the fake Slack answered 10% of calls with
429 + `Retry-After: 1`.

{chr(10).join(lines)}

An item is one learner answer or one trainer relay delivered to Slack. Throughput counts from
the first item stored to the last delivered, so it includes the tail of 429 waits.
"""
    )


def main() -> None:
    """Run the benchmark for each process count and write the results."""
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        asyncio.run(serve_child(*sys.argv[2:]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[10, 40], help="learner DMs (and relays) per s"
    )
    parser.add_argument("--learners", type=int, default=100)
    args = parser.parse_args()
    runs = [
        run_in_bench_workspace(run(n, args.seconds, rate, args.learners))
        for rate in args.rates
        for n in args.processes
    ]
    write(runs)
    print(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
