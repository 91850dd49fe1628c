"""The DM ack path: one autocommit statement, no pre-ping, other processes still woken."""

from __future__ import annotations

import asyncio

import psycopg
from sqlalchemy import text

from bot.inbox import LEARNER_MESSAGE
from tests.harness import BotHarness


async def _stored(bot: BotHarness, ts: str) -> int:
    async with bot.deps.db.engine.connect() as conn:
        sql = text(
            f"SELECT count(*) FROM tasks WHERE kind = '{LEARNER_MESSAGE}' AND payload->>'ts' = :ts"
        )
        return int((await conn.execute(sql, {"ts": ts})).scalar_one())


async def test_a_dm_wakes_workers_listening_in_other_processes(bot: BotHarness) -> None:
    bot.tasks.kinds.pop(LEARNER_MESSAGE, None)
    url = bot.deps.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as listener:
        await listener.execute("LISTEN coachbot_tasks")
        ts = await bot.dm("U0WAKE", "how do loops work?")
        assert await _stored(bot, ts) == 1
        channels = []
        # The outer deadline fails the test instead of hanging it if no notification comes.
        async with asyncio.timeout(10):
            async for notice in listener.notifies(timeout=5.0, stop_after=1):
                channels.append(notice.channel)
        assert channels == ["coachbot_tasks"]


async def test_a_dm_is_stored_when_the_ack_connections_died(bot: BotHarness) -> None:
    bot.tasks.kinds.pop(LEARNER_MESSAGE, None)
    await bot.dm("U0DEAD", "first")  # the ack pool now holds an open connection
    async with bot.deps.db.engine.connect() as conn:
        killed = await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND datname = current_database() "
                "AND state = 'idle' AND query NOT LIKE 'LISTEN%'"
            )
        )
        assert killed.all()
    # Not pinged first: the dead pooled connection fails, and the ack retries on a fresh one.
    ts = await bot.dm("U0DEAD", "second")
    assert await _stored(bot, ts) == 1
