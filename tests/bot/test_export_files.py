"""The export's files: the CSV's columns, and charts that render in threads side by side."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta

from bot.admin.export import CSV_COLUMNS, escalations_chart, escalations_csv
from store.repositories.report_rows import EscalationRow


def _row(ticket: int, **values: object) -> EscalationRow:
    fields: dict[str, object] = {
        "id": ticket,
        "ticket": ticket,
        "status": "resolved",
        "course_slug": "py101",
        "learner_id": "UL1",
        "assignee_id": "UJANE",
        "suggested_trainer_id": None,
        "question": "Why?",
        "card_channel": None,
        "card_ts": None,
        "triggers": ("low_confidence", "button"),
        "created_at": datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        "claimed_at": None,
        "resolved_at": None,
        "minutes_to_claim": 12.25,
        "minutes_to_resolve": None,
        "rating": True,
    }
    fields.update(values)
    return EscalationRow(**fields)  # type: ignore[arg-type]


def test_csv_has_a_header_and_one_line_per_escalation() -> None:
    text = escalations_csv([_row(1001), _row(1002, rating=None, assignee_id=None)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["ESC-1001", "ESC-1002"]
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["triggers"] == "low_confidence;button"
    assert first["minutes_to_claim"] == "12.2"
    assert first["rating"] == "helpful"
    assert dict(zip(CSV_COLUMNS, rows[2], strict=True))["trainer"] == ""


async def test_charts_render_in_threads_side_by_side() -> None:
    # The chart is drawn off the event loop; several exports may draw at the same time.
    per_day = [
        tuple((date(2025, 3, 1) + timedelta(days=i), (i * n) % 5) for i in range(30))
        for n in range(6)
    ]
    one_by_one = [escalations_chart(days, f"Chart {n}") for n, days in enumerate(per_day)]
    side_by_side = await asyncio.gather(
        *(
            asyncio.to_thread(escalations_chart, days, f"Chart {n}")
            for n, days in enumerate(per_day)
        )
    )
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in side_by_side)
    # Each drawn exactly as alone: no chart picked up another one's bars or title.
    assert list(side_by_side) == one_by_one
