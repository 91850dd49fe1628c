"""Events other than messages: the Home tab being opened, the assistant thread being started,
the stop button of a learner's agent session."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.home.refresh import request_home_refresh
from bot.learner.assistant import start_assistant_thread
from bot.learner.stop import request_stop
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


async def handle_agent_session_stopped(
    event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Store the learner's stop click; the task answering in that thread, in whichever process,
    sees it and cancels the answer (``bot.learner.stop``).

    The payload, per Slack's reference page for the event (docs.slack.dev/reference/events/
    agent_session_stopped) and the ``AgentSessionStoppedEvent`` type of Slack's Node SDK:
    ``channel``, ``thread_ts``, ``user``, ``event_ts`` and ``streaming_message_ts`` (the streams
    Slack stopped itself; empty when none was streaming).
    """
    channel, thread_ts = event.get("channel"), event.get("thread_ts")
    if not (channel and thread_ts):
        return  # a session channel (no thread): the bot only has sessions in DM threads
    user = event.get("user")
    event_ts = str(event.get("event_ts") or body.get("event_id") or "")
    await request_stop(
        deps_of(context), str(channel), str(thread_ts), str(user) if user else None, event_ts
    )


def register(app: AsyncApp) -> None:
    """Listen to ``app_home_opened``, the assistant thread's and the agent session's events."""
    app.event("app_home_opened")(handle_app_home_opened)
    app.event("assistant_thread_started")(handle_assistant_thread_started)
    app.event("assistant_thread_context_changed")(handle_assistant_thread_context_changed)
    app.event("agent_session_stopped")(handle_agent_session_stopped)
