"""Stats for a period: volumes, rates, top triggers, claim and resolve times, per course."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.replies import Breakdown, StatsReport
from store.repositories.copilot import DraftRepository
from store.repositories.report_rows import BreakdownRow
from store.repositories.stats import StatsRepository


def period_start(now: datetime, days: int) -> datetime:
    """The start of a period of ``days`` ending ``now``."""
    return now - timedelta(days=days)


def fill_days(counts: dict[date, int], now: datetime, days: int) -> tuple[tuple[date, int], ...]:
    """One entry per day of the period, zero where nothing happened (a chart needs the gaps)."""
    last = now.date()
    first = last - timedelta(days=days - 1)
    return tuple(
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)
    )


def _breakdown(row: BreakdownRow, name: str) -> Breakdown:
    return Breakdown(
        name,
        row.questions,
        row.escalations,
        row.resolved,
        row.median_claim_minutes,
        row.median_resolve_minutes,
    )


async def build_report(
    session: AsyncSession,
    *,
    now: datetime,
    days: int,
    course_ids: list[int] | None,
    course_slug: str | None = None,
) -> StatsReport:
    """Compute every figure of ``/coach stats`` for the courses in ``course_ids`` (None: all)."""
    repo = StatsRepository(session)
    since = period_start(now, days)
    counts = await repo.counts(since, course_ids)
    claim, resolve = await repo.timing(since, course_ids)
    per_course = [_breakdown(row, row.name) for row in await repo.per_course(since, course_ids)]
    per_trainer = [
        _breakdown(row, f"<@{row.name}>") for row in await repo.per_trainer(since, course_ids)
    ]
    return StatsReport(
        days=days,
        course_slug=course_slug,
        questions=counts.questions,
        answered_by_ai=counts.answered,
        escalations=counts.escalations,
        top_triggers=tuple(await repo.top_triggers(since, course_ids)),
        claim_minutes=claim,
        resolve_minutes=resolve,
        helpful=counts.helpful,
        not_helpful=counts.not_helpful,
        per_day=fill_days(await repo.per_day(since, course_ids), now, days),
        per_course=tuple(per_course),
        per_trainer=tuple(per_trainer),
        draft_outcomes=tuple(
            sorted((await DraftRepository(session).outcomes(since, course_ids)).items())
        ),
    )
