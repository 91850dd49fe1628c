"""The per-workspace client resolver background work sends with (``deps.slack_clients``)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import NotFound, WorkspaceNotInstalled
from bot.runtime import create_slack_client
from bot.settings import Settings
from bot.slack_clients import RECHECK_SECONDS, REFRESH_MINUTES_BEFORE_EXPIRY, SlackClients
from store.database import Database
from store.installations import installation_store
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_oauth import CLIENT_ID, CLIENT_SECRET


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def _settings(slack: FakeSlack, **values: object) -> Settings:
    # An app of its own per test: the installation store keeps each app's workspaces apart.
    slack.installs.client_id = f"{CLIENT_ID}{uuid.uuid4().int % 10**6}"
    base: dict[str, object] = {
        "_env_file": None,
        "slack_client_id": slack.installs.client_id,
        "slack_client_secret": CLIENT_SECRET,
        "slack_signing_secret": "s",
        "slack_api_url": slack.base_url,
    }
    return Settings(**(base | values))  # type: ignore[arg-type]


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _install(slack: FakeSlack, settings: Settings, db: Database, team_id: str) -> str:
    """Install the app in ``team_id`` through the fake and store it as Bolt does; its token."""
    if team_id not in slack.installs.workspaces:
        slack.installs.add_workspace(team_id, name=f"Team {team_id}")
    client_id = str(settings.slack_client_id)
    url = f"https://slack.com/oauth/v2/authorize?client_id={client_id}&scope=chat:write"
    back = slack.installs.approve(url, team_id=team_id, user_id="U0INSTALLER")
    client = AsyncWebClient(base_url=slack.base_url)
    body = await client.oauth_v2_access(
        client_id=client_id, client_secret=CLIENT_SECRET, code=back["code"]
    )
    store = installation_store(db, client_id)
    await store.async_save(
        Installation(
            app_id=body["app_id"],
            team_id=team_id,
            team_name=body["team"]["name"],
            bot_token=body["access_token"],
            bot_id="B0",
            bot_user_id=body["bot_user_id"],
            bot_scopes=body["scope"],
            bot_refresh_token=body.get("refresh_token"),
            bot_token_expires_in=body.get("expires_in"),
            user_id=body["authed_user"]["id"],
            token_type="bot",
        )
    )
    return str(body["access_token"])


def _resolver(settings: Settings, db: Database, clock: _Clock | None = None) -> SlackClients:
    default = create_slack_client(settings)
    store = installation_store(db, str(settings.slack_client_id))
    resolver = SlackClients.for_settings(settings, default, store)
    if clock is not None:
        resolver._monotonic = clock
    return resolver


async def test_one_workspace_always_gets_the_one_client(slack: FakeSlack) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test-token",  # type: ignore[arg-type]
        slack_api_url=slack.base_url,
    )
    default = create_slack_client(settings)
    resolver = SlackClients.for_settings(settings, default, None)
    assert await resolver.for_team("T0FAKE001") is default
    assert await resolver.for_team("T0ANYTHING") is default


async def test_each_workspace_gets_a_client_with_its_own_token(
    slack: FakeSlack, database: Database
) -> None:
    settings = _settings(slack)
    acme = await _install(slack, settings, database, "T0ACME002")
    beta = await _install(slack, settings, database, "T0BETA003")
    resolver = _resolver(settings, database)
    default = create_slack_client(settings)

    client = await resolver.for_team("T0ACME002")
    assert client.token == acme
    assert (client.base_url, client.timeout) == (default.base_url, default.timeout)
    assert client.retry_handlers == default.retry_handlers
    assert (await client.auth_test())["team_id"] == "T0ACME002"
    assert (await resolver.for_team("T0BETA003")).token == beta
    # One client per workspace, kept.
    assert await resolver.for_team("T0ACME002") is client


async def test_a_workspace_without_an_installation_is_a_domain_error(
    slack: FakeSlack, database: Database
) -> None:
    resolver = _resolver(_settings(slack), database)
    with pytest.raises(WorkspaceNotInstalled) as raised:
        await resolver.for_team("T0NOBODY")
    assert raised.value.team_id == "T0NOBODY"
    assert isinstance(raised.value, NotFound)
    assert "install" in raised.value.user_message


async def test_a_removed_installation_is_seen_once_forgotten_or_read_again(
    slack: FakeSlack, database: Database
) -> None:
    settings = _settings(slack)
    await _install(slack, settings, database, "T0ACME002")
    await _install(slack, settings, database, "T0BETA003")
    clock = _Clock()
    resolver = _resolver(settings, database, clock)
    await resolver.for_team("T0ACME002")
    await resolver.for_team("T0BETA003")
    store = installation_store(database, str(settings.slack_client_id))
    for team in ("T0ACME002", "T0BETA003"):
        await store.async_delete_bot(enterprise_id=None, team_id=team)

    # This process handled the uninstall: its client goes at once.
    resolver.forget("T0ACME002")
    with pytest.raises(WorkspaceNotInstalled):
        await resolver.for_team("T0ACME002")
    # Another process did: the bot is read again within RECHECK_SECONDS.
    clock.now += RECHECK_SECONDS
    with pytest.raises(WorkspaceNotInstalled):
        await resolver.for_team("T0BETA003")


async def test_a_rotating_token_about_to_expire_is_refreshed_and_saved_first(
    slack: FakeSlack, database: Database
) -> None:
    settings = _settings(slack, slack_token_rotation=True)
    # Inside the refresh window from the start: the first use refreshes it.
    slack.installs.token_lifetime = (REFRESH_MINUTES_BEFORE_EXPIRY - 2) * 60
    old = await _install(slack, settings, database, "T0ACME002")
    slack.installs.expire_tokens("T0ACME002")
    slack.installs.token_lifetime = 12 * 3600
    resolver = _resolver(settings, database)

    client = await resolver.for_team("T0ACME002")
    [refresh] = slack.calls_to("oauth.v2.access", lambda c: c.args.get("grant_type") is not None)
    assert refresh.args["grant_type"] == "refresh_token"
    assert refresh.args["refresh_token"].startswith("xoxe-1-")
    assert client.token != old
    assert client.token == slack.installs.bot_token("T0ACME002")
    assert (await client.auth_test())["team_id"] == "T0ACME002"
    # Saved for every process and for Bolt's request path.
    store = installation_store(database, str(settings.slack_client_id))
    bot = await store.async_find_bot(enterprise_id=None, team_id="T0ACME002")
    assert bot is not None
    assert bot.bot_token == client.token
    assert bot.bot_token_expires_at is not None
    assert bot.bot_token_expires_at > time.time() + 11 * 3600

    # Now far from expiry: used as it is, with no further refresh.
    assert await resolver.for_team("T0ACME002") is client
    fresh = _resolver(settings, database)
    assert (await fresh.for_team("T0ACME002")).token == client.token
    assert len(slack.calls_to("oauth.v2.access")) == 2  # the install and the one refresh
