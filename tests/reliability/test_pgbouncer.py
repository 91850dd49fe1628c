"""The bot through PgBouncer in transaction pooling mode: nothing relies on a server session.

The two-process scenarios of ``test_processes`` run through PgBouncer too; these tests cover
what those cannot see: real ``coachbot serve`` processes configured by their environment,
migrations, prepared statements and the LISTEN connection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from sqlalchemy import text

from bot.jobs import build_registry
from bot.runtime import build_deps
from bot.tasks.worker import listen_for_work
from store.database import Database, migrate
from store.tasks import task_notifications
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotHarness, harness_settings, reset_database
from tests.reliability.pgbouncer import PgBouncer, pooled_database
from tests.reliability.processes import ServeProcess

POOLED = {"DATABASE_TRANSACTION_POOLING": "true"}


async def _advisory_locks(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
                )
            ).scalar_one()
        )


async def test_migrating_through_pgbouncer_leaves_no_lock_behind(
    database: Database, pgbouncer: PgBouncer
) -> None:
    pooled = pooled_database(pgbouncer, direct_url=None)
    try:
        # Several server connections in PgBouncer's pool, so consecutive transactions of one
        # client land on different ones (round robin), as they do under load.
        async def hold() -> None:
            async with pooled.engine.connect() as conn:
                await conn.execute(text("SELECT pg_sleep(0.2)"))
                await conn.commit()

        await asyncio.gather(*(hold() for _ in range(4)))
        await migrate(pooled)
        await migrate(pooled)
        assert await _advisory_locks(database) == 0
    finally:
        await pooled.close()


async def test_statements_repeated_through_pgbouncer_never_need_a_prepared_statement(
    pgbouncer: PgBouncer,
) -> None:
    pooled = pooled_database(pgbouncer, direct_url=None, pool_size=4)
    try:

        async def repeat(n: int) -> list[int]:
            seen = []
            for i in range(20):
                async with pooled.sessions.begin() as session:
                    statement = text("SELECT CAST(:n AS integer) * 100 + CAST(:i AS integer)")
                    seen.append((await session.execute(statement, {"n": n, "i": i})).scalar_one())
                async with pooled.autocommit.connect() as conn:
                    await conn.execute(text("SELECT CAST(:i AS integer)"), {"i": i})
            return seen

        results = await asyncio.gather(*(repeat(n) for n in range(4)))
        assert results == [[n * 100 + i for i in range(20)] for n in range(4)]
    finally:
        await pooled.close()


async def test_behind_pgbouncer_wakeups_come_from_the_direct_url_or_from_polling(
    pgbouncer: PgBouncer, pg_url: str, tmp_path: Path
) -> None:
    polling = pooled_database(pgbouncer, direct_url=None)
    listening = pooled_database(pgbouncer, direct_url=pg_url)
    try:
        assert polling.listen_url is None
        assert listening.listen_url is not None
        assert listening.listen_url.startswith("postgresql://")
        # Without a direct URL there is nothing to LISTEN on: the listener ends at once (the
        # worker polls) instead of listening through PgBouncer and hearing nothing.
        async with FakeSlack() as slack, FakeLLM() as llm:
            deps = build_deps(harness_settings(slack, llm, data_dir=tmp_path), polling)
            await asyncio.wait_for(listen_for_work(deps), timeout=10)

        # A NOTIFY sent through PgBouncer (as the tasks trigger does) reaches the direct LISTEN.
        notifications = task_notifications(listening)
        await asyncio.wait_for(anext(notifications), timeout=10)  # connected and listening
        async with polling.engine.begin() as conn:
            await conn.execute(text("SELECT pg_notify('coachbot_tasks', '')"))
        await asyncio.wait_for(anext(notifications), timeout=10)
        await notifications.aclose()
    finally:
        await polling.close()
        await listening.close()


async def test_two_serve_processes_through_pgbouncer_answer_each_message_once(
    database: Database, pgbouncer: PgBouncer, pg_url: str, tmp_path: Path
) -> None:
    await reset_database(database)
    async with FakeSlack() as slack, FakeLLM() as llm:
        # One process listens for wake-ups on a direct connection, the other only polls.
        one = ServeProcess(
            pgbouncer.url, slack, llm, tmp_path, env=POOLED | {"DATABASE_DIRECT_URL": pg_url}
        )
        two = ServeProcess(pgbouncer.url, slack, llm, tmp_path, env=POOLED)
        try:
            # Both start (and migrate) at once, through PgBouncer.
            await asyncio.gather(one.start(), two.start())
            async with aiohttp.ClientSession() as http:
                deps = build_deps(harness_settings(slack, llm, data_dir=tmp_path), database)
                to_one = BotHarness(deps, slack, llm, one.url, http, build_registry())
                to_two = BotHarness(deps, slack, llm, two.url, http, build_registry())
                deliveries = []
                sent = []
                for n in range(6):
                    ts = to_one.next_ts()
                    sent.append(ts)
                    # Slack retried each event, and the retry reached the other process.
                    event_id = f"EvPgb{n:03d}"
                    deliveries.append(
                        to_one.dm("U0LEARNER", f"question {n}?", ts=ts, event_id=event_id)
                    )
                    deliveries.append(
                        to_two.dm(
                            "U0LEARNER", f"question {n}?", ts=ts, event_id=event_id, retry_num=1
                        )
                    )
                await asyncio.gather(*deliveries)
                await to_one.drain(timeout=60)
        finally:
            await asyncio.gather(one.terminate(), two.terminate())
        for ts in sent:
            # Six messages at once may also earn the learner a "still working" notice (flood
            # control): it is not an answer.
            replies = slack.calls_to(
                "chat.postMessage",
                lambda c, ts=ts: (
                    c.args.get("thread_ts") == ts
                    and not str(c.args.get("text")).startswith("I'm still working")
                ),
            )
            assert len(replies) == 1, (ts, [c.args.get("text") for c in replies])
        assert slack.errors == []
    async with database.engine.connect() as conn:
        errors = (
            await conn.execute(
                text("SELECT kind, last_error FROM tasks WHERE last_error IS NOT NULL")
            )
        ).all()
    assert errors == []
    assert await _advisory_locks(database) == 0
