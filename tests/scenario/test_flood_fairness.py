"""One learner's flood of new DMs does not starve everyone else: at most
``LEARNER_TASKS_PER_USER`` of them are answered at once, and another learner's question is
answered meanwhile."""

from __future__ import annotations

import asyncio

from bot.people.trainers import add_trainer
from tests.fakes.llm import ChatRequest
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import TRAINER, confident_reply, seed_course

FLOODER, OTHER = "U0FLOOD01", "U0OTHER01"


async def test_a_second_learner_is_answered_while_the_first_floods(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    gate = asyncio.Event()
    flood_in_flight = flood_max = 0

    async def reply(request: ChatRequest) -> str:
        nonlocal flood_in_flight, flood_max
        if "flood question" in request.prompt:
            flood_in_flight += 1
            flood_max = max(flood_max, flood_in_flight)
            try:
                await asyncio.wait_for(gate.wait(), 30)
            finally:
                flood_in_flight -= 1
        return confident_reply(request)

    bot.llm.reply_with(reply)
    for n in range(6):
        await bot.dm(FLOODER, f"flood question {n}: how do I append to a list?")
    await bot.llm.wait_for_chat(lambda c: "flood question" in c.prompt, count=2)

    other = await bot.dm(OTHER, "other question: how do I append to a list?")
    channel = bot.slack.dm_channel_id(OTHER)
    for _ in range(500):
        if bot.slack.calls_to(
            "chat.postMessage",
            lambda c: c.args.get("channel") == channel and c.args.get("thread_ts") == other,
        ):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the second learner was not answered while the first flooded")
    assert flood_max <= 2

    gate.set()
    await bot.drain()
    assert flood_max <= 2
    assert bot.slack.errors == []
