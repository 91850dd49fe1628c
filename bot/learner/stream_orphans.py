"""Finding a stream whose ts was never stored: started, then the process died or the reply was lost.

The ``answer_streams`` row is committed before ``chat.startStream`` is called, and the ts after it
returns. If the process dies in between, or Slack's reply never arrives (a timeout), a stream
may exist that no row names. It is found in the learner's thread: a message of the bot's, after
the question, with no blocks and no delivery metadata (every other message the bot posts there
carries the outbox's metadata, and every finished answer its blocks), whose ts no other stream
row holds. Found, its ts is stored and the answer replaces it like any interrupted stream.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.slack_auth import SlackRefused
from bot.tasks.kinds import PermanentFailure, RetryLater
from bot.tasks.outbox import call_slack
from store.repositories.streams import AnswerStreamRepository

log = logging.getLogger(__name__)


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
