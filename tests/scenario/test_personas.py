"""Coach personas end to end: answers posted as the learner's trainer's persona, with a footer
per share level, and escalations of those answers suggested to that trainer first."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.content.indexer import CourseIndexer
from store.models import Escalation, Persona, Response
from store.repositories.courses import CourseAdminRepository
from tests.fakes.llm import ChatRequest
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness

COURSE = Path(__file__).resolve().parents[2] / "examples" / "python-course"
LEARNER = "U0LEARN01"
JANE = "U0JANE001"
BOB = "U0BOB0001"
TRAINERS = "C0TRAINERS"
JANE_ICON = "https://img.example.com/jane.png"
_PASSAGE_ID = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


def reply(request: ChatRequest, *, confident: bool = True) -> str:
    """A model answer citing the first passage shown (or, unconfident, citing nothing)."""
    ids = [int(found) for found in _PASSAGE_ID.findall(request.prompt)]
    return json.dumps(
        {
            "answer": "Use append." if confident else "Maybe try something?",
            "used_chunk_ids": ids[:1] if confident else [],
            "intent": "course_content",
            "grounded": confident,
            "grounding_score": 0.95 if confident else 0.02,
            "lab_id": None,
        }
    )


async def coach(bot: BotHarness, text: str) -> str:
    """Run ``/coach text`` as the admin; returns what the reply showed."""
    before = len(bot.slack.calls_to("response_url"))
    status, _ = await bot.command("UADMIN", text)
    assert status == 200
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return str(calls[-1].args.get("text", "")) + str(calls[-1].args.get("blocks", ""))


async def two_personas(bot: BotHarness, jane_share: str = "full") -> int:
    """An indexed course with Bob's persona (created first) and Jane's; the learner is Jane's."""
    course_id = (
        await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    ).course_id
    bot.slack.add_user(JANE, display_name="Jane Doe")
    bot.slack.add_user(BOB, display_name="Bob Roe")
    for trainer in (BOB, JANE):
        assert "is now a trainer" in await coach(bot, f"trainer add <@{trainer}> python")
    # Bob's persona has the lower id: "the course's first persona" would wrongly pick him.
    await coach(bot, f'persona set <@{BOB}> python "Bob\'s Bot" share=full expertise=Pandas')
    await set_jane(bot, jane_share)
    async with bot.deps.sessions.begin() as session:
        await CourseAdminRepository(session).enrol(LEARNER, course_id, JANE, "UADMIN")
    return course_id


async def set_jane(bot: BotHarness, share: str) -> None:
    shown = await coach(
        bot,
        f'persona set <@{JANE}> python "Jane\'s AI Coach" share={share} '
        f'expertise="Python and data" bio="Ten years teaching Python" icon={JANE_ICON}',
    )
    assert "Jane's AI Coach" in shown


def answers(bot: BotHarness) -> list[RecordedCall]:
    channel = bot.slack.dm_channel_id(LEARNER)
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == channel and ActionId.FEEDBACK_HELPFUL in str(c.args),
    )


def context_texts(call: RecordedCall) -> list[str]:
    """The text of every context block of a message, in order."""
    blocks: list[dict[str, Any]] = call.args["blocks"]
    return [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


async def only_escalation(bot: BotHarness) -> Escalation:
    async with bot.deps.sessions() as session:
        [escalation] = (await session.scalars(select(Escalation))).all()
    return escalation


def alerts_to(bot: BotHarness, user: str) -> list[RecordedCall]:
    return bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == user)


async def test_answers_come_from_the_learners_trainers_persona_per_share_level(
    bot: BotHarness,
) -> None:
    await two_personas(bot, "name_only")
    bot.llm.reply_with(reply)
    expected = {
        "name_only": "Jane's AI Coach",
        "name_expertise": "Jane's AI Coach · Jane Doe, Python and data",
        "full": "Jane's AI Coach · Jane Doe, Python and data · Ten years teaching Python",
    }
    for asked, (share, footer) in enumerate(expected.items(), start=1):
        await set_jane(bot, share)
        await bot.dm(LEARNER, "How do I add an item to a list?")
        await bot.drain()
        post = answers(bot)[-1]
        assert len(answers(bot)) == asked
        assert post.args["username"] == "Jane's AI Coach"
        assert post.args["icon_url"] == JANE_ICON
        # The footer is the last context line, after references and confidence.
        assert context_texts(post)[-1] == footer
        assert "Bob" not in json.dumps(post.args)

    async with bot.deps.sessions() as session:
        # Every response names the persona it was posted under (an inner join drops NULLs).
        spoke_for = (await session.scalars(select(Persona.trainer_id).join(Response))).all()
    assert spoke_for == [JANE, JANE, JANE]
    assert bot.slack.errors == []


async def test_low_confidence_answer_escalates_to_the_personas_trainer(bot: BotHarness) -> None:
    await two_personas(bot)
    bot.llm.reply_with(lambda r: reply(r, confident=False))

    await bot.dm(LEARNER, "How do I sort a list of lists by their second item?")
    await bot.drain()

    assert answers(bot) == []  # not confident: kept for the trainer, not shown
    async with bot.deps.sessions() as session:
        [response] = (await session.scalars(select(Response))).all()
        persona = await session.get(Persona, response.persona_id)
    assert persona is not None
    assert persona.trainer_id == JANE
    escalation = await only_escalation(bot)
    assert escalation.suggested_trainer_id == JANE
    [card] = bot.slack.calls_to(
        "chat.postMessage", lambda c: c.args["channel"] == TRAINERS and "thread_ts" not in c.args
    )
    assert f"<@{JANE}>" in json.dumps(card.args["blocks"])
    assert len(alerts_to(bot, JANE)) == 1
    assert alerts_to(bot, BOB) == []
    assert bot.slack.errors == []


async def test_human_request_after_an_answer_goes_to_the_persona_that_answered(
    bot: BotHarness,
) -> None:
    course_id = await two_personas(bot)
    bot.llm.reply_with(reply)
    root = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    [answer] = answers(bot)
    assert answer.args["username"] == "Jane's AI Coach"
    # The learner moves to Bob after Jane's persona answered: this thread still belongs to Jane.
    async with bot.deps.sessions.begin() as session:
        await CourseAdminRepository(session).enrol(LEARNER, course_id, BOB, "UADMIN")

    await bot.dm(LEARNER, "Can I talk to a human trainer please?", thread_ts=root)
    await bot.drain()

    escalation = await only_escalation(bot)
    assert [t["kind"] for t in escalation.triggers] == ["human_request"]
    assert escalation.suggested_trainer_id == JANE
    assert len(alerts_to(bot, JANE)) == 1
    assert alerts_to(bot, BOB) == []
    assert bot.slack.errors == []


async def test_course_without_a_persona_posts_under_the_apps_own_name(bot: BotHarness) -> None:
    course_id = (
        await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    ).course_id
    bot.slack.add_user(JANE, display_name="Jane Doe")
    await coach(bot, f"trainer add <@{JANE}> python")
    async with bot.deps.sessions.begin() as session:
        await CourseAdminRepository(session).enrol(LEARNER, course_id, JANE, "UADMIN")
    bot.llm.reply_with(reply)

    await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()

    [answer] = answers(bot)
    assert "username" not in answer.args
    assert "icon_url" not in answer.args
    assert len(context_texts(answer)) == 2  # references and confidence, no persona footer
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(Response.persona_id))).all() == [None]
    assert bot.slack.errors == []
