"""The Web API client to send with for one workspace.

With one workspace (SLACK_BOT_TOKEN) that is always ``deps.slack``. With many, each workspace's
bot token is in the installation store (``store.installations``): ``for_team`` reads it, refreshes
it first when token rotation has it expiring soon (saving the refreshed bot for every process),
and keeps one client per workspace, with ``deps.slack``'s base URL, timeout and retry handlers.

The bot is read again at least every ``RECHECK_SECONDS``, so a token another process refreshed
or removed (an uninstall) is picked up here too; the process that handles the uninstall drops
its client at once (``forget``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import WorkspaceNotInstalled
from bot.settings import Settings

# A rotating token that expires within this many minutes is refreshed before it is used, on
# Bolt's request path and in background work alike (Slack's rotating tokens last 12 hours).
REFRESH_MINUTES_BEFORE_EXPIRY = 10
# How long a workspace's bot, once read, is used without reading it again.
RECHECK_SECONDS = 60.0


@dataclass
class _Cached:
    client: AsyncWebClient
    bot: Bot
    read_at: float


class SlackClients:
    """One ``AsyncWebClient`` per workspace, with that workspace's current bot token."""

    def __init__(
        self,
        default: AsyncWebClient,
        installations: AsyncInstallationStore | None = None,
        rotator: AsyncTokenRotator | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._default = default
        self._installations = installations
        self._rotator = rotator
        self._monotonic = monotonic
        self._cached: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        default: AsyncWebClient,
        installations: AsyncInstallationStore | None,
    ) -> SlackClients:
        """The resolver for the configured mode: ``installations`` is None with one workspace."""
        secret = settings.slack_client_secret
        rotator = None
        if installations is not None and settings.slack_client_id and secret is not None:
            # Tokenless: oauth.v2.access authenticates with the app's credentials alone.
            rotator = AsyncTokenRotator(
                client_id=settings.slack_client_id,
                client_secret=secret.get_secret_value(),
                client=_client_like(default),
            )
        return cls(default, installations, rotator)

    async def for_team(self, team_id: str) -> AsyncWebClient:
        """The client for workspace ``team_id``; ``WorkspaceNotInstalled`` when it has no bot."""
        if self._installations is None:
            return self._default
        cached = self._cached.get(team_id)
        if cached is not None and self._usable(cached):
            return cached.client
        # One read (and at most one refresh) at a time per workspace in this process.
        async with self._locks.setdefault(team_id, asyncio.Lock()):
            cached = self._cached.get(team_id)
            if cached is not None and self._usable(cached):
                return cached.client
            bot = await self._current_bot(team_id)
            client = cached.client if cached is not None else _client_like(self._default)
            client.token = bot.bot_token
            self._cached[team_id] = _Cached(client, bot, self._monotonic())
            return client

    def forget(self, team_id: str) -> None:
        """Drop the workspace's client (it uninstalled the app or its token was revoked)."""
        self._cached.pop(team_id, None)

    async def _current_bot(self, team_id: str) -> Bot:
        assert self._installations is not None
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            self.forget(team_id)
            raise WorkspaceNotInstalled(team_id)
        if bot.bot_refresh_token is not None and self._rotator is not None:
            refreshed = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=REFRESH_MINUTES_BEFORE_EXPIRY
            )
            if refreshed is not None:
                # Saved before use, so every process (and Bolt's request path) sends the new one.
                await self._installations.async_save_bot(refreshed)
                bot = refreshed
        return bot

    def _usable(self, cached: _Cached) -> bool:
        if self._monotonic() - cached.read_at >= RECHECK_SECONDS:
            return False
        expires_at = cached.bot.bot_token_expires_at
        return expires_at is None or expires_at > time.time() + REFRESH_MINUTES_BEFORE_EXPIRY * 60


def _client_like(default: AsyncWebClient) -> AsyncWebClient:
    """A tokenless client sending where ``default`` sends, with its timeout and retries."""
    return AsyncWebClient(
        token=None,
        base_url=default.base_url,
        timeout=default.timeout,
        retry_handlers=list(default.retry_handlers),
    )
