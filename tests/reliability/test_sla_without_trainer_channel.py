"""Without TRAINER_CHANNEL_ID there is no card thread: the SLA reminder only DMs the trainer."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from bot.clock import FrozenClock
from store.database import Database
from tests.harness import reset_database, running_bot
from tests.reliability.test_processes import _wait_for_tick, seed_unclaimed_ticket


async def test_sla_reminder_without_a_trainer_channel_only_dms_the_trainer(
    database: Database,
) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime.now(UTC))
    async with running_bot(database, clock=clock, trainer_channel_id=None) as bot:
        await seed_unclaimed_ticket(bot, clock, card_ts=None)

        now = clock.advance(minutes=31)
        await _wait_for_tick(bot, "sla.remind_trainer", now)
        await bot.drain(timeout=10)

        reminders = bot.slack.calls_to(
            "chat.postMessage", lambda c: "waiting for a trainer" in c.args.get("text", "")
        )
        assert [c.args["channel"] for c in reminders] == ["U0TRAINER"]
        async with bot.deps.db.engine.connect() as conn:
            failed = (
                await conn.execute(text("SELECT count(*) FROM tasks WHERE status = 'failed'"))
            ).scalar_one()
        assert failed == 0
        assert bot.slack.errors == []
