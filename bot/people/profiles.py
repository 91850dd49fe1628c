"""A Slack user's name, email, picture and account state, read from users.info in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient


@dataclass(frozen=True)
class SlackProfile:
    """What the bot reads from a users.info user."""

    user_id: str
    # The profile's display name, else the real name; None when Slack has neither.
    display_name: str | None
    email: str | None
    # The 72 px picture (else 48 or 192 px).
    image_url: str | None
    is_bot: bool = False
    deleted: bool = False

    @property
    def name(self) -> str:
        """How to call the user: their display name, else their id."""
        return self.display_name or self.user_id

    @classmethod
    def from_user(cls, user: Mapping[str, Any], *, user_id: str) -> SlackProfile:
        """Parse the ``user`` object of a users.info response."""
        profile = user.get("profile") or {}
        return cls(
            user_id=user_id,
            display_name=_text(
                profile.get("display_name") or profile.get("real_name") or user.get("real_name")
            ),
            email=_text(profile.get("email")),
            image_url=_text(
                profile.get("image_72") or profile.get("image_48") or profile.get("image_192")
            ),
            is_bot=bool(user.get("is_bot")),
            deleted=bool(user.get("deleted")),
        )


def _text(value: Any) -> str | None:
    return str(value) if value else None


async def fetch_profile(slack: AsyncWebClient, user_id: str) -> SlackProfile | None:
    """The user's profile from users.info; None when Slack cannot tell us now (an API error)."""
    try:
        response = await slack.users_info(user=user_id)
    except SlackApiError:
        return None
    return SlackProfile.from_user(response.get("user") or {}, user_id=user_id)
