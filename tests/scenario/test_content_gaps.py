"""``/coach gaps``: unanswered questions grouped by meaning, per course, for its authors.

Seeded as the learner flow stores them: escalations with the references of the answer that fell
short, declined answers, and not-helpful feedback. The reply comes through the response_url
from a task; the CSV is a file in the caller's DM; the Home tab reads the cached summaries.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.gaps.summaries import refresh_gap_summaries
from store.models import AuditEvent, Conversation, Escalation, Feedback, Query, Response
from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown
from tests.scenario.test_home import open_home

LISTS = {"day": 2, "day_title": "Collections", "chapter_title": "Lists"}
LOOPS = {"day": 1, "day_title": "Basics", "chapter_title": "Loops"}


def _refs(location: dict[str, Any] | None) -> list[dict[str, Any]]:
    if location is None:
        return []
    return [{"chunk_id": 1, "location": location, "source_path": "x.md", "label": "x"}]


async def _conversation(bot: BotHarness, course_id: int, learner: str) -> Conversation:
    async with bot.deps.sessions.begin() as session:
        conv = Conversation(
            channel_id=bot.slack.dm_channel_id(learner),
            thread_ts=bot.next_ts(),
            learner_id=learner,
            course_id=course_id,
        )
        session.add(conv)
        await session.flush()
        session.expunge(conv)
        return conv


async def answered(
    bot: BotHarness,
    course_id: int,
    question: str,
    *,
    intent: str = "course_content",
    location: dict[str, Any] | None = None,
    escalate: bool = False,
    verdict: str | None = None,
    days_ago: float = 1,
) -> None:
    """A learner question, the coach's response, and optionally its escalation and feedback."""
    conv = await _conversation(bot, course_id, "UL1")
    when = bot.deps.clock.now() - timedelta(days=days_ago)
    async with bot.deps.sessions.begin() as session:
        query = Query(conversation_id=conv.id, learner_id="UL1", course_id=course_id, text=question)
        session.add(query)
        await session.flush()
        response = Response(
            query_id=query.id,
            conversation_id=conv.id,
            answer="…",
            references=_refs(location),
            confidence=0.2,
            grounded=False,
            intent=intent,
            model="fake",
            created_at=when,
        )
        session.add(response)
        await session.flush()
        if escalate:
            session.add(
                Escalation(
                    conversation_id=conv.id,
                    learner_id="UL1",
                    course_id=course_id,
                    status="pending",
                    question=question,
                    triggers=[{"kind": "low_confidence", "detail": "0.2"}],
                    references=_refs(location),
                    response_id=response.id,
                    created_at=when,
                )
            )
        if verdict is not None:
            session.add(
                Feedback(response_id=response.id, learner_id="UL1", helpful=False, reason=verdict)
            )


async def seed(bot: BotHarness) -> tuple[int, int]:
    """py101 with two groups of escalated questions and a declined one; js101 with its own."""
    py = await add_course(bot)
    js = await add_course(bot, "js101", "JavaScript 101")
    for q in (
        "How do I slice a list in Python?",
        "How do I slice a list backwards?",
        "How do I slice a list from the end?",
    ):
        await answered(bot, py, q, location=LISTS, escalate=True)
    for q in ("Why does my while loop never end?", "Why does my while loop never stop?"):
        await answered(bot, py, q, location=LOOPS, escalate=True, verdict="wrong")
    await answered(bot, py, "What temperature should I bake a pizza at?", intent="out_of_scope")
    await answered(bot, py, "Old question about slicing a list", escalate=True, days_ago=60)
    await answered(bot, py, "A good answer I liked", verdict="incomplete")
    await answered(bot, js, "What is a closure in JavaScript?", escalate=True, verdict="unclear")
    await run(bot, "UADMIN", "trainer add <@UJANE>")
    await run(bot, "UADMIN", "trainer allocate <@UJANE> py101")
    await run(bot, "UADMIN", "trainer add <@UBOB>")
    await run(bot, "UADMIN", "trainer allocate <@UBOB> js101")
    return py, js


async def gaps(bot: BotHarness, user: str, text: str) -> str:
    """What ``/coach text`` answered, inside the ack's "working on it" or from the task."""
    before = len(bot.slack.calls_to("response_url"))
    status, body = await bot.command(user, text)
    assert status == 200
    if "Working on it" in body:
        await bot.drain()
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return shown(calls[-1].args)


async def test_questions_are_grouped_with_counts_examples_and_chapters(bot: BotHarness) -> None:
    await seed(bot)
    reply = await gaps(bot, "UJANE", "gaps py101 30")

    assert "Content gaps, last 30 days (py101): 6 questions" in reply
    assert "*3 questions* · mostly _Day 2 › Lists_" in reply
    assert "How do I slice a list backwards?" in reply
    assert "*2 questions* · mostly _Day 1 › Loops_" in reply
    assert "What temperature should I bake a pizza at?" in reply
    assert "Day 2 › Lists (3), Day 1 › Loops (2)" in reply
    assert "It was wrong (2), It didn't answer my question (1)" in reply
    # Older than the period, or another course's.
    assert "Old question" not in reply
    assert "closure" not in reply
    assert bot.slack.errors == []


