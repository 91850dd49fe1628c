"""Rows for repository tests, added in the test's own (rolled back) session."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, Course, Escalation

_threads = itertools.count(1)


async def add_course(session: AsyncSession, slug: str, **values: Any) -> Course:
    """A course with ``slug`` (title and other columns from ``values``)."""
    course = Course(slug=slug, title=values.pop("title", slug.upper()), **values)
    session.add(course)
    await session.flush()
    return course


async def add_conversation(session: AsyncSession, **values: Any) -> Conversation:
    """A learner DM thread of its own."""
    values.setdefault("learner_id", "ULEARNER")
    conversation = Conversation(
        channel_id="DSTORETEST", thread_ts=f"9{next(_threads):09d}.000001", **values
    )
    session.add(conversation)
    await session.flush()
    return conversation


async def add_escalation(
    session: AsyncSession,
    *,
    created_at: datetime,
    status: str = "pending",
    conversation: Conversation | None = None,
    **values: Any,
) -> Escalation:
    """An escalation of its own conversation unless one is given."""
    if conversation is None:
        conversation = await add_conversation(
            session, course_id=values.get("course_id"), last_activity_at=created_at
        )
    values.setdefault("last_activity_at", created_at)
    escalation = Escalation(
        conversation_id=conversation.id,
        learner_id=conversation.learner_id,
        status=status,
        question="help",
        triggers=[],
        references=[],
        created_at=created_at,
        **values,
    )
    session.add(escalation)
    await session.flush()
    return escalation
