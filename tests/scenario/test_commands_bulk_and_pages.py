"""``/coach`` end to end: the bulk-enrol modal and Previous/Next pages of long lists."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EnrolForm, PageRef
from store.models import AuditEvent, Enrolment
from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown


def picked(*users: str) -> dict[str, dict[str, Any]]:
    """The bulk-enrol modal's state with ``users`` picked."""
    element = {"type": "multi_users_select", "selected_users": list(users)}
    return {BlockId.BULK_ENROL_USERS: {ActionId.BULK_ENROL_USERS: element}}


async def enrolments(bot: BotHarness) -> dict[str, str | None]:
    """Every enrolment, learner → assigned trainer."""
    async with bot.deps.sessions.begin() as session:
        rows = (await session.scalars(select(Enrolment))).all()
    return {e.learner_id: e.trainer_id for e in rows}


async def dm_to(bot: BotHarness, user: str, count: int = 1) -> str:
    """Text of the ``count``-th message the bot posted to ``user`` (by user id)."""
    calls = await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == user, count=count
    )
    return str(calls[count - 1].args.get("text", ""))


def page_buttons(reply: dict[str, Any]) -> dict[str, PageRef]:
    """The reply's page buttons, action_id → unpacked value."""
    return {
        element["action_id"]: PageRef.unpack(element["value"])
        for block in reply.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ActionId.PAGE)
    }


async def click_page(bot: BotHarness, user: str, action_id: str, value: str) -> dict[str, Any]:
    """Click a page button on an ephemeral reply; return what replaced it."""
    before = len(bot.slack.calls_to("response_url"))
    status, _ = await bot.click(user, action_id, value, channel="C0GENERAL", message_ts="1.1")
    assert status == 200
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return calls[-1].args


# ---- bulk enrol


async def test_enroll_without_mentions_opens_modal_and_submission_enrols_everyone(
    bot: BotHarness,
) -> None:
    await add_course(bot)
    await run(bot, "UADMIN", "trainer add <@UJANE>")
    await run(bot, "UADMIN", "trainer add <@UBOB>")
    await run(bot, "UADMIN", "trainer allocate <@UJANE> py101")
    await run(bot, "UADMIN", "trainer allocate <@UBOB> py101")
    replies_before = len(bot.slack.calls_to("response_url"))

    status, _ = await bot.command("UADMIN", "enroll py101")
    assert status == 200
    (opened,) = await bot.slack.wait_for("views.open")
    assert opened.args["trigger_id"].startswith("trigger-")
    view = opened.args["view"]
    assert view["callback_id"] == CallbackId.BULK_ENROL
    assert EnrolForm.unpack(view["private_metadata"]).course_slug == "py101"
    (user_input,) = [b for b in view["blocks"] if b.get("block_id") == BlockId.BULK_ENROL_USERS]
    assert user_input["element"]["type"] == "multi_users_select"
    assert user_input["element"]["action_id"] == ActionId.BULK_ENROL_USERS
    # The modal replaces the reply: nothing went to the response_url, nobody enrolled yet.
    assert len(bot.slack.calls_to("response_url")) == replies_before
    assert await enrolments(bot) == {}

    status, body = await bot.submit_view(
        "UADMIN",
        CallbackId.BULK_ENROL,
        picked("UL1", "UL2", "UL3", "UL4"),
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    assert "errors" not in body  # the modal closes
    confirmation = await dm_to(bot, "UADMIN")
    assert "Enrolled 4 learners in *py101*" in confirmation
    for learner in ("UL1", "UL2", "UL3", "UL4"):
        assert f"<@{learner}>" in confirmation

    enrolled = await enrolments(bot)
    assert sorted(enrolled) == ["UL1", "UL2", "UL3", "UL4"]
    # Everyone has a trainer, spread evenly over the two allocated to the course.
    assert sorted(str(t) for t in enrolled.values()) == ["UBOB", "UBOB", "UJANE", "UJANE"]
    # The confirmation says who got which trainer, matching what was stored.
    said = {
        learner.strip(): trainer.strip()
        for part in confirmation.split(": ", 1)[1].split("; ")
        for trainer in [part.split(" → ")[1]]
        for learner in part.split(" → ")[0].split(", ")
    }
    assert said == {f"<@{learner}>": f"<@{trainer}>" for learner, trainer in enrolled.items()}
    async with bot.deps.sessions.begin() as session:
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "enrolment.added")
        )
    assert audit is not None
    assert audit.actor_id == "UADMIN"
    assert bot.slack.errors == []


async def test_enroll_modal_for_unknown_course_is_not_opened(bot: BotHarness) -> None:
    reply = await run(bot, "UADMIN", "enroll nosuchcourse")
    assert "There is no course `nosuchcourse`" in shown(reply)
    assert bot.slack.calls_to("views.open") == []
    assert bot.slack.errors == []


