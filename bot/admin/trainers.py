"""Trainer commands: add, remove, allocate to courses, list with open load, set a backup."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.replies import Listing, Notice
from bot.deps import Deps
from bot.errors import NotFound, UsageError
from bot.people.enrolment import course_by_slug
from bot.people.trainers import add_trainer, remove_trainer
from store.models import Trainer
from store.repositories.audit import AuditRepository
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


async def _existing_trainer(session: AsyncSession, user_id: str) -> Trainer:
    trainer = await PeopleRepository(session).trainer(user_id)
    if trainer is None or not trainer.active:
        raise NotFound(
            f"<@{user_id}> is not a trainer. Add them first with `/coach trainer add <@{user_id}>`."
        )
    return trainer


async def add(deps: Deps, user_id: str, slug: str | None, by: str) -> Notice:
    """Make a Slack user a trainer (or re-activate them), optionally allocated to a course."""
    summary = await add_trainer(deps, user_id, slug, by)
    where = f" for *{summary.course_slug}*" if summary.course_slug else ""
    return Notice(
        f"<@{user_id}> is now a trainer{where}. Allocate them to courses with "
        f"`/coach trainer allocate <@{user_id}> course-slug`."
    )


async def remove(deps: Deps, user_id: str, by: str) -> Notice:
    """Deactivate a trainer; their history stays."""
    await remove_trainer(deps, user_id, by)
    return Notice(f"<@{user_id}> is no longer a trainer. Their open escalations keep their owner.")


async def allocate(session: AsyncSession, user_id: str, slug: str, by: str) -> Notice:
    """Allocate a trainer to a course."""
    await _existing_trainer(session, user_id)
    course = await course_by_slug(session, slug)
    await PeopleRepository(session).allocate(user_id, course.id)
    await AuditRepository(session).record(
        "trainer.allocated", by, trainer=user_id, course=course.slug
    )
    return Notice(f"<@{user_id}> now trains *{course.slug}*.")


async def unallocate(session: AsyncSession, user_id: str, slug: str, by: str) -> Notice:
    """Take a trainer off a course."""
    course = await course_by_slug(session, slug)
    if not await CourseAdminRepository(session).unallocate(user_id, course.id):
        raise NotFound(f"<@{user_id}> is not allocated to *{course.slug}*.")
    await AuditRepository(session).record(
        "trainer.unallocated", by, trainer=user_id, course=course.slug
    )
    return Notice(f"<@{user_id}> no longer trains *{course.slug}*.")


async def set_backup(session: AsyncSession, user_id: str, backup_id: str | None, by: str) -> Notice:
    """Set (or clear, with None) who covers for a trainer when they are away."""
    trainer = await _existing_trainer(session, user_id)
    if backup_id == user_id:
        raise UsageError("A trainer cannot be their own backup.")
    if backup_id is not None:
        await _existing_trainer(session, backup_id)
    old = trainer.backup_trainer_id
    trainer.backup_trainer_id = backup_id
    await session.flush()
    await AuditRepository(session).record(
        "trainer.backup_set", by, trainer=user_id, old=old, new=backup_id
    )
    if backup_id is None:
        return Notice(f"<@{user_id}> has no backup trainer now.")
    return Notice(f"<@{backup_id}> now covers for <@{user_id}>.")


async def list_trainers(session: AsyncSession, command: str, page: int) -> Listing:
    """Trainers with their courses, open load and backup."""
    lines = []
    for t in await CourseAdminRepository(session).trainer_loads():
        courses = ", ".join(t.courses) or "no courses"
        backup = f" · backup <@{t.backup_trainer_id}>" if t.backup_trainer_id else ""
        state = "" if t.active else " · _inactive_"
        lines.append(f"<@{t.slack_user_id}> · {courses} · {t.open_load} open{backup}{state}")
    return Listing(
        "Trainers",
        tuple(lines),
        command,
        page,
        empty="No trainers yet: `/coach trainer add @someone`.",
    )
