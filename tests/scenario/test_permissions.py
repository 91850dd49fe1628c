"""Every refusal of ``/coach``: learners and trainers are kept to what their role allows."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown


@pytest.mark.parametrize(
    ("user", "text", "refusal"),
    [
        ("ULEARNER", "courses", "only a trainer or an admin can list courses"),
        ("ULEARNER", "escalations", "only a trainer or an admin can list escalations"),
        ("ULEARNER", "stats", "only a trainer or an admin can see stats"),
        ("ULEARNER", "export", "only a trainer or an admin can export escalations"),
        ("ULEARNER", "learner <@UOTHER>", "only a trainer or an admin can look up a learner"),
        ("ULEARNER", "trainer add <@ULEARNER>", "only an admin can change trainers"),
        ("UTRAINER", "trainer add <@UX>", "only an admin can change trainers"),
        ("UTRAINER", "trainer allocate <@UTRAINER> py101", "only an admin can change trainers"),
        ("UTRAINER", "enroll <@UL1> py101", "only an admin can enrol learners"),
        ("UTRAINER", "settings py101 turns=3", "only an admin can change course settings"),
        ("UTRAINER", 'persona set <@UTRAINER> py101 "Me"', "only an admin can change personas"),
        ("UTRAINER", "escalation 1001 dismiss spam", "only an admin"),
    ],
)
async def test_refusals(bot: BotHarness, user: str, text: str, refusal: str) -> None:
    await add_course(bot)
    await run(bot, "UADMIN", "trainer add <@UTRAINER>")
    reply = await run(bot, user, text)
    assert refusal in shown(reply)
    assert bot.slack.errors == []


async def test_learner_help_is_short_and_lists_no_admin_commands(bot: BotHarness) -> None:
    reply = await run(bot, "ULEARNER", "help")
    assert "Escalate to trainer" in shown(reply)
    assert "/coach" not in shown(reply)


async def test_trainer_cannot_see_other_courses(bot: BotHarness) -> None:
    await add_course(bot)
    await add_course(bot, "js101", "JavaScript 101")
    await run(bot, "UADMIN", "trainer add <@UTRAINER>")
    await run(bot, "UADMIN", "trainer allocate <@UTRAINER> py101")
    reply = await run(bot, "UTRAINER", "escalations course=js101")
    assert "course you are not allocated to" in shown(reply)
    reply = await run(bot, "UTRAINER", "stats course=js101")
    assert "course you are not allocated to" in shown(reply)
    reply = await run(bot, "UTRAINER", "escalations course=py101")
    assert "No open escalations match" in shown(reply)
