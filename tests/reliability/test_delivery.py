"""Outbox delivery under Slack faults: exactly once, in order, bounded, failures visible."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from bot.tasks.outbox import METADATA_EVENT, Outbox, card_thread_key, dm_thread_key
from tests.harness import BotHarness

DM = "D0LEARNER1"
THREAD = "1800000000.000100"
CARD_CHANNEL = "C0TRAINERS"
CARD_TS = "1800000000.000200"


def _seed_threads(bot: BotHarness) -> None:
    # The learner's DM that started the thread, and the escalation card.
    bot.slack.add_message(DM, "my question", user="U0LEARNER", ts=THREAD)
    bot.slack.add_message(CARD_CHANNEL, "ESC-1001", user=bot.slack.bot_user_id, ts=CARD_TS)


async def _enqueue_relays(bot: BotHarness, count: int) -> None:
    _seed_threads(bot)
    async with bot.deps.sessions.begin() as session:
        outbox = Outbox(session)
        for n in range(count):
            await outbox.call(
                "chat.postMessage",
                {"channel": DM, "thread_ts": THREAD, "text": f"trainer says {n}"},
                ordering_key=dm_thread_key(DM, THREAD),
            )
            await outbox.call(
                "chat.postMessage",
                {"channel": CARD_CHANNEL, "thread_ts": CARD_TS, "text": f"learner says {n}"},
                ordering_key=card_thread_key(7),
            )


async def test_relays_arrive_once_and_in_order_despite_429s_and_5xx(bot: BotHarness) -> None:
    bot.slack.fail_ratio(None, 0.15, status=429, seed=3, retry_after=1)
    bot.slack.fail_ratio(None, 0.15, status=503, seed=4)
    await _enqueue_relays(bot, 12)
    await bot.drain(timeout=90)

    to_learner = [m["text"] for m in bot.slack.messages(DM) if m["ts"] != THREAD]
    to_trainers = [m["text"] for m in bot.slack.messages(CARD_CHANNEL) if m["ts"] != CARD_TS]
    assert to_learner == [f"trainer says {n}" for n in range(12)]
    assert to_trainers == [f"learner says {n}" for n in range(12)]
    assert len(bot.slack.injected) > 0, "the faults must actually have fired"
    assert bot.slack.errors == []


async def test_a_429_is_retried_no_sooner_than_retry_after(bot: BotHarness) -> None:
    bot.slack.inject("chat.postMessage", status=429, retry_after=2)
    await _enqueue_relays(bot, 1)
    [first, *_] = await bot.slack.wait_for("chat.postMessage", count=2, timeout=20)
    [refused] = bot.slack.injected
    assert first.args["text"] in ("trainer says 0", "learner says 0")
    retried = bot.slack.calls_to(
        "chat.postMessage", lambda c: c.args["text"] == refused.args["text"]
    )
    assert retried[0].at - refused.at >= 1.9


async def test_every_post_carries_its_task_id_as_metadata(bot: BotHarness) -> None:
    await _enqueue_relays(bot, 1)
    await bot.drain()
    async with bot.deps.db.engine.connect() as conn:
        ids = set((await conn.execute(text("SELECT id FROM tasks"))).scalars())
    posted = bot.slack.calls_to("chat.postMessage")
    assert {c.args["metadata"]["event_type"] for c in posted} == {METADATA_EVENT}
    assert {c.args["metadata"]["event_payload"]["task_id"] for c in posted} == ids


async def test_a_retry_finds_the_earlier_delivery_instead_of_posting_again(
    bot: BotHarness,
) -> None:
    # The first attempt reached Slack, then its process died before marking the task done.
    _seed_threads(bot)
    async with bot.deps.sessions.begin() as session:
        task_id = await Outbox(session).call(
            "chat.postMessage",
            {"channel": DM, "thread_ts": THREAD, "text": "only once"},
            ordering_key=dm_thread_key(DM, THREAD),
        )
        await session.execute(
            text(
                "UPDATE tasks SET attempts = 1, run_at = now() + interval '1 hour' WHERE id = :id"
            ),
            {"id": task_id},
        )
    await bot.deps.slack.chat_postMessage(
        channel=DM,
        thread_ts=THREAD,
        text="only once",
        metadata={"event_type": METADATA_EVENT, "event_payload": {"task_id": task_id}},
    )
    async with bot.deps.sessions.begin() as session:
        await session.execute(
            text("UPDATE tasks SET run_at = now() WHERE id = :id"), {"id": task_id}
        )
    bot.deps.work.wake()
    await bot.drain()

    assert [m["text"] for m in bot.slack.messages(DM)] == ["only once", "my question"]
    assert bot.slack.calls_to("conversations.replies")
    async with bot.deps.db.engine.connect() as conn:
        status, result = (
            await conn.execute(
                text("SELECT status, result FROM tasks WHERE id = :id"), {"id": task_id}
            )
        ).one()
    assert status == "done"
    assert result["ts"] == bot.slack.messages(DM)[0]["ts"]


async def test_an_unfixable_error_fails_at_once_and_alerts_admins_once(bot: BotHarness) -> None:
    bot.slack.inject("chat.postMessage", error="channel_not_found")
    async with bot.deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": "C0GONE", "text": "lost cause"},
            ordering_key="test:gone",
        )
    await bot.drain()
    [alert] = await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args["channel"] == "UADMIN", timeout=10
    )
    assert "channel_not_found" in alert.args["text"]
    async with bot.deps.db.engine.connect() as conn:
        status, alerted = (await conn.execute(text("SELECT status, alerted_at FROM tasks"))).one()
    assert status == "failed"
    assert alerted is not None
    assert len(bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == "UADMIN")) == 1


async def test_server_errors_are_retried_until_the_deadline_then_fail(bot: BotHarness) -> None:
    bot.slack.fail_ratio("chat.update", 1.0, status=503)
    async with bot.deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.update",
            {"channel": CARD_CHANNEL, "ts": CARD_TS, "text": "never lands"},
            ordering_key=card_thread_key(9),
            give_up_at=bot.deps.clock.now() + timedelta(seconds=3),
        )
    await bot.drain(timeout=30)
    async with bot.deps.db.engine.connect() as conn:
        status, attempts, error = (
            await conn.execute(text("SELECT status, attempts, last_error FROM tasks"))
        ).one()
    assert status == "failed"
    assert attempts >= 2
    assert "gave up" in error
    assert len([f for f in bot.slack.injected if f.target == "chat.update"]) == attempts
