"""What each Home tab shows: learners their questions, trainers their queue, admins stats."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.home import Audience, HomeData, TicketLine
from bot.gaps.summaries import home_gaps
from bot.people.permissions import Role, role_of, visible_course_ids
from bot.settings import Settings
from bot.stats.report import build_report
from bot.workspaces.config import trainer_channel
from store.models import OPEN_STATUSES
from store.repositories.report_rows import EscalationFilter, EscalationRow
from store.repositories.stats import StatsRepository

HOME_LIST_LIMIT = 15
RECENT_DAYS = 30


def _lines(rows: list[EscalationRow]) -> tuple[TicketLine, ...]:
    return tuple(
        TicketLine(r.id, r.ticket, r.status, r.course_slug, r.learner_id, r.question) for r in rows
    )


async def load_home(
    session: AsyncSession, settings: Settings, user_id: str, now: datetime
) -> HomeData:
    """The Home tab data for ``user_id`` according to their role."""
    role = await role_of(session, settings, user_id)
    repo = StatsRepository(session)
    recent = now - timedelta(days=RECENT_DAYS)
    if role is Role.LEARNER:
        mine = await repo.escalations(
            EscalationFilter(learner_id=user_id, since=recent), limit=HOME_LIST_LIMIT
        )
        open_first = sorted(mine, key=lambda r: r.status not in OPEN_STATUSES)
        return HomeData(user_id, Audience.LEARNER, my_questions=_lines(open_first))
    courses = await visible_course_ids(session, settings, user_id)
    if role is Role.ADMIN:
        queue = await repo.escalations(
            EscalationFilter(statuses=OPEN_STATUSES), limit=HOME_LIST_LIMIT
        )
        return HomeData(
            user_id,
            Audience.ADMIN,
            open_queue=_lines(queue),
            open_total=await repo.open_counts_by_course(None),
            stats=await build_report(session, now=now, days=7, course_ids=None),
            trainer_channel_id=await trainer_channel(session, settings),
            gaps=await home_gaps(session, None),
        )
    claimed = await repo.escalations(
        EscalationFilter(statuses=OPEN_STATUSES, assignee_id=user_id), limit=HOME_LIST_LIMIT
    )
    unclaimed = await repo.escalations(
        EscalationFilter(course_ids=courses, statuses=("pending",), unclaimed_only=True),
        limit=HOME_LIST_LIMIT,
    )
    resolved = await repo.escalations(
        EscalationFilter(statuses=("resolved",), assignee_id=user_id, since=recent), limit=5
    )
    return HomeData(
        user_id,
        Audience.TRAINER,
        claimed=_lines(claimed),
        unclaimed=_lines(unclaimed),
        resolved=_lines(resolved),
        trainer_channel_id=await trainer_channel(session, settings),
        gaps=await home_gaps(session, courses),
    )
