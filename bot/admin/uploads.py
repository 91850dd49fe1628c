"""Files sent to the caller's DM (the CSV export, the stats chart), built and shared in tasks.

Sharing a file takes three Web API calls, so a command only enqueues an ``admin.upload`` task.
Each file is shared once, however often the command or its tasks run:

- the upload task's dedupe key names the command (Slack's ``trigger_id``, which a retried
  request repeats), and the same file asked for by the same person within ``REPEAT_WINDOW`` is
  the one already on its way;
- ``admin.upload`` builds the file off the event loop and sends its bytes (an upload nobody
  completes is never shown), then enqueues ``admin.upload.share`` under a key naming itself, so
  a re-run after a crash may send bytes again but cannot share a second file;
- ``admin.upload.share`` completes the upload into the DM; an attempt after the first looks in
  the DM for the file first and stops if it is there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.export import escalations_chart, escalations_csv
from bot.deps import Deps
from bot.gaps.export import gaps_csv
from bot.gaps.report import compute_gaps
from bot.stats.report import build_report, period_start
from bot.tasks.kinds import RetryLater, TaskRegistry
from bot.tasks.outbox import Outbox
from bot.tasks.queue import enqueue
from store.repositories.report_rows import EscalationFilter
from store.repositories.stats import StatsRepository
from store.task_lookup import asked_for_within
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

ADMIN_UPLOAD = "admin.upload"
ADMIN_UPLOAD_SHARE = "admin.upload.share"
# The same file asked for again this soon is taken to be the same request sent twice.
REPEAT_WINDOW = timedelta(minutes=1)
# How far back in the DM a later attempt looks for the file an earlier one shared.
_HISTORY_LIMIT = 50
_UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=120)

T = TypeVar("T")


def _ordering_key(user_id: str) -> str:
    return f"upload:{user_id}"


async def enqueue_upload(
    session: AsyncSession,
    *,
    kind: str,
    user_id: str,
    days: int,
    course_ids: list[int] | None,
    label: str,
    key: str | None = None,
) -> bool:
    """Queue a chart (``kind="chart"``) or CSV (``kind="csv"``) for the caller's DM; False when
    that same file is already on its way. ``key`` names the command (its ``trigger_id``)."""
    scope = ",".join(str(c) for c in sorted(course_ids)) if course_ids is not None else "all"
    signature = f"{kind}:{user_id}:{days}:{scope}"
    if await asked_for_within(session, ADMIN_UPLOAD, signature, REPEAT_WINDOW):
        log.info("upload %s was asked for a moment ago; not sending it twice", signature)
        return False
    payload = {
        "kind": kind,
        "user_id": user_id,
        "days": days,
        "course_ids": course_ids,
        "label": label,
        "signature": signature,
    }
    dedupe_key = f"upload:{kind}:{key}" if key else None
    task_id = await enqueue(
        session, ADMIN_UPLOAD, payload, ordering_key=_ordering_key(user_id), dedupe_key=dedupe_key
    )
    return task_id is not None


async def _build_file(deps: Deps, p: dict[str, Any]) -> tuple[bytes, str, str]:
    """The file's bytes, name and comment: read in one short transaction, rendered in a thread."""
    now = deps.clock.now()
    days = int(p["days"])
    course_ids = p.get("course_ids")
    if p["kind"] == "gaps_csv":  # clustering embeds: no transaction is open around it
        gaps = await compute_gaps(deps, course_ids, days)
        text = await asyncio.to_thread(gaps_csv, gaps)
        comment = f"Unanswered questions of the last {days} days ({p['label']}), grouped."
        return text.encode("utf-8"), f"gaps-{now:%Y%m%d}-{days}d.csv", comment
    if p["kind"] == "csv":
        async with deps.sessions.begin() as session:
            rows = await StatsRepository(session).escalations(
                EscalationFilter(course_ids=course_ids, since=period_start(now, days)),
                limit=100_000,
            )
        text = await asyncio.to_thread(escalations_csv, rows)
        comment = f"Escalations of the last {days} days ({p['label']}): {len(rows)} rows."
        return text.encode("utf-8"), f"escalations-{now:%Y%m%d}-{days}d.csv", comment
    async with deps.sessions.begin() as session:
        report = await build_report(session, now=now, days=days, course_ids=course_ids)
    title = f"Escalations per day, last {days} days ({p['label']})"
    png = await asyncio.to_thread(escalations_chart, report.per_day, title)
    return png, f"escalations-per-day-{now:%Y%m%d}.png", title


