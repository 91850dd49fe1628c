"""Trainers, their course allocation, enrolments and personas: who may help whom. Never commits."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    OPEN_STATUSES,
    Conversation,
    Enrolment,
    Escalation,
    Persona,
    Response,
    Trainer,
    TrainerCourse,
)
from store.tenancy import current_team


class PeopleRepository:
    """Reads and writes on trainers, trainer_courses, enrolments and personas."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def trainer(self, user_id: str) -> Trainer | None:
        """One trainer (active or not)."""
        return await self._session.get(Trainer, (current_team(), user_id), populate_existing=True)

    async def is_active_trainer(self, user_id: str) -> bool:
        """Whether ``user_id`` is a trainer who is currently active."""
        active = await self._session.scalar(
            select(Trainer.active).where(Trainer.slack_user_id == user_id)
        )
        return bool(active)

    async def upsert_trainer(
        self, user_id: str, *, display_name: str | None, email: str | None, added_by: str
    ) -> Trainer:
        """Create or re-activate a trainer, keeping known names and emails when none is given."""
        stmt = (
            insert(Trainer)
            .values(
                slack_user_id=user_id,
                display_name=display_name,
                email=email,
                active=True,
                added_by=added_by,
            )
            .on_conflict_do_update(
                index_elements=["team_id", "slack_user_id"],
                set_={
                    "active": True,
                    "display_name": func.coalesce(display_name, Trainer.display_name),
                    "email": func.coalesce(email, Trainer.email),
                },
            )
        )
        await self._session.execute(stmt)
        trainer = await self.trainer(user_id)
        assert trainer is not None  # just written
        return trainer

    async def deactivate_trainer(self, user_id: str) -> bool:
        """Mark a trainer inactive (history keeps pointing at them); False if unknown."""
        result = await self._session.execute(
            update(Trainer)
            .where(Trainer.slack_user_id == user_id, Trainer.active.is_(True))
            .values(active=False)
            .returning(Trainer.slack_user_id)
        )
        return result.scalar_one_or_none() is not None

    async def remember_profile(
        self, user_id: str, *, display_name: str | None, email: str | None
    ) -> None:
        """Cache a trainer's Slack display name and email (from users.info)."""
        values = {k: v for k, v in (("display_name", display_name), ("email", email)) if v}
        if values:
            await self._session.execute(
                update(Trainer).where(Trainer.slack_user_id == user_id).values(**values)
            )

    async def allocate(self, trainer_id: str, course_id: int) -> None:
        """Allocate a trainer to a course (idempotent)."""
        await self._session.execute(
            insert(TrainerCourse)
            .values(trainer_id=trainer_id, course_id=course_id)
            .on_conflict_do_nothing()
        )

    async def persona_trainer(self, course_id: int) -> str | None:
        """The trainer whose persona coaches this course (active or not), if any."""
        return await self._session.scalar(
            select(Persona.trainer_id)
            .where(Persona.course_id == course_id)
            .order_by(Persona.id)
            .limit(1)
        )

    async def answering_trainer(
        self, course_id: int, learner_id: str, conversation_id: int | None = None
    ) -> str | None:
        """The trainer whose persona posted the latest answer to the learner in the course (in
        the conversation, when given), active or not."""
        statement = (
            select(Persona.trainer_id)
            .join(Response, Response.persona_id == Persona.id)
            .join(Conversation, Conversation.id == Response.conversation_id)
            .where(Conversation.learner_id == learner_id, Conversation.course_id == course_id)
            .order_by(Response.id.desc())
            .limit(1)
        )
        if conversation_id is not None:
            statement = statement.where(Conversation.id == conversation_id)
        return await self._session.scalar(statement)

    async def enrolment_trainer(self, learner_id: str, course_id: int) -> str | None:
        """The trainer assigned to the learner's enrolment, active or not."""
        return await self._session.scalar(
            select(Enrolment.trainer_id).where(
                Enrolment.learner_id == learner_id, Enrolment.course_id == course_id
            )
        )

    async def least_loaded_trainer(self, course_id: int | None) -> str | None:
        """The active trainer of the course (any course when None) with the fewest open tickets."""
        load = (
            select(func.count(Escalation.id))
            .where(
                Escalation.assignee_id == Trainer.slack_user_id,
                Escalation.status.in_(OPEN_STATUSES),
            )
            .scalar_subquery()
        )
        stmt = select(Trainer.slack_user_id).where(Trainer.active.is_(True))
        if course_id is not None:
            stmt = stmt.join(
                TrainerCourse, TrainerCourse.trainer_id == Trainer.slack_user_id
            ).where(TrainerCourse.course_id == course_id)
        return await self._session.scalar(stmt.order_by(load, Trainer.slack_user_id).limit(1))
