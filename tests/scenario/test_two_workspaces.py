"""Two workspaces served by one process: neither can see, claim or receive the other's work."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.blocks.payloads import EscalationRef
from bot.content.indexer import CourseIndexer
from bot.people.trainers import add_trainer
from bot.workspaces import in_workspace
from store.models import Conversation, Course, Escalation, Response
from tests.harness import TEAM_ID, BotHarness
from tests.scenario.test_escalation_flow import COURSE, TRAINERS, confident_reply

OTHER = "T0OTHER01"
# The same Slack user id in both workspaces: a learner here, a learner there.
SAME_USER = "U0SAMEID1"


async def _course(bot: BotHarness, team: str, *, indexed: bool, title: str) -> int:
    with in_workspace(team):
        if indexed:
            result = await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(
                COURSE, "python", title=title
            )
            return result.course_id
        async with bot.deps.sessions.begin() as session:
            course = Course(slug="python", title=title)
            session.add(course)
            await session.flush()
            return course.id


async def _rows(bot: BotHarness, team: str, model: type) -> list:  # type: ignore[type-arg]
    with in_workspace(team):
        async with bot.deps.sessions() as session:
            return list((await session.scalars(select(model).order_by(model.id))).all())


def _ephemerals(bot: BotHarness) -> list[str]:
    return [str(c.args.get("text")) for c in bot.slack.calls_to("response_url")]


async def test_same_course_slug_and_user_id_stay_apart(bot: BotHarness) -> None:
    bot.llm.reply_with(confident_reply)
    here = await _course(bot, TEAM_ID, indexed=True, title="Python here")
    there = await _course(bot, OTHER, indexed=False, title="Python there")
    assert here != there

    await bot.dm(SAME_USER, "How do I add an item to the end of a list?")
    bot.team = OTHER
    await bot.dm(SAME_USER, "How do I add an item to the end of a list?")
    await bot.drain()

    # Here the course's own text answers; there the course has no text, so nothing of
    # this workspace's content reaches the answer.
    [answered] = await _rows(bot, TEAM_ID, Response)
    assert answered.references
    [conversation_here] = await _rows(bot, TEAM_ID, Conversation)
    [conversation_there] = await _rows(bot, OTHER, Conversation)
    assert (conversation_here.course_id, conversation_there.course_id) == (here, there)
    assert conversation_here.learner_id == conversation_there.learner_id == SAME_USER
    for response in await _rows(bot, OTHER, Response):
        assert response.references == []
    assert bot.slack.errors == []


async def test_a_claim_race_in_one_workspace_while_the_other_answers(bot: BotHarness) -> None:
    bot.llm.reply_with(confident_reply)
    await _course(bot, TEAM_ID, indexed=False, title="Python here")
    await _course(bot, OTHER, indexed=True, title="Python there")
    trainers = [f"U0RACE{n:03d}" for n in range(12)]
    for trainer in trainers:
        await add_trainer(bot.deps, trainer, "python", actor="UADMIN")
    await bot.dm("U0LEARN01", "I want to talk to a human about my project")
    await bot.drain()
    [escalation] = await _rows(bot, TEAM_ID, Escalation)
    ref = EscalationRef(escalation_id=escalation.id).pack()

    async def answers_there() -> None:
        other = BotHarness(bot.deps, bot.slack, bot.llm, bot.url, bot.http, bot.tasks, team=OTHER)
        for n in range(4):
            await other.dm(f"U0THERE{n:02d}", "How do I add an item to the end of a list?")

    clicks = [
        bot.click(t, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
        for t in trainers
    ]
    await asyncio.gather(answers_there(), *clicks)
    await bot.drain()

    [claimed] = await _rows(bot, TEAM_ID, Escalation)
    assert claimed.status == "in_progress"
    assert claimed.assignee_id in trainers
    assert len(await _rows(bot, OTHER, Response)) == 4
    assert await _rows(bot, OTHER, Escalation) == []
    assert bot.slack.errors == []


async def test_a_request_naming_the_other_workspaces_ids_changes_nothing(
    bot: BotHarness,
) -> None:
    await _course(bot, TEAM_ID, indexed=False, title="Python here")
    await _course(bot, OTHER, indexed=False, title="Python there")
    await add_trainer(bot.deps, "U0TRAIN01", "python", actor="UADMIN")
    root = await bot.dm("U0LEARN01", "I want to talk to a human about my project")
    await bot.drain()
    [escalation] = await _rows(bot, TEAM_ID, Escalation)
    assert escalation.card_ts is not None
    with in_workspace(OTHER):
        await add_trainer(bot.deps, "U0INTRUDE", "python", actor="UADMIN")

    # A trainer of the other workspace clicks Claim with this workspace's ticket, and
    # replies in its card's thread.
    bot.team = OTHER
    ref = EscalationRef(escalation_id=escalation.id).pack()
    status, _ = await bot.click(
        "U0INTRUDE", ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts
    )
    assert status == 200
    await bot.channel_reply("U0INTRUDE", TRAINERS, escalation.card_ts, "I'll take it from here")
    await bot.drain()

    [unchanged] = await _rows(bot, TEAM_ID, Escalation)
    assert (unchanged.status, unchanged.assignee_id) == ("pending", None)
    dm = bot.slack.dm_channel_id("U0LEARN01")
    relayed = bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == dm and "take it from here" in json.dumps(c.args),
    )
    assert relayed == []
    assert root
    assert any("no longer" in t or "not found" in t or "isn't" in t for t in _ephemerals(bot))


async def test_coach_in_each_workspace_lists_only_its_own_courses(bot: BotHarness) -> None:
    await _course(bot, TEAM_ID, indexed=False, title="Python here")
    await _course(bot, OTHER, indexed=False, title="Python there")

    await bot.command("UADMIN", "courses")
    bot.team = OTHER
    await bot.command("UADMIN", "courses")
    await bot.drain()

    here, there = (
        str(c.args.get("text")) + json.dumps(c.args.get("blocks"))
        for c in (bot.slack.calls_to("response_url"))
    )
    assert "Python here" in here
    assert "Python there" not in here
    assert "Python there" in there
    assert "Python here" not in there
