"""The learner's assistant (agent) thread: suggested prompts from their own course.

When a learner opens the assistant thread, Slack sends ``assistant_thread_started``; the prompts
are built then from the course as it is indexed now (so they follow the course when it changes)
and sent through the outbox, deduplicated by the thread, so Slack's retries set them once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.suggested_prompts import (
    PROMPTS_TITLE,
    CourseOutline,
    OutlineDay,
    OutlineLab,
    suggested_prompts,
)
from bot.coach.courses import resolve_course
from bot.deps import Deps
from bot.tasks.outbox import Outbox, dm_thread_key
from store.repositories.content import CourseRepository

SET_SUGGESTED_PROMPTS = "assistant.threads.setSuggestedPrompts"


async def course_outline(session: AsyncSession, learner_id: str) -> CourseOutline | None:
    """The days and labs of the learner's course, or None when they have no course."""
    course = await resolve_course(session, learner_id)
    if course is None:
        return None
    entries = await CourseRepository(session).outline(course.id)
    days: dict[int, OutlineDay] = {}
    labs: dict[str, OutlineLab] = {}
    for entry in entries:
        if entry.day is not None and (entry.day not in days or not days[entry.day].title):
            days[entry.day] = OutlineDay(entry.day, entry.day_title)
        if entry.lab_id is not None and entry.lab_id not in labs:
            labs[entry.lab_id] = OutlineLab(entry.lab_id, entry.lab_title)
    return CourseOutline(course.title, tuple(days.values()), tuple(labs.values()))


async def start_assistant_thread(
    deps: Deps, learner_id: str, channel_id: str, thread_ts: str
) -> None:
    """Queue the suggested prompts for a learner's new assistant thread, once per thread."""
    async with deps.sessions.begin() as session:
        prompts = suggested_prompts(await course_outline(session, learner_id))
        await Outbox(session).call(
            SET_SUGGESTED_PROMPTS,
            {
                "channel_id": channel_id,
                "thread_ts": thread_ts,
                "title": PROMPTS_TITLE,
                "prompts": prompts,
            },
            ordering_key=dm_thread_key(channel_id, thread_ts),
            dedupe_key=f"prompts:{channel_id}:{thread_ts}",
        )
