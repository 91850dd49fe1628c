"""Slow ``/coach`` work runs after the ack: the HTTP answer never waits for Slack or a report.

Each test holds the Slack call the slow work needs (``FakeSlack.hold``) and expects the signed
request to be answered while that call is still waiting; the final reply then arrives through
the command's response_url (or, for the bulk-enrol modal, by DM).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from bot.admin.deferred import ADMIN_BULK_ENROL, ADMIN_COMMAND
from bot.blocks.ids import CallbackId
from bot.blocks.payloads import EnrolForm
from bot.deps import Deps
from store.database import Database
from store.models import Trainer
from store.tasks import ClaimedTask
from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown
from tests.scenario.test_commands_bulk_and_pages import dm_to, enrolments, picked
from tests.scenario.test_home import add_escalation
from tests.scenario.test_uploads_once import shared_files

# Slack gives up after 3 s; an answer later than this waited for the held call.
ACK_BOUND = 10.0


async def answered(request: Awaitable[tuple[int, str]]) -> tuple[int, str]:
    """The HTTP answer to a request, which must come while the slow work is still held."""
    try:
        async with asyncio.timeout(ACK_BOUND):
            return await request
    except TimeoutError:
        raise AssertionError("the request was answered only after the slow work") from None


async def trainers(bot: BotHarness) -> list[str]:
    async with bot.deps.sessions.begin() as session:
        return sorted((await session.scalars(select(Trainer.slack_user_id))).all())


@contextmanager
def statements_by_transaction(db: Database) -> Iterator[dict[object, list[str]]]:
    """Every SQL statement run inside the block, grouped by the transaction it ran in."""
    groups: dict[object, list[str]] = {}

    def record(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        groups.setdefault(conn.get_transaction(), []).append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield groups
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


def break_task_kind(bot: BotHarness, kind: str) -> None:
    """Make every run of ``kind`` fail with an unexpected error, and the first failure final."""

    async def broken(deps: Deps, task: ClaimedTask) -> None:
        raise RuntimeError("the disk is on fire")

    registered = bot.tasks.kinds[kind]
    bot.tasks.kinds[kind] = replace(registered, handler=broken, give_up_after=timedelta(0))


# ---- the ack does not wait


async def test_trainer_add_is_answered_before_users_info_is(bot: BotHarness) -> None:
    await add_course(bot)
    with bot.slack.hold("users.info") as held:
        status, body = await answered(bot.command("UADMIN", "trainer add <@UJANE> py101"))
        assert status == 200
        assert "Working on it" in body
        await held.wait_arrived()
        assert bot.slack.calls_to("response_url") == []
        assert await trainers(bot) == []
    await bot.drain()
    [reply] = bot.slack.calls_to("response_url")
    assert "<@UJANE> is now a trainer for *py101*" in shown(reply.args)
    assert reply.args["response_type"] == "ephemeral"
    assert await trainers(bot) == ["UJANE"]
    assert bot.slack.errors == []


async def test_stats_is_answered_before_the_report_is_built(bot: BotHarness) -> None:
    course_id = await add_course(bot)
    await add_escalation(bot, course_id, "UL1", "First")
    with bot.slack.hold("response_url") as held:
        status, body = await answered(bot.command("UADMIN", "stats 14"))
        assert status == 200
        assert "Working on it" in body
        assert "Stats, last" not in body
        await held.wait_arrived()
    await bot.drain()
    [reply] = bot.slack.calls_to("response_url")
    assert "Stats, last 14 days" in shown(reply.args)
    assert "low_confidence (1)" in shown(reply.args)
    [chart] = shared_files(bot, "UADMIN")
    assert chart["name"].endswith(".png")
    assert bot.slack.errors == []


async def test_a_retried_slow_command_runs_and_answers_once(bot: BotHarness) -> None:
    request = bot.command_body("UADMIN", "trainer add <@UJANE>")
    for retry in (None, 1, 2):
        status, body = await bot.command("UADMIN", "", body=request, retry_num=retry)
        assert status == 200
        assert "Working on it" in body
    await bot.drain()
    [reply] = bot.slack.calls_to("response_url")
    assert "<@UJANE> is now a trainer" in shown(reply.args)
    assert len(bot.slack.calls_to("users.info")) == 1


async def test_a_slow_command_refused_on_its_arguments_is_answered_at_once(
    bot: BotHarness,
) -> None:
    reply = await run(bot, "UADMIN", "stats 9999")
    assert "not a period" in shown(reply)
    reply = await run(bot, "UADMIN", "trainer add <@UJANE> nosuchcourse")
    assert "There is no course `nosuchcourse`" in shown(reply)
    await bot.drain()
    # Nothing was left to a task, so nothing else arrives.
    assert len(bot.slack.calls_to("response_url")) == 2
    assert bot.slack.calls_to("users.info") == []


async def test_a_refusal_found_by_the_task_reaches_the_admin(bot: BotHarness) -> None:
    bot.slack.add_user("UROBOT", is_bot=True)
    reply = await run(bot, "UADMIN", "trainer add <@UROBOT>")
    assert "is a bot or a deactivated account" in shown(reply)
    assert await trainers(bot) == []


async def test_an_answer_the_response_url_no_longer_takes_comes_by_dm(bot: BotHarness) -> None:
    bot.slack.inject("response_url", status=404)  # expired, or used five times
    status, body = await bot.command("UADMIN", "trainer add <@UJANE>")
    assert status == 200
    assert "Working on it" in body
    await bot.drain()
    assert "<@UJANE> is now a trainer" in await dm_to(bot, "UADMIN")
    assert await trainers(bot) == ["UJANE"]


async def test_a_command_task_that_keeps_failing_tells_its_author(bot: BotHarness) -> None:
    break_task_kind(bot, ADMIN_COMMAND)
    status, _ = await bot.command("UADMIN", "stats 14")
    assert status == 200
    await bot.drain()
    [reply] = await bot.slack.wait_for("response_url")
    assert "Sorry, I could not finish `/coach stats 14` (task " in reply.args["text"]
    assert "fire" not in reply.args["text"]  # never the raw error
    assert reply.args["response_type"] == "ephemeral"


async def test_a_failed_command_whose_response_url_fails_too_is_told_by_dm(
    bot: BotHarness,
) -> None:
    break_task_kind(bot, ADMIN_COMMAND)
    bot.slack.inject("response_url", status=500, times=5)
    status, _ = await bot.command("UADMIN", "stats 14")
    assert status == 200
    await bot.drain()
    assert "Sorry, I could not finish `/coach stats 14`" in await dm_to(bot, "UADMIN")


async def test_a_bulk_enrol_task_that_keeps_failing_tells_the_admin(bot: BotHarness) -> None:
    await add_course(bot)
    break_task_kind(bot, ADMIN_BULK_ENROL)
    status, _ = await bot.submit_view(
        "UADMIN",
        CallbackId.BULK_ENROL,
        picked("UL1", "UL2"),
        private_metadata=EnrolForm(course_slug="py101").pack(),
    )
    assert status == 200
    await bot.drain()
    text = await dm_to(bot, "UADMIN")
    assert "Sorry, I could not enrol the 2 learners you picked for *py101* (task " in text
    assert "fire" not in text
    assert await enrolments(bot) == {}


async def test_bulk_enrol_of_500_is_answered_at_once_and_stored_in_a_few_statements(
    bot: BotHarness,
) -> None:
    await add_course(bot)
    for trainer in ("UJANE", "UBOB"):
        await run(bot, "UADMIN", f"trainer add <@{trainer}> py101")
    learners = [f"UL{n:04d}" for n in range(500)]
    submit = bot.submit_view(
        "UADMIN",
        CallbackId.BULK_ENROL,
        picked(*learners),
        private_metadata=EnrolForm(course_slug="py101").pack(),
    )
    with (
        statements_by_transaction(bot.deps.db) as transactions,
        bot.slack.hold("chat.postMessage") as held,
    ):
        status, body = await answered(submit)
        assert status == 200
        assert "errors" not in body  # the modal closes
        await held.wait_arrived()  # the confirmation is on its way
    await bot.drain()

    confirmation = await dm_to(bot, "UADMIN")
    assert "Enrolled 500 learners in *py101*" in confirmation
    enrolled = await enrolments(bot)
    assert sorted(enrolled) == learners
    spread = list(enrolled.values())
    assert spread.count("UJANE") == spread.count("UBOB") == 250
    [batch] = [
        statements
        for statements in transactions.values()
        if any("INSERT INTO enrolments" in s for s in statements)
    ]
    assert len(batch) <= 10, f"{len(batch)} statements"
    assert bot.slack.errors == []
