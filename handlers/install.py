"""Slack's word that a workspace removed the app or revoked its token.

Bolt delivers both events without authorizing them (the token is gone already).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.install.uninstall import Uninstalls
from handlers.context import deps_of


async def handle_app_uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
    """Remove the workspace's installation and bot tokens."""
    team_id = context.team_id or body.get("team_id")
    if not team_id:
        return
    await Uninstalls(deps_of(context)).on_uninstalled(
        str(team_id), context.enterprise_id, sent_at=_sent_at(body)
    )


async def handle_tokens_revoked(
    event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Remove the workspace's bot when its token is among the revoked ones."""
    team_id = context.team_id or body.get("team_id")
    bots = (event.get("tokens") or {}).get("bot") or []
    if not team_id:
        return
    await Uninstalls(deps_of(context)).on_tokens_revoked(
        str(team_id), [str(user) for user in bots], context.enterprise_id, sent_at=_sent_at(body)
    )


def _sent_at(body: dict[str, Any]) -> float | None:
    """When Slack sent the event (the envelope's ``event_time``), if it says."""
    sent = body.get("event_time")
    return float(sent) if isinstance(sent, int | float) else None


def register(app: AsyncApp) -> None:
    """Listen to ``app_uninstalled`` and ``tokens_revoked``."""
    app.event("app_uninstalled")(handle_app_uninstalled)
    app.event("tokens_revoked")(handle_tokens_revoked)
