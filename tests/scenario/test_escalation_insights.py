"""The trainer's card carries a summary of the learner's thread and similar resolved tickets.

A learner's uncovered question escalates; the card is updated (through the outbox) with the
thread's summary and the resolved tickets of the same course whose questions are close: a
resolved ticket of another course with the very same question is not listed, nor one of the
same course on another question. The learner's follow-up in the open ticket updates the summary.
Nothing of it reaches the learner.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.content.indexer import CourseIndexer
from bot.copilot.draft_sources import similar_resolutions
from bot.escalation.summary_model import RESPONSE_FORMAT
from bot.people.trainers import add_trainer
from store.database import Database
from store.models import Conversation, Course, Escalation, EscalationInsight
from tests.fakes.llm import ChatRequest
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness, reset_database, running_bot
from tests.scenario.test_answerability import always_sure
from tests.scenario.test_commands import run
from tests.scenario.test_escalation_flow import COURSE, TRAINERS, escalations

LEARNER = "U0LEARNS1"
JANE = "U0JANE001"
QUESTION = "How do I cancel an asyncio task that hangs forever?"
SUMMARY_SCHEMA = RESPONSE_FORMAT["json_schema"]["name"]


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[BotHarness]:
    """A running bot whose chat model writes the cards' summaries."""
    await reset_database(database)
    async with running_bot(database, card_summary_model=True) as harness:
        yield harness


def _summary_request(request: ChatRequest) -> bool:
    fmt = request.response_format or {}
    return bool(fmt.get("json_schema", {}).get("name") == SUMMARY_SCHEMA)


def unreadable_summaries(request: ChatRequest) -> str:
    """Answers as sure as can be, and a summary reply that is not the JSON asked for (so the
    extractive summary is used)."""
    return "no json here" if _summary_request(request) else always_sure(request)


async def _resolved_ticket(
    bot: BotHarness, course: str, question: str, notes: str, *, embedded: bool = False
) -> int:
    """A resolved ticket; ``embedded``: its question was embedded when it escalated, else it
    was resolved before embeddings existed (no insight row) and is embedded lazily."""
    async with bot.deps.sessions.begin() as session:
        course_id = (await session.scalars(select(Course.id).where(Course.slug == course))).one()
        conversation = Conversation(
            channel_id="D0OLD", thread_ts=bot.next_ts(), learner_id="U0OLD", course_id=course_id
        )
        session.add(conversation)
        await session.flush()
        old = Escalation(
            conversation_id=conversation.id,
            learner_id="U0OLD",
            course_id=course_id,
            status="resolved",
            question=question,
            resolution_notes=notes,
            card_channel=TRAINERS,
            card_ts=bot.next_ts(),
        )
        session.add(old)
        await session.flush()
        if embedded:
            vector = bot.llm.embed(question)
            model = bot.deps.embedder.model
            session.add(
                EscalationInsight(
                    escalation_id=old.id,
                    question_embedding=vector,
                    embedding_model=model,
                    embedding_dim=len(vector),
                )
            )
        return old.ticket


async def _setup(bot: BotHarness) -> None:
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    async with bot.deps.sessions.begin() as session:
        session.add(Course(slug="other", title="Another course"))
    bot.slack.add_user(JANE, display_name="Jane")
    await add_trainer(bot.deps, JANE, "python", actor="UADMIN")
    await run(bot, "UADMIN", f"enroll <@{LEARNER}> python")
    bot.llm.reply_with(unreadable_summaries)


def _card_text(call: RecordedCall) -> str:
    blocks = call.args.get("blocks")
    data: Any = json.loads(blocks) if isinstance(blocks, str) else blocks
    return json.dumps(data or [], ensure_ascii=False)


async def _card_update_with(bot: BotHarness, needle: str) -> str:
    [call] = await bot.slack.wait_for(
        "chat.update", lambda c: needle in _card_text(c), count=1, timeout=20
    )
    return _card_text(call)


