"""Roles, checked in one place for every command, button and view."""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import PermissionDenied
from bot.settings import Settings
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


class Role(IntEnum):
    """Ordered: each role may do everything the ones below it may."""

    LEARNER = 1
    TRAINER = 2
    ADMIN = 3


async def role_of(session: AsyncSession, settings: Settings, user_id: str) -> Role:
    """The role of a Slack user: admins come from settings, trainers from the database."""
    if user_id in settings.admin_user_ids:
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
