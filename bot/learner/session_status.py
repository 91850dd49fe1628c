"""The learner's agent session follows the answer: ``processing`` while the coach answers,
``active`` after, and a short title once the first answer is in.

Which calls are direct and which go through the outbox:

- ``processing`` and ``active`` around an answer are made directly by the answer task: they
  only make sense now. The "working on it" reaction every message gets on arrival (stored with
  it at ack time, ``bot.inbox``) is the sign of life where Slack does not take the status (any
  Slack error, a network error, a 429, the feature off in the workspace), as before agent
  sessions, and before a busy worker reaches the answer.
- The title follows the first answer through the outbox, best effort, deduplicated by thread, so
  it is set once and after the answer's post (the thread's ordering key).
- ``suspended``, ``closed`` and ``active`` again follow the ticket (claim, resolve, reopen): they
  are enqueued in the transaction that changes it (``bot.escalation.publish``).

Every call is best effort: a failure is logged once per process at WARNING (then at DEBUG) and
never blocks nor fails the answer. A direct call waits at most ``STATUS_TIMEOUT``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.blocks.agent_session import (
    RENAME,
    SET_STATUS,
    SessionStatus,
    build_session_title,
    status_args,
    title_args,
)
from bot.coach.types import Answer
from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.tasks.outbox import Outbox, dm_thread_key

log = logging.getLogger(__name__)

# A status is decoration: the answer never waits longer than this for one.
STATUS_TIMEOUT = 3.0


async def _slack(deps: Deps, method: str, args: dict[str, Any]) -> str | None:
    """One direct call; None when Slack took it, else why not (never raises)."""
    if deps.slack_auth.blocking(method, deps.clock.now()) is not None:
        return "Slack refuses the bot's token for now"
    try:
        async with asyncio.timeout(STATUS_TIMEOUT):
            await (await deps.slack_client()).api_call(method, json=args)
    except SlackApiError as exc:
        data = exc.response.data
        error = data.get("error") if isinstance(data, dict) else None
        failure = str(error or exc.response.status_code)
    except (ClientError, OSError, TimeoutError) as exc:
        failure = type(exc).__name__
    else:
        return None
    metrics.record_slack_error(method, failure)
    return failure


async def set_status(deps: Deps, channel_id: str, thread_ts: str, status: SessionStatus) -> bool:
    """Set the thread's session status now; False (logged once per process) when Slack did not."""
    failure = await _slack(deps, SET_STATUS, status_args(channel_id, thread_ts, status))
    if failure is not None:
        deps.best_effort.failed(SET_STATUS, failure)
    return failure is None


@asynccontextmanager
async def working(deps: Deps, message: InboundMessage) -> AsyncIterator[None]:
    """Show in the session that the coach is answering while the block runs, and that it is done
    after it (also when it was stopped or failed). Where Slack does not take the status, the
    working reaction every message gets on arrival (``bot.inbox``) is the sign of life."""
    thread = (message.channel_id, message.root_ts)
    processing = await set_status(deps, *thread, SessionStatus.PROCESSING)
    try:
        yield
    finally:
        if processing:
            await set_status(deps, *thread, SessionStatus.ACTIVE)


def session_title(question: str, answer: Answer) -> str:
    """The thread's title from what the answer is about: its lab, its chapter, or the question."""
    locations = [ref.location for ref in answer.references]
    lab = next((loc for loc in locations if loc.is_lab), None)
    if lab is not None:
        return build_session_title(question, lab_id=lab.lab_id, lab_title=lab.lab_title)
    if answer.lab_id:
        return build_session_title(question, lab_id=answer.lab_id)
    chapter = next((loc for loc in locations if loc.chapter_title), None)
    if chapter is not None:
        return build_session_title(question, day=chapter.day, chapter_title=chapter.chapter_title)
    return build_session_title(question)


async def name_session(deps: Deps, message: InboundMessage, answer: Answer) -> None:
    """Give the thread its title after its first answer (once: later answers keep it)."""
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            RENAME,
            title_args(message.channel_id, message.root_ts, session_title(message.text, answer)),
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=f"session-title:{message.channel_id}:{message.root_ts}",
            best_effort=True,
        )