async def test_card_lists_similar_resolved_tickets_of_the_same_course_only(
    bot: BotHarness,
) -> None:
    await _setup(bot)
    same = await _resolved_ticket(bot, "python", QUESTION, "Explained asyncio.wait_for")
    other_course = await _resolved_ticket(
        bot, "other", QUESTION, "Other course's answer", embedded=True
    )
    unrelated = await _resolved_ticket(
        bot, "python", "Where is the lab 3 solution file?", "Pointed to the solutions page"
    )
    await bot.dm(LEARNER, QUESTION)
    await bot.drain()
    card = await _card_update_with(bot, "Similar resolved tickets")
    assert f"ESC-{same}" in card
    assert "Explained asyncio.wait_for" in card
    assert "https://" in card  # a link to the resolved ticket's card thread
    assert f"ESC-{other_course}" not in card
    assert f"ESC-{unrelated}" not in card
    [ticket] = [e for e in await escalations(bot) if e.status == "pending"]
    async with bot.deps.sessions() as session:
        insight = await session.get(EscalationInsight, ticket.id)
    assert insight is not None
    assert [s["ticket"] for s in insight.similar] == [same]
    assert insight.embedding_model == bot.deps.embedder.model
    learner_posts = json.dumps(
        [
            c.args
            for c in bot.slack.calls_to("chat.postMessage")
            if c.args.get("channel") != TRAINERS
        ]
    )
    assert "Similar resolved tickets" not in learner_posts


async def test_summary_is_updated_after_the_learners_follow_up_in_an_open_ticket(
    bot: BotHarness,
) -> None:
    await _setup(bot)
    root = await bot.dm(LEARNER, QUESTION)
    await bot.drain()
    card = await _card_update_with(bot, "*Summary*")
    assert "*Wants:* How do I cancel an asyncio task that hangs forever?" in card
    assert "taken from the thread" in card  # the model's reply was unusable: extractive
    await bot.dm(LEARNER, "I tried asyncio.wait_for but it still hangs", thread_ts=root)
    await bot.drain()
    card = await _card_update_with(bot, "I tried asyncio.wait_for but it still hangs")
    assert "*Still open:* I tried asyncio.wait_for but it still hangs" in card
    assert any(_summary_request(c) for c in bot.llm.chat_calls)
    to_learner = [
        c for c in bot.slack.calls_to("chat.postMessage") if c.args.get("channel") != TRAINERS
    ]
    assert not any("*Summary*" in json.dumps(c.args) for c in to_learner)


async def test_a_model_summary_is_shown_as_written_by_the_ai(bot: BotHarness) -> None:
    await _setup(bot)
    reply = {
        "wants": "To stop a hanging asyncio task.",
        "tried": [],
        "answered": "That the course covers this.",
        "still_open": "Everything.",
    }
    bot.llm.reply_with(lambda r: json.dumps(reply) if _summary_request(r) else always_sure(r))
    await bot.dm(LEARNER, QUESTION)
    await bot.drain()
    card = await _card_update_with(bot, "To stop a hanging asyncio task.")
    assert "written by the AI from the thread" in card


async def test_without_a_trainer_channel_admins_get_one_card_and_the_summary_is_stored(
    database: Database,
) -> None:
    await reset_database(database)
    async with running_bot(database, trainer_channel_id=None) as bot:
        await _setup(bot)
        await bot.dm(LEARNER, QUESTION)
        await bot.drain()
        [ticket] = await escalations(bot)
        async with bot.deps.sessions() as session:
            insight = await session.get(EscalationInsight, ticket.id)
        assert insight is not None
        assert insight.summary is not None
        cards = bot.slack.calls_to(
            "chat.postMessage",
            lambda c: c.args.get("channel") == "UADMIN" and "ESC-" in str(c.args.get("text")),
        )
        assert len(cards) == 1


async def test_a_safety_concern_is_summarised_without_the_model(bot: BotHarness) -> None:
    await _setup(bot)
    await bot.dm(LEARNER, "my lab keeps failing and honestly I want to kill myself")
    await bot.drain()
    [ticket] = await escalations(bot)
    async with bot.deps.sessions() as session:
        insight = await session.get(EscalationInsight, ticket.id)
    assert insight is not None
    assert insight.summary_source == "extractive"
    assert not any(_summary_request(c) for c in bot.llm.chat_calls)


async def test_a_drafted_reply_is_written_with_the_similar_resolutions_the_card_shows(
    bot: BotHarness,
) -> None:
    await _setup(bot)
    same = await _resolved_ticket(bot, "python", QUESTION, "Explained asyncio.wait_for")
    await bot.dm(LEARNER, QUESTION)
    await bot.drain()
    await _card_update_with(bot, "Similar resolved tickets")
    [ticket] = [e for e in await escalations(bot) if e.status == "pending"]
    async with bot.deps.sessions() as session:
        escalation = await session.get(Escalation, ticket.id)
    assert escalation is not None
    found = await similar_resolutions(bot.deps, escalation)
    assert [(r.ticket, r.question, r.notes) for r in found] == [
        (same, QUESTION, "Explained asyncio.wait_for")
    ]
