"""The one place where errors become what a Slack user sees."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import CoachbotError
from bot.install.single_token import SlackIdentityUnknown
from handlers.context import is_verified

log = logging.getLogger(__name__)

SLACK_BUSY = "Slack is busy right now and asked me to slow down. Please try again in a minute."


def friendly_message(error: BaseException) -> tuple[str, str | None]:
    """The text to show for ``error`` and, for unexpected errors, the id it was logged under."""
    if isinstance(error, CoachbotError):
        return error.user_message, None
    if isinstance(error, SlackApiError) and error.response.status_code == 429:
        # The request is not retried in place (that would outlast Slack's 3 s): the user is.
        return SLACK_BUSY, None
    error_id = uuid.uuid4().hex[:8]
    return (
        f"Sorry, something went wrong on our side (error id `{error_id}`). "
        "Please try again in a moment; if it keeps happening, tell an admin that id.",
        error_id,
    )


async def tell_user(
    body: dict[str, Any],
    text: str,
    respond: AsyncRespond | None,
    client: AsyncWebClient | None,
) -> None:
    """Show ``text`` only to the user behind ``body``, by whatever route the request offers."""
    if respond is not None and body.get("response_url"):
        await respond(text=text, response_type="ephemeral", replace_original=False)
        return
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
    if client is not None and user and channel:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    elif client is not None and user:
        await client.chat_postMessage(channel=user, text=text)


def register(app: AsyncApp) -> None:
    """Install the global error handler."""

    @app.error
    async def handle_error(
        error: Exception,
        body: dict[str, Any],
        respond: AsyncRespond | None = None,
        client: AsyncWebClient | None = None,
        context: AsyncBoltContext | None = None,
    ) -> BoltResponse | None:
        if isinstance(error, SlackIdentityUnknown):
            # Before anything was stored: not acknowledged, so Slack sends the request again.
            return BoltResponse(status=503, body="")
        if not is_verified(context):
            # The body is whatever the sender wrote: refuse it and send nothing anywhere.
            log.info("refused an unverified request (%s)", type(error).__name__)
            return BoltResponse(status=401, body="")
        text, error_id = friendly_message(error)
        if error_id is not None:
            log.error("unhandled error %s", error_id, exc_info=error)
        else:
            log.info("refused: %s", text)
        try:
            await tell_user(body, text, respond, client)
        except Exception:
            log.warning("could not tell the user about an error", exc_info=True)
        # Known errors are answered; a 200 stops Slack from retrying the same refusal.
        return BoltResponse(status=200, body="") if error_id is None else None