async def test_a_trainer_of_another_course_sees_nothing_of_it(bot: BotHarness) -> None:
    await seed(bot)
    refused = await gaps(bot, "UBOB", "gaps py101")
    assert "not allocated" in refused
    assert "slice" not in refused

    mine = await gaps(bot, "UBOB", "gaps")
    assert "What is a closure in JavaScript?" in mine
    assert "slice" not in mine
    assert "pizza" not in mine
    assert "It was hard to understand (1)" in mine
    assert "It was wrong" not in mine

    learner = await gaps(bot, "UL1", "gaps py101")
    assert "only a trainer or an admin" in learner
    async with bot.deps.sessions.begin() as session:
        refusals = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "refused"))
        ).all()
    assert [(e.actor_id, e.details["attempted"]) for e in refusals] == [
        ("UBOB", "see content gaps"),
        ("UL1", "see content gaps"),
    ]


async def test_admins_see_every_course(bot: BotHarness) -> None:
    await seed(bot)
    reply = await gaps(bot, "UADMIN", "gaps 7")
    assert "Content gaps, last 7 days (all courses): 7 questions" in reply
    assert "closure" in reply
    assert "slice" in reply


async def test_bad_arguments_get_the_usage(bot: BotHarness) -> None:
    await seed(bot)
    assert "Usage: `/coach gaps [course-slug] [days] [csv]`" in await gaps(
        bot, "UADMIN", "gaps py101 js101"
    )
    assert "from 1 to 366" in await gaps(bot, "UADMIN", "gaps py101 400")
    assert "no course" in (await gaps(bot, "UADMIN", "gaps nope")).lower()
    assert "is not a course slug" in await gaps(bot, "UADMIN", "gaps py!101")


async def test_a_long_report_is_paged(bot: BotHarness) -> None:
    py = await add_course(bot)
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike"
    for i, word in enumerate((words + " november oscar papa quebec romeo").split()):
        await answered(bot, py, f"{word} {i} {word}{i}", escalate=True)
    reply = await gaps(bot, "UADMIN", "gaps py101")
    assert "Page 1 of 2" in reply
    last = bot.slack.calls_to("response_url")[-1].args
    [button] = [e for b in last["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == f"{ActionId.PAGE}_next"
    before = len(bot.slack.calls_to("response_url"))
    await bot.click("UADMIN", button["action_id"], button["value"])
    await bot.drain()
    # "Working on it" replaces the page, then the task's answer follows.
    calls = await bot.slack.wait_for("response_url", count=before + 2)
    assert "Page 2 of 2" in shown(calls[-1].args)


async def test_the_csv_lists_every_question_with_its_cluster(bot: BotHarness) -> None:
    await seed(bot)
    reply = await gaps(bot, "UJANE", "gaps py101 csv")
    assert "CSV" in reply
    await bot.drain()
    [file] = [f for f in bot.slack.files.values() if f.filename.startswith("gaps-")]
    assert file.channel_id == bot.slack.dm_channel_id("UJANE")
    rows = list(csv.DictReader(io.StringIO(file.text)))
    assert list(rows[0]) == [
        "cluster",
        "cluster_size",
        "cluster_chapter",
        "course",
        "source",
        "asked_at",
        "chapter",
        "question",
    ]
    assert len(rows) == 6
    slices = [r for r in rows if "slice" in r["question"]]
    assert {r["cluster"] for r in slices} == {"1"}
    assert {r["cluster_size"] for r in slices} == {"3"}
    assert {r["cluster_chapter"] for r in slices} == {"Day 2 › Lists"}
    [pizza] = [r for r in rows if "pizza" in r["question"]]
    assert pizza["source"] == "declined"
    assert pizza["course"] == "py101"
    assert all("closure" not in r["question"] for r in rows)


async def test_home_tab_shows_cached_gaps_by_role(bot: BotHarness) -> None:
    await seed(bot)
    # The timer's job computes the summaries (the harness's timers may also have run it early).
    assert await refresh_gap_summaries(bot.deps, bot.deps.clock.now()) == 2
    embedded = len(bot.llm.embedding_calls)
    admin = json.dumps((await open_home(bot, "UADMIN"))["blocks"], ensure_ascii=False)
    # Opening the Home tab reads the stored summaries: nothing is embedded or clustered.
    assert len(bot.llm.embedding_calls) == embedded
    assert "*py101* · 6 unanswered" in admin
    assert "*3 questions* · mostly _Day 2 › Lists_" in admin
    assert "*js101* · 1 unanswered" in admin

    jane = json.dumps((await open_home(bot, "UJANE"))["blocks"], ensure_ascii=False)
    assert "*py101* · 6 unanswered" in jane
    assert "js101" not in jane
    bob = json.dumps((await open_home(bot, "UBOB"))["blocks"], ensure_ascii=False)
    assert "*js101* · 1 unanswered" in bob
    assert "py101" not in bob

    learner = json.dumps((await open_home(bot, "UL1"))["blocks"], ensure_ascii=False)
    assert "Content gaps" not in learner
    assert bot.slack.errors == []
