"""Ingest against a real PostgreSQL: the service commits, so each test owns a unique course."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli.ingest import register
from bot.content import load_course
from bot.content.indexer import CourseIndexer, embedding_text
from bot.errors import ContentError
from store.database import Database
from store.models.content import Chunk, Course, IndexRun
from store.vector_search import course_index_dimension, search_chunks
from tests.content.ingest_support import (
    EXAMPLE_COURSE,
    CountingEmbedder,
    FailingEmbedder,
    copy_course,
    delete_course,
)
from tests.fakes.llm_embeddings import embed

LISTS = "day-03-data-structures/01-lists.md"


@pytest.fixture
async def slug(database: Database) -> AsyncIterator[str]:
    """A course slug no other test uses; the course is deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    await delete_course(database, name)


async def snapshot(database: Database, slug: str) -> dict[tuple[str, str], tuple[str, object]]:
    """Every chunk of the course: key -> (content hash, updated_at)."""
    async with database.sessions() as session:
        rows = await session.execute(
            select(Chunk.source_path, Chunk.anchor, Chunk.content_hash, Chunk.updated_at)
            .join(Course, Course.id == Chunk.course_id)
            .where(Course.slug == slug)
        )
        return {(p, a): (h, u) for p, a, h, u in rows.tuples()}


async def runs(database: Database, slug: str) -> list[IndexRun]:
    """The course's index runs, oldest first."""
    async with database.sessions() as session:
        statement = select(IndexRun).join(Course).where(Course.slug == slug).order_by(IndexRun.id)
        return list((await session.execute(statement)).scalars())


async def test_ingests_the_example_course(database: Database, slug: str) -> None:
    content = load_course(EXAMPLE_COURSE)
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(EXAMPLE_COURSE, slug)

    assert (result.added, result.updated, result.unchanged, result.removed) == (
        len(content.chunks),
        0,
        0,
        0,
    )
    assert result.summary() == f"added {len(content.chunks)}, updated 0, unchanged 0, removed 0"
    assert len(embedder.texts) == len({c.content_hash for c in content.chunks})
    async with database.sessions() as session:
        course = (await session.execute(select(Course).where(Course.slug == slug))).scalar_one()
        assert (course.title, course.embedding_model, course.embedding_dim) == (
            "Python Foundations",
            "all-MiniLM-L6-v2",
            384,
        )
        chunk = (
            (
                await session.execute(
                    select(Chunk).where(Chunk.course_id == course.id, Chunk.source_path == LISTS)
                )
            )
            .scalars()
            .first()
        )
        assert chunk is not None
        assert (chunk.day, chunk.location["day"]) == (3, 3)
    [run] = await runs(database, slug)
    assert (run.status, run.added, run.error) == ("succeeded", len(content.chunks), None)
    assert run.finished_at is not None


async def test_reingest_without_changes_embeds_nothing(database: Database, slug: str) -> None:
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(EXAMPLE_COURSE, slug)
    before = await snapshot(database, slug)
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(EXAMPLE_COURSE, slug)

    assert embedder.texts == []
    assert (result.added, result.updated, result.removed) == (0, 0, 0)
    assert result.unchanged == len(before)
    assert await snapshot(database, slug) == before


