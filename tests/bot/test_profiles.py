"""users.info parsing: one reader of a Slack user's name, email, picture and account state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.people.profiles import SlackProfile, fetch_profile
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_objects import synthesize_user

# As users.info returns them (trimmed of fields the bot does not read).
PERSON: dict[str, Any] = {
    "id": "U0TRAIN01",
    "team_id": "T0FAKE",
    "name": "grace",
    "deleted": False,
    "real_name": "Grace Hopper",
    "tz": "America/New_York",
    "is_admin": False,
    "is_bot": False,
    "is_app_user": False,
    "profile": {
        "title": "Trainer",
        "real_name": "Grace Hopper",
        "real_name_normalized": "Grace Hopper",
        "display_name": "",
        "display_name_normalized": "",
        "email": "grace@example.com",
        "image_24": "https://avatars.slack-edge.com/2024-01-01/g_24.png",
        "image_48": "https://avatars.slack-edge.com/2024-01-01/g_48.png",
        "image_72": "https://avatars.slack-edge.com/2024-01-01/g_72.png",
        "image_192": "https://avatars.slack-edge.com/2024-01-01/g_192.png",
        "team": "T0FAKE",
    },
}
BOT: dict[str, Any] = {
    "id": "U0DEPLOY1",
    "team_id": "T0FAKE",
    "name": "deploybot",
    "deleted": False,
    "real_name": "Deploy Bot",
    "is_bot": True,
    "is_app_user": False,
    "profile": {
        "real_name": "Deploy Bot",
        "display_name": "",
        "bot_id": "B0DEPLOY1",
        "api_app_id": "A0DEPLOY1",
        "always_active": True,
        "image_72": "https://avatars.slack-edge.com/2024-01-01/bot_72.png",
        "team": "T0FAKE",
    },
}
DEACTIVATED: dict[str, Any] = {
    "id": "U0GONE001",
    "team_id": "T0FAKE",
    "name": "former",
    "deleted": True,
    "profile": {
        "real_name": "Former Trainer",
        "display_name": "former",
        "image_72": "https://secure.gravatar.com/avatar/former.png",
        "team": "T0FAKE",
    },
}


def test_a_person_without_a_display_name_goes_by_the_real_name() -> None:
    profile = SlackProfile.from_user(PERSON, user_id="U0TRAIN01")
    assert profile == SlackProfile(
        user_id="U0TRAIN01",
        display_name="Grace Hopper",
        email="grace@example.com",
        image_url="https://avatars.slack-edge.com/2024-01-01/g_72.png",
        is_bot=False,
        deleted=False,
    )
    assert profile.name == "Grace Hopper"


def test_the_display_name_comes_first() -> None:
    user = synthesize_user("U0ADA0001", team_id="T0FAKE")
    profile = SlackProfile.from_user(user, user_id="U0ADA0001")
    assert profile.display_name == "u0ada0001"
    assert profile.email == "u0ada0001@example.com"
    assert profile.image_url == "https://avatars.example.com/U0ADA0001_72.png"


def test_bots_and_deactivated_accounts_are_flagged() -> None:
    bot = SlackProfile.from_user(BOT, user_id="U0DEPLOY1")
    assert (bot.is_bot, bot.deleted, bot.display_name, bot.email) == (
        True,
        False,
        "Deploy Bot",
        None,
    )
    gone = SlackProfile.from_user(DEACTIVATED, user_id="U0GONE001")
    assert (gone.is_bot, gone.deleted, gone.display_name) == (False, True, "former")


def test_the_picture_falls_back_to_other_sizes() -> None:
    only_48 = {"id": "U1", "profile": {"image_48": "https://example.com/48.png"}}
    assert SlackProfile.from_user(only_48, user_id="U1").image_url == "https://example.com/48.png"
    only_192 = {"id": "U1", "profile": {"image_192": "https://example.com/192.png"}}
    assert SlackProfile.from_user(only_192, user_id="U1").image_url == (
        "https://example.com/192.png"
    )


def test_a_bare_user_has_only_its_id() -> None:
    profile = SlackProfile.from_user({}, user_id="U0NOBODY1")
    assert profile == SlackProfile("U0NOBODY1", None, None, None, is_bot=False, deleted=False)
    assert profile.name == "U0NOBODY1"
    named = SlackProfile.from_user({"real_name": "Only Top Level", "profile": {}}, user_id="U2")
    assert named.display_name == "Only Top Level"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def test_fetch_profile_reads_users_info(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
    slack.add_user("U0ADA0001", real_name="Ada Lovelace", display_name="", email="ada@example.com")
    profile = await fetch_profile(client, "U0ADA0001")
    assert profile is not None
    assert (profile.display_name, profile.email) == ("Ada Lovelace", "ada@example.com")
    assert [call.args["user"] for call in slack.calls_to("users.info")] == ["U0ADA0001"]


async def test_fetch_profile_is_none_when_slack_refuses(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
    slack.inject("users.info", error="user_not_found")
    assert await fetch_profile(client, "U0MISSING") is None
