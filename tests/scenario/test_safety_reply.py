"""A safety concern gets, at once and before any trainer acts, a humane reply with the support
resources in the learner's thread and an urgent card that pings the admins, with no model call;
a message that only sounds alarming is answered as usual."""

from __future__ import annotations

import json

from bot.people.trainers import add_trainer
from bot.settings import DEFAULT_SAFETY_RESOURCES
from store.database import Database
from tests.harness import BotHarness, reset_database, running_bot
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    card_posts,
    confident_reply,
    escalated_thread,
    escalations,
    learner_posts,
    seed_course,
    thread_posts,
)

SAFETY_MESSAGE = "my lab keeps failing and honestly I want to kill myself"


def shown(calls: list) -> str:  # type: ignore[type-arg]
    return json.dumps([c.args for c in calls], ensure_ascii=False)


async def test_a_safety_message_gets_resources_at_once_and_an_urgent_card(
    bot: BotHarness,
) -> None:
    await seed_course(bot, indexed=True)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    chat_calls_before = len(bot.llm.chat_calls)
    root = await bot.dm(LEARNER, SAFETY_MESSAGE)
    await bot.drain()

    assert len(bot.llm.chat_calls) == chat_calls_before  # no model call for a safety concern
    [escalation] = await escalations(bot)
    assert [t["kind"] for t in escalation.triggers] == ["safety"]
    assert escalation.triggers[0]["value"] == "self-harm"
    assert escalation.status == "pending"  # no trainer has done anything yet

    [reply] = learner_posts(bot, root)
    text = shown([reply])
    assert "findahelpline.com" in text
    assert "112" in text
    assert "not alone" in text
    assert f"ESC-{escalation.ticket}" in text

    [card] = card_posts(bot)
    assert card.args["text"].startswith(":rotating_light: URGENT")
    assert "<@UADMIN>" in card.args["text"]  # in the message text, so the admin is notified
    assert "URGENT" in json.dumps(card.args["blocks"])
    assert bot.slack.errors == []


async def test_the_resources_are_the_deployments_own(database: Database) -> None:
    await reset_database(database)
    resources = "Please call campus security on 555-0100, day or night."
    async with running_bot(
        database, safety_resources=resources, admin_user_ids=["UADMIN", "UADMIN2"]
    ) as bot:
        await seed_course(bot)
        root = await bot.dm(LEARNER, "my partner hits me when I study late")
        await bot.drain()

        text = shown(learner_posts(bot, root))
        assert "campus security on 555-0100" in text
        assert DEFAULT_SAFETY_RESOURCES[:40] not in text
        [card] = card_posts(bot)
        assert "<@UADMIN>" in card.args["text"]
        assert "<@UADMIN2>" in card.args["text"]
        assert bot.slack.errors == []


async def test_a_message_that_only_sounds_alarming_is_answered(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    bot.llm.reply_with(confident_reply)
    root = await bot.dm(LEARNER, "how do i kill the process that hangs")
    await bot.drain()

    # It takes the ordinary path: the model answers it, and whatever the answer policy then
    # decides (the course does not cover processes), no safety concern or request is raised.
    assert len(bot.llm.chat_calls) == 1
    raised = [t["kind"] for e in await escalations(bot) for t in e.triggers]
    assert "safety" not in raised
    assert "human_request" not in raised
    assert learner_posts(bot, root)
    assert "findahelpline.com" not in shown(learner_posts(bot, root))
    assert all("URGENT" not in c.args["text"] for c in card_posts(bot))
    assert bot.slack.errors == []


async def test_a_safety_message_in_a_trainers_thread_is_flagged_once(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    before = len(learner_posts(bot, root))

    await bot.dm(LEARNER, "honestly I feel like ending it all", thread_ts=root)
    await bot.drain()
    await bot.dm(LEARNER, "I still want to end my life", thread_ts=root)
    await bot.drain()

    [refreshed] = await escalations(bot)
    assert [t["kind"] for t in refreshed.triggers] == ["human_request", "safety"]
    new = learner_posts(bot, root)[before:]
    assert len(new) == 1  # the resources, once; the AI stays silent otherwise
    assert "findahelpline.com" in shown(new)
    pings = [c for c in thread_posts(bot, str(escalation.card_ts)) if "URGENT" in c.args["text"]]
    assert len(pings) == 1
    assert "<@UADMIN>" in pings[0].args["text"]
    relayed = shown(thread_posts(bot, str(escalation.card_ts)))
    assert "ending it all" in relayed  # the trainer still sees what the learner wrote
    assert bot.slack.errors == []


async def test_a_concern_only_the_model_saw_escalates_with_the_resources(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")

    def model_sees_a_concern(request: object) -> str:
        reply = json.loads(confident_reply(request))  # type: ignore[arg-type]
        return json.dumps({**reply, "intent": "safety"})

    bot.llm.reply_with(model_sees_a_concern)
    root = await bot.dm(LEARNER, "lists are hard and so is everything else lately")
    await bot.drain()

    [escalation] = await escalations(bot)
    assert "safety" in [t["kind"] for t in escalation.triggers]
    assert "findahelpline.com" in shown(learner_posts(bot, root))
    [card] = card_posts(bot)
    assert "URGENT" in card.args["text"]
    assert bot.slack.errors == []
