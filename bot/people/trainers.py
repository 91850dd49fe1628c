"""Adding and removing trainers (the ``/coach trainer`` commands call these), with audit."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.errors import NotFound, UsageError
from bot.people.profiles import fetch_profile
from store.repositories.audit import AuditRepository
from store.repositories.content import CourseRepository
from store.repositories.people import PeopleRepository


@dataclass(frozen=True)
class TrainerSummary:
    """What the command reports back after a change."""

    user_id: str
    display_name: str | None
    email: str | None
    course_slug: str | None
    active: bool


async def _profile(deps: Deps, user_id: str) -> tuple[str | None, str | None]:
    """Display name and email from Slack; (None, None) when Slack cannot tell us."""
    profile = await fetch_profile(await deps.slack_client(), user_id)
    if profile is None:
        return None, None
    if profile.is_bot or profile.deleted:
        raise UsageError(f"<@{user_id}> is a bot or a deactivated account, so can't be a trainer.")
    return profile.display_name, profile.email


async def add_trainer(
    deps: Deps, user_id: str, course_slug: str | None, actor: str
) -> TrainerSummary:
    """Make ``user_id`` an active trainer, allocated to ``course_slug`` when given."""
    name, email = await _profile(deps, user_id)  # before the transaction: Slack is slow
    async with deps.sessions.begin() as session:
        people = PeopleRepository(session)
        course_id = None
        if course_slug is not None:
            course = await CourseRepository(session).by_slug(course_slug)
            if course is None:
                raise NotFound(f"There is no course `{course_slug}`.")
            course_id = course.id
        trainer = await people.upsert_trainer(
            user_id, display_name=name, email=email, added_by=actor
        )
        if course_id is not None:
            await people.allocate(user_id, course_id)
        await AuditRepository(session).record(
            "trainer_added", actor, None, trainer_id=user_id, course=course_slug
        )
        return TrainerSummary(
            user_id, trainer.display_name, trainer.email, course_slug, trainer.active
        )


async def remove_trainer(deps: Deps, user_id: str, actor: str) -> TrainerSummary:
    """Deactivate a trainer: they can no longer claim, resolve or reply; history stays."""
    async with deps.sessions.begin() as session:
        people = PeopleRepository(session)
        if not await people.deactivate_trainer(user_id):
            raise NotFound(f"<@{user_id}> is not an active trainer.")
        await AuditRepository(session).record("trainer_removed", actor, None, trainer_id=user_id)
        trainer = await people.trainer(user_id)
        assert trainer is not None
        return TrainerSummary(user_id, trainer.display_name, trainer.email, None, False)
