"""CSV export and the escalations-per-day chart, built and uploaded in a durable task.

Uploading takes three Web API calls and can take longer than Slack's 3 s, so ``/coach export``
and ``/coach stats`` only enqueue an ``admin.upload`` task; the worker builds the file from the
database and shares it in the caller's DM.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must be chosen before pyplot is imported

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.deps import Deps
from bot.stats.report import build_report, period_start
from bot.tasks.kinds import TaskRegistry
from bot.tasks.queue import enqueue
from store.repositories.report_rows import EscalationFilter, EscalationRow
from store.repositories.stats import StatsRepository
from store.tasks import ClaimedTask

ADMIN_UPLOAD = "admin.upload"
CSV_COLUMNS = (
    "ticket",
    "status",
    "course",
    "learner",
    "trainer",
    "triggers",
    "created_at",
    "claimed_at",
    "resolved_at",
    "minutes_to_claim",
    "minutes_to_resolve",
    "rating",
)


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _minutes(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else ""


def escalations_csv(rows: list[EscalationRow]) -> str:
    """The export's CSV text, one escalation per row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        rating = "" if r.rating is None else ("helpful" if r.rating else "not_helpful")
        writer.writerow(
            [
                ticket_label(r.ticket),
                r.status,
                r.course_slug or "",
                r.learner_id,
                r.assignee_id or "",
                ";".join(r.triggers),
                _when(r.created_at),
                _when(r.claimed_at),
                _when(r.resolved_at),
                _minutes(r.minutes_to_claim),
                _minutes(r.minutes_to_resolve),
                rating,
            ]
        )
    return out.getvalue()


def escalations_chart(per_day: tuple[tuple[Any, int], ...], title: str) -> bytes:
    """A small PNG bar chart of escalations per day."""
    fig, ax = plt.subplots(figsize=(6, 2.6), dpi=100)
    try:
        labels = [d.strftime("%d %b") for d, _ in per_day]
        ax.bar(range(len(per_day)), [n for _, n in per_day], color="#457b9d")
        step = max(1, len(labels) // 10)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, fontsize=7)
        ax.set_title(title, fontsize=10)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


async def enqueue_upload(
    session: AsyncSession,
    *,
    kind: str,
    user_id: str,
    days: int,
    course_ids: list[int] | None,
    label: str,
) -> None:
    """Queue a chart (``kind="chart"``) or CSV (``kind="csv"``) for the caller's DM."""
    payload = {
        "kind": kind,
        "user_id": user_id,
        "days": days,
        "course_ids": course_ids,
        "label": label,
    }
    await enqueue(session, ADMIN_UPLOAD, payload, ordering_key=f"upload:{user_id}")


async def run_upload(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: build the file from the database and share it in the caller's DM."""
    p = task.payload
    now = deps.clock.now()
    days = int(p["days"])
    course_ids = p.get("course_ids")
    async with deps.sessions.begin() as session:
        if p["kind"] == "csv":
            rows = await StatsRepository(session).escalations(
                EscalationFilter(course_ids=course_ids, since=period_start(now, days)),
                limit=100_000,
            )
            content: bytes = escalations_csv(rows).encode("utf-8")
            filename = f"escalations-{now:%Y%m%d}-{days}d.csv"
            comment = f"Escalations of the last {days} days ({p['label']}): {len(rows)} rows."
        else:
            report = await build_report(session, now=now, days=days, course_ids=course_ids)
            title = f"Escalations per day, last {days} days ({p['label']})"
            content = escalations_chart(report.per_day, title)
            filename = f"escalations-per-day-{now:%Y%m%d}.png"
            comment = title
    opened = await deps.slack.conversations_open(users=str(p["user_id"]))
    channel = str((opened.get("channel") or {}).get("id"))
    response = await deps.slack.files_upload_v2(
        channel=channel,
        content=content,
        filename=filename,
        title=filename,
        initial_comment=comment,
    )
    files = response.get("files") or []
    return {"file_id": files[0]["id"] if files else None, "channel": channel}


def register(tasks: TaskRegistry) -> None:
    """Register the upload task kind."""
    tasks.register(ADMIN_UPLOAD, run_upload)
