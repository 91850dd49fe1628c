"""Escalation messages that Slack refuses or that arrive too early are neither lost nor left
waiting: a card the trainer channel refuses goes to the admins by DM, and the thread follows it."""

from __future__ import annotations

from bot.people.trainers import add_trainer
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    TRAINERS,
    escalations,
    seed_course,
)


def dms_to(bot: BotHarness, user: str) -> list[str]:
    return [
        str(c.args.get("text", ""))
        for c in bot.slack.calls_to("chat.postMessage", lambda c: c.args.get("channel") == user)
    ]


async def test_card_refused_by_the_trainer_channel_goes_to_the_admins(bot: BotHarness) -> None:
    bot.slack.fail_channel(TRAINERS, "not_in_channel")
    await seed_course(bot)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    root = await bot.dm(LEARNER, "I want to talk to a human about my project")
    await bot.dm(LEARNER, "It fails on line 3", thread_ts=root)
    await bot.drain(timeout=15)

    [escalation] = await escalations(bot)
    label = f"ESC-{escalation.ticket}"
    admin = dms_to(bot, "UADMIN")
    # The admins are told, with the ticket and the reason...
    assert any(label in text and "not_in_channel" in text for text in admin)
    # ...and get the card itself, with its buttons.
    cards = bot.slack.calls_to(
        "chat.postMessage", lambda c: c.args.get("channel") == "UADMIN" and "blocks" in c.args
    )
    assert cards
    # The learner's follow-up still reaches a trainer, by DM.
    assert any("It fails on line 3" in text for text in dms_to(bot, TRAINER) + admin)