async def test_forged_bulk_enrol_submission_by_non_admin_is_refused(bot: BotHarness) -> None:
    await add_course(bot)
    await run(bot, "UADMIN", "trainer add <@UTRAINER>")
    await run(bot, "UADMIN", "trainer allocate <@UTRAINER> py101")
    metadata = EnrolForm(course_slug="py101").pack()

    for forger in ("ULEARNER", "UTRAINER"):
        status, _ = await bot.submit_view(
            forger, CallbackId.BULK_ENROL, picked(forger, "UL9"), private_metadata=metadata
        )
        assert status == 200
        assert "only an admin can enrol learners" in await dm_to(bot, forger)

    assert await enrolments(bot) == {}
    async with bot.deps.sessions.begin() as session:
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "enrolment.added")
        )
    assert audited == 0
    assert bot.slack.errors == []


async def test_bulk_enrol_submission_with_nobody_picked_keeps_modal_open(bot: BotHarness) -> None:
    await add_course(bot)
    status, body = await bot.submit_view(
        "UADMIN",
        CallbackId.BULK_ENROL,
        picked(),
        private_metadata=EnrolForm(course_slug="py101").pack(),
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert BlockId.BULK_ENROL_USERS in answer["errors"]
    assert await enrolments(bot) == {}
    assert bot.slack.calls_to("chat.postMessage") == []


# ---- pages


async def test_long_list_pages_forward_and_back(bot: BotHarness) -> None:
    slugs = [f"c{n:02d}" for n in range(1, 18)]  # 17 courses: 15 on page 1, 2 on page 2
    for slug in slugs:
        await add_course(bot, slug, f"Course {slug}")

    first = await run(bot, "UADMIN", "courses")
    for slug in slugs[:15]:
        assert f"*{slug}*" in shown(first)
    for slug in slugs[15:]:
        assert f"*{slug}*" not in shown(first)
    assert "Page 1 of 2" in shown(first)
    buttons = page_buttons(first)
    assert list(buttons) == [f"{ActionId.PAGE}_next"]
    assert buttons[f"{ActionId.PAGE}_next"] == PageRef(command="courses", page=2)

    second = await click_page(
        bot, "UADMIN", f"{ActionId.PAGE}_next", buttons[f"{ActionId.PAGE}_next"].pack()
    )
    assert second["replace_original"] is True
    assert second["response_type"] == "ephemeral"
    assert "Page 2 of 2" in shown(second)
    for slug in slugs[15:]:
        assert f"*{slug}*" in shown(second)
    for slug in slugs[:15]:
        assert f"*{slug}*" not in shown(second)
    buttons = page_buttons(second)
    assert list(buttons) == [f"{ActionId.PAGE}_prev"]
    assert buttons[f"{ActionId.PAGE}_prev"].page == 1

    back = await click_page(
        bot, "UADMIN", f"{ActionId.PAGE}_prev", buttons[f"{ActionId.PAGE}_prev"].pack()
    )
    assert "Page 1 of 2" in shown(back)
    assert "*c01*" in shown(back)
    assert "*c16*" not in shown(back)
    assert bot.slack.errors == []


async def test_short_list_has_no_page_buttons(bot: BotHarness) -> None:
    for n in range(15):
        await add_course(bot, f"c{n:02d}", f"Course {n}")
    reply = await run(bot, "UADMIN", "courses")
    assert page_buttons(reply) == {}
    assert "Page 1" not in shown(reply)


async def test_page_click_reruns_with_the_clickers_permissions(bot: BotHarness) -> None:
    for n in range(1, 18):
        await add_course(bot, f"c{n:02d}", f"Course {n}")
    await run(bot, "UADMIN", "trainer add <@UTRAINER>")
    next_page = PageRef(command="courses", page=2).pack()

    refused = await click_page(bot, "ULEARNER", f"{ActionId.PAGE}_next", next_page)
    assert "only a trainer or an admin can list courses" in shown(refused)
    assert "*c16*" not in shown(refused)

    # A forged command in the button is checked like the command itself.
    forged = PageRef(command="enroll <@ULEARNER> c01", page=1).pack()
    refused = await click_page(bot, "ULEARNER", f"{ActionId.PAGE}_next", forged)
    assert "only an admin can enrol learners" in shown(refused)
    assert await enrolments(bot) == {}

    # A trainer may list courses, so the same button works for them.
    allowed = await click_page(bot, "UTRAINER", f"{ActionId.PAGE}_next", next_page)
    assert "Page 2 of 2" in shown(allowed)
    assert "*c16*" in shown(allowed)
    assert bot.slack.errors == []


async def test_garbled_page_button_gets_a_friendly_message(bot: BotHarness) -> None:
    reply = await click_page(bot, "UADMIN", f"{ActionId.PAGE}_next", '{"command": "courses"}')
    assert "That button is out of date" in shown(reply)
    assert bot.slack.errors == []
