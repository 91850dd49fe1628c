"""One Web API call from a task, with Slack's failures turned into the worker's retry decisions.

The outbox (``bot.tasks.outbox``) sends every stored call through it; work that must call Slack
itself (a streamed answer) does too, so both wait alike while Slack refuses the token.
"""

from __future__ import annotations

from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.deps import Deps
from bot.slack_auth import refusal_of
from bot.tasks.kinds import PermanentFailure, RetryLater

# Slack errors worth retrying; any other ``ok: false`` is final.
_TRANSIENT_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


# Refusals that mean the call's effect is already in place.
_ALREADY_DONE = {("reactions.add", "already_reacted"), ("reactions.remove", "no_reaction")}


async def call_slack(deps: Deps, method: str, args: dict[str, Any]) -> dict[str, Any]:
    """One Web API call for a task: a 429 raises RetryLater, a final Slack error
    PermanentFailure("method: error"), 5xx and network errors propagate (backoff and retry), a
    token refusal waits (see ``bot.slack_auth``)."""
    refused = deps.slack_auth.blocking(method, deps.clock.now())
    if refused is not None:
        raise refused  # the token is refused: wait for the next probe without calling Slack
    try:
        slack = await deps.slack_client()
        response = await slack.api_call(method, json=args)
    except SlackApiError as exc:
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
        metrics.record_slack_error(method, error or str(status))
        if (method, error) in _ALREADY_DONE:
            # An earlier attempt did it (its reply was lost): the reaction is there, or gone,
            # as wanted.
            return {}
        refusal = refusal_of(exc, method)
        if refusal is not None:
            raise refusal from None
        if status == 429 or error == "ratelimited":
            retry_after = float(exc.response.headers.get("Retry-After", 1) or 1)
            raise RetryLater(retry_after, f"{method}: rate limited") from None
        if status >= 500 or error in _TRANSIENT_ERRORS:
            raise  # backoff and retry
        raise PermanentFailure(f"{method}: {error or status}") from None
    except (ClientError, TimeoutError) as exc:
        metrics.record_slack_error(method, type(exc).__name__)
        raise  # network trouble or timeout: backoff and retry
    deps.slack_auth.accepted(method, deps.clock.now())
    return response.data if isinstance(response.data, dict) else {}
