"""The fake Slack's workspaces and OAuth, driven by slack_sdk's own client and token rotator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth import AuthorizeUrlGenerator
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_oauth import CLIENT_ID, CLIENT_SECRET


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def _authorize_url(state: str = "st-1", redirect_uri: str | None = None) -> str:
    generator = AuthorizeUrlGenerator(
        client_id=CLIENT_ID, scopes=["chat:write", "im:history"], redirect_uri=redirect_uri
    )
    return generator.generate(state)


async def _exchange(slack: FakeSlack, code: str, **kwargs: str) -> dict[str, object]:
    client = AsyncWebClient(base_url=slack.base_url)
    response = await client.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code, **kwargs
    )
    return dict(response.data)  # type: ignore[arg-type]


async def test_an_approved_install_is_exchanged_once_for_that_workspaces_token(
    slack: FakeSlack,
) -> None:
    slack.installs.add_workspace("T0ACME002", name="Acme")
    back = slack.installs.approve(_authorize_url(), team_id="T0ACME002", user_id="U0ALICE")
    assert back["state"] == "st-1"
    body = await _exchange(slack, back["code"])
    assert body["token_type"] == "bot"
    assert body["team"] == {"id": "T0ACME002", "name": "Acme"}
    assert body["authed_user"] == {"id": "U0ALICE"}
    assert body["scope"] == "chat:write,im:history"
    assert str(body["access_token"]).startswith("xoxb-")
    assert "refresh_token" not in body
    assert "expires_in" not in body
    assert slack.errors == []

    # Each token is answered by its own workspace; the default token by the default one.
    acme = await AsyncWebClient(
        token=str(body["access_token"]), base_url=slack.base_url
    ).auth_test()
    assert (acme["team_id"], acme["team"], acme["user_id"]) == (
        "T0ACME002",
        "Acme",
        body["bot_user_id"],
    )
    default = AsyncWebClient(token="xoxb-test-token", base_url=slack.base_url)
    assert (await default.auth_test())["team_id"] == "T0FAKE001"

    with pytest.raises(SlackApiError) as again:
        await _exchange(slack, back["code"])
    assert again.value.response["error"] == "invalid_code"


async def test_wrong_app_credentials_and_redirect_uris_are_refused(slack: FakeSlack) -> None:
    slack.installs.add_workspace("T0ACME002", name="Acme")
    back = slack.installs.approve(
        _authorize_url(redirect_uri="https://a.example/r"), team_id="T0ACME002", user_id="U1"
    )
    client = AsyncWebClient(base_url=slack.base_url)
    with pytest.raises(SlackApiError) as secret:
        await client.oauth_v2_access(client_id=CLIENT_ID, client_secret="x", code=back["code"])
    assert secret.value.response["error"] == "bad_client_secret"
    with pytest.raises(SlackApiError) as redirect:
        await _exchange(slack, back["code"], redirect_uri="https://b.example/r")
    assert redirect.value.response["error"] == "bad_redirect_uri"
    with pytest.raises(AssertionError, match="client_id"):
        slack.installs.approve(
            _authorize_url().replace(CLIENT_ID, "999.999"), team_id="T0ACME002", user_id="U1"
        )


async def test_rotating_tokens_are_refreshed_and_expire(slack: FakeSlack) -> None:
    slack.installs.token_lifetime = 3600
    slack.installs.add_workspace("T0ACME002", name="Acme")
    back = slack.installs.approve(_authorize_url(), team_id="T0ACME002", user_id="U1")
    body = await _exchange(slack, back["code"])
    assert str(body["access_token"]).startswith("xoxe.xoxb-")
    assert body["expires_in"] == 3600
    first = AsyncWebClient(token=str(body["access_token"]), base_url=slack.base_url)
    await first.auth_test()

    slack.installs.expire_tokens("T0ACME002")
    with pytest.raises(SlackApiError) as expired:
        await first.auth_test()
    assert expired.value.response["error"] == "token_expired"

    client = AsyncWebClient(base_url=slack.base_url)
    refreshed = await client.oauth_v2_access(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        grant_type="refresh_token",
        refresh_token=str(body["refresh_token"]),
    )
    assert refreshed["token_type"] == "bot"
    assert refreshed["access_token"] != body["access_token"]
    assert slack.installs.bot_token("T0ACME002") == refreshed["access_token"]
    again = AsyncWebClient(token=refreshed["access_token"], base_url=slack.base_url)
    assert (await again.auth_test())["team_id"] == "T0ACME002"


async def test_an_uninstall_revokes_the_workspaces_tokens_only(slack: FakeSlack) -> None:
    slack.installs.add_workspace("T0ACME002", name="Acme")
    back = slack.installs.approve(_authorize_url(), team_id="T0ACME002", user_id="U1")
    token = str((await _exchange(slack, back["code"]))["access_token"])
    slack.installs.uninstall("T0ACME002")
    with pytest.raises(SlackApiError) as revoked:
        await AsyncWebClient(token=token, base_url=slack.base_url).auth_test()
    assert revoked.value.response["error"] == "token_revoked"
    default = AsyncWebClient(token="xoxb-test-token", base_url=slack.base_url)
    assert (await default.auth_test())["ok"] is True
