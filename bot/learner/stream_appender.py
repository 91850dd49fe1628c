"""Appending text to an open stream at Slack's pace (``bot.learner.stream``).

Text is appended at most every ``APPEND_EVERY`` seconds, whatever arrives meanwhile coalesced into
one call; a 429 waits its Retry-After and sends everything held so far, so no text is dropped. An
append Slack refuses, or one whose outcome is unknown (a timeout), ends appending: ``intact``
turns False and the finish replaces the message with the complete answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.slack_auth import SlackRefused
from bot.tasks.kinds import PermanentFailure, RetryLater
from bot.tasks.slack_calls import call_slack

log = logging.getLogger(__name__)

APPEND_EVERY = 0.4  # seconds between appends: a few a second, well inside Slack's tier 4
MARKDOWN_TEXT_LIMIT = 12_000  # Slack's limit on markdown_text per call
# Errors after which whether Slack applied a call is unknown.
UNKNOWN_OUTCOME = (SlackApiError, ClientError, TimeoutError)


class Appender:
    """Appends text to a stream in the background, coalescing it to Slack's pace."""

    def __init__(self, deps: Deps, channel: str, ts: str) -> None:
        self._deps, self._channel, self._ts = deps, channel, ts
        self._pending = ""
        self.shown = ""
        self.intact = True
        self._closing = False
        self._sending = False
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"append-stream-{ts}")

    def add(self, text: str) -> None:
        """Queue text to append."""
        self._pending += text
        self._wake.set()

    async def close(self) -> None:
        """Stop appending: a call in flight is awaited, held text is left for the finish."""
        self._closing = True
        if not self._sending:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()  # chat.startStream has just shown the first piece
        while self.intact and not self._closing:
            await self._wake.wait()
            self._wake.clear()
            await asyncio.sleep(max(0.0, last + APPEND_EVERY - loop.time()))
            text = self._pending[:MARKDOWN_TEXT_LIMIT]
            if not text:
                continue
            self._sending = True
            try:
                retry_after = await self._append(text)
            finally:
                self._sending = False
            # After a 429 nothing was appended: the text waits, and more joins it meanwhile.
            last = loop.time() + retry_after
            if self._pending:
                self._wake.set()

    async def _append(self, text: str) -> float:
        """Append ``text``; the seconds to wait first when Slack asks for it (a 429)."""
        args = {"channel": self._channel, "ts": self._ts, "markdown_text": text}
        try:
            await call_slack(self._deps, "chat.appendStream", args)
        except RetryLater as exc:
            return max(0.0, exc.delay - APPEND_EVERY)
        except (PermanentFailure, SlackRefused) as exc:
            log.info("stopped appending to stream %s: %s", self._ts, exc)
            self.intact = False
            return 0.0
        except UNKNOWN_OUTCOME as exc:
            log.info("append to stream %s may not have arrived: %r", self._ts, exc)
            self.intact = False
            return 0.0
        self.shown += text
        self._pending = self._pending[len(text) :]
        return 0.0
