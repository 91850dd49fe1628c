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


def pick_trainer(
    loads: dict[str, int], persona_trainers: set[str], extra: dict[str, int]
) -> str | None:
    """The allocated trainer with the least open load; a persona trainer of the course first.

    ``loads`` are the open escalations of each active trainer allocated to the course; ``extra``
    adds learners assigned earlier in the same batch.
    """
    if not loads:
        return None
    return min(
        loads,
        key=lambda uid: (uid not in persona_trainers, loads[uid] + extra.get(uid, 0), uid),
    )


async def enrol_learners(
    session: AsyncSession, learner_ids: list[str], slug: str, by: str
) -> EnrolResult:
    """Enrol learners in the course, spreading them over its trainers by open load.

    A fixed handful of statements however many learners: their enrolments, the trainers' loads
    and the personas are read once, and every enrolment is written by one INSERT.
    """
    unique = list(dict.fromkeys(learner_ids))
    if not unique:
        raise UsageError("Mention at least one learner to enrol.")
    if len(unique) > MAX_BULK:
        raise UsageError(f"Enrol at most {MAX_BULK} people at a time; you gave {len(unique)}.")
    course = await course_by_slug(session, slug)
    repo = CourseAdminRepository(session)
    existing = await repo.enrolment_trainers(course.id, unique)
    loads = await repo.open_loads(course.id)
    persona_trainers = {p.trainer_id for p, _ in await repo.personas(course.id)}
    assigned: dict[str, str | None] = {}
    batch: dict[str, int] = {}
    for learner in unique:
        # Already enrolled with a trainer: they keep them.
        trainer = existing.get(learner) or pick_trainer(loads, persona_trainers, batch)
        if trainer is not None:
            batch[trainer] = batch.get(trainer, 0) + 1
        assigned[learner] = trainer
    await repo.enrol_many(course.id, assigned, by)
    await AuditRepository(session).record(
        "enrolment.added", by, course=course.slug, learners=unique, trainers=assigned
    )
    return EnrolResult(course.slug, assigned)
