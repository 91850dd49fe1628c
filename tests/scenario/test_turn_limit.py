"""The turn limit counts the learner's messages since the thread's ticket was last closed."""

from __future__ import annotations

import json

from sqlalchemy import update

from bot.blocks.payloads import EscalationRef
from store.models import Course
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    LEARNER,
    confident_reply,
    dismiss_as_duplicate,
    escalations,
    learner_posts,
    seed_course,
)


async def test_a_dismissed_turn_limit_ticket_lets_the_coach_answer_again(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    async with bot.deps.sessions.begin() as session:
        await session.execute(update(Course).values(max_turns=2))
    bot.llm.reply_with(confident_reply)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    await bot.dm(LEARNER, "And how do I remove one?", thread_ts=root)
    await bot.drain()
    [escalation] = await escalations(bot)
    assert [t["kind"] for t in escalation.triggers] == ["max_turns"]
    calls_before = len(bot.llm.chat_calls)

    ref = EscalationRef(escalation_id=escalation.id).pack()
    await dismiss_as_duplicate(bot, ref)
    await bot.drain()
    await bot.dm(LEARNER, "Thanks, and how do I sort a list?", thread_ts=root)
    await bot.drain()

    [dismissed] = await escalations(bot)
    assert dismissed.status == "dismissed"
    assert len(bot.llm.chat_calls) == calls_before + 1
    last = learner_posts(bot, root)[-1]
    assert "Use append." in json.dumps(last.args)
    assert bot.slack.errors == []
