"""Roles, checked in one place for every command, button and view."""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.learner_notices import build_refusal
from bot.errors import PermissionDenied
from bot.settings import Settings
from bot.workspaces.config import is_admin
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


class Role(IntEnum):
    """Ordered: each role may do everything the ones below it may."""

    LEARNER = 1
    TRAINER = 2
    ADMIN = 3


async def role_of(session: AsyncSession, settings: Settings, user_id: str) -> Role:
    """The role of a Slack user in the current workspace: its admins (``bot.workspaces.config``),
    then its active trainers."""
    if await is_admin(session, settings, user_id):
        return Role.ADMIN
    active = await PeopleRepository(session).is_active_trainer(user_id)
    return Role.TRAINER if active else Role.LEARNER


async def require_role(
    session: AsyncSession, settings: Settings, user_id: str, needed: Role, action: str
) -> Role:
    """Return the user's role, or raise PermissionDenied naming what they tried to do."""
    role = await role_of(session, settings, user_id)
    if role < needed:
        who = "an admin" if needed is Role.ADMIN else "a trainer or an admin"
        raise PermissionDenied(f"Sorry, only {who} can {action}.")
    return role


async def can_work_on(
    session: AsyncSession, settings: Settings, user_id: str, course_id: int | None
) -> bool:
    """Whether the user may claim, resolve or answer an escalation of ``course_id``.

    Admins everywhere; trainers in the courses they are allocated to, and on escalations with no
    course; learners nowhere.
    """
    return await work_refusal(session, settings, user_id, course_id, "work on escalations") is None


async def work_refusal(
    session: AsyncSession,
    settings: Settings,
    user_id: str,
    course_id: int | None,
    action: str,
    *,
    owner_id: str | None = None,
) -> str | None:
    """Why the user may not ``action`` an escalation of ``course_id``; None when they may.

    The one rule for card buttons and card-thread replies (see ``can_work_on``). With
    ``owner_id`` (resolving a claimed ticket) only that owner or an admin may.
    """
    role = await role_of(session, settings, user_id)
    if role is Role.ADMIN:
        return None
    if role < Role.TRAINER:
        return build_refusal(action)
    if course_id is not None and not await CourseAdminRepository(session).is_allocated(
        user_id, course_id
    ):
        return (
            "Sorry, this ticket belongs to a course you are not allocated to: only that "
            f"course's trainers or an admin can {action} there."
        )
    if owner_id is not None and owner_id != user_id:
        return (
            f"Sorry, this ticket is claimed by <@{owner_id}>: only they or an admin can close it."
        )
    return None


async def visible_course_ids(
    session: AsyncSession, settings: Settings, user_id: str
) -> list[int] | None:
    """Courses whose escalations the user may see: None means all (admins).

    Trainers see their allocated courses; learners see no course-wide data, only their own.
    """
    role = await role_of(session, settings, user_id)
    if role is Role.ADMIN:
        return None
    if role is Role.LEARNER:
        return []
    return await CourseAdminRepository(session).trainer_course_ids(user_id)


def require_course_visible(course_ids: list[int] | None, course_id: int | None, what: str) -> None:
    """Refuse when a course-scoped caller asks about a course outside their allocation."""
    if course_ids is not None and course_id not in course_ids:
        raise PermissionDenied(f"Sorry, {what} belongs to a course you are not allocated to.")
