"""Events other than messages: the Home tab being opened, the assistant thread being started."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.home.refresh import request_home_refresh
from bot.learner.assistant import start_assistant_thread
from handlers.context import deps_of


async def handle_app_home_opened(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Queue a fresh Home tab for the person who opened it (the Messages tab needs nothing)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    await request_home_refresh(deps_of(context), str(event["user"]))


async def handle_assistant_thread_started(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Queue suggested prompts from the learner's course for their new assistant thread."""
    thread = event.get("assistant_thread") or {}
    user, channel, thread_ts = (thread.get(k) for k in ("user_id", "channel_id", "thread_ts"))
    if not (user and channel and thread_ts):
        return
    await start_assistant_thread(deps_of(context), str(user), str(channel), str(thread_ts))


async def handle_assistant_thread_context_changed() -> None:
    """The learner moved to another channel with the thread open: the prompts stay the same."""


def register(app: AsyncApp) -> None:
    """Listen to ``app_home_opened`` and the assistant thread's events."""
    app.event("app_home_opened")(handle_app_home_opened)
    app.event("assistant_thread_started")(handle_assistant_thread_started)
    app.event("assistant_thread_context_changed")(handle_assistant_thread_context_changed)
