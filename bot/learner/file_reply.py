"""Telling a learner which of their files the coach could not read, through the outbox.

A message with nothing readable (no typed text, no file the coach could read) gets one reply
with the Escalate button. The button points at a response, as on every answer, so the reply is
stored as the message's query and response (model "none", confidence 0) in the same
transaction that enqueues it: a re-run of the task finds it and posts nothing twice, and a
trainer opened from it sees the learner's message with its file names. A message whose text
was answered gets a short note before the answer instead.
"""

from __future__ import annotations

from typing import Any

from bot.blocks.file_notices import build_files_skipped_notice, build_files_unread_notice
from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.learner.files import FileReading
from bot.learner.turn import Turn
from bot.tasks.outbox import Outbox, Ref, dm_thread_key
from store.models import Query, Response
from store.repositories.conversations import QueryRepository, ResponseRepository

NO_MODEL = "none"


async def reply_nothing_read(
    deps: Deps, turn: Turn, message: InboundMessage, reading: FileReading
) -> dict[str, Any]:
    """Store the message's query and a response saying what was not read, and enqueue it."""
    async with deps.sessions.begin() as session:
        queries = QueryRepository(session)
        earlier = await queries.for_message(turn.message_id)
        query = (
            await queries.add_for_message(
                Query(
                    conversation_id=turn.conversation_id,
                    message_id=turn.message_id,
                    learner_id=message.user_id,
                    course_id=turn.course_id,
                    text=message.text,
                    intent=None,
                    context={"course_id": turn.course_id, "thread_ts": message.root_ts},
                )
            )
            if earlier is None
            else None
        )
        if query is None:
            # An earlier run stored (and enqueued) the reply already.
            return {"answered": False, "reason": "files not read"}
        response = await ResponseRepository(session).add(
            Response(
                query_id=query.id,
                conversation_id=turn.conversation_id,
                answer="Files not read: " + ", ".join(item.name for item in reading.unread),
                references=[],
                confidence=0.0,
                confidence_signals={},
                grounded=False,
                intent=None,
                model=NO_MODEL,
            )
        )
        notice = build_files_unread_notice(
            reading.unread, accepts_images=reading.accepts_images, response_id=response.id
        )
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": message.channel_id, "thread_ts": message.root_ts, **notice.args()},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=f"files:{response.id}",
            record=Ref("responses", "slack_ts", response.id),
        )
    return {"answered": False, "reason": "files not read", "response_id": response.id}


async def note_unread(deps: Deps, message: InboundMessage, reading: FileReading) -> None:
    """Before answering the text, say which files were not read (once per message)."""
    notice = build_files_skipped_notice(reading.unread, accepts_images=reading.accepts_images)
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": message.channel_id, "thread_ts": message.root_ts, **notice.args()},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=f"files-skipped:{message.dedupe_key}",
        )
