"""Events other than messages: the Home tab being opened."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.home.refresh import request_home_refresh
from handlers.context import deps_of


async def handle_app_home_opened(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Queue a fresh Home tab for the person who opened it (the Messages tab needs nothing)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    await request_home_refresh(deps_of(context), str(event["user"]))


def register(app: AsyncApp) -> None:
    """Listen to ``app_home_opened``."""
    app.event("app_home_opened")(handle_app_home_opened)
