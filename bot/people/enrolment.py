"""Enrolling learners in courses and assigning each one a trainer from the course allocation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound, UsageError
from store.models import Course
from store.repositories.audit import AuditRepository
from store.repositories.content import CourseRepository
from store.repositories.courses import CourseAdminRepository

MAX_BULK = 500


@dataclass(frozen=True)
class EnrolResult:
    """Who was enrolled in which course, and the trainer each one got."""

    course_slug: str
    assigned: dict[str, str | None]


async def course_by_slug(session: AsyncSession, slug: str) -> Course:
    """The course with ``slug`` or a NotFound naming it."""
    course = await CourseRepository(session).by_slug(slug)
    if course is None:
        raise NotFound(f"There is no course `{slug}`. `/coach courses` lists them.")
    return course


async def pick_trainer(
    session: AsyncSession, course_id: int, extra: dict[str, int] | None = None
) -> str | None:
    """The allocated trainer with the least open load; a persona trainer of the course first.

    ``extra`` adds load not yet in the database (learners assigned earlier in the same batch).
    """
    repo = CourseAdminRepository(session)
    loads = await repo.open_loads(course_id)
    if not loads:
        return None
    persona_trainers = {p.trainer_id for p, _ in await repo.personas(course_id)}
    added = extra or {}
    return min(
        loads, key=lambda uid: (uid not in persona_trainers, loads[uid] + added.get(uid, 0), uid)
    )


async def enrol_learners(
    session: AsyncSession, learner_ids: list[str], slug: str, by: str
) -> EnrolResult:
    """Enrol learners in the course, spreading them over its trainers by open load."""
    unique = list(dict.fromkeys(learner_ids))
    if not unique:
        raise UsageError("Mention at least one learner to enrol.")
    if len(unique) > MAX_BULK:
        raise UsageError(f"Enrol at most {MAX_BULK} people at a time; you gave {len(unique)}.")
    course = await course_by_slug(session, slug)
    repo = CourseAdminRepository(session)
    assigned: dict[str, str | None] = {}
    batch: dict[str, int] = {}
    for learner in unique:
        existing = await repo.enrolment(learner, course.id)
        trainer = existing.trainer_id if existing and existing.trainer_id else None
        trainer = trainer or await pick_trainer(session, course.id, batch)
        if trainer is not None:
            batch[trainer] = batch.get(trainer, 0) + 1
        await repo.enrol(learner, course.id, trainer, by)
        assigned[learner] = trainer
    await AuditRepository(session).record(
        "enrolment.added", by, course=course.slug, learners=unique, trainers=assigned
    )
    return EnrolResult(course.slug, assigned)
