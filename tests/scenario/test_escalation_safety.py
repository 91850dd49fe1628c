"""An escalation is never lost and never leaks: oversize questions still get a card, text written
by one person cannot ping a channel when shown to another, and internal notes stay internal."""

from __future__ import annotations

import json

import pytest

from bot.escalation import publish
from bot.people.trainers import add_trainer
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    TRAINERS,
    audit_actions,
    card_posts,
    escalated_thread,
    escalations,
    learner_posts,
    seed_course,
)

LONG_QUESTION = "\n".join(f"step {n:03}: it failed" for n in range(150))
LONG_QUESTION += "\ncan I talk to a trainer"  # 150 short lines, under max_message_chars


async def test_marked_up_note_stays_internal_and_a_normal_reply_is_relayed(
    bot: BotHarness,
) -> None:
    root, escalation = await escalated_thread(bot)
    card_ts = str(escalation.card_ts)

    await bot.channel_reply(TRAINER, TRAINERS, card_ts, "*Note:* probably a tabs/spaces mix")
    await bot.channel_reply(TRAINER, TRAINERS, card_ts, "Check the indentation on line 3.")
    await bot.drain()

    texts = json.dumps([c.args for c in learner_posts(bot, root)])
    assert "tabs/spaces" not in texts
    assert "indentation on line 3" in texts
    assert bot.slack.errors == []


async def test_a_question_of_many_short_lines_gets_a_ticket_and_a_card(bot: BotHarness) -> None:
    await seed_course(bot)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    root = await bot.dm(LEARNER, LONG_QUESTION)
    await bot.drain()

    [escalation] = await escalations(bot)
    assert escalation.card_ts is not None
    [card] = card_posts(bot)
    rendered = json.dumps(card.args["blocks"])
    assert "step 000" in rendered
    assert "can I talk to a trainer" in rendered
    assert any(f"ESC-{escalation.ticket}" in c.args["text"] for c in learner_posts(bot, root))
    assert bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == TRAINER)
    assert bot.slack.errors == []


async def test_a_card_that_cannot_be_built_is_posted_as_plain_text(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(card: object) -> list[object]:
        raise ValueError("no card today")

    monkeypatch.setattr(publish, "build_escalation_card", broken)
    await seed_course(bot)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    root = await bot.dm(LEARNER, "I want to talk to a human about my project")
    await bot.drain()

    [escalation] = await escalations(bot)
    assert escalation.card_ts is not None
    [card] = card_posts(bot)
    assert "blocks" not in card.args
    assert f"ESC-{escalation.ticket}" in card.args["text"]
    assert "talk to a human about my project" in card.args["text"]
    assert any(f"ESC-{escalation.ticket}" in c.args["text"] for c in learner_posts(bot, root))
    assert bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == TRAINER)
    assert "card_build_failed" in await audit_actions(bot)
    assert bot.slack.errors == []


async def test_mentions_written_by_a_learner_never_ping_trainers(bot: BotHarness) -> None:
    await seed_course(bot)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    root = await bot.dm(LEARNER, "<!channel> <!subteam^S1> talk to a human")
    await bot.drain()
    [escalation] = await escalations(bot)
    await bot.dm(LEARNER, "<!here> <!everyone> <@U0OTHER01> & <https://x.io|see>", thread_ts=root)
    await bot.channel_reply(TRAINER, TRAINERS, str(escalation.card_ts), "<!channel> hi there")
    await bot.drain()

    to_trainers = bot.slack.calls_to(
        "chat.postMessage", lambda c: c.args["channel"] in (TRAINERS, TRAINER, "UADMIN")
    )
    assert len(to_trainers) >= 3  # the card, the relayed follow-up, the trainer's alert
    for call in to_trainers:
        shown = json.dumps(call.args, ensure_ascii=False)
        assert "<!" not in shown, shown
        assert "<@U0OTHER01>" not in shown
        assert f"<@{LEARNER}>" in shown  # the bot's own mention of the learner still works
    relayed = json.dumps([c.args for c in to_trainers])
    assert "&lt;!channel&gt;" in relayed
    assert "<https://x.io|see>" in relayed  # a link pings nobody and stays a link
    to_learner = json.dumps([c.args for c in learner_posts(bot, root)])
    assert "hi there" in to_learner
    assert "<!" not in to_learner
    assert bot.slack.errors == []
