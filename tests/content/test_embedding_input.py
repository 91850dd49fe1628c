"""What the indexer sends to the embedder: each chunk's text under its location label."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.indexer import CourseIndexer
from store.database import Database
from tests.content.ingest_support import CountingEmbedder, copy_course, delete_course

LISTS = "day-03-data-structures/01-lists.md"
HEADER = "Day 3 › Data structures › Lists in depth › List Comprehensions\n\n"


@pytest.fixture
async def slug(database: Database) -> AsyncIterator[str]:
    """A course slug no other test uses; the course is deleted afterwards."""
    name = f"embed-{uuid.uuid4().hex[:10]}"
    yield name
    await delete_course(database, name)


async def test_each_chunk_is_embedded_under_its_location(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    embedder = CountingEmbedder()

    await CourseIndexer(database.sessions, embedder).ingest(course, slug)

    comprehensions = [t for t in embedder.texts if t.startswith(HEADER)]
    assert comprehensions
    assert "### List Comprehensions" in comprehensions[0][len(HEADER) :]


async def test_a_new_location_label_reembeds_the_file(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    lists = course / LISTS
    # Only the chapter's title changes: no chunk text does, but every label in the file does.
    lists.write_text(
        lists.read_text(encoding="utf-8").replace(
            "title: Lists in depth", "title: All about lists"
        ),
        encoding="utf-8",
    )
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(course, slug)

    assert result.updated > 0
    assert result.updated == len(embedder.texts)
    assert all(t.startswith("Day 3 › Data structures › All about lists") for t in embedder.texts)
    assert any(
        t.startswith("Day 3 › Data structures › All about lists › List Comprehensions\n\n")
        for t in embedder.texts
    )
