"""Which trainer an escalation is suggested to: the persona that answered first, then allocation."""

from __future__ import annotations

from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


async def suggest_trainer(
    people: PeopleRepository,
    courses: CourseAdminRepository,
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
        own = await courses.persona(enrolled, course_id) if enrolled is not None else None
        # A course can have several personas: the one the learner actually saw speaks first.
        for candidate in (
            await people.answering_trainer(course_id, learner_id, conversation_id),
            own.trainer_id if own is not None else None,
            await people.persona_trainer(course_id),
            enrolled,
        ):
            chosen = await _active_or_backup(people, candidate)
            if chosen is not None:
                return chosen
    return await people.least_loaded_trainer(course_id)


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
