"""A learner message is answered once, even when two runs of its task store an answer at once
(a lease that expired while the first run was still going)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from bot.coach.types import Answer, Intent
from bot.inbox import InboundMessage
from bot.learner.answers import store_answer
from bot.learner.decision import Decision, Outcome
from bot.learner.turn import store_turn
from store.database import Database
from store.models import Query
from store.repositories.conversations import QueryRepository
from tests.harness import BotHarness, reset_database, running_bot


def _post(answer: Answer, lab_struggles: int) -> Decision:
    return Decision(Outcome.POST)


@pytest.fixture
async def quiet_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot without workers: the test stores the answers itself."""
    await reset_database(database)
    async with running_bot(database, run_workers=False) as harness:
        yield harness


def _answer(text_: str) -> Answer:
    return Answer(
        text=text_,
        references=[],
        confidence=0.99,
        confidence_signals={},
        grounded=True,
        intent=Intent.COURSE_CONTENT,
        model="fake-chat",
    )


async def test_two_concurrent_runs_store_and_post_one_answer(
    quiet_bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = quiet_bot.deps
    message = InboundMessage(
        event_id="Ev0ONCE",
        user_id="U0LEARN01",
        channel_id="D0LEARN01",
        ts="1700000000.000100",
        thread_ts=None,
        text="how do I append to a list?",
        has_files=False,
    )
    turn = await store_turn(deps, message)

    # Both runs look for a stored answer before either stores one.
    both_looked = asyncio.Barrier(2)
    lookups = 0
    for_message = QueryRepository.for_message

    async def racing_lookup(self: QueryRepository, message_id: int) -> Query | None:
        nonlocal lookups
        found = await for_message(self, message_id)
        lookups += 1
        if lookups <= 2:
            await asyncio.wait_for(both_looked.wait(), 10)
        return found

    monkeypatch.setattr(QueryRepository, "for_message", racing_lookup)

    first, second = await asyncio.gather(
        store_answer(deps, turn, message, _answer("Use append."), _post),
        store_answer(deps, turn, message, _answer("Use list.append."), _post),
    )

    assert first is not None
    assert second is not None
    assert first.response_id == second.response_id
    async with deps.db.engine.connect() as conn:
        counts = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM queries WHERE message_id = :m),"
                    " (SELECT count(*) FROM responses),"
                    " (SELECT count(*) FROM tasks WHERE dedupe_key LIKE '%answer:%'),"
                    " (SELECT count(*) FROM messages WHERE role = 'assistant')"
                ),
                {"m": turn.message_id},
            )
        ).one()
    assert tuple(counts) == (1, 1, 1, 1)