async def _slack(call: Callable[[], Awaitable[T]]) -> T:
    """A Web API call whose 429 waits for Retry-After in the queue (other errors back off)."""
    try:
        return await call()
    except SlackApiError as exc:
        if exc.response.status_code != 429:
            raise
        retry_after = float(exc.response.headers.get("Retry-After", 1) or 1)
        raise RetryLater(retry_after, "rate limited") from None


async def _send_bytes(url: str, content: bytes) -> None:
    async with (
        aiohttp.ClientSession(timeout=_UPLOAD_TIMEOUT) as http,
        http.post(url, data=content) as response,
    ):
        if response.status != 200:
            raise RuntimeError(f"the upload URL answered HTTP {response.status}")


async def run_upload(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: build the file, send its bytes to Slack and queue sharing it in the DM."""
    p = task.payload
    user_id = str(p["user_id"])
    content, filename, comment = await _build_file(deps, p)
    slack = await deps.slack_client()
    opened = await _slack(lambda: slack.conversations_open(users=user_id))
    channel = str((opened.get("channel") or {}).get("id"))
    ticket = await _slack(
        lambda: slack.files_getUploadURLExternal(filename=filename, length=len(content))
    )
    file_id = str(ticket["file_id"])
    await _send_bytes(str(ticket["upload_url"]), content)
    share = {
        "kind": p["kind"],
        "user_id": user_id,
        "channel": channel,
        "file_id": file_id,
        "title": filename,
        "comment": comment,
    }
    async with deps.sessions.begin() as session:
        queued = await enqueue(
            session,
            ADMIN_UPLOAD_SHARE,
            share,
            ordering_key=_ordering_key(user_id),
            dedupe_key=f"upload.share:{task.id}",
        )
    if queued is None:
        log.info("upload task %s ran again; its first file is the one shared", task.id)
    return {"file_id": file_id, "channel": channel, "shared_by_this_run": queued is not None}


async def _already_shared(deps: Deps, channel: str, file_id: str) -> bool:
    slack = await deps.slack_client()
    history = await _slack(
        lambda: slack.conversations_history(channel=channel, limit=_HISTORY_LIMIT)
    )
    return any(
        f.get("id") == file_id
        for message in history.get("messages") or []
        for f in message.get("files") or []
    )


async def run_share(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: share an uploaded file in the caller's DM, once."""
    p = task.payload
    channel, file_id = str(p["channel"]), str(p["file_id"])
    if task.attempts > 1 and await _already_shared(deps, channel, file_id):
        log.info("file %s was already shared by an earlier attempt", file_id)
        return {"file_id": file_id, "found": True}
    slack = await deps.slack_client()
    await _slack(
        lambda: slack.files_completeUploadExternal(
            files=[{"id": file_id, "title": str(p["title"])}],
            channel_id=channel,
            initial_comment=str(p["comment"]),
        )
    )
    return {"file_id": file_id}


async def tell_upload_failed(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Failure hook: the person who asked for the file hears that it is not coming."""
    user_id = str(task.payload["user_id"])
    what = "stats chart" if task.payload.get("kind") == "chart" else "CSV export"
    text = (
        f"Sorry, I could not send you the {what} you asked for (task {task.id}). "
        "Please ask again in a while; if it keeps failing, tell an admin that task number."
    )
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "chat.postMessage",
            {"channel": user_id, "text": text},
            ordering_key=f"user:{user_id}",
            dedupe_key=f"upload-failed:{task.id}",
        )


def register(tasks: TaskRegistry) -> None:
    """Register the upload and share task kinds."""
    tasks.register(ADMIN_UPLOAD, run_upload, on_failure=tell_upload_failed)
    tasks.register(ADMIN_UPLOAD_SHARE, run_share, on_failure=tell_upload_failed)
