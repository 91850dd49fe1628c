"""A learner's "thanks" gets a reaction, not an answer, and does not count toward the turn limit;
in a thread a trainer owns it is still relayed to the trainer."""

from __future__ import annotations

from sqlalchemy import select

from bot.learner.flow import ACKNOWLEDGED_REACTION
from store.models import Conversation, Escalation, Task
from tests.harness import BotHarness
from tests.scenario.test_answers import answers_in, cite_first_passage, seed_course
from tests.scenario.test_escalation_flow import (
    LEARNER,
    escalated_thread,
    thread_posts,
)


async def learner_turns(bot: BotHarness, root: str) -> int:
    async with bot.deps.sessions() as session:
        conversation = await session.scalar(
            select(Conversation).where(Conversation.thread_ts == root)
        )
        assert conversation is not None
        return conversation.learner_turns


async def test_thanks_gets_a_reaction_no_answer_and_no_turn(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    assert len(answers_in(bot, channel)) == 1
    chats = len(bot.llm.chat_calls)

    thanks = await bot.dm(LEARNER, "thanks, that worked 👍", thread_ts=root)
    await bot.drain()

    assert len(bot.llm.chat_calls) == chats  # no model call
    assert len(answers_in(bot, channel)) == 1  # no answer
    assert bot.slack.reactions(channel, thanks) == [ACKNOWLEDGED_REACTION]
    assert "eyes" not in bot.slack.reactions(channel, thanks)
    assert await learner_turns(bot, root) == 1
    assert bot.slack.errors == []


async def test_thanks_with_a_question_is_answered(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()

    follow_up = await bot.dm(LEARNER, "thanks! and how do I slice a list?", thread_ts=root)
    await bot.drain()

    assert len(answers_in(bot, channel)) == 2
    assert bot.slack.reactions(channel, follow_up) == []
    assert await learner_turns(bot, root) == 2


async def test_many_thanks_never_reach_the_turn_limit(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    for word in ("thanks", "ok", "cool", "great", "got it", "perfect", "merci", "danke", "ty"):
        await bot.dm(LEARNER, word, thread_ts=root)
    await bot.drain()

    assert await learner_turns(bot, root) == 1
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(Escalation))).all() == []


async def test_thanks_in_a_trainers_thread_is_relayed(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    channel = bot.slack.dm_channel_id(LEARNER)

    thanks = await bot.dm(LEARNER, "thanks!", thread_ts=root)
    await bot.drain()

    relayed = [c.args["text"] for c in thread_posts(bot, str(escalation.card_ts))]
    assert any("thanks!" in text for text in relayed)
    assert bot.slack.reactions(channel, thanks) == []
    assert bot.llm.chat_calls == []


async def test_a_reaction_already_there_is_delivered_not_failed(bot: BotHarness) -> None:
    # A retried reactions.add whose first attempt reached Slack finds its own reaction there.
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    ts = bot.next_ts()
    bot.slack.workspace.reactions[(channel, ts)] = [ACKNOWLEDGED_REACTION]

    await bot.dm(LEARNER, "thanks", ts=ts)
    await bot.drain()

    async with bot.deps.sessions() as session:
        failed = (await session.scalars(select(Task).where(Task.status == "failed"))).all()
    assert failed == []
    assert bot.slack.reactions(channel, ts) == [ACKNOWLEDGED_REACTION]
