"""Bolt's options for serving many workspaces: the "Add to Slack" install flow and, for every
request, the token of the workspace it comes from.

Bolt runs the flow itself (``slack_bolt.oauth.async_oauth_flow``): ``/slack/install`` stores a
one-time state, sets it in a cookie and redirects to Slack's authorize page; Slack sends the
installer back to ``/slack/oauth_redirect`` with a code, which Bolt checks against the state
and the cookie, exchanges for the workspace's bot token (``oauth.v2.access``) and saves in the
installation store. Both stores are tables of the project's database, shared by every process.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.errors import ConfigError
from bot.settings import Settings
from bot.slack_clients import REFRESH_MINUTES_BEFORE_EXPIRY
from bot.workspaces.admins import workspace_installed
from store.database import Database
from store.installations import oauth_state_store

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
# Bolt's own margin, used when the app does not rotate tokens (no token then expires).
_BOLT_DEFAULT_REFRESH_MINUTES = 120


def oauth_options(
    settings: Settings,
    db: Database,
    installations: AsyncInstallationStore | None,
    client: AsyncWebClient,
    clock: Clock,
) -> dict[str, Any]:
    """``AsyncApp`` keyword arguments for many workspaces; ``client`` carries no token (each
    request gets its workspace's) but the base URL and retries every Slack call uses."""
    client_id, secret = settings.slack_client_id, settings.slack_client_secret
    if installations is None or client_id is None or secret is None:
        raise ConfigError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together: copy both from your Slack "
            "app's 'Basic Information' page (App Credentials)."
        )
    minutes = (
        REFRESH_MINUTES_BEFORE_EXPIRY
        if settings.slack_token_rotation
        else _BOLT_DEFAULT_REFRESH_MINUTES
    )
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=secret.get_secret_value(),
        scopes=list(settings.slack_scopes),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=OAUTH_REDIRECT_PATH,
        # Straight to Slack's authorize page: the install link is the "Add to Slack" button.
        install_page_rendering_enabled=False,
        installation_store=installations,
        # The app asks for no user token: a workspace's bot is all a request needs.
        installation_store_bot_only=True,
        state_store=oauth_state_store(db),
        token_rotation_expiration_minutes=minutes,
        callback_options=_install_callbacks(db, clock),
        logger=log,
    )
    # Bolt's default authorize (the one in AsyncOAuthSettings) refreshes rotating tokens through
    # a client of its own that always calls slack.com; this one goes where ``client`` goes.
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=installations,
        client_id=client_id,
        client_secret=secret.get_secret_value(),
        token_rotation_expiration_minutes=minutes,
        bot_only=True,
        client=client,
    )
    return {"oauth_settings": oauth_settings, "authorize": authorize}


def _install_callbacks(db: Database, clock: Clock) -> AsyncCallbackOptions:
    """After Bolt saved an installation: the workspace is recorded and its installer becomes
    its first admin (``bot.workspaces.admins``); then Bolt's own pages."""

    async def installed(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id:
            await workspace_installed(
                db.sessions,
                clock,
                installation.team_id,
                name=installation.team_name,
                installer=installation.user_id,
            )
            log.info("installed in workspace %s by %s", installation.team_id, installation.user_id)
        return await args.default.success(args)

    async def refused(args: AsyncFailureArgs) -> BoltResponse:
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=installed, failure=refused)
