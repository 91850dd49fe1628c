"""Finishing a streamed answer: the durable last step that makes it one complete message.

``enqueue_stream_finish`` runs inside ``store_answer``'s transaction, so the answer is never
stored without its stream being finished, and its dedupe key is the answer post's
(``answer:{response_id}``): a response gets its stream finished or a post, never both. The
``answer.finish_stream`` task then makes the stream's message final, in one of three ways:

- ``stop``: everything shown so far is the start of the answer. ``chat.stopStream`` adds the
  rest of the text and renders the references, confidence and buttons below it, with the
  outbox's metadata. If Slack says the message is no longer streaming (an earlier attempt
  stopped it and its reply was lost, or Slack or the learner ended the stream), the message is
  read back: carrying this task's metadata it is done; otherwise it is replaced.
- ``replace``: what was shown is unknown or incomplete (the process died mid-stream, an append
  failed). The stream is stopped if it still streams, then ``chat.update`` gives the message the
  text, blocks and metadata of a normal answer post.
- ``withdraw``: the finished answer turned out not to be postable (its reply did not parse).
  The stream is stopped and the message deleted; the flow escalates or declines as usual.

Every step can be repeated: stopping a stopped stream and updating twice change nothing, so a
retry after a crash or a 429 (Retry-After) ends with the same one message. The response's
``slack_ts`` is set to the message at the end, for the buttons, escalation links and outbox
lookups. A message that vanished is posted again through the outbox, once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.answer import (
    answer_fallback_text,
    build_answer_blocks,
    build_answer_footer_blocks,
    to_stream_markdown,
)
from bot.coach.personas import PersonaView
from bot.coach.types import Answer
from bot.deps import Deps
from bot.learner.stream_appender import MARKDOWN_TEXT_LIMIT
from bot.learner.stream_orphans import FINISH_STREAM
from bot.tasks.alerts import alert_admins
from bot.tasks.kinds import PermanentFailure, TaskRegistry
from bot.tasks.outbox import (
    Outbox,
    Ref,
    carries_task,
    delivery_metadata,
    dm_thread_key,
)
from bot.tasks.queue import enqueue
from bot.tasks.slack_calls import call_slack
from store.repositories.outbox_refs import OutboxRefRepository
from store.repositories.streams import AnswerStreamRepository
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

STOP, REPLACE, WITHDRAW = "stop", "replace", "withdraw"


def _blocks(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


@dataclass(frozen=True)
class Shown:
    """What a stream showed the learner: its message, and the markdown Slack accepted."""

    stream_id: int
    channel: str
    ts: str
    text: str
    # False when an append failed or its outcome is unknown: only a replacement is safe.
    intact: bool


async def enqueue_stream_finish(
    session: AsyncSession,
    *,
    message_id: int,
    response_id: int,
    answer: Answer,
    posted: bool,
    shown: Shown | None,
    threshold: float,
    persona: PersonaView | None,
    now: datetime,
) -> bool:
    """Enqueue the finish of the message's stream, if it has an open one; True when the answer's
    delivery is now the stream's (no post needed). ``posted`` says whether the answer is to be
    shown; ``shown`` is what this run's stream showed (None after a crash or without one)."""
    streams = AnswerStreamRepository(session)
    stream = await streams.for_message(message_id)
    if stream is None or stream.ts is None or stream.finished_at is not None:
        return False
    labels = [ref.location.label() for ref in answer.references]
    footer = persona.footer if persona else None
    markdown = to_stream_markdown(answer.text)
    mode = REPLACE
    rest = ""
    intact = shown is not None and shown.intact and shown.ts == stream.ts
    if shown is not None and intact and markdown.startswith(shown.text):
        rest = markdown[len(shown.text) :]
        mode = STOP if len(rest) <= MARKDOWN_TEXT_LIMIT else REPLACE
    payload: dict[str, Any] = {
        "mode": mode if posted else WITHDRAW,
        "channel": stream.channel_id,
        "thread_ts": stream.thread_ts,
        "ts": stream.ts,
        "response_id": response_id,
        "markdown_text": rest,
        "footer_blocks": _blocks(
            build_answer_footer_blocks(
                labels, answer.confidence, response_id, threshold=threshold, footer=footer
            )
        ),
        "text": answer_fallback_text(answer.text),
        "blocks": _blocks(
            build_answer_blocks(
                answer.text,
                labels,
                answer.confidence,
                response_id,
                threshold=threshold,
                footer=footer,
            )
        ),
        "username": persona.name if persona else None,
        "icon_url": persona.icon_url if persona else None,
    }
    await enqueue(
        session,
        FINISH_STREAM,
        payload,
        ordering_key=dm_thread_key(stream.channel_id, stream.thread_ts),
        dedupe_key=f"answer:{response_id}",
    )
    await streams.mark_finished(stream.id, now)
    return posted