async def test_changed_file_reembeds_only_its_changed_chunks(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    old = {(c.source_path, c.anchor): c.content_hash for c in load_course(course).chunks}
    lists = course / LISTS
    text = lists.read_text(encoding="utf-8")
    lists.write_text(text.replace("\n\n", "\n\nLists are very handy.\n\n", 1), encoding="utf-8")
    chunks = load_course(course).chunks
    new = {(c.source_path, c.anchor): c.content_hash for c in chunks}
    changed = {key for key in new if key in old and old[key] != new[key]}
    assert changed
    assert {path for path, _ in changed} == {LISTS}
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(course, slug)

    assert result.updated == len(changed)
    assert result.added == len(new.keys() - old.keys())
    assert result.unchanged == len(new) - result.updated - result.added
    assert len(embedder.texts) == result.updated + result.added
    fresh = changed | (new.keys() - old.keys())
    assert sorted(embedder.texts) == sorted(
        embedding_text(c) for c in chunks if (c.source_path, c.anchor) in fresh
    )
    stored = await snapshot(database, slug)
    assert {key: h for key, (h, _) in stored.items()} == new


async def test_removed_file_chunks_are_deleted(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    in_file = [c for c in load_course(course).chunks if c.source_path == LISTS]
    (course / LISTS).unlink()
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(course, slug)

    assert result.removed == len(in_file)
    assert embedder.texts == []
    assert not [key for key in await snapshot(database, slug) if key[0] == LISTS]


async def test_renamed_file_reuses_stored_embeddings(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    moved = LISTS.replace("01-lists", "01-python-lists")
    (course / LISTS).rename(course / moved)
    embedder = CountingEmbedder()

    result = await CourseIndexer(database.sessions, embedder).ingest(course, slug)

    assert result.added == result.removed > 0
    # Same text in the same place of the course: the hash matches, so the vector is reused.
    assert embedder.texts == []


@pytest.mark.parametrize("case", ["missing", "empty", "undecodable", "coaching"])
async def test_bad_input_leaves_index_unchanged(
    database: Database, slug: str, tmp_path: Path, case: str
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    before, runs_before = await snapshot(database, slug), len(await runs(database, slug))
    if case == "missing":
        target, expected = tmp_path / "nowhere", "not found"
    elif case == "empty":
        target, expected = tmp_path / "empty", "no Markdown"
        target.mkdir()
    elif case == "coaching":
        target, expected = course, "`coaching` must be answer, hint or socratic, not 'solve'"
        lab = course / "day-02-control-flow" / "lab-1-fizzbuzz-and-friends.md"
        lab.write_text("---\ncoaching: solve\n---\n" + lab.read_text(encoding="utf-8"))
    else:
        target, expected = course, "not valid UTF-8"
        (course / "day-01-getting-started" / "99-broken.md").write_bytes(b"# Hi\n\n\xff\xfe oops")
    embedder = CountingEmbedder()

    with pytest.raises(ContentError, match=expected) as caught:
        await CourseIndexer(database.sessions, embedder).ingest(target, slug)

    assert "\n" not in caught.value.user_message
    assert embedder.texts == []
    assert await snapshot(database, slug) == before
    assert len(await runs(database, slug)) == runs_before


async def test_model_change_needs_reembed(database: Database, slug: str, tmp_path: Path) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    before = await snapshot(database, slug)
    other = CountingEmbedder(model="another-model")

    with pytest.raises(ContentError, match="--reembed"):
        await CourseIndexer(database.sessions, other).ingest(course, slug)
    assert other.texts == []
    assert await snapshot(database, slug) == before

    result = await CourseIndexer(database.sessions, other).ingest(course, slug, reembed=True)
    assert result.updated == len(before)
    assert len(other.texts) == len({h for h, _ in before.values()})
    async with database.sessions() as session:
        models = await session.execute(
            select(Course.embedding_model, func.count(Chunk.id))
            .join(Chunk, Chunk.course_id == Course.id)
            .where(Course.slug == slug)
            .group_by(Course.embedding_model)
        )
        assert models.tuples().all() == [("another-model", len(before))]


async def test_embedding_failure_leaves_index_and_records_run(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    before = await snapshot(database, slug)
    for file in (course / "day-05-classes").glob("*.md"):
        file.write_text(file.read_text(encoding="utf-8") + "\n\nOne more line.\n", "utf-8")

    with pytest.raises(ConnectionError):
        await CourseIndexer(database.sessions, FailingEmbedder(ok_calls=0), batch_size=2).ingest(
            course, slug
        )

    assert await snapshot(database, slug) == before
    last = (await runs(database, slug))[-1]
    assert last.status == "failed"
    assert last.error is not None
    assert "embedding server went away" in last.error


def test_cli_ingest(
    monkeypatch: pytest.MonkeyPatch, pg_url: str, slug: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    course = tmp_path / "tiny"
    (course / "day-1-basics").mkdir(parents=True)
    (course / "day-1-basics" / "01-hello.md").write_text(
        "# Hello\n\nPrint a greeting with the print function.\n\n## Variables\n\n"
        "A name refers to a value; assignment binds it.\n",
        encoding="utf-8",
    )
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    runner = CliRunner()

    ok = runner.invoke(app, ["ingest", str(course), "--course", slug, "--title", "Tiny"])
    missing = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--course", slug])

    assert ok.exit_code == 0, ok.output
    assert re.search(r"added \d+, updated 0, unchanged 0, removed 0", ok.output)
    assert missing.exit_code != 0
    assert "Course folder not found" in missing.output
    assert "Traceback" not in missing.output
    assert len(missing.output.strip().splitlines()) == 1


class HashingEmbedder:
    """A deterministic 16-dimensional model, to switch a course to another vector size."""

    model = "hashing-16"

    async def dimension(self) -> int:
        """Always 16."""
        return 16

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Bag-of-words vectors from the fake OpenAI server's embedding function."""
        return [embed(t, 16) for t in texts]


async def test_reembed_with_new_dimension_rebuilds_index(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    first = await CourseIndexer(database.sessions, CountingEmbedder(), hnsw_min_chunks=10).ingest(
        course, slug
    )
    assert first.hnsw_index

    result = await CourseIndexer(database.sessions, HashingEmbedder(), hnsw_min_chunks=10).ingest(
        course, slug, reembed=True
    )

    assert result.hnsw_index
    assert result.updated == first.added
    async with database.sessions() as session:
        assert await course_index_dimension(session, result.course_id) == 16
        found = await search_chunks(session, result.course_id, embed("lists", 16), 16, 3)
        assert len(found) == 3


async def test_ingest_summary_names_files_skipped_outside_the_folder(
    database: Database, slug: str, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("SECRET=1\n", encoding="utf-8")
    root = tmp_path / "course"
    root.mkdir()
    (root / "01-intro.md").write_text("# Intro\n\nLoops repeat code.\n", encoding="utf-8")
    (root / "notes.md").symlink_to("../.env")

    result = await CourseIndexer(database.sessions, CountingEmbedder()).ingest(root, slug)

    assert "skipped 1 (notes.md: links outside the course folder" in result.summary()


async def test_a_labs_new_coaching_mode_reaches_its_stored_chunks(
    database: Database, slug: str, tmp_path: Path
) -> None:
    course = copy_course(tmp_path / "course")
    await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)
    relative = "day-02-control-flow/lab-1-fizzbuzz-and-friends.md"
    lab = course / relative
    lab.write_text("---\ncoaching: hint\n---\n" + lab.read_text(encoding="utf-8"))

    result = await CourseIndexer(database.sessions, CountingEmbedder()).ingest(course, slug)

    async with database.sessions() as session:
        rows = await session.execute(
            select(Chunk.source_path, Chunk.location)
            .join(Course, Course.id == Chunk.course_id)
            .where(Course.slug == slug)
        )
        modes = {(path, location.get("coaching")) for path, location in rows.tuples()}
    assert (relative, "hint") in modes
    assert {mode for path, mode in modes if path != relative} == {None}
    assert (result.added, result.removed) == (0, 0)
    assert result.updated > 0
