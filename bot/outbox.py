"""Slack writes that must not be lost, stored in the same transaction as the change behind them.

``Outbox(session).call(...)`` enqueues a Web API call as a ``slack.call`` task. The worker sends
it with the process's ``AsyncWebClient``; order is kept per ``ordering_key`` (one key per Slack
thread), 429s wait for ``Retry-After``, 5xx and network errors back off, and Slack errors that no
retry can fix fail at once.

A call can use a value that an earlier call produced: ``refs={"thread_ts": Ref("escalations",
"card_ts", 42)}`` fills ``thread_ts`` from the stored card ``ts`` at send time, and
``record=Ref("escalations", "card_ts", 42)`` stores the ``ts`` a call returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.worker import PermanentFailure, RetryLater, TaskRegistry
from store.tasks import ClaimedTask, TaskRepository

log = logging.getLogger(__name__)

SLACK_CALL = "slack.call"

# The only columns a ref may read or write: payloads are data, never trusted SQL.
_REF_COLUMNS = {
    ("escalations", "card_ts"),
    ("escalations", "card_channel"),
    ("responses", "slack_ts"),
    ("messages", "slack_ts"),
}

# Slack errors worth retrying; any other ``ok: false`` is final.
_TRANSIENT_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}


@dataclass(frozen=True)
class Ref:
    """A column of one row that an outbox call reads from or writes to."""

    table: str
    column: str
    row_id: int

    def __post_init__(self) -> None:
        if (self.table, self.column) not in _REF_COLUMNS:
            raise ValueError(f"{self.table}.{self.column} cannot be used as an outbox ref")

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


class Outbox:
    """Enqueues Slack Web API calls within the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.tasks = TaskRepository(session)

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
    ) -> int | None:
        """Store a Web API call to be made once; returns the task id (None if deduplicated)."""
        payload: dict[str, Any] = {
            "method": method,
            "args": args,
            "refs": {name: ref.to_dict() for name, ref in (refs or {}).items()},
            "record": record.to_dict() if record else None,
        }
        return await self.tasks.enqueue(
            SLACK_CALL,
            payload,
            ordering_key=ordering_key,
            dedupe_key=dedupe_key,
            deadline_at=give_up_at,
        )


async def _read_ref(session: AsyncSession, ref: Ref) -> Any:
    sql = text(f"SELECT {ref.column} FROM {ref.table} WHERE id = :id")  # columns allow-listed
    return (await session.execute(sql, {"id": ref.row_id})).scalar_one_or_none()


async def _write_ref(session: AsyncSession, ref: Ref, value: Any) -> None:
    sql = text(f"UPDATE {ref.table} SET {ref.column} = :value WHERE id = :id")
    await session.execute(sql, {"id": ref.row_id, "value": value})


async def send_slack_call(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: make the stored Web API call and record what it returned."""
    payload = task.payload
    args = dict(payload["args"])
    async with deps.sessions.begin() as session:
        for name, raw in payload.get("refs", {}).items():
            value = await _read_ref(session, Ref.from_dict(raw))
            if value is None:
                # The call this one depends on has not been delivered yet.
                raise RetryLater(1.0, f"waiting for {raw['table']}.{raw['column']}")
            args[name] = value
    try:
        response = await deps.slack.api_call(payload["method"], json=args)
    except SlackApiError as exc:
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if exc.response.data else ""
        if status == 429 or error == "ratelimited":
            retry_after = float(exc.response.headers.get("Retry-After", 1) or 1)
            raise RetryLater(retry_after, "rate limited") from None
        if status >= 500 or error in _TRANSIENT_ERRORS:
            raise  # backoff and retry
        raise PermanentFailure(f"{payload['method']}: {error or status}") from None
    except (ClientError, TimeoutError):
        raise  # network trouble: backoff and retry
    data = response.data if isinstance(response.data, dict) else {}
    result = {key: data[key] for key in ("ts", "channel", "message_ts") if key in data}
    if payload.get("record") and "ts" in result:
        async with deps.sessions.begin() as session:
            await _write_ref(session, Ref.from_dict(payload["record"]), result["ts"])
    return result


async def _alert_admins(deps: Deps, task: ClaimedTask, reason: str) -> None:
    log.error("slack call %s gave up: %s (payload %s)", task.id, reason, task.payload["method"])


def register(tasks: TaskRegistry) -> None:
    """Register the outbox task kind."""
    tasks.register(
        SLACK_CALL, send_slack_call, give_up_after=timedelta(hours=6), on_failure=_alert_admins
    )
