"""The database restarts under load: every acknowledged DM is answered once, none is lost."""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.deps import Deps
from bot.inbox import LEARNER_MESSAGE, InboundMessage
from bot.tasks.kinds import TaskKind
from store.database import create_database, migrate
from store.embedded import _servers, async_url, start_embedded
from store.tasks import ClaimedTask
from tests.harness import TEAM_ID, BotHarness, running_bot
from tests.reliability.test_processes import post_echo


async def answer_once(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Stands in for the coach, and like it answers each message once however often it runs.

    A task whose outcome could not be recorded (the database went down right after its answer
    was stored) runs again; the coach then finds its stored answer, and this stand-in its
    enqueued post, by a key of the message.
    """
    message = InboundMessage.from_payload(task.payload)
    await post_echo(deps, task, dedupe_key=f"answer:{message.dedupe_key}")
    return None


@pytest.fixture
def private_pg() -> Iterator[tuple[str, Any]]:
    """An embedded server of this test's own, so restarting it disturbs no other test."""
    with tempfile.TemporaryDirectory(prefix="coachbot-restart-") as tmp:
        url = async_url(start_embedded(Path(tmp)))
        yield url, _servers[(Path(tmp) / "pgdata").resolve()]


def _restart(server: Any) -> None:
    from pgserver.postgres_server import pg_ctl

    pg_ctl(["-w", "restart", "-m", "fast"], pgdata=server.pgdata, user=server.system_user)


# Deliveries start this often while the database restarts, at most this many in all.
SEND_INTERVAL = 0.02
MAX_DELIVERIES = 300


async def _deliver(bot: BotHarness, n: int, refused: list[int]) -> int:
    """Send DM number n as Slack does: retry (same event id) until acknowledged with a 200.

    Each refused delivery (an error status, or no answer at all) appends ``n`` to ``refused``.
    """
    user = f"U0R{n % 7:03d}"
    ts = f"{1_800_100_000 + n}.000100"
    event = {
        "type": "message",
        "channel": bot.slack.dm_channel_id(user),
        "channel_type": "im",
        "user": user,
        "text": f"question {n}",
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
    }
    for attempt in range(60):
        try:
            status, _ = await bot.send_event(
                event, event_id=f"EvR{n:05d}", retry_num=attempt or None
            )
        except OSError:
            status = 0
        if status == 200:
            return attempt  # how many deliveries were refused before this one
        refused.append(n)
        await asyncio.sleep(0.25)
    raise AssertionError(f"DM {n} was never acknowledged")


async def test_no_acknowledged_message_is_lost_when_the_database_restarts(
    private_pg: tuple[str, Any],
) -> None:
    url, server = private_pg
    db = create_database(url, pool_size=10)
    await migrate(db)
    try:
        async with running_bot(db) as bot:
            bot.tasks.kinds[LEARNER_MESSAGE] = TaskKind(answer_once)
            refused: list[int] = []
            senders = [asyncio.create_task(_deliver(bot, n, refused)) for n in range(20)]
            await asyncio.sleep(0.05)
            restart = asyncio.create_task(asyncio.to_thread(_restart, server))
            # Traffic flows for as long as the restart lasts, so some deliveries must meet the
            # database down; the cap bounds the work on a slow box.
            sent = 20
            while sent < 60 or (not restart.done() and sent < MAX_DELIVERIES):
                senders.append(asyncio.create_task(_deliver(bot, sent, refused)))
                sent += 1
                await asyncio.sleep(SEND_INTERVAL)
            await restart
            refusals = await asyncio.gather(*senders)
            await bot.drain(timeout=60)
            # Flood notices may come too (7 learners, many questions each); count answers only.
            answers = Counter(
                c.args["text"]
                for c in bot.slack.calls_to("chat.postMessage")
                if c.args["text"].startswith("answer: ")
            )
            assert answers == Counter(f"answer: question {n}" for n in range(sent))
            # A reaction whose task was done but not yet marked so when the database went down
            # is sent again after the restart: Slack answers that it is already there (or
            # already gone), which the outbox counts as delivered. Nothing else was refused.
            repeated = {("reactions.add", "already_reacted"), ("reactions.remove", "no_reaction")}
            assert [e for e in bot.slack.errors if (e.method, e.error) not in repeated] == []
            # The restart really overlapped the traffic: Slack had to retry some DMs.
            hit = len(set(refused))
            print(f"DMs: {sent}; met the restart: {hit}; refused deliveries: {sum(refusals)}")
            assert sum(refusals) == len(refused)
            assert hit >= 1, f"none of {sent} DMs met the database down: the restart was missed"
    finally:
        await db.close()
