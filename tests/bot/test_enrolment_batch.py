"""Enrolling many learners at once: a bounded number of statements, the same spread of trainers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.people.enrolment import MAX_BULK, enrol_learners
from store.models import Course, Enrolment
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


@contextmanager
def counted_statements(session: AsyncSession) -> Iterator[list[str]]:
    """Every SQL statement the session's connection runs inside the block."""
    statements: list[str] = []
    sync_connection = session.sync_session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(sync_connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(sync_connection, "before_cursor_execute", record)


async def _course_with_trainers(session: AsyncSession, *trainers: str) -> int:
    course = Course(slug="py101", title="Python 101")
    session.add(course)
    await session.flush()
    people = PeopleRepository(session)
    for trainer in trainers:
        await people.upsert_trainer(trainer, display_name=None, email=None, added_by="UADMIN")
        await people.allocate(trainer, course.id)
    return course.id


async def test_enrolling_500_learners_takes_a_handful_of_statements(
    session: AsyncSession,
) -> None:
    course_id = await _course_with_trainers(session, "UJANE", "UBOB")
    learners = [f"UL{n:04d}" for n in range(MAX_BULK)]
    await session.connection()  # the connection the listener watches

    with counted_statements(session) as statements:
        result = await enrol_learners(session, learners, "py101", "UADMIN")

    assert len(statements) <= 10, f"{len(statements)} statements"
    rows = (await session.scalars(select(Enrolment).where(Enrolment.course_id == course_id))).all()
    assert len(rows) == MAX_BULK
    assert {e.learner_id: e.trainer_id for e in rows} == result.assigned
    # Spread evenly over both trainers, as one learner at a time would have been.
    spread = [e.trainer_id for e in rows]
    assert spread.count("UJANE") == spread.count("UBOB") == MAX_BULK // 2


async def test_learners_already_enrolled_keep_their_trainer(session: AsyncSession) -> None:
    course_id = await _course_with_trainers(session, "UJANE", "UBOB")
    await CourseAdminRepository(session).enrol("UL1", course_id, "UJANE", "UADMIN")
    await CourseAdminRepository(session).enrol("UL2", course_id, None, "UADMIN")

    result = await enrol_learners(session, ["UL1", "UL2", "UL3", "UL1"], "py101", "UADMIN")

    assert list(result.assigned) == ["UL1", "UL2", "UL3"]
    assert result.assigned["UL1"] == "UJANE"
    # UL1 counts towards UJANE's load in this batch, so the new ones go to UBOB first.
    assert result.assigned["UL2"] == "UBOB"
    assert result.assigned["UL3"] in ("UJANE", "UBOB")
    rows = await session.scalars(select(Enrolment).where(Enrolment.course_id == course_id))
    assert {e.learner_id: e.trainer_id for e in rows} == result.assigned


async def test_a_persona_trainer_gets_learners_first(session: AsyncSession) -> None:
    course_id = await _course_with_trainers(session, "UJANE", "UBOB")
    await CourseAdminRepository(session).upsert_persona(
        {"trainer_id": "UBOB", "course_id": course_id, "name": "Bob's Bot", "share_level": "full"}
    )

    result = await enrol_learners(session, ["UL1", "UL2", "UL3"], "py101", "UADMIN")

    assert set(result.assigned.values()) == {"UBOB"}
