"""Many workspaces: "Add to Slack" over real HTTP, each workspace served with its own token, an
uninstall removing that workspace's tokens, and rotating tokens refreshed before they expire."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import text

from bot.blocks.ids import ActionId
from bot.errors import WorkspaceNotInstalled
from bot.slack_clients import REFRESH_MINUTES_BEFORE_EXPIRY
from bot.slack_scopes import BOT_SCOPES
from store.database import Database
from tests.fakes.slack_oauth import AUTHORIZE_URL, CLIENT_ID, CLIENT_SECRET
from tests.harness import BotHarness, reset_database, running_bot

ACME, BETA = "T0ACME002", "T0BETA003"
STATE_COOKIE = "slack-app-oauth-state"


@pytest.fixture
async def multi(database: Database) -> AsyncIterator[BotHarness]:
    """A bot serving any workspace that installs it (no SLACK_BOT_TOKEN)."""
    await reset_database(database)
    async with running_bot(
        database,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    ) as harness:
        harness.slack.installs.add_workspace(ACME, name="Acme")
        harness.slack.installs.add_workspace(BETA, name="Beta")
        yield harness


def _origin(bot: BotHarness) -> str:
    return bot.url.removesuffix("/slack/events")


async def _start_install(bot: BotHarness) -> tuple[str, str]:
    """GET the install link: Slack's authorize URL it redirects to, and the state cookie."""
    async with bot.http.get(f"{_origin(bot)}/slack/install", allow_redirects=False) as resp:
        assert resp.status == 302, await resp.text()
        cookie = SimpleCookie()
        for header in resp.headers.getall("Set-Cookie"):
            cookie.load(header)
        return resp.headers["Location"], cookie[STATE_COOKIE].value


async def _redirect_back(
    bot: BotHarness, query: dict[str, str], cookie: str | None
) -> tuple[int, str]:
    """The installer's browser comes back from Slack to the redirect URL."""
    headers = {"Cookie": f"{STATE_COOKIE}={cookie}"} if cookie else {}
    url = f"{_origin(bot)}/slack/oauth_redirect?{urllib.parse.urlencode(query)}"
    async with bot.http.get(url, headers=headers, allow_redirects=False) as resp:
        return resp.status, await resp.text()


async def _install(bot: BotHarness, team_id: str, user_id: str = "U0INSTALL") -> str:
    location, cookie = await _start_install(bot)
    back = bot.slack.installs.approve(location, team_id=team_id, user_id=user_id)
    status, page = await _redirect_back(bot, back, cookie)
    assert status == 200, page
    return bot.slack.installs.bot_token(team_id)


async def _rows(bot: BotHarness, table: str, team_id: str) -> list[dict[str, object]]:
    async with bot.deps.db.engine.connect() as conn:
        rows = await conn.execute(
            text(f"SELECT * FROM {table} WHERE team_id = :team"),
            {"team": team_id},
        )
        return [dict(row) for row in rows.mappings()]


async def _click_stale_button(bot: BotHarness, team_id: str, user: str) -> tuple[int, str]:
    """A click the bot answers with its own Web API client (an ephemeral "out of date" note, as
    the payload has no response_url): it is sent with the token Bolt authorized the request with."""
    payload = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": team_id.lower()},
        "user": {"id": user, "username": user.lower(), "team_id": team_id},
        "channel": {"id": "C0GENERAL", "name": "general"},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "C0GENERAL"},
        "trigger_id": f"trigger-{time.monotonic_ns()}",
        "actions": [
            {
                "type": "button",
                "action_id": str(ActionId.FEEDBACK_HELPFUL),
                "block_id": "b",
                "value": "not a payload",
                "action_ts": str(time.time()),
            }
        ],
    }
    return await bot.interact(payload)


async def _send_team_event(bot: BotHarness, team_id: str, event: dict[str, object]) -> None:
    body = {
        "token": "legacy",
        "team_id": team_id,
        "api_app_id": "A0APP0001",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
    }
    status, answer = await bot.post(json.dumps(body), content_type="application/json")
    assert status == 200, answer


def _ephemerals_with(bot: BotHarness, token: str) -> list[str]:
    return [c.args["user"] for c in bot.slack.calls_to("chat.postEphemeral") if c.token == token]


async def test_the_install_link_redirects_to_slack_with_the_apps_id_scopes_and_a_state(
    multi: BotHarness,
) -> None:
    location, cookie = await _start_install(multi)
    parts = urllib.parse.urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTHORIZE_URL
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert query["client_id"] == CLIENT_ID
    assert query["scope"].split(",") == list(BOT_SCOPES)
    assert query["state"] == cookie
    async with multi.deps.db.engine.connect() as conn:
        states = await conn.execute(text("SELECT state FROM slack_oauth_states"))
        assert states.scalars().all() == [cookie]


