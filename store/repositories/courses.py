"""Course overviews, enrolments, trainer allocation and load, personas; never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    OPEN_STATUSES,
    Chunk,
    Course,
    Enrolment,
    Escalation,
    IndexRun,
    Persona,
    Trainer,
    TrainerCourse,
)


@dataclass(frozen=True)
class CourseOverview:
    """A course with its chunk count and last index run."""

    id: int
    slug: str
    title: str
    chunks: int
    last_run_status: str | None
    last_run_at: datetime | None


@dataclass(frozen=True)
class TrainerLoad:
    """A trainer with their courses and how many open escalations they hold."""

    slack_user_id: str
    display_name: str | None
    active: bool
    backup_trainer_id: str | None
    courses: tuple[str, ...]
    open_load: int


class CourseAdminRepository:
    """Reads and writes behind the admin commands."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def overviews(self) -> list[CourseOverview]:
        """Every course with chunk count and latest index run, by slug."""
        chunks = (
            select(Chunk.course_id, func.count().label("n")).group_by(Chunk.course_id).subquery()
        )
        last_run = (
            select(IndexRun.course_id, IndexRun.status, IndexRun.created_at)
            .distinct(IndexRun.course_id)
            .order_by(IndexRun.course_id, IndexRun.created_at.desc(), IndexRun.id.desc())
            .subquery()
        )
        statement = (
            select(
                Course.id,
                Course.slug,
                Course.title,
                func.coalesce(chunks.c.n, 0),
                last_run.c.status,
                last_run.c.created_at,
            )
            .outerjoin(chunks, chunks.c.course_id == Course.id)
            .outerjoin(last_run, last_run.c.course_id == Course.id)
            .order_by(Course.slug)
        )
        rows = (await self._session.execute(statement)).tuples()
        return [CourseOverview(*row) for row in rows]

    # ---- enrolment

    async def enrol(self, learner_id: str, course_id: int, trainer_id: str | None, by: str) -> None:
        """Enrol a learner (or move their assigned trainer if already enrolled)."""
        statement = insert(Enrolment).values(
            learner_id=learner_id, course_id=course_id, trainer_id=trainer_id, enrolled_by=by
        )
        statement = statement.on_conflict_do_update(
            index_elements=["learner_id", "course_id"],
            set_={"trainer_id": statement.excluded.trainer_id, "enrolled_by": by},
        )
        await self._session.execute(statement)

    async def enrol_many(self, course_id: int, trainers: Mapping[str, str | None], by: str) -> None:
        """Enrol many learners (learner id → assigned trainer) in one statement, moving the
        trainer of those already enrolled."""
        if not trainers:
            return
        statement = insert(Enrolment).values(
            [
                {
                    "learner_id": learner_id,
                    "course_id": course_id,
                    "trainer_id": trainer_id,
                    "enrolled_by": by,
                }
                for learner_id, trainer_id in trainers.items()
            ]
        )
        statement = statement.on_conflict_do_update(
            index_elements=["learner_id", "course_id"],
            set_={"trainer_id": statement.excluded.trainer_id, "enrolled_by": by},
        )
        await self._session.execute(statement)

    async def enrolment_trainers(
        self, course_id: int, learner_ids: Sequence[str]
    ) -> dict[str, str | None]:
        """The assigned trainer of each of ``learner_ids`` already enrolled in the course."""
        rows = await self._session.execute(
            select(Enrolment.learner_id, Enrolment.trainer_id).where(
                Enrolment.course_id == course_id, Enrolment.learner_id.in_(list(learner_ids))
            )
        )
        return dict(rows.tuples().all())

    async def enrolments_of(self, learner_id: str) -> list[tuple[Enrolment, Course]]:
        """The learner's enrolments with their courses."""
        rows = await self._session.execute(
            select(Enrolment, Course)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.learner_id == learner_id)
            .order_by(Course.slug)
        )
        return [(e, c) for e, c in rows.tuples()]

    async def enrolment(self, learner_id: str, course_id: int) -> Enrolment | None:
        """One enrolment."""
        return await self._session.get(Enrolment, (learner_id, course_id))

    # ---- trainers

    async def unallocate(self, trainer_id: str, course_id: int) -> bool:
        """Remove an allocation; False when there was none."""
        result = await self._session.execute(
            delete(TrainerCourse)
            .where(TrainerCourse.trainer_id == trainer_id, TrainerCourse.course_id == course_id)
            .returning(TrainerCourse.trainer_id)
        )
        return result.scalar_one_or_none() is not None

    async def trainer_course_ids(self, trainer_id: str) -> list[int]:
        """Courses the trainer is allocated to."""
        rows = await self._session.execute(
            select(TrainerCourse.course_id).where(TrainerCourse.trainer_id == trainer_id)
        )
        return list(rows.scalars())

    async def is_allocated(self, trainer_id: str, course_id: int) -> bool:
        """Whether the trainer is allocated to the course."""
        found = await self._session.scalar(
            select(TrainerCourse.course_id).where(
                TrainerCourse.trainer_id == trainer_id, TrainerCourse.course_id == course_id
            )
        )
        return found is not None

    async def open_loads(self, course_id: int) -> dict[str, int]:
        """Active trainers allocated to the course with their open escalation count."""
        load = (
            select(func.count())
            .where(Escalation.assignee_id == Trainer.slack_user_id)
            .where(Escalation.status.in_(OPEN_STATUSES))
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(Trainer.slack_user_id, load)
            .join(TrainerCourse, TrainerCourse.trainer_id == Trainer.slack_user_id)
            .where(TrainerCourse.course_id == course_id, Trainer.active.is_(True))
        )
        return dict(rows.tuples().all())

    async def trainer_loads(self) -> list[TrainerLoad]:
        """Every trainer with their courses and open load."""
        load = (
            select(func.count())
            .where(Escalation.assignee_id == Trainer.slack_user_id)
            .where(Escalation.status.in_(OPEN_STATUSES))
            .scalar_subquery()
        )
        courses = (
            select(func.coalesce(func.array_agg(Course.slug), []))
            .join(TrainerCourse, TrainerCourse.course_id == Course.id)
            .where(TrainerCourse.trainer_id == Trainer.slack_user_id)
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(
                Trainer.slack_user_id,
                Trainer.display_name,
                Trainer.active,
                Trainer.backup_trainer_id,
                courses,
                load,
            ).order_by(Trainer.active.desc(), Trainer.slack_user_id)
        )
        return [
            TrainerLoad(uid, name, active, backup, tuple(sorted(slugs or [])), int(n))
            for uid, name, active, backup, slugs, n in rows.tuples()
        ]

    # ---- personas

    async def personas(self, course_id: int | None = None) -> list[tuple[Persona, str]]:
        """Personas with their course slug, optionally of one course."""
        statement = select(Persona, Course.slug).join(Course, Course.id == Persona.course_id)
        if course_id is not None:
            statement = statement.where(Persona.course_id == course_id)
        rows = await self._session.execute(statement.order_by(Course.slug, Persona.trainer_id))
        return [(p, slug) for p, slug in rows.tuples()]

    async def persona(self, trainer_id: str, course_id: int) -> Persona | None:
        """A trainer's persona in a course."""
        return await self._session.scalar(
            select(Persona).where(Persona.trainer_id == trainer_id, Persona.course_id == course_id)
        )

    async def upsert_persona(self, values: dict[str, Any]) -> None:
        """Create or replace a trainer's persona in a course."""
        statement = insert(Persona).values(**values)
        statement = statement.on_conflict_do_update(
            constraint="uq_personas_trainer",
            set_={k: statement.excluded[k] for k in values if k not in ("trainer_id", "course_id")},
        )
        await self._session.execute(statement)

    async def delete_persona(self, trainer_id: str, course_id: int) -> bool:
        """Remove a persona; False when there was none."""
        result = await self._session.execute(
            delete(Persona)
            .where(Persona.trainer_id == trainer_id, Persona.course_id == course_id)
            .returning(Persona.id)
        )
        return result.scalar_one_or_none() is not None
