"""The gaps CSV: one row per unanswered question, with the cluster it was grouped into."""

from __future__ import annotations

import csv
import io

from bot.gaps.report import Gaps

CSV_COLUMNS = (
    "cluster",
    "cluster_size",
    "cluster_chapter",
    "course",
    "source",
    "asked_at",
    "chapter",
    "question",
)


def gaps_csv(gaps: Gaps) -> str:
    """The CSV text: clusters in report order (largest first), questions in the order asked."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for number, (group, summary) in enumerate(zip(gaps.groups, gaps.clusters, strict=True), 1):
        for index in group:
            q = gaps.questions[index]
            writer.writerow(
                [
                    number,
                    summary.count,
                    summary.chapter or "",
                    q.course_slug or "",
                    q.source,
                    q.asked_at.isoformat(timespec="seconds"),
                    q.chapter or "",
                    # A spreadsheet would run a question starting with = + - @ as a formula.
                    f"'{q.text}" if q.text[:1] in ("=", "+", "-", "@") else q.text,
                ]
            )
    return out.getvalue()
