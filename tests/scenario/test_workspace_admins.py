"""Each workspace's admins and trainer channel, changed with ``/coach`` through signed requests."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.workspaces import in_workspace
from store.database import Database
from store.models import AuditEvent, Escalation, Task
from store.repositories.workspaces import WorkspaceRepository
from tests.harness import TEAM_ID, BotHarness, reset_database, running_bot
from tests.scenario.test_commands import run, shown
from tests.scenario.test_escalation_flow import LEARNER, TRAINER, escalated_thread, learner_posts
from tests.scenario.test_home import open_home

OTHER = "T0OTHER01"
NEW_CHANNEL = "C0NEWTRN1"


async def run_in(bot: BotHarness, team: str, user: str, text: str) -> dict[str, Any]:
    """``/coach text`` sent from workspace ``team``; what came back on the response_url."""
    before = len(bot.slack.calls_to("response_url"))
    status, _ = await bot.command(user, text, team=team)
    assert status == 200
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return calls[-1].args


async def run_slow(bot: BotHarness, user: str, text: str) -> dict[str, Any]:
    """A command answered from a task: the ack says it is working, the answer follows."""
    before = len(bot.slack.calls_to("response_url"))
    status, body = await bot.command(user, text)
    assert status == 200
    assert "Working on it" in body, body
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return calls[-1].args


async def audit(bot: BotHarness, prefix: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with bot.deps.sessions() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        )
        return [(row.action, row.actor_id, row.details) for row in rows]


async def add_db_admin(bot: BotHarness, user: str, team: str = TEAM_ID) -> None:
    with in_workspace(team):
        async with bot.deps.sessions.begin() as session:
            await WorkspaceRepository(session).add_admin(user, added_by=None)


async def test_admins_are_listed_added_and_removed_with_an_audit(bot: BotHarness) -> None:
    reply = await run(bot, "UADMIN", "admins")
    assert "<@UADMIN>" in shown(reply)
    assert "ADMIN_USER_IDS" in shown(reply)

    reply = await run(bot, "UADMIN", "admin add <@UJANE|jane>")
    assert "<@UJANE> is now an admin" in shown(reply)
    reply = await run(bot, "UJANE", "admins")  # Jane may now do what admins do
    assert "<@UJANE>" in shown(reply)
    assert "<@UADMIN>" in shown(reply)
    reply = await run(bot, "UJANE", "admin add <@UJANE>")
    assert "already an admin" in shown(reply)

    reply = await run(bot, "UADMIN", "admin remove <@UJANE>")
    assert "<@UJANE> is no longer an admin" in shown(reply)
    reply = await run(bot, "UJANE", "admins")
    assert "only an admin can" in shown(reply)
    assert await audit(bot, "admin.") == [
        ("admin.added", "UADMIN", {"admin": "UJANE"}),
        ("admin.removed", "UADMIN", {"admin": "UJANE"}),
    ]
    assert bot.slack.errors == []


async def test_only_admins_change_admins_and_get_a_friendly_refusal(bot: BotHarness) -> None:
    for text in ("admins", "admin add <@UX>", "admin remove <@UADMIN>", "channel <#C0X1|x>"):
        reply = await run(bot, "ULEARNER", text)
        assert "Sorry, only an admin can" in shown(reply), text
        assert reply["response_type"] == "ephemeral"
    reply = await run(bot, "UADMIN", "admin add")
    assert "Please mention the person" in shown(reply)
    reply = await run(bot, "UADMIN", "admin promote <@UX>")
    assert "/coach admin add|remove @user" in shown(reply)
    assert await audit(bot, "admin.") == []
    assert "/coach admin add|remove @user" in shown(await run(bot, "UADMIN", "help"))
    assert "/coach admin" not in shown(await run(bot, "ULEARNER", "help"))


async def test_the_last_admin_stays_and_an_admin_may_leave_when_another_remains(
    database: Database,
) -> None:
    await reset_database(database)
    async with running_bot(database, admin_user_ids=[]) as bot:
        await add_db_admin(bot, "UBOSS")
        reply = await run(bot, "UBOSS", "admin remove <@UBOSS>")
        assert "last admin" in shown(reply)
        await run(bot, "UBOSS", "admin add <@UJANE>")
        reply = await run(bot, "UBOSS", "admin remove <@UBOSS>")
        assert "<@UBOSS> is no longer an admin" in shown(reply)
        reply = await run(bot, "UJANE", "admins")
        assert "<@UJANE>" in shown(reply)
        assert "<@UBOSS>" not in shown(reply)
        reply = await run(bot, "UJANE", "admin remove <@UJANE>")
        assert "last admin" in shown(reply)


async def test_an_admin_of_one_workspace_is_nobody_in_another(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, admin_user_ids=[]) as bot:
        await add_db_admin(bot, "UBOSS")
        await run(bot, "UBOSS", "admin add <@UJANE>")
        reply = await run_in(bot, OTHER, "UJANE", "admins")
        assert "only an admin can" in shown(reply)
        reply = await run_in(bot, OTHER, "UBOSS", "admin add <@UJANE>")
        assert "only an admin can" in shown(reply)
        await add_db_admin(bot, "UBORIS", OTHER)
        reply = await run_in(bot, OTHER, "UBORIS", "admins")
        assert "<@UBORIS>" in shown(reply)
        assert "<@UJANE>" not in shown(reply)
        reply = await run(bot, "UBOSS", "admins")
        assert "<@UBORIS>" not in shown(reply)


async def test_the_trainer_channel_is_set_checked_and_used_for_cards_and_replies(
    database: Database,
) -> None:
    await reset_database(database)
    async with running_bot(database, trainer_channel_id=None) as bot:
        reply = await run(bot, "UADMIN", "channel")
        assert "by DM" in shown(reply)
        reply = await run(bot, "UADMIN", "channel #trainers")
        assert "Pick the channel from Slack's #-suggestions" in shown(reply)

        bot.slack.fail_channel("C0NOTIN01")
        reply = await run_slow(bot, "UADMIN", "channel <#C0NOTIN01|closed>")
        assert "/invite @" in shown(reply)
        assert "<#C0NOTIN01>" in shown(reply)

        reply = await run_slow(bot, "UADMIN", f"channel <#{NEW_CHANNEL}|new-trainers>")
        assert f"Escalation cards now go to <#{NEW_CHANNEL}>" in shown(reply)
        [hello] = bot.slack.calls_to(
            "chat.postMessage", lambda c: c.args.get("channel") == NEW_CHANNEL
        )
        assert "escalation cards" in hello.args["text"].lower()
        assert await audit(bot, "trainer_channel.") == [
            ("trainer_channel.set", "UADMIN", {"old": None, "new": NEW_CHANNEL})
        ]
        reply = await run(bot, "UADMIN", "channel")
        assert f"<#{NEW_CHANNEL}>" in shown(reply)

        # The next card goes to the new channel, and a trainer's reply there reaches the learner.
        root, escalation = await escalated_thread(bot)
        assert escalation.card_channel == NEW_CHANNEL
        card_ts = escalation.card_ts
        assert card_ts is not None
        await bot.channel_reply(TRAINER, NEW_CHANNEL, card_ts, "Hello from your trainer")
        await bot.drain()
        texts = [c.args.get("text", "") for c in learner_posts(bot, root)]
        assert any("Hello from your trainer" in text for text in texts), texts
        view = await open_home(bot, "UADMIN")
        assert f"<#{NEW_CHANNEL}>" in json.dumps(view["blocks"])
        assert [e.learner_id for e in await _escalations(bot)] == [LEARNER]
        assert bot.slack.errors == []


async def test_the_home_tab_of_a_workspace_admin_is_the_admin_view(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, admin_user_ids=[], trainer_channel_id=None) as bot:
        await add_db_admin(bot, "UBOSS")
        async with bot.deps.sessions.begin() as session:
            await WorkspaceRepository(session).set_trainer_channel(TEAM_ID, "C0HOMETRN")
        view = await open_home(bot, "UBOSS")
        blocks = json.dumps(view["blocks"])
        assert "Cards are in <#C0HOMETRN>" in blocks
        view = await open_home(bot, "USOMEONE")
        assert "Cards are in" not in json.dumps(view["blocks"])


async def _escalations(bot: BotHarness) -> list[Escalation]:
    async with bot.deps.sessions() as session:
        return list(await session.scalars(select(Escalation)))


async def test_card_threads_in_the_previous_channel_keep_working(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    assert escalation.card_channel == "C0TRAINERS"
    reply = await run_slow(bot, "UADMIN", f"channel <#{NEW_CHANNEL}>")
    assert "instead of <#C0TRAINERS>" in shown(reply)
    assert escalation.card_ts is not None
    await bot.channel_reply(TRAINER, "C0TRAINERS", escalation.card_ts, "Still here for you")
    await bot.channel_reply(TRAINER, "C0ELSEWHR", escalation.card_ts, "Not a card thread")
    await bot.drain()
    texts = [c.args.get("text", "") for c in learner_posts(bot, root)]
    assert any("Still here for you" in text for text in texts), texts
    assert not any("Not a card thread" in text for text in texts), texts
    async with bot.deps.sessions() as session:
        stored = await session.scalars(
            select(Task.payload["channel_id"].astext).where(Task.kind == "trainer.message")
        )
        assert list(stored) == ["C0TRAINERS"]  # the reply elsewhere was never stored
