"""Two installed workspaces on one process: each one's background work goes with its own token."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from bot.tasks.outbox import Outbox
from bot.workspaces import across_workspaces, in_workspace
from store.models import Course, Escalation, Task, Workspace
from tests.harness import BotHarness
from tests.scenario.test_install import ACME, BETA, _install, _send_team_event, multi

__all__ = ["multi"]  # the fixture, shared with the install tests

SAME_USER = "U0SAMEID1"


async def _escalations(bot: BotHarness, team: str) -> list[Escalation]:
    with in_workspace(team):
        async with bot.deps.sessions() as session:
            return list((await session.scalars(select(Escalation))).all())


async def test_each_workspaces_replies_go_out_with_its_own_token(multi: BotHarness) -> None:
    bot = multi
    tokens = {
        team: await _install(bot, team, user_id=f"U0ADMIN{team[-1]}") for team in (ACME, BETA)
    }
    for team in (ACME, BETA):
        with in_workspace(team):
            async with bot.deps.sessions.begin() as session:
                session.add(Course(slug="python", title=f"Python at {team}"))

    for team in (ACME, BETA):
        bot.team = team
        await bot.dm(SAME_USER, "I want to talk to a human about my project")
    await bot.drain()

    dm = bot.slack.dm_channel_id(SAME_USER)
    replies = bot.slack.calls_to("chat.postMessage", lambda c: c.args.get("channel") == dm)
    assert {call.token for call in replies} == set(tokens.values())
    for team in (ACME, BETA):
        [escalation] = await _escalations(bot, team)
        assert escalation.learner_id == SAME_USER
    assert bot.slack.errors == []


async def test_work_left_for_a_workspace_without_a_token_ends_without_alerts(
    multi: BotHarness,
) -> None:
    bot = multi
    await _install(bot, ACME)
    store = bot.deps.installations
    assert store is not None
    # As the uninstall leaves it: no token, while a reply is still queued.
    await store.async_delete_bot(enterprise_id=None, team_id=ACME)
    await store.async_delete_installation(enterprise_id=None, team_id=ACME)
    bot.deps.slack_clients.forget(ACME)
    with in_workspace(ACME):
        async with bot.deps.sessions.begin() as session:
            await Outbox(session).call(
                "chat.postMessage",
                {"channel": bot.slack.dm_channel_id(SAME_USER), "text": "too late"},
                ordering_key="test:late",
            )
    await bot.drain()

    with in_workspace(ACME):
        async with bot.deps.sessions() as session:
            [task] = (await session.scalars(select(Task))).all()
    assert task.status == "failed"
    assert "uninstalled" in (task.last_error or "")
    assert bot.slack.calls_to("chat.postMessage") == []


async def test_the_installer_is_the_workspaces_first_admin_and_nobody_elses(
    multi: BotHarness,
) -> None:
    bot = multi
    await _install(bot, ACME, user_id="U0ACMEBOSS")
    await _install(bot, BETA, user_id="U0BETABOSS")

    await bot.command("U0ACMEBOSS", "admins", team=ACME)
    await bot.command("U0ACMEBOSS", "admin add <@U0BETABOSS>", team=BETA)
    await bot.drain()

    listing, refusal = (str(c.args) for c in bot.slack.calls_to("response_url"))
    assert "U0ACMEBOSS" in listing
    assert "U0BETABOSS" not in listing
    assert "admin" in refusal
    with in_workspace(ACME), across_workspaces():
        async with bot.deps.sessions() as session:
            recorded = (await session.scalars(select(Workspace.team_id))).all()
    assert sorted(recorded) == [ACME, BETA]


async def test_an_uninstall_cancels_the_workspaces_open_work_and_a_reinstall_resumes_it(
    multi: BotHarness,
) -> None:
    bot = multi
    await _install(bot, ACME)
    await _install(bot, BETA)
    for team in (ACME, BETA):
        with in_workspace(team):
            async with bot.deps.sessions.begin() as session:
                # A reply still waiting when the app goes.
                await Outbox(session).call(
                    "chat.postMessage",
                    {"channel": bot.slack.dm_channel_id(SAME_USER), "text": f"later {team}"},
                    ordering_key="test:waiting",
                    give_up_at=None,
                )
                [task] = (await session.scalars(select(Task))).all()
                task.run_at = task.run_at.replace(year=2099)  # not due before the uninstall

    bot.slack.installs.uninstall(ACME)
    await _send_team_event(bot, ACME, {"type": "app_uninstalled", "event_ts": "1.2"})

    with in_workspace(ACME):
        async with bot.deps.sessions() as session:
            [cancelled] = (await session.scalars(select(Task))).all()
            workspace = await session.get(Workspace, ACME)
    assert cancelled.status == "cancelled"
    assert workspace is not None
    assert workspace.uninstalled_at is not None
    with in_workspace(BETA):
        async with bot.deps.sessions() as session:
            [waiting] = (await session.scalars(select(Task))).all()
    assert waiting.status == "pending"

    await _install(bot, ACME)
    with in_workspace(ACME), across_workspaces():
        async with bot.deps.sessions() as session:
            again = await session.get(Workspace, ACME, populate_existing=True)
    assert again is not None
    assert again.uninstalled_at is None


async def test_an_uninstall_sent_before_the_latest_install_changes_nothing(
    multi: BotHarness,
) -> None:
    bot = multi
    token = await _install(bot, ACME)
    body = {
        "token": "legacy",
        "team_id": ACME,
        "api_app_id": "A0APP0001",
        "event": {"type": "app_uninstalled", "event_ts": "1.2"},
        "type": "event_callback",
        "event_id": "Ev0LATE0001",
        # Sent (and retried, or delayed) from before the workspace installed the app again.
        "event_time": int(time.time()) - 120,
    }
    status, _ = await bot.post(json.dumps(body), content_type="application/json")
    assert status == 200

    assert (await bot.deps.slack_clients.for_team(ACME)).token == token
    with across_workspaces():
        async with bot.deps.sessions() as session:
            workspace = await session.get(Workspace, ACME)
    assert workspace is not None
    assert workspace.uninstalled_at is None
