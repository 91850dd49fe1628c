"""Retrieval puts a course FAQ entry first when its question matches the learner's closely
enough, and leaves it to compete like any passage when it does not (real PostgreSQL, chosen
vectors so the distances are known)."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from bot.coach.faq_match import FAQ_MATCH_FLOOR
from bot.coach.retrieval import Retriever
from bot.content.faq_chunks import faq_chunk_columns
from store.database import Database
from store.models.content import Chunk, Course
from tests.bot.test_hybrid_retrieval import FixedEmbedder, unit
from tests.content.ingest_support import chunk_row, delete_course


def at_similarity(similarity: float) -> list[float]:
    """A unit vector whose cosine similarity to QUESTION is ``similarity``."""
    return [similarity, math.sqrt(1 - similarity**2), 0.0, 0.0]


async def course_with_faq(
    database: Database, faq_similarity: float, question: str = "Can I stop a coroutine?"
) -> tuple[int, str]:
    """Eight course chunks close to the question (0.99) and one FAQ entry at ``faq_similarity``
    asking ``question``; returns the course id and slug."""
    slug = f"faq-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    async with database.sessions.begin() as session:
        course = Course(slug=slug, title=slug, embedding_model="synthetic", embedding_dim=4)
        session.add(course)
        await session.flush()
        rows = [
            chunk_row(
                course.id,
                i,
                f"Lists, part {i}: a list keeps items in order.",
                unit([1.0, 0.01 * (i + 1), 0.0, 0.0]),
                "synthetic",
                now,
                location={"day": 1, "chapter_title": "Lists"},
            )
            for i in range(8)
        ]
        rows.append(
            faq_chunk_columns(
                entry_id=1,
                course_id=course.id,
                question=question,
                answer="Wrap it in wait_for with a timeout.",
                answered_by_name="Jane",
                vector=at_similarity(faq_similarity),
                model="synthetic",
                now=now,
            )
        )
        await session.execute(insert(Chunk), rows)
    return course.id, slug


@pytest.mark.parametrize(
    ("similarity", "first"),
    [(FAQ_MATCH_FLOOR + 0.02, True), (FAQ_MATCH_FLOOR - 0.05, False)],
)
async def test_an_faq_whose_question_matches_goes_first(
    database: Database, similarity: float, first: bool
) -> None:
    course_id, slug = await course_with_faq(database, similarity)
    try:
        found = await Retriever(database.sessions, FixedEmbedder()).retrieve(
            course_id, "lists in order", 4
        )
    finally:
        await delete_course(database, slug)
    assert len(found) == 4
    assert (found[0].source_path == "faq") is first
    if first:
        assert found[0].location.label() == "FAQ · answered by Jane"
        assert found[0].similarity == pytest.approx(similarity, abs=1e-4)
    else:
        assert all(c.source_path != "faq" for c in found)


async def test_an_faq_below_the_floor_is_not_a_passage_even_when_it_shares_the_words(
    database: Database,
) -> None:
    # Full-text search alone would rank it first: its question uses every word asked.
    course_id, slug = await course_with_faq(
        database, FAQ_MATCH_FLOOR - 0.2, question="Which lists keep items in order?"
    )
    try:
        found = await Retriever(database.sessions, FixedEmbedder()).retrieve(
            course_id, "lists keep items in order", 9
        )
    finally:
        await delete_course(database, slug)
    assert len(found) == 8
    assert all(c.source_path != "faq" for c in found)
