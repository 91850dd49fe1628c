"""Which trainer an escalation is suggested to: the persona that answered first, then allocation."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Conversation, Persona, Response
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


async def suggest_trainer(
    people: PeopleRepository,
    *,
    course_id: int | None,
    learner_id: str,
    conversation_id: int | None = None,
) -> str | None:
    """The trainer of the persona that answered, else the learner's trainer's persona, else the
    course's first persona, the enrolment's trainer, the least-loaded allocated trainer.

    "Answered" means the latest persona-posted response to this learner in this course (in the
    conversation, when ``conversation_id`` is given). An inactive candidate hands over to their
    backup when the backup is active.
    """
    if course_id is not None:
        enrolled = await people.enrolment_trainer(learner_id, course_id)
        own = (
            await CourseAdminRepository(people.session).persona(enrolled, course_id)
            if enrolled is not None
            else None
        )
        for candidate in (
            await _answering_trainer(people, course_id, learner_id, conversation_id),
            own.trainer_id if own is not None else None,
            await people.persona_trainer(course_id),
            enrolled,
        ):
            chosen = await _active_or_backup(people, candidate)
            if chosen is not None:
                return chosen
    return await people.least_loaded_trainer(course_id)


async def _answering_trainer(
    people: PeopleRepository, course_id: int, learner_id: str, conversation_id: int | None
) -> str | None:
    # A course can have several personas: the one the learner actually saw speaks for a trainer.
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
    return await people.session.scalar(statement)


async def _active_or_backup(people: PeopleRepository, trainer_id: str | None) -> str | None:
    if trainer_id is None:
        return None
    trainer = await people.trainer(trainer_id)
    if trainer is None:
        return None
    if trainer.active:
        return trainer.slack_user_id
    if trainer.backup_trainer_id:
        backup = await people.trainer(trainer.backup_trainer_id)
        if backup is not None and backup.active:
            return backup.slack_user_id
    return None
