"""A course's FAQ chunks through an ingest: kept, and re-embedded with the rest on --reembed so
the course keeps one model and one vector size (real PostgreSQL, the bundled local model)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content.faq_chunks import faq_chunk_columns, faq_embedding_text
from bot.content.indexer import CourseIndexer
from store.database import Database
from store.models.content import Chunk, Course
from store.repositories.faq import FaqRepository
from tests.content.ingest_support import CountingEmbedder, copy_course, delete_course

QUESTION = "How do I cancel an asyncio task that hangs?"


@pytest.fixture
async def slug(database: Database) -> AsyncIterator[str]:
    """A course slug no other test uses; the course is deleted afterwards."""
    name = f"faq-{uuid.uuid4().hex[:10]}"
    yield name
    await delete_course(database, name)


async def add_faq_chunk(database: Database, slug: str, embedder: CountingEmbedder) -> None:
    """An FAQ entry's chunk, as the publish task writes it."""
    [vector] = await embedder.embed([faq_embedding_text(QUESTION)])
    async with database.sessions.begin() as session:
        course = (await session.scalars(select(Course).where(Course.slug == slug))).one()
        await FaqRepository(session).write_chunk(
            faq_chunk_columns(
                entry_id=7,
                course_id=course.id,
                question=QUESTION,
                answer="Use asyncio.wait_for with a timeout.",
                answered_by_name="Jane",
                vector=vector,
                model=embedder.model,
                now=datetime.now(UTC),
            )
        )


async def faq_chunks(database: Database, slug: str) -> list[Chunk]:
    async with database.sessions() as session:
        statement = (
            select(Chunk)
            .join(Course, Course.id == Chunk.course_id)
            .where(Course.slug == slug, Chunk.source_path == "faq")
        )
        return list((await session.scalars(statement)).all())


async def test_ingest_keeps_faq_chunks_and_reembed_moves_them_to_the_new_model(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    first = CountingEmbedder()
    await CourseIndexer(database.sessions, first).ingest(course, slug)
    await add_faq_chunk(database, slug, first)

    # A file removed from the folder is removed; the FAQ entry is not in the folder but stays.
    (course / "day-03-data-structures" / "01-lists.md").unlink()
    result = await CourseIndexer(database.sessions, first).ingest(course, slug)
    assert result.removed > 0
    [kept] = await faq_chunks(database, slug)
    assert kept.anchor == "faq-7"
    assert kept.location == {
        "day": None,
        "day_title": None,
        "chapter_id": None,
        "chapter_title": None,
        "lab_id": None,
        "lab_title": None,
        "section": None,
        "coaching": None,
        "faq_by": "Jane",
    }

    other = CountingEmbedder(model="another-model")
    await CourseIndexer(database.sessions, other).ingest(course, slug, reembed=True)
    [moved] = await faq_chunks(database, slug)
    assert moved.embedding_model == "another-model"
    assert QUESTION in other.texts
    async with database.sessions() as session:
        models = (
            await session.scalars(
                select(Chunk.embedding_model)
                .join(Course, Course.id == Chunk.course_id)
                .where(Course.slug == slug)
                .distinct()
            )
        ).all()
    assert models == ["another-model"]
