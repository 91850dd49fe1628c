"""Messages a learner sends in quick succession in one thread are answered once, together;
messages further apart are answered one by one; retries, restarts and a crash mid-answer neither
lose a message nor answer one twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.inbox import LEARNER_MESSAGE
from bot.learner.burst import gather_burst
from bot.learner.flow import handle_learner_message
from bot.tasks.outbox import SLACK_CALL
from store.database import Database
from store.models import Conversation, Query, Task
from store.tasks import ClaimedTask
from tests.harness import BotHarness, FrozenClock, reset_database, running_bot
from tests.scenario.test_answers import answers_in, cite_first_passage, seed_course

LEARNER = "U0LEARN01"
WINDOW = 4.0


def past_the_window(clock: FrozenClock) -> None:
    """Move the frozen clock beyond every burst window opened so far (tasks are due by the
    database's now() plus the window; the frozen clock started before the test's real time)."""
    behind = (datetime.now(UTC) - clock.now()).total_seconds()
    clock.advance(seconds=max(behind, 0) + WINDOW + 1)


def to_now(clock: FrozenClock) -> None:
    """Move the frozen clock to the real time, well inside any burst window opened now."""
    behind = (datetime.now(UTC) - clock.now()).total_seconds()
    clock.advance(seconds=max(behind, 0) + 0.5)


@pytest.fixture
async def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
async def burst_bot(database: Database, clock: FrozenClock) -> AsyncIterator[BotHarness]:
    await reset_database(database)
    async with running_bot(database, clock=clock, burst_window_seconds=WINDOW) as harness:
        await seed_course(harness)
        harness.llm.reply_with(cite_first_passage)
        yield harness


async def questions(bot: BotHarness) -> list[str]:
    async with bot.deps.sessions() as session:
        return list(await session.scalars(select(Query.text).order_by(Query.id)))


async def turns(bot: BotHarness) -> list[int]:
    async with bot.deps.sessions() as session:
        rows = await session.scalars(select(Conversation.learner_turns).order_by(Conversation.id))
        return list(rows)


async def test_three_quick_messages_get_one_answer(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    channel = bot.slack.dm_channel_id(LEARNER)
    root = await bot.dm(LEARNER, "I have a list of names")
    await bot.dm(LEARNER, "and I want to add one more name", thread_ts=root)
    await bot.dm(LEARNER, "how do I do that", thread_ts=root)
    assert bot.llm.chat_calls == []  # nothing is answered inside the window

    past_the_window(clock)
    await bot.drain()

    [answer] = answers_in(bot, channel)
    assert answer.args["thread_ts"] == root
    [question] = await questions(bot)
    assert question == "I have a list of names\nand I want to add one more name\nhow do I do that"
    [chat] = bot.llm.chat_calls
    assert question in chat.prompt
    assert await turns(bot) == [1]  # a burst is one learner turn
    assert bot.slack.errors == []


async def test_messages_further_apart_get_an_answer_each(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    channel = bot.slack.dm_channel_id(LEARNER)
    # Sent 30 s apart (Slack's ts), though both reach the bot before either is answered.
    root = await bot.dm(LEARNER, "How do I add an item to a list?", ts="1800000100.000100")
    await bot.dm(LEARNER, "How do I slice a list?", thread_ts=root, ts="1800000130.000100")
    past_the_window(clock)
    await bot.drain()
    # And one sent after the first answers went out.
    await bot.dm(LEARNER, "How do I sort a list?", thread_ts=root)
    past_the_window(clock)
    await bot.drain()

    assert len(answers_in(bot, channel)) == 3
    assert await questions(bot) == [
        "How do I add an item to a list?",
        "How do I slice a list?",
        "How do I sort a list?",
    ]
    assert await turns(bot) == [3]


async def test_a_slack_retry_inside_a_burst_is_answered_once(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    root = await bot.dm(LEARNER, "I have a list", event_id="EvBURST1")
    second = await bot.dm(LEARNER, "how do I add to it", thread_ts=root, event_id="EvBURST2")
    await bot.dm(
        LEARNER, "how do I add to it", thread_ts=root, ts=second, event_id="EvBURST2", retry_num=1
    )
    past_the_window(clock)
    await bot.drain()

    assert await questions(bot) == ["I have a list\nhow do I add to it"]
    assert len(answers_in(bot, bot.slack.dm_channel_id(LEARNER))) == 1


async def test_a_burst_survives_a_restart(database: Database, clock: FrozenClock) -> None:
    await reset_database(database)
    async with running_bot(
        database, clock=clock, burst_window_seconds=WINDOW, run_workers=False
    ) as stopped:
        await seed_course(stopped)
        root = await stopped.dm(LEARNER, "I have a list")
        await stopped.dm(LEARNER, "how do I add to it", thread_ts=root)
    past_the_window(clock)
    async with running_bot(database, clock=clock, burst_window_seconds=WINDOW) as bot:
        bot.llm.reply_with(cite_first_passage)
        await bot.drain()
        assert await questions(bot) == ["I have a list\nhow do I add to it"]
        assert len(answers_in(bot, bot.slack.dm_channel_id(LEARNER))) == 1


async def test_a_crash_after_gathering_loses_nothing_and_answers_once(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    crashed = asyncio.Event()

    async def crash_once(deps: object, task: ClaimedTask) -> dict[str, object] | None:
        if not crashed.is_set():
            await gather_burst(bot.deps, task)  # the burst is taken, then the process dies
            crashed.set()
            raise RuntimeError("process died")
        return await handle_learner_message(bot.deps, task)

    bot.tasks.kinds[LEARNER_MESSAGE] = bot.tasks.kinds[LEARNER_MESSAGE].__class__(
        crash_once, bot.tasks.kinds[LEARNER_MESSAGE].give_up_after, None
    )
    root = await bot.dm(LEARNER, "I have a list")
    await bot.dm(LEARNER, "how do I add to it", thread_ts=root)
    past_the_window(clock)
    await asyncio.wait_for(crashed.wait(), 20)
    # A message that arrives before the re-run is not part of the burst already taken.
    await bot.dm(LEARNER, "and how do I sort it", thread_ts=root)
    past_the_window(clock)
    await bot.drain()

    assert await questions(bot) == ["I have a list\nhow do I add to it", "and how do I sort it"]
    assert len(answers_in(bot, bot.slack.dm_channel_id(LEARNER))) == 2
    async with bot.deps.sessions() as session:
        statuses = list(
            await session.scalars(select(Task.status).where(Task.kind == LEARNER_MESSAGE))
        )
    assert statuses == ["done"] * 3


async def test_a_message_postpones_only_its_own_threads_waiting_messages(
    burst_bot: BotHarness,
) -> None:
    bot = burst_bot
    root = await bot.dm(LEARNER, "first thread")
    other = await bot.dm(LEARNER, "second thread")
    async with bot.deps.sessions() as session:
        learner = Task.kind == LEARNER_MESSAGE
        before = dict(
            (
                await session.execute(select(Task.payload["ts"].astext, Task.run_at).where(learner))
            ).all()
        )
    await bot.dm(LEARNER, "first thread again", thread_ts=root)
    async with bot.deps.sessions() as session:
        after = dict(
            (
                await session.execute(select(Task.payload["ts"].astext, Task.run_at).where(learner))
            ).all()
        )
        rows = (await session.execute(select(Task.created_at, Task.run_at).where(learner))).all()

    assert all((run_at - created).total_seconds() >= WINDOW - 0.01 for created, run_at in rows)
    assert after[root] > before[root]  # postponed by the later message of its thread
    assert after[other] == before[other]


async def test_each_message_shows_at_once_that_it_was_seen_and_is_cleared_with_the_answer(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    channel = bot.slack.dm_channel_id(LEARNER)
    root = await bot.dm(LEARNER, "I have a list of names")
    second = await bot.dm(LEARNER, "how do I add one more name to it", thread_ts=root)
    to_now(clock)
    await bot.drain(kind=SLACK_CALL)  # what is due now; the answer waits for the window

    # A sign of life long before the answer: the learner is not left looking at nothing.
    assert answers_in(bot, channel) == []
    assert bot.slack.reactions(channel, root) == ["eyes"]
    assert bot.slack.reactions(channel, second) == ["eyes"]

    past_the_window(clock)
    await bot.drain()
    assert len(answers_in(bot, channel)) == 1
    assert bot.slack.reactions(channel, root) == []
    assert bot.slack.reactions(channel, second) == []
    assert bot.slack.errors == []


async def test_an_acknowledgement_in_a_burst_window_is_cleared_too(
    burst_bot: BotHarness, clock: FrozenClock
) -> None:
    bot = burst_bot
    channel = bot.slack.dm_channel_id(LEARNER)
    ts = await bot.dm(LEARNER, "thanks!")
    to_now(clock)
    await bot.drain(kind=SLACK_CALL)
    assert bot.slack.reactions(channel, ts) == ["eyes"]
    past_the_window(clock)
    await bot.drain()
    assert bot.slack.reactions(channel, ts) == ["white_check_mark"]
