"""The ``faq.publish`` task: embed an entry's question and write the entry as a course chunk.

It runs after the entry's transaction commits, with no transaction open while Slack (the
answerer's name, when it was not known) or the embedder is called. The write locks the entry and
the course: a removed entry is not published, and a course indexed with another model (a
re-embed under way elsewhere) waits for it instead of mixing vector sizes. Re-running it rewrites
the same chunk (``uq_chunks_location``), so a retry never duplicates it.
"""

from __future__ import annotations

from typing import Any

from bot.content.faq_chunks import faq_chunk_columns, faq_embedding_text
from bot.deps import Deps
from bot.people.profiles import fetch_profile
from bot.tasks.kinds import RetryLater, TaskRegistry
from store.repositories.content import CourseRepository
from store.repositories.faq import FaqRepository
from store.tasks import ClaimedTask

FAQ_PUBLISH = "faq.publish"


async def publish_faq(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: embed the entry and write (or rewrite) its chunk."""
    return await publish_entry(deps, int(task.payload["entry_id"]))


async def publish_entry(deps: Deps, entry_id: int) -> dict[str, Any]:
    """Embed a live entry's question and write its chunk (the task's work, callable alone)."""
    async with deps.sessions.begin() as session:
        entry = await FaqRepository(session).get(entry_id)
        if entry is None or entry.removed_at is not None:
            return {"skipped": "removed"}
        question, answered_by = entry.question, entry.answered_by
        name: str | None = entry.answered_by_name
    if not name:
        profile = await fetch_profile(await deps.slack_client(), answered_by)
        name = profile.display_name if profile is not None else None
    [vector] = await deps.embedder.embed([faq_embedding_text(question)])
    model = deps.embedder.model
    async with deps.sessions.begin() as session:
        repo = FaqRepository(session)
        entry = await repo.get(entry_id, lock=True)
        if entry is None or entry.removed_at is not None:
            return {"skipped": "removed"}
        courses = CourseRepository(session)
        found = await courses.by_id(entry.course_id)
        course = await courses.by_slug(found.slug, for_update=True) if found else None
        if course is None:
            return {"skipped": "no course"}
        if course.embedding_model not in (None, model) or course.embedding_dim not in (
            None,
            len(vector),
        ):
            raise RetryLater(
                60.0,
                f"course {course.slug} is indexed with {course.embedding_model}, not {model}: "
                "run coachbot ingest with --reembed",
            )
        course.embedding_model, course.embedding_dim = model, len(vector)
        if name:
            entry.answered_by_name = name[:200]
        now = deps.clock.now()
        await repo.write_chunk(
            faq_chunk_columns(
                entry_id=entry.id,
                course_id=course.id,
                question=entry.question,
                answer=entry.answer,
                answered_by_name=entry.answered_by_name,
                vector=vector,
                model=model,
                now=now,
            )
        )
        await repo.mark_published(entry.id, now)
    return {"published": entry_id}


def register(tasks: TaskRegistry) -> None:
    """Register the FAQ publish task kind."""
    tasks.register(FAQ_PUBLISH, publish_faq)
