"""Retrieval over ingested courses, with the bundled model and real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.coach.retrieval import Retriever
from bot.content.indexer import CourseIndexer
from store.database import Database
from store.repositories.content import CourseRepository
from tests.content.ingest_support import EXAMPLE_COURSE, CountingEmbedder, delete_course


@pytest.fixture
async def courses(database: Database, tmp_path: Path) -> AsyncIterator[tuple[int, int]]:
    """The example course and a one-file course about cooking, committed, then deleted."""
    python, cooking = f"py-{uuid.uuid4().hex[:8]}", f"cook-{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "cooking" / "day-1-kitchen"
    folder.mkdir(parents=True)
    (folder / "01-functions.md").write_text(
        "# Functions of a kitchen\n\nHow do I define a function? In a kitchen, the function of "
        "a whisk is to beat eggs, and a def is where the chef defines the menu.\n",
        encoding="utf-8",
    )
    indexer = CourseIndexer(database.sessions, CountingEmbedder())
    try:
        first = await indexer.ingest(EXAMPLE_COURSE, python)
        second = await indexer.ingest(tmp_path / "cooking", cooking)
        yield first.course_id, second.course_id
    finally:
        await delete_course(database, python)
        await delete_course(database, cooking)


async def test_finds_the_relevant_chapter(database: Database, courses: tuple[int, int]) -> None:
    python, _ = courses
    retriever = Retriever(database.sessions, CountingEmbedder())

    found = await retriever.retrieve(python, "How do I define a function with def?", 5)

    assert len(found) == 5
    assert found[0].source_path.endswith("02-defining-functions.md")
    assert found[0].location.day == 2
    assert 0.0 < found[0].similarity <= 1.0
    # Re-ranked by sentences and files (bot.coach.rerank); fused, they come by fused score.
    fused = await Retriever(database.sessions, CountingEmbedder(), reranked=False).retrieve(
        python, "How do I define a function with def?", 5
    )
    assert fused[0].source_path.endswith("02-defining-functions.md")
    assert [c.fused_score for c in fused] == sorted((c.fused_score for c in fused), reverse=True)


async def test_vector_mode_orders_by_distance(database: Database, courses: tuple[int, int]) -> None:
    python, _ = courses
    retriever = Retriever(database.sessions, CountingEmbedder(), retrieval_mode="vector")

    found = await retriever.retrieve(python, "How do I define a function with def?", 5)

    assert found[0].source_path.endswith("02-defining-functions.md")
    assert [c.distance for c in found] == sorted(c.distance for c in found)
    assert [c.vector_rank for c in found] == [1, 2, 3, 4, 5]
    assert {c.text_rank for c in found} == {None}


async def test_never_returns_another_course(database: Database, courses: tuple[int, int]) -> None:
    python, cooking = courses
    retriever = Retriever(database.sessions, CountingEmbedder())

    from_python = await retriever.retrieve(python, "the function of a whisk in a kitchen", 50)
    from_cooking = await retriever.retrieve(cooking, "How do I define a function?", 50)

    assert from_python
    assert {c.course_id for c in from_python} == {python}
    assert {c.course_id for c in from_cooking} == {cooking}
    assert len(from_cooking) == 1


async def test_course_without_chunks_gives_nothing(database: Database) -> None:
    slug = f"empty-{uuid.uuid4().hex[:8]}"
    async with database.sessions.begin() as session:
        course = await CourseRepository(session).add(slug, "Empty", None)
    retriever = Retriever(database.sessions, CountingEmbedder())
    try:
        assert await retriever.retrieve(course.id, "anything at all?", 5) == []
        assert await retriever.retrieve(999_999_999, "no such course", 5) == []
    finally:
        await delete_course(database, slug)


async def test_other_model_gives_nothing(database: Database, courses: tuple[int, int]) -> None:
    python, _ = courses
    retriever = Retriever(database.sessions, CountingEmbedder(model="another-model"))

    assert await retriever.retrieve(python, "How do I define a function?", 5) == []
