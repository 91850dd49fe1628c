"""Which course a learner's question is about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Course
from store.repositories.content import CourseRepository

NOT_ENROLLED = (
    "I don't know which course you're taking yet, so I can't answer from its material. "
    "Please ask an admin to enrol you in your course, then ask me again."
)


async def resolve_course(session: AsyncSession, learner_id: str) -> Course | None:
    """The learner's latest enrolment; else the only course, if exactly one exists; else None."""
    courses = CourseRepository(session)
    enrolled = await courses.latest_enrolled(learner_id)
    if enrolled is not None:
        return enrolled
    return await courses.only_course()
