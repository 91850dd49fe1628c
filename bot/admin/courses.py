"""Course and enrolment commands: list courses, enrol learners, show a learner's courses."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.replies import Listing, Notice
from bot.people.enrolment import enrol_learners
from store.repositories.courses import CourseAdminRepository


async def list_courses(session: AsyncSession, command: str, page: int) -> Listing:
    """Every course with its chunk count and last index run."""
    lines = []
    for course in await CourseAdminRepository(session).overviews():
        if course.last_run_at is None:
            run = "never indexed"
        else:
            when = f"<!date^{int(course.last_run_at.timestamp())}^{{date_short}} {{time}}|"
            run = f"last index {course.last_run_status} {when}{course.last_run_at:%Y-%m-%d}>"
        lines.append(f"*{course.slug}* · {course.title} · {course.chunks} chunks · {run}")
    return Listing(
        "Courses",
        tuple(lines),
        command,
        page,
        empty="No courses yet: index one with `coachbot ingest`.",
    )


async def enrol(session: AsyncSession, learners: list[str], slug: str, by: str) -> Notice:
    """Enrol one or many learners and say who got which trainer."""
    result = await enrol_learners(session, learners, slug, by)
    by_trainer: dict[str | None, list[str]] = {}
    for learner, trainer in result.assigned.items():
        by_trainer.setdefault(trainer, []).append(f"<@{learner}>")
    parts = []
    for trainer, people in by_trainer.items():
        who = f"<@{trainer}>" if trainer else "no trainer yet (allocate one to the course)"
        parts.append(f"{', '.join(people)} → {who}")
    count = len(result.assigned)
    noun = "learner" if count == 1 else "learners"
    return Notice(f"Enrolled {count} {noun} in *{result.course_slug}*: " + "; ".join(parts))


async def learner_courses(session: AsyncSession, learner_id: str) -> Notice:
    """Which courses a learner is enrolled in and their trainer in each."""
    rows = await CourseAdminRepository(session).enrolments_of(learner_id)
    if not rows:
        return Notice(
            f"<@{learner_id}> is not enrolled in any course. "
            f"Enrol them with `/coach enroll <@{learner_id}> course-slug`."
        )
    lines = [
        f"• *{course.slug}* ({course.title}), trainer "
        + (f"<@{e.trainer_id}>" if e.trainer_id else "not assigned")
        for e, course in rows
    ]
    return Notice(f"<@{learner_id}> is enrolled in:\n" + "\n".join(lines))
