"""Which trainer an escalation is suggested to, from the course allocation."""

from __future__ import annotations

from store.repositories.people import PeopleRepository


async def suggest_trainer(
    people: PeopleRepository, *, course_id: int | None, learner_id: str
) -> str | None:
    """The persona's trainer, else the enrolment's, else the least-loaded allocated trainer.

    An inactive persona or enrolment trainer hands over to their backup when the backup is active.
    """
    if course_id is not None:
        for candidate in (
            await people.persona_trainer(course_id),
            await people.enrolment_trainer(learner_id, course_id),
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
