"""Nearest resolved tickets: same course, resolved, same embedding model and size, never itself."""

from __future__ import annotations

import itertools

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, Course, Escalation
from store.repositories.insights import InsightRepository
from store.ticket_search import similar_resolved

_THREADS = itertools.count(1)


async def _ticket(
    session: AsyncSession,
    course: Course,
    vector: list[float] | None,
    *,
    status: str = "resolved",
    model: str = "m",
) -> Escalation:
    conversation = Conversation(
        channel_id="D1",
        thread_ts=f"{next(_THREADS)}.0",
        learner_id="U1",
        course_id=course.id,
    )
    session.add(conversation)
    await session.flush()
    row = Escalation(
        conversation_id=conversation.id,
        learner_id="U1",
        course_id=course.id,
        status=status,
        question="q",
    )
    session.add(row)
    await session.flush()
    if vector is not None:
        await InsightRepository(session).save_embedding(row.id, vector, model)
    return row


async def test_only_resolved_tickets_of_the_course_by_the_same_model_nearest_first(
    session: AsyncSession,
) -> None:
    course, other = Course(slug="c1", title="C1"), Course(slug="c2", title="C2")
    session.add_all([course, other])
    await session.flush()
    me = await _ticket(session, course, [1.0, 0.0, 0.0], status="pending")
    near = await _ticket(session, course, [0.9, 0.1, 0.0])
    far = await _ticket(session, course, [0.0, 1.0, 0.0])
    await _ticket(session, other, [1.0, 0.0, 0.0])  # another course
    await _ticket(session, course, [1.0, 0.0, 0.0], status="pending")  # still open
    await _ticket(session, course, [1.0, 0.0, 0.0], model="old-model")  # another model
    await _ticket(session, course, [1.0, 0.0])  # another size
    await _ticket(session, course, None)  # never embedded
    found = await similar_resolved(
        session, course_id=course.id, embedding=[1.0, 0.0, 0.0], model="m", exclude_id=me.id, k=5
    )
    assert [row.id for row, _ in found] == [near.id, far.id]
    assert found[0][1] < 0.01
    assert abs(found[1][1] - 1.0) < 1e-6


async def test_unembedded_resolved_lists_tickets_to_backfill(session: AsyncSession) -> None:
    course = Course(slug="c3", title="C3")
    session.add(course)
    await session.flush()
    done = await _ticket(session, course, [1.0, 0.0])
    stale = await _ticket(session, course, [1.0, 0.0], model="old-model")
    missing = await _ticket(session, course, None)
    await _ticket(session, course, None, status="pending")
    found = await InsightRepository(session).unembedded_resolved(course.id, "m", 10)
    assert sorted(row_id for row_id, _ in found) == sorted([stale.id, missing.id])
    assert done.id not in [row_id for row_id, _ in found]