async def test_an_install_is_stored_and_a_forged_or_replayed_state_is_refused(
    multi: BotHarness,
) -> None:
    location, cookie = await _start_install(multi)
    back = multi.slack.installs.approve(location, team_id=ACME, user_id="U0ALICE")

    # A state this browser was not given, or a made-up one with its own cookie: refused.
    forged = dict(back, state="forged-state")
    assert (await _redirect_back(multi, forged, cookie))[0] == 400
    assert (await _redirect_back(multi, forged, "forged-state"))[0] == 401
    assert await _rows(multi, "slack_installations", ACME) == []

    status, page = await _redirect_back(multi, back, cookie)
    assert status == 200, page
    [installation] = await _rows(multi, "slack_installations", ACME)
    assert installation["bot_token"] == multi.slack.installs.bot_token(ACME)
    assert installation["team_name"] == "Acme"
    assert installation["user_id"] == "U0ALICE"
    assert installation["client_id"] == CLIENT_ID
    assert str(installation["bot_scopes"]).split(",") == list(BOT_SCOPES)
    assert len(await _rows(multi, "slack_bots", ACME)) == 1

    # The same state again (a replayed redirect): refused, and the code is not exchanged again.
    exchanges = len(multi.slack.calls_to("oauth.v2.access"))
    status, _ = await _redirect_back(multi, back, cookie)
    assert status == 401
    assert len(multi.slack.calls_to("oauth.v2.access")) == exchanges


async def test_each_workspace_is_served_with_its_own_token_until_it_uninstalls(
    multi: BotHarness,
) -> None:
    acme = await _install(multi, ACME)
    beta = await _install(multi, BETA)
    assert acme != beta

    status, _ = await _click_stale_button(multi, ACME, "U0ACMEUSER")
    assert status == 200
    status, _ = await _click_stale_button(multi, BETA, "U0BETAUSER")
    assert status == 200
    assert _ephemerals_with(multi, acme) == ["U0ACMEUSER"]
    assert _ephemerals_with(multi, beta) == ["U0BETAUSER"]
    # Bolt authorized each request with that workspace's own token.
    tested = [c.token for c in multi.slack.calls_to("auth.test")]
    assert acme in tested
    assert beta in tested

    # Background work resolves the same tokens.
    assert (await multi.deps.slack_clients.for_team(ACME)).token == acme
    assert (await multi.deps.slack_clients.for_team(BETA)).token == beta

    # Acme removes the app: Slack revokes its token and tells the bot.
    multi.slack.installs.uninstall(ACME)
    await _send_team_event(multi, ACME, {"type": "app_uninstalled", "event_ts": "1.2"})
    assert await _rows(multi, "slack_installations", ACME) == []
    assert await _rows(multi, "slack_bots", ACME) == []
    with pytest.raises(WorkspaceNotInstalled):
        await multi.deps.slack_clients.for_team(ACME)

    # A later request from Acme is not authorized, so nothing answers it; Beta still works.
    calls = len(multi.slack.calls)
    status, body = await _click_stale_button(multi, ACME, "U0ACMEUSER")
    assert status == 200
    assert "reinstall" in body
    assert len(multi.slack.calls) == calls
    await _click_stale_button(multi, BETA, "U0BETAUSER")
    assert _ephemerals_with(multi, beta) == ["U0BETAUSER", "U0BETAUSER"]
    assert len(await _rows(multi, "slack_installations", BETA)) == 1
    assert (await multi.deps.slack_clients.for_team(BETA)).token == beta


async def test_a_revoked_bot_token_is_removed_and_a_revoked_user_token_changes_nothing(
    multi: BotHarness,
) -> None:
    await _install(multi, ACME)
    tokens_revoked = {"type": "tokens_revoked", "event_ts": "1.3"}
    await _send_team_event(multi, ACME, tokens_revoked | {"tokens": {"oauth": ["U0ALICE"]}})
    assert len(await _rows(multi, "slack_bots", ACME)) == 1
    bot_user = multi.slack.installs.workspaces[ACME].bot_user_id
    await _send_team_event(multi, ACME, tokens_revoked | {"tokens": {"bot": [bot_user]}})
    assert await _rows(multi, "slack_bots", ACME) == []
    with pytest.raises(WorkspaceNotInstalled):
        await multi.deps.slack_clients.for_team(ACME)


async def test_rotating_tokens_are_refreshed_before_they_expire(database: Database) -> None:
    await reset_database(database)
    async with running_bot(
        database,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_token_rotation=True,
    ) as bot:
        installs = bot.slack.installs
        installs.add_workspace(ACME, name="Acme")
        # Every token the fake issues is already inside the refresh window.
        installs.token_lifetime = (REFRESH_MINUTES_BEFORE_EXPIRY - 5) * 60
        first = await _install(bot, ACME)
        assert first.startswith("xoxe.xoxb-")
        [bot_row] = await _rows(bot, "slack_bots", ACME)
        assert bot_row["bot_refresh_token"]

        # Background work: the token the worker would send with is refreshed and saved first.
        installs.expire_tokens(ACME)
        client = await bot.deps.slack_clients.for_team(ACME)
        second = installs.bot_token(ACME)
        assert client.token == second != first
        assert (await client.auth_test())["team_id"] == ACME
        [bot_row] = await _rows(bot, "slack_bots", ACME)
        assert bot_row["bot_token"] == second

        # Bolt's request path: the stored token is refreshed before the request is served.
        installs.expire_tokens(ACME)
        await _click_stale_button(bot, ACME, "U0ACMEUSER")
        third = installs.bot_token(ACME)
        assert third not in (first, second)
        assert _ephemerals_with(bot, third) == ["U0ACMEUSER"]
        [bot_row] = await _rows(bot, "slack_bots", ACME)
        assert bot_row["bot_token"] == third
        refreshes = bot.slack.calls_to(
            "oauth.v2.access", lambda c: c.args.get("grant_type") == "refresh_token"
        )
        assert len(refreshes) == 2
        # Nothing was ever sent with an expired token.
        assert [e.error for e in bot.slack.errors] == []
