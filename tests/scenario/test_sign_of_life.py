"""Every DM shows at once that it was seen, stored with the message at ack time: the working
reaction goes out as soon as a worker slot frees, ahead of the answers already waiting, even when
every slot is busy with other learners' model calls and whatever the burst window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.inbox import LEARNER_MESSAGE, WORKING_REACTION
from bot.learner.flow import handle_learner_message
from bot.tasks.outbox import SLACK_CALL
from store.database import Database
from store.models import Task
from store.tasks import TaskRepository
from tests.harness import reset_database, running_bot
from tests.scenario.test_answers import cite_first_passage, seed_course

LEARNER = "U0SEEN001"


@pytest.mark.parametrize("window", [0.0, 4.0])
async def test_the_seen_reaction_is_stored_with_the_message(
    database: Database, window: float
) -> None:
    await reset_database(database)
    async with running_bot(database, burst_window_seconds=window, run_workers=False) as bot:
        await seed_course(bot)
        ts = await bot.dm(LEARNER, "How do I add an item to a list?")
        async with bot.deps.sessions() as session:
            calls = (await session.scalars(select(Task).where(Task.kind == SLACK_CALL))).all()
        seen = [
            t.payload["args"]
            for t in calls
            if t.payload["method"] == "reactions.add"
            and t.payload["args"]["name"] == WORKING_REACTION
        ]
        assert seen == [
            {"channel": bot.slack.dm_channel_id(LEARNER), "timestamp": ts, "name": WORKING_REACTION}
        ]


async def test_the_reaction_is_cleared_once_the_answer_is_posted(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, burst_window_seconds=0.0) as bot:
        await seed_course(bot)
        bot.llm.reply_with(cite_first_passage)
        ts = await bot.dm(LEARNER, "How do I add an item to a list?")
        await bot.drain()
        added = bot.slack.calls_to("reactions.add", lambda c: c.args["timestamp"] == ts)
        removed = bot.slack.calls_to("reactions.remove", lambda c: c.args["timestamp"] == ts)
        assert [c.args["name"] for c in added] == [WORKING_REACTION]
        assert [c.args["name"] for c in removed] == [WORKING_REACTION]
        assert bot.slack.errors == []


async def test_an_answer_done_before_its_reaction_went_out_still_clears_it(
    database: Database,
) -> None:
    await reset_database(database)
    async with running_bot(database, burst_window_seconds=0.0, run_workers=False) as stopped:
        await seed_course(stopped)
        stopped.llm.reply_with(cite_first_passage)
        ts = await stopped.dm(LEARNER, "How do I add an item to a list?")
        # The answer task runs before the seen reaction it was stored with has been sent.
        now = datetime.now(UTC) + timedelta(seconds=1)
        async with stopped.deps.sessions.begin() as session:
            [task] = await TaskRepository(session).claim(
                "first", now, timedelta(minutes=5), kinds=[LEARNER_MESSAGE]
            )
        await handle_learner_message(stopped.deps, task)
        async with stopped.deps.sessions.begin() as session:
            assert await TaskRepository(session).complete(task.id, "first", now)
        slack = stopped.slack
        channel = slack.dm_channel_id(LEARNER)
        async with running_bot(database, slack=slack, llm=stopped.llm) as bot:
            await bot.drain()
            assert slack.calls_to("reactions.add", lambda c: c.args["timestamp"] == ts)
            assert slack.reactions(channel, ts) == []
            assert slack.errors == []
