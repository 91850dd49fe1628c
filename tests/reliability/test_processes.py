"""Two bot processes on one database behave as one bot: deliveries deduplicated, timers once.

Each scenario runs with the processes connected straight to PostgreSQL, and through PgBouncer in
transaction pooling mode, woken by LISTEN on a direct connection or by polling alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.inbox import LEARNER_MESSAGE, InboundMessage
from bot.tasks.kinds import TaskKind
from bot.tasks.outbox import Outbox, dm_thread_key
from store.database import Database, create_database
from store.models import Conversation, Escalation
from store.tasks import ClaimedTask
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotHarness, reset_database, running_bot
from tests.reliability.pgbouncer import pooled_database

# Opens one process's database; None: straight to PostgreSQL, the first process on the test's own.
Route = Callable[[], Database] | None


async def post_echo(deps: Deps, task: ClaimedTask, *, dedupe_key: str | None = None) -> None:
    """Post ``answer: <text>`` in the learner's thread through the outbox."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {
                "channel": message.channel_id,
                "thread_ts": message.root_ts,
                "text": f"answer: {message.text}",
            },
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=dedupe_key,
        )


async def echo_answer(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Stands in for the coach: one outbox post per learner task run (no dedupe of its own)."""
    await post_echo(deps, task)
    return None


@pytest.fixture(params=["direct", "pgbouncer-listen", "pgbouncer-polling"])
def route(request: pytest.FixtureRequest, database: Database) -> Route:
    """How each process reaches PostgreSQL: directly, or through PgBouncer (transaction mode)."""
    if request.param == "direct":
        return None
    bouncer = request.getfixturevalue("pgbouncer")
    direct = database.engine.url.render_as_string(hide_password=False)
    listen = direct if request.param == "pgbouncer-listen" else None
    return lambda: pooled_database(bouncer, direct_url=listen)


@asynccontextmanager
async def two_bots(
    database: Database, route: Route = None, **kwargs: Any
) -> AsyncIterator[tuple[BotHarness, BotHarness]]:
    """Two bots sharing PostgreSQL and the fake Slack and LLM, as two processes would.

    Each has engines and pools of its own, so a commit in one wakes only its own worker directly;
    the other learns of new tasks through PostgreSQL's NOTIFY (or its polling), as another
    process would.
    """
    await reset_database(database)
    if route is None:
        first = database
        opened = [create_database(database.engine.url.render_as_string(hide_password=False))]
    else:
        opened = [route(), route()]
        first = opened[0]
    try:
        async with (
            FakeSlack() as slack,
            FakeLLM() as llm,
            running_bot(first, slack=slack, llm=llm, **kwargs) as one,
            running_bot(opened[-1], slack=slack, llm=llm, **kwargs) as two,
        ):
            yield one, two
    finally:
        for db in opened:
            await db.close()


async def test_an_event_delivered_to_both_processes_is_answered_once(
    database: Database, route: Route
) -> None:
    async with two_bots(database, route) as (one, two):
        for bot in (one, two):
            bot.tasks.kinds[LEARNER_MESSAGE] = TaskKind(echo_answer)
        deliveries = []
        for n in range(10):
            ts = one.next_ts()
            event_id = f"EvQ{n:04d}"
            # Slack retried each event; the retry landed on the other process.
            deliveries.append(one.dm("U0LEARNER", f"q{n}", ts=ts, event_id=event_id))
            deliveries.append(two.dm("U0LEARNER", f"q{n}", ts=ts, event_id=event_id, retry_num=1))
        await asyncio.gather(*deliveries)
        await one.drain()
        texts = [c.args["text"] for c in one.slack.calls_to("chat.postMessage")]
        # Ten messages at once may also earn the learner a "still working" notice (flood control).
        answers = [text for text in texts if text.startswith("answer: ")]
        assert sorted(answers) == sorted(f"answer: q{n}" for n in range(10))
        assert one.slack.errors == []


async def _wait_for_tick(bot: BotHarness, name: str, at: datetime, timeout: float = 20) -> None:
    """Until some process has run the timer ``name`` at clock time ``at`` (or later) and its job
    has returned, so what the job enqueued is visible."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with bot.deps.db.engine.connect() as conn:
            last = (
                await conn.execute(
                    text("SELECT last_finished_at FROM timers WHERE name = :n"), {"n": name}
                )
            ).scalar_one_or_none()
        if last is not None and last >= at:
            return
        assert asyncio.get_running_loop().time() < deadline, f"timer {name} did not run"
        await asyncio.sleep(0.05)


async def seed_unclaimed_ticket(bot: BotHarness, clock: FrozenClock, *, card_ts: str | None) -> str:
    """A learner's "help" escalated now and not claimed, suggested to U0TRAINER, with its card
    in the trainer channel when ``card_ts`` is given; returns the learner's DM channel."""
    dm = bot.slack.dm_channel_id("U0LEARNER")
    root = bot.slack.add_message(dm, "help", user="U0LEARNER")["ts"]
    async with bot.deps.sessions.begin() as session:
        conversation = Conversation(
            channel_id=dm, thread_ts=root, learner_id="U0LEARNER", last_activity_at=clock.now()
        )
        session.add(conversation)
        await session.flush()
        session.add(
            Escalation(
                conversation_id=conversation.id,
                learner_id="U0LEARNER",
                status="pending",
                triggers=[],
                references=[],
                question="help",
                suggested_trainer_id="U0TRAINER",
                card_channel="C0TRAINERS" if card_ts else None,
                card_ts=card_ts,
                created_at=clock.now(),
                last_activity_at=clock.now(),
            )
        )
    return dm


# Timers do not use wake-ups: one run through PgBouncer is enough.
@pytest.mark.parametrize("route", ["direct", "pgbouncer-polling"], indirect=True)
async def test_sla_reminders_and_auto_close_fire_once_with_two_processes(
    database: Database, route: Route
) -> None:
    clock = FrozenClock(datetime.now(UTC))
    async with two_bots(database, route, clock=clock) as (one, _two):
        card_ts = one.slack.add_message("C0TRAINERS", "ESC card", user=one.slack.bot_user_id)["ts"]
        dm = await seed_unclaimed_ticket(one, clock, card_ts=card_ts)

        def reminders(channel: str) -> list[Any]:
            return one.slack.calls_to(
                "chat.postMessage",
                lambda c: (
                    c.args["channel"] == channel and "waiting for a trainer" in c.args["text"]
                ),
            )

        def admin_alerts() -> list[Any]:
            return one.slack.calls_to(
                "chat.postMessage",
                lambda c: c.args["channel"] == "UADMIN" and "still unclaimed" in c.args["text"],
            )

        # Before the SLA: nothing.
        await _wait_for_tick(one, "sla.remind_trainer", clock.now())
        await one.drain()
        assert reminders("C0TRAINERS") == []

        for minutes in (31, 1, 1):
            now = clock.advance(minutes=minutes)
            await _wait_for_tick(one, "sla.remind_trainer", now)
            await one.drain()
        [card_note] = reminders("C0TRAINERS")
        assert card_note.args["thread_ts"] == card_ts
        assert len(reminders("U0TRAINER")) == 1
        assert admin_alerts() == []

        for minutes in (90, 1, 1):
            now = clock.advance(minutes=minutes)
            await _wait_for_tick(one, "sla.alert_admins", now)
            await one.drain()
        assert len(admin_alerts()) == 1
        assert len(reminders("C0TRAINERS")) == 1

        for days in (7, 0.01, 0.01):
            now = clock.advance(days=days)
            await _wait_for_tick(one, "escalations.auto_close", now)
            await one.drain()
        async with one.deps.db.engine.connect() as conn:
            status = (await conn.execute(text("SELECT status FROM escalations"))).scalar_one()
        assert status == "resolved"
        to_learner = one.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == dm)
        assert len(to_learner) == 1
        async with one.deps.db.engine.connect() as conn:
            runners = set((await conn.execute(text("SELECT last_run_by FROM timers"))).scalars())
        assert runners, "the timers ran"
        assert one.slack.errors == []
