"""Message events: learners' DMs and trainers' replies in escalation card threads."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.inbox import (
    Route,
    accept_learner_message,
    accept_trainer_message,
    explain_unsupported,
    parse_message,
    route_message,
)
from handlers.context import deps_of


async def handle_message_event(
    body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Store the message as a task (the 200 goes back only once it is stored)."""
    deps = deps_of(context)
    route = route_message(event)
    if route is Route.IGNORE:
        return
    message = parse_message(event, str(body.get("event_id") or event.get("client_msg_id") or ""))
    if route is Route.LEARNER:
        await accept_learner_message(deps, message)
    elif route is Route.TRAINER:
        await accept_trainer_message(deps, message)
    else:
        await explain_unsupported(deps, message)


def register(app: AsyncApp) -> None:
    """Listen to every message event; ``route_message`` decides which ones matter."""
    app.event("message")(handle_message_event)
