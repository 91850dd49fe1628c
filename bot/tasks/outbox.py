"""Slack writes that must not be lost, stored in the same transaction as the change behind them.

``Outbox(session).call(...)`` enqueues a Web API call as a ``slack.call`` task. The worker sends
it with the process's ``AsyncWebClient``; order is kept per ``ordering_key`` (one key per Slack
thread), 429s wait for ``Retry-After``, 5xx and network errors back off, and Slack errors that no
retry can fix fail at once.

A call can use a value that an earlier call produced: ``refs={"thread_ts": Ref("escalations",
"card_ts", 42)}`` fills ``thread_ts`` from the stored card ``ts`` at send time, and
``record=Ref("escalations", "card_ts", 42)`` stores the ``ts`` a call returns.

A best-effort call (``best_effort=True``: an agent session's status or title) is tried briefly,
then dropped, never failed nor alerted (``bot.tasks.best_effort``).

Never twice: a process can die after Slack accepted a post but before the task was marked done.
Every ``chat.postMessage`` therefore carries message metadata naming its task, and any attempt
after the first first looks in the channel or thread for a message carrying that task id; if one
is there, the post already happened and is not repeated. ``chat.update`` is idempotent anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from bot.deps import Deps
from bot.tasks.alerts import alert_admins
from bot.tasks.best_effort import attempt_best_effort
from bot.tasks.kinds import PermanentFailure, RetryLater, TaskRegistry
from bot.tasks.queue import enqueue
from bot.tasks.slack_calls import call_slack
from store.repositories.failed_tasks import FailedTaskRepository
from store.repositories.outbox_refs import OutboxRefRepository, ref_column
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

SLACK_CALL = "slack.call"
METADATA_EVENT = "coachbot_outbox"
# How far back to look for an earlier delivery: a retry comes minutes after the first attempt.
_LOOKUP_PAGES = 5
_LOOKUP_PAGE_SIZE = 200


@dataclass(frozen=True)
class Ref:
    """A column of one row that an outbox call reads from or writes to (allow-listed by
    ``store.repositories.outbox_refs.REF_COLUMNS``: payloads are data, never trusted SQL)."""

    table: str
    column: str
    row_id: int

    def __post_init__(self) -> None:
        ref_column(self.table, self.column)  # ValueError for any other column

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored in the task payload."""
        return {"table": self.table, "column": self.column, "row_id": self.row_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ref:
        """Inverse of ``to_dict``."""
        return cls(str(data["table"]), str(data["column"]), int(data["row_id"]))


def dm_thread_key(channel: str, thread_ts: str) -> str:
    """Ordering key for everything posted into one learner DM thread."""
    return f"dm:{channel}:{thread_ts}"


def card_thread_key(escalation_id: int) -> str:
    """Ordering key for an escalation card and its thread."""
    return f"card:{escalation_id}"


def call_payload(
    method: str,
    args: dict[str, Any],
    *,
    refs: dict[str, Ref] | None = None,
    record: Ref | None = None,
    best_effort: bool = False,
) -> dict[str, Any]:
    """The payload of a ``slack.call`` task, for callers that enqueue it with their own SQL."""
    payload: dict[str, Any] = {
        "method": method,
        "args": args,
        "refs": {name: ref.to_dict() for name, ref in (refs or {}).items()},
        "record": record.to_dict() if record else None,
    }
    if best_effort:
        payload["best_effort"] = True
    return payload


class Outbox:
    """Enqueues Slack Web API calls within the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def call(
        self,
        method: str,
        args: dict[str, Any],
        *,
        ordering_key: str,
        dedupe_key: str | None = None,
        refs: dict[str, Ref] | None = None,
        record: Ref | None = None,
        give_up_at: datetime | None = None,
        best_effort: bool = False,
    ) -> int | None:
        """Store a Web API call to be made once; returns the task id (None if deduplicated).

        ``best_effort`` marks a cosmetic call, dropped rather than retried for long or alerted.
        """
        return await enqueue(
            self._session,
            SLACK_CALL,
            call_payload(method, args, refs=refs, record=record, best_effort=best_effort),
            ordering_key=ordering_key,
            dedupe_key=dedupe_key,
            deadline_at=give_up_at,
        )


async def _read_ref(session: AsyncSession, ref: Ref) -> str | None:
    return await OutboxRefRepository(session).read(ref.table, ref.column, ref.row_id)


async def _write_ref(session: AsyncSession, ref: Ref, value: str) -> None:
    await OutboxRefRepository(session).write(ref.table, ref.column, ref.row_id, value)


def _delivery_metadata(task_id: int) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT, "event_payload": {"task_id": task_id}}


def _carries_task(message: dict[str, Any], task_id: int) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(metadata.get("event_type") == METADATA_EVENT and payload.get("task_id") == task_id)


async def _find_delivered(deps: Deps, task_id: int, args: dict[str, Any]) -> dict[str, Any] | None:
    """The message an earlier attempt of this task posted, if Slack has it."""
    channel = str(args["channel"])
    if channel[:1] in ("U", "W"):
        # Posting to a user id lands in the DM; reading history needs the DM's own id.
        opened = await call_slack(deps, "conversations.open", {"users": channel})
        channel = str(opened["channel"]["id"])
    thread_ts = args.get("thread_ts")
    method = "conversations.replies" if thread_ts else "conversations.history"
    query: dict[str, Any] = {
        "channel": channel,
        "include_all_metadata": True,
        "limit": _LOOKUP_PAGE_SIZE,
    }
    if thread_ts:
        query["ts"] = thread_ts
    for _ in range(_LOOKUP_PAGES):
        try:
            page = await call_slack(deps, method, query)
        except PermanentFailure as exc:
            # thread_not_found: nothing was ever posted there. Any other refusal (a missing
            # history scope) leaves us unable to check, and a duplicate beats a lost message.
            if "thread_not_found" not in str(exc):
                log.warning("cannot check whether slack call %s was delivered: %s", task_id, exc)
            return None
        for message in page.get("messages", []):
            if _carries_task(message, task_id):
                return {"ts": message["ts"], "channel": channel}
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
        query["cursor"] = cursor
    return None


async def send_slack_call(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: make the stored Web API call once and record what it returned."""
    payload = task.payload
    method = str(payload["method"])
    args = dict(payload["args"])
    async with deps.sessions.begin() as session:
        for name, raw in payload.get("refs", {}).items():
            value = await _read_ref(session, Ref.from_dict(raw))
            if value is None:
                # The call this one depends on has not been delivered yet.
                raise RetryLater(1.0, f"waiting for {raw['table']}.{raw['column']}")
            args[name] = value
    result: dict[str, Any] | None = None
    if method == "chat.postMessage":
        args.setdefault("metadata", _delivery_metadata(task.id))
        if task.attempts > 1:
            result = await _find_delivered(deps, task.id, args)
            if result is not None:
                log.info("slack call %s was already delivered as %s", task.id, result["ts"])
                metrics.OUTBOX_DELIVERED.labels(how="found").inc()
    if result is None and payload.get("best_effort"):
        dropped = await attempt_best_effort(deps, task, method, call_slack(deps, method, args))
        if dropped is not None:
            return dropped
        metrics.OUTBOX_DELIVERED.labels(how="sent").inc()
        return {}
    if result is None:
        data = await call_slack(deps, method, args)
        result = {key: data[key] for key in ("ts", "channel", "message_ts") if key in data}
        metrics.OUTBOX_DELIVERED.labels(how="sent").inc()
    if payload.get("record") and "ts" in result:
        async with deps.sessions.begin() as session:
            await _write_ref(session, Ref.from_dict(payload["record"]), result["ts"])
    return result


def delivery_metadata(task_id: int) -> dict[str, Any]:
    """The message metadata naming the task that delivers a message (found again on a retry)."""
    return _delivery_metadata(task_id)


def carries_task(message: dict[str, Any], task_id: int) -> bool:
    """True when a message from Slack carries this task's delivery metadata."""
    return _carries_task(message, task_id)


RecordFailureHook = Callable[[Deps, ClaimedTask, str], Awaitable[None]]


def register(
    tasks: TaskRegistry,
    *,
    record_failure_hooks: dict[tuple[str, str], RecordFailureHook] | None = None,
) -> None:
    """Register the outbox task kind.

    ``record_failure_hooks`` maps a ``(table, column)`` that calls record to what to do, instead
    of the generic admin alert, when such a call fails for good: later calls waiting on that ref
    would otherwise wait until they give up.
    """
    hooks = dict(record_failure_hooks or {})

    async def on_failure(deps: Deps, task: ClaimedTask, reason: str) -> None:
        if task.payload.get("best_effort"):
            # Cosmetic (normally dropped before this): nothing for an admin to act on.
            deps.best_effort.failed(str(task.payload.get("method")), reason)
            return
        record = task.payload.get("record")
        hook = hooks.get((str(record["table"]), str(record["column"]))) if record else None
        if hook is None:
            await alert_admins(deps, task, reason)
            return
        async with deps.sessions.begin() as session:
            if not await FailedTaskRepository(session).mark_alerted(task.id, deps.clock.now()):
                return
        await hook(deps, task, reason)

    # Urgent: one short Slack call, often an answer or a reaction a learner is waiting for.
    tasks.register(
        SLACK_CALL,
        send_slack_call,
        give_up_after=timedelta(hours=6),
        on_failure=on_failure,
        urgent=True,
    )
