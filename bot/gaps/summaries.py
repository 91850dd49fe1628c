"""The Home tab's content gaps: computed per course by a timer, read from a table when shown.

Opening the Home tab must stay cheap, so it never clusters: the ``gaps.refresh`` job computes
each course's last 30 days (every ``REFRESH_EVERY``, on whichever process claims the tick) and
stores the top clusters in ``gap_summaries``; ``load_home`` only reads them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.gaps import CourseGaps, GapCluster
from bot.deps import Deps
from bot.gaps.report import compute_gaps
from store.repositories.gaps import GapsRepository

SUMMARY_DAYS = 30
CLUSTERS_KEPT = 3
REFRESH_EVERY = timedelta(minutes=30)


async def refresh_gap_summaries(deps: Deps, now: datetime) -> int:
    """Timer job: recompute every course's summary; returns how many courses have one."""
    async with deps.sessions.begin() as session:
        course_ids = await GapsRepository(session).unanswered_courses(
            now - timedelta(days=SUMMARY_DAYS)
        )
    for course_id in course_ids:
        # One course at a time, each embedded outside any transaction.
        gaps = await compute_gaps(deps, [course_id], SUMMARY_DAYS)
        clusters = [
            {"count": c.count, "examples": list(c.examples), "chapter": c.chapter}
            for c in gaps.clusters[:CLUSTERS_KEPT]
        ]
        async with deps.sessions.begin() as session:
            await GapsRepository(session).save_summary(
                course_id,
                days=SUMMARY_DAYS,
                questions=len(gaps.questions),
                clusters=clusters,
                computed_at=now,
            )
    async with deps.sessions.begin() as session:
        await GapsRepository(session).drop_summaries_except(course_ids)
    return len(course_ids)


async def home_gaps(session: AsyncSession, course_ids: list[int] | None) -> tuple[CourseGaps, ...]:
    """The stored summaries of the courses (None: all), most unanswered questions first."""
    rows = await GapsRepository(session).summaries(course_ids)
    found = [
        CourseGaps(
            course_slug=slug,
            questions=row.questions,
            clusters=tuple(
                GapCluster(
                    count=int(c.get("count", 0)),
                    examples=tuple(str(e) for e in c.get("examples", [])),
                    chapter=c.get("chapter"),
                )
                for c in row.clusters
            ),
        )
        for slug, row in rows
    ]
    return tuple(sorted(found, key=lambda g: (-g.questions, g.course_slug)))