async def _stop(deps: Deps, args: dict[str, Any]) -> bool:
    """Stop the stream; False when Slack says it was no longer streaming."""
    try:
        await call_slack(deps, "chat.stopStream", args)
    except PermanentFailure as exc:
        if "message_not_in_streaming_state" in str(exc):
            return False
        if "message_not_found" in str(exc):
            return False
        raise
    return True


async def _carries_ours(deps: Deps, payload: dict[str, Any], task_id: int) -> bool:
    """Whether the stream's message already carries this task's metadata (an earlier stop)."""
    query = {
        "channel": payload["channel"],
        "ts": payload["thread_ts"],
        "include_all_metadata": True,
        "limit": 200,
    }
    while True:
        page = await call_slack(deps, "conversations.replies", query)
        for message in page.get("messages", []):
            if message.get("ts") == payload["ts"]:
                return carries_task(message, task_id)
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return False
        query["cursor"] = cursor


async def _replace(deps: Deps, payload: dict[str, Any], metadata: dict[str, Any]) -> bool:
    """Give the message a normal answer post's text, blocks and metadata; False if it is gone."""
    args = {
        "channel": payload["channel"],
        "ts": payload["ts"],
        "text": payload["text"],
        "blocks": payload["blocks"],
        "metadata": metadata,
    }
    try:
        await call_slack(deps, "chat.update", args)
    except PermanentFailure as exc:
        if "message_not_found" in str(exc):
            return False
        raise
    return True


async def _post_again(deps: Deps, payload: dict[str, Any]) -> None:
    """The streamed message is gone (deleted): post the answer through the outbox, once."""
    args: dict[str, Any] = {
        "channel": payload["channel"],
        "thread_ts": payload["thread_ts"],
        "text": payload["text"],
        "blocks": payload["blocks"],
        "unfurl_links": False,
    }
    if payload.get("username"):
        args["username"] = payload["username"]
    if payload.get("icon_url"):
        args["icon_url"] = payload["icon_url"]
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            args,
            ordering_key=dm_thread_key(payload["channel"], payload["thread_ts"]),
            dedupe_key=f"answer-again:{payload['response_id']}",
            record=Ref("responses", "slack_ts", int(payload["response_id"])),
        )


async def finish_stream(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: make a streamed answer's message final (see the module docstring)."""
    payload = task.payload
    mode = str(payload["mode"])
    metadata = delivery_metadata(task.id)
    where = {"channel": payload["channel"], "ts": payload["ts"]}
    if mode == WITHDRAW:
        await _stop(deps, where)
        try:
            await call_slack(deps, "chat.delete", where)
        except PermanentFailure as exc:
            if "message_not_found" not in str(exc):
                raise
        return {"withdrawn": payload["ts"]}
    if mode == STOP:
        args = {**where, "blocks": payload["footer_blocks"], "metadata": metadata}
        if payload["markdown_text"]:
            args["markdown_text"] = payload["markdown_text"]
        if not await _stop(deps, args) and not await _carries_ours(deps, payload, task.id):
            log.info("stream %s ended before it was finished: replacing it", payload["ts"])
            mode = REPLACE
    if mode == REPLACE:
        await _stop(deps, where)
        if not await _replace(deps, payload, metadata):
            await _post_again(deps, payload)
            return {"posted_again": True}
    async with deps.sessions.begin() as session:
        await OutboxRefRepository(session).write(
            "responses", "slack_ts", int(payload["response_id"]), str(payload["ts"])
        )
    return {"ts": payload["ts"], "mode": mode}


def register(tasks: TaskRegistry) -> None:
    """Register the stream finish task kind."""
    # Urgent: the learner is reading the answer that this finishes.
    tasks.register(
        FINISH_STREAM,
        finish_stream,
        give_up_after=timedelta(hours=6),
        on_failure=alert_admins,
        urgent=True,
    )
