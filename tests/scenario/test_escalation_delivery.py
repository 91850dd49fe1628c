"""Escalation messages that Slack refuses or that arrive too early are neither lost nor left
waiting: a card the trainer channel refuses goes to the admins by DM, and the thread follows it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import update

from bot.escalation import relay
from bot.people.trainers import add_trainer
from bot.tasks.kinds import PermanentFailure
from store.models import Escalation
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    TRAINERS,
    escalated_thread,
    escalations,
    learner_posts,
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
    # The failure hook runs just after the card post is marked failed: wait for what it sends.
    await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == "UADMIN" and "blocks" in c.args
    )
    await bot.drain()

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


async def test_a_trainer_reply_that_fails_for_good_is_reported_in_the_card_thread(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _root, escalation = await escalated_thread(bot)

    async def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise PermanentFailure("the learner's thread is gone")

    monkeypatch.setattr(relay, "_relay", broken)
    await bot.channel_reply(TRAINER, TRAINERS, str(escalation.card_ts), "Try line 3.")
    # The failure hook runs just after the task is marked failed: wait for its notice.
    [notice] = await bot.slack.wait_for(
        "chat.postEphemeral",
        lambda c: c.args.get("user") == TRAINER and c.args.get("thread_ts") == escalation.card_ts,
    )
    assert "did not reach the learner" in notice.args["text"]
    assert f"ESC-{escalation.ticket}" in notice.args["text"]


async def test_a_trainer_reply_before_the_card_ts_is_stored_waits_and_is_relayed(
    bot: BotHarness,
) -> None:
    root, escalation = await escalated_thread(bot)
    card_ts = str(escalation.card_ts)
    # As between the card's post and the write of its ts: the card is in Slack, its ts not yet.
    async with bot.deps.sessions.begin() as session:
        await session.execute(
            update(Escalation).where(Escalation.id == escalation.id).values(card_ts=None)
        )
    await bot.channel_reply(TRAINER, TRAINERS, card_ts, "Check the indentation on line 3.")
    await asyncio.sleep(1.5)
    async with bot.deps.sessions.begin() as session:
        await session.execute(
            update(Escalation).where(Escalation.id == escalation.id).values(card_ts=card_ts)
        )
    await bot.drain()

    assert any("indentation" in c.args.get("text", "") for c in learner_posts(bot, root))
