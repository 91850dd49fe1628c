"""The app factory: builds a Bolt ``AsyncApp`` with every handler registered, and no I/O."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.install.oauth import oauth_options
from bot.install.single_token import SingleTokenAuthorize
from handlers import commands, copilot, errors, escalation, events, feedback, install, messages
from handlers.context import deps_middleware


def create_app(deps: Deps, **bolt_kwargs: Any) -> AsyncApp:
    """Build the Bolt app for ``deps``; tests build a fresh one per test.

    With one workspace every request is served with SLACK_BOT_TOKEN; with many (``settings.mode
    == "multi"``) Bolt also runs the install flow, and each request gets the token its workspace
    stored when it installed the app (``bot.install.oauth``).
    """
    settings = deps.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret
    # Bolt copies base_url and retry handlers from this client into the one it makes per request.
    # A dropped connection is retried once; a 429 is not: waiting out Retry-After here would hold
    # the request past Slack's 3 s. Work that can meet a rate limit runs in a task, whose worker
    # waits for Retry-After without holding anyone.
    client = AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=1)],
    )
    options: dict[str, Any] = {
        "client": client,
        "signing_secret": secret.get_secret_value() if secret else None,
        # Listeners only store work and enqueue tasks, so they finish well inside Slack's 3 s;
        # running them before responding means a request we could not store is not acknowledged
        # and Slack retries it.
        "process_before_response": True,
        "raise_error_for_unhandled_request": False,
    }
    if settings.mode == "multi":
        options |= oauth_options(settings, deps.db, deps.installations, client, deps.clock)
    elif token is not None:
        options["authorize"] = SingleTokenAuthorize(token)
    options.update(bolt_kwargs)
    app = AsyncApp(**options)
    app.use(deps_middleware(deps))
    errors.register(app)
    for surface in (messages, feedback, commands, events, escalation, copilot, install):
        surface.register(app)
    return app
