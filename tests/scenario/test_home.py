"""The Home tab per role, its Claim buttons, and the stats chart and CSV export uploads."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.blocks.payloads import EscalationRef
from store.models import Conversation, Escalation
from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown


async def add_escalation(bot: BotHarness, course_id: int, learner: str, question: str) -> int:
    """An open, unclaimed escalation as the escalation service would store it."""
    async with bot.deps.sessions.begin() as session:
        conv = Conversation(
            channel_id=bot.slack.dm_channel_id(learner),
            thread_ts=bot.next_ts(),
            learner_id=learner,
            course_id=course_id,
        )
        session.add(conv)
        await session.flush()
        esc = Escalation(
            conversation_id=conv.id,
            learner_id=learner,
            course_id=course_id,
            status="pending",
            question=question,
            triggers=[{"kind": "low_confidence", "detail": "0.2"}],
        )
        session.add(esc)
        await session.flush()
        return esc.id


async def open_home(bot: BotHarness, user: str) -> dict[str, object]:
    before = len([c for c in bot.slack.calls_to("views.publish") if c.args["user_id"] == user])
    await bot.send_event({"type": "app_home_opened", "user": user, "tab": "home"})
    await bot.slack.wait_for("views.publish", lambda c: c.args["user_id"] == user, count=before + 1)
    view = bot.slack.home_view(user)
    assert view is not None
    return view


async def test_trainer_queue_has_claim_buttons_like_the_card(bot: BotHarness) -> None:
    py = await add_course(bot)
    js = await add_course(bot, "js101", "JavaScript 101")
    await run(bot, "UADMIN", "trainer add <@UJANE>")
    await run(bot, "UADMIN", "trainer allocate <@UJANE> py101")
    mine = await add_escalation(bot, py, "UL1", "Why does my loop never end?")
    await add_escalation(bot, js, "UL2", "What is a closure?")

    view = await open_home(bot, "UJANE")
    blocks = json.dumps(view["blocks"])
    assert "Why does my loop never end?" in blocks
    # Trainers only see escalations of their own courses.
    assert "What is a closure?" not in blocks
    buttons = [
        b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("type") == "button"
    ]
    assert [EscalationRef.unpack(b["value"]).escalation_id for b in buttons] == [mine]
    assert {b["action_id"] for b in buttons} == {ActionId.CLAIM}

    # The button is the card's: clicking it claims and the Home tab refreshes.
    await bot.click("UJANE", ActionId.CLAIM, buttons[0]["value"], view=view)
    await bot.drain()
    async with bot.deps.sessions.begin() as session:
        esc = await session.scalar(select(Escalation).where(Escalation.id == mine))
    assert esc is not None
    assert esc.assignee_id == "UJANE"
    assert bot.slack.errors == []


async def test_learner_sees_only_their_own_escalations(bot: BotHarness) -> None:
    py = await add_course(bot)
    await add_escalation(bot, py, "UL1", "My own question")
    await add_escalation(bot, py, "UL2", "Somebody else's question")
    view = await open_home(bot, "UL1")
    blocks = json.dumps(view["blocks"])
    assert "My own question" in blocks
    assert "Somebody else" not in blocks
    assert "Waiting for a trainer" in blocks


async def test_admin_home_shows_stats_and_open_queue(bot: BotHarness) -> None:
    py = await add_course(bot)
    await add_escalation(bot, py, "UL1", "First")
    await add_escalation(bot, py, "UL2", "Second")
    view = await open_home(bot, "UADMIN")
    blocks = json.dumps(view["blocks"])
    assert "Open queue (2)" in blocks
    assert "*Escalations*\\n2" in blocks
    assert len(view["blocks"]) <= 100


async def test_stats_reply_and_chart_upload(bot: BotHarness) -> None:
    py = await add_course(bot)
    await add_escalation(bot, py, "UL1", "First")
    reply = await run(bot, "UADMIN", "stats 14")
    assert "Stats, last 14 days" in shown(reply)
    assert "low_confidence (1)" in shown(reply)
    await bot.drain()
    pngs = [f for f in bot.slack.files.values() if f.filename.endswith(".png")]
    assert len(pngs) == 1
    assert pngs[0].completed
    assert pngs[0].content.startswith(b"\x89PNG")
    assert pngs[0].channel_id == bot.slack.dm_channel_id("UADMIN")


async def test_export_uploads_csv_to_the_caller(bot: BotHarness) -> None:
    py = await add_course(bot)
    await add_escalation(bot, py, "UL1", "First")
    await add_escalation(bot, py, "UL2", "Second")
    reply = await run(bot, "UADMIN", "export 7")
    assert "CSV" in shown(reply)
    await bot.drain()
    [csv_file] = [f for f in bot.slack.files.values() if f.filename.endswith(".csv")]
    lines = csv_file.text.strip().splitlines()
    assert lines[0].startswith("ticket,status,course,learner,trainer,triggers")
    assert len(lines) == 3
    assert {line.split(",")[3] for line in lines[1:]} == {"UL1", "UL2"}
    assert csv_file.channel_id == bot.slack.dm_channel_id("UADMIN")
