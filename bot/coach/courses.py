"""Which course a learner's question is about."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Course, Enrolment

NOT_ENROLLED = (
    "I don't know which course you're taking yet, so I can't answer from its material. "
    "Please ask an admin to enrol you in your course, then ask me again."
)


async def resolve_course(session: AsyncSession, learner_id: str) -> Course | None:
    """The learner's latest enrolment; else the only course, if exactly one exists; else None."""
    enrolled = await session.scalar(
        select(Course)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.learner_id == learner_id)
        .order_by(Enrolment.created_at.desc(), Course.id.desc())
        .limit(1)
    )
    if enrolled is not None:
        return enrolled
    if await session.scalar(select(func.count()).select_from(Course)) == 1:
        return await session.scalar(select(Course))
    return None


async def course_by_slug(session: AsyncSession, slug: str) -> Course | None:
    """A course by its slug."""
    return await session.scalar(select(Course).where(Course.slug == slug))
