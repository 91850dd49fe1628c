"""The files ``/coach export`` and ``/coach stats`` send: the escalations CSV and the chart.

Both are pure and CPU-bound, and ``bot.admin.uploads`` runs them in a thread so that a big export
does not hold up the event loop; the chart therefore uses matplotlib's object API (a ``Figure``
of its own, no pyplot), which is safe to use from several threads at once.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.blocks.labels import ticket_label
from store.repositories.report_rows import EscalationRow

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
    # A Figure made directly (not by pyplot) belongs to nobody else and is freed with its last
    # reference, so there is nothing global to lock or close.
    fig = Figure(figsize=(6, 2.6), dpi=100)
    ax = fig.subplots()
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
