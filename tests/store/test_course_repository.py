"""Which course a learner's question is about: their latest enrolment, else the only course."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Enrolment
from store.repositories.content import CourseRepository
from tests.store.rows import add_course

T0 = datetime(2030, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


async def test_latest_enrolled_is_the_learners_most_recent_enrolment(
    session: AsyncSession,
) -> None:
    first = await add_course(session, "store-first")
    second = await add_course(session, "store-second")
    third = await add_course(session, "store-third")
    # The latest enrolment is in the older course: the enrolment's date decides, not the course.
    session.add_all(
        [
            Enrolment(learner_id="USTORELEARNER", course_id=first.id, created_at=T0),
            Enrolment(learner_id="USTORELEARNER", course_id=second.id, created_at=T0 - DAY),
            Enrolment(learner_id="USTOREOTHER", course_id=third.id, created_at=T0 + DAY),
        ]
    )
    await session.flush()
    courses = CourseRepository(session)
    assert await courses.latest_enrolled("USTORELEARNER") is first
    assert await courses.latest_enrolled("USTOREOTHER") is third
    assert await courses.latest_enrolled("USTORENOBODY") is None


async def test_only_course_exists_only_when_there_is_exactly_one(session: AsyncSession) -> None:
    # Other tests may have left courses behind: this test's transaction starts from none.
    await session.execute(text("DELETE FROM courses"))
    courses = CourseRepository(session)
    assert await courses.only_course() is None
    only = await add_course(session, "store-only")
    assert await courses.only_course() is only
    await add_course(session, "store-another")
    assert await courses.only_course() is None
