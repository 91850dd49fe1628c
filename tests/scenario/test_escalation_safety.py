"""An escalation is never lost and never leaks: oversize questions still get a card, text written
by one person cannot ping a channel when shown to another, and internal notes stay internal."""

from __future__ import annotations

import json

from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    TRAINER,
    TRAINERS,
    escalated_thread,
    learner_posts,
)


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
