"""Streams nobody would finish: one whose ts was never stored, and one its task gave up on.

An unrecorded stream: started, then the process died or Slack's reply was lost.

The ``answer_streams`` row is committed before ``chat.startStream`` is called, and the ts after it
returns. If the process dies in between, or Slack's reply never arrives (a timeout), a stream
may exist that no row names. It is found in the learner's thread: a message of the bot's, after
the question, with no blocks and no delivery metadata (every other message the bot posts there
carries the outbox's metadata, and every finished answer its blocks), whose ts no other stream
row holds. Found, its ts is stored and the answer replaces it like any interrupted stream.

An abandoned stream: its task stopped answering after a crash (it gave up on a model that stayed
down, or a trainer took the thread before the re-run). The ``streams.withdraw_abandoned`` job
withdraws (stops and deletes) any stream still unfinished ``ABANDONED_AFTER`` its start, well
after its task gave up (``bot.learner.flow.GIVE_UP_AFTER``); the learner got the apology, or the
trainer, instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.slack_auth import SlackRefused
from bot.tasks.kinds import PermanentFailure, RetryLater
from bot.tasks.outbox import dm_thread_key
from bot.tasks.queue import enqueue
from bot.tasks.slack_calls import call_slack
from store.repositories.streams import AnswerStreamRepository

log = logging.getLogger(__name__)

# Three times a learner message's GIVE_UP_AFTER: its task has surely stopped by then.
ABANDONED_AFTER = timedelta(minutes=15)
FINISH_STREAM = "answer.finish_stream"  # bot.learner.stream_finish's task kind


def _could_be_ours(candidate: dict[str, Any], question_ts: str, known: set[str]) -> bool:
    return bool(
        candidate.get("bot_id")
        and float(candidate["ts"]) > float(question_ts)
        and not candidate.get("metadata")
        and not candidate.get("blocks")
        and candidate["ts"] not in known
    )


async def adopt_orphan(deps: Deps, message: InboundMessage, stream_id: int) -> str | None:
    """The ts of the unrecorded stream of this message's answer, now stored on its row; None
    (and the row dropped) when the thread has none. A thread that cannot be read keeps the row,
    so a later run looks again."""
    query = {
        "channel": message.channel_id,
        "ts": message.root_ts,
        "include_all_metadata": True,
        "limit": 200,
    }
    try:
        page = await call_slack(deps, "conversations.replies", query)
    except (PermanentFailure, RetryLater, SlackRefused, SlackApiError, ClientError, TimeoutError):
        log.warning("could not look for an unrecorded stream in %s", message.root_ts)
        return None
    async with deps.sessions.begin() as session:
        streams = AnswerStreamRepository(session)
        known = await streams.known_ts(message.channel_id, message.root_ts)
        found = next(
            (m for m in page.get("messages", []) if _could_be_ours(m, message.ts, known)), None
        )
        if found is None:
            await streams.forget(stream_id)
            return None
        await streams.set_ts(stream_id, str(found["ts"]))
    log.info("found the unrecorded stream %s of message %s", found["ts"], message.ts)
    return str(found["ts"])


async def withdraw_abandoned(deps: Deps, now: datetime) -> int:
    """Timer job: withdraw the streams nothing finished (see the module docstring)."""
    async with deps.sessions.begin() as session:
        streams = AnswerStreamRepository(session)
        abandoned = await streams.abandoned(now - ABANDONED_AFTER)
        for stream in abandoned:
            await streams.mark_finished(stream.id, now)
            if stream.ts is None:
                continue  # chat.startStream never answered: nothing is known to withdraw
            await enqueue(
                session,
                FINISH_STREAM,
                {"mode": "withdraw", "channel": stream.channel_id, "ts": stream.ts},
                ordering_key=dm_thread_key(stream.channel_id, stream.thread_ts),
                dedupe_key=f"withdraw-stream:{stream.id}",
            )
    if abandoned:
        log.warning("withdrew %d streamed answers nothing finished", len(abandoned))
    return len(abandoned)


async def keep_stopped(deps: Deps, message_id: int) -> None:
    """The learner stopped the answer: what its stream shows stays, and is never withdrawn."""
    async with deps.sessions.begin() as session:
        streams = AnswerStreamRepository(session)
        stream = await streams.for_message(message_id)
        if stream is not None:
            await streams.mark_finished(stream.id, deps.clock.now())
