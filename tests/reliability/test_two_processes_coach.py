"""Two bot processes running the real coach on one database: one answer, one owner."""

from __future__ import annotations

import asyncio
import json

from bot.blocks.ids import ActionId
from bot.blocks.payloads import EscalationRef
from bot.people.trainers import add_trainer
from store.database import Database
from tests.reliability.test_processes import two_bots
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    TRAINERS,
    confident_reply,
    escalations,
    seed_course,
)


async def test_each_question_is_answered_once_when_both_processes_get_it(
    database: Database,
) -> None:
    async with two_bots(database) as (one, two):
        await seed_course(one, indexed=True)
        one.llm.reply_with(confident_reply)
        questions = [
            "How do I add an item to a list?",
            "What does range() return?",
            "How do I open a file for reading?",
            "What is a dictionary?",
            "How do I define a class?",
        ]
        deliveries = []
        for n, question in enumerate(questions):
            ts = one.next_ts()
            # Slack retried each event because the first delivery was slow; the retry reached the
            # other process while the first was still being worked on.
            deliveries.append(one.dm(LEARNER, question, ts=ts, event_id=f"EvC{n}"))
            deliveries.append(two.dm(LEARNER, question, ts=ts, event_id=f"EvC{n}", retry_num=1))
        await asyncio.gather(*deliveries)
        await one.drain()
        await two.drain()

        answers = one.slack.calls_to("chat.postMessage", lambda c: "blocks" in c.args)
        threads = [c.args["thread_ts"] for c in answers]
        assert len(threads) == len(questions)
        assert len(set(threads)) == len(questions)
        assert len(one.llm.chat_calls) == len(questions)
        assert one.slack.errors == []


async def test_a_claim_race_across_processes_has_one_winner(database: Database) -> None:
    async with two_bots(database) as (one, two):
        await seed_course(one)
        await add_trainer(one.deps, TRAINER, "python", actor="UADMIN")
        await one.dm(LEARNER, "I want to talk to a human about my project")
        await one.drain()
        [escalation] = await escalations(one)
        trainers = [f"U0RACE{n:02d}" for n in range(20)]
        for trainer in trainers:
            await add_trainer(one.deps, trainer, "python", actor="UADMIN")
        ref = EscalationRef(escalation_id=escalation.id).pack()

        clicks = [
            (one if n % 2 else two).click(
                trainer, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts
            )
            for n, trainer in enumerate(trainers)
        ]
        results = await asyncio.gather(*clicks)
        await one.drain()
        await two.drain()

        assert all(status == 200 for status, _ in results)
        [claimed] = await escalations(one)
        assert claimed.status == "in_progress"
        assert claimed.assignee_id in trainers
        refusals = [str(c.args.get("text")) for c in one.slack.calls_to("response_url")]
        assert len(refusals) == len(trainers) - 1
        assert all(f"already claimed by <@{claimed.assignee_id}>" in t for t in refusals)
        card = one.slack.messages(TRAINERS)[0]
        assert f"<@{claimed.assignee_id}>" in json.dumps(card["blocks"])
        assert one.slack.errors == []
