"""Authorizing Slack's requests with the one SLACK_BOT_TOKEN.

Bolt's own single-token authorization asks Slack who the token is (``auth.test``) on the first
request, and when Slack fails to answer (a 429, a 5xx) it acknowledges that request with a
200 and handles nothing: an event Slack will never send again. This one raises instead, so the
request gets a 5xx, which Slack retries; the next attempt asks again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger(__name__)


class SlackIdentityUnknown(Exception):
    """Slack did not say who the token is; the request fails so that Slack sends it again."""


class SingleTokenAuthorize(AsyncAuthorize):
    """The token's identity, asked of Slack once per process and kept."""

    def __init__(self, token: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._token = token
        self._identity: AsyncSlackResponse | None = None
        self._lock = asyncio.Lock()

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_: Any,
    ) -> AuthorizeResult:
        identity = self._identity or await self._ask(context)
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=identity, bot_token=self._token
        )

    async def _ask(self, context: AsyncBoltContext) -> AsyncSlackResponse:
        async with self._lock:  # one auth.test for the requests arriving together
            if self._identity is None:
                try:
                    self._identity = await context.client.auth_test(token=self._token)
                except SlackApiError as exc:
                    log.warning(
                        "Slack did not say who the bot token is (%s); the request "
                        "is refused so that Slack sends it again",
                        exc,
                    )
                    raise SlackIdentityUnknown(str(exc)) from None
            return self._identity
