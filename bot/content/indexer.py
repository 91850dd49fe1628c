"""Index a course folder: embed what changed, then apply every change in one short transaction."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tqdm import tqdm

from bot.clock import Clock
from bot.content import ContentChunk, CourseContent, load_course
from bot.content.embedder import Embedder
from bot.content.faq_reembed import course_chunks, embed_faq, faq_to_embed, write_faq_vectors
from bot.content.loader import MAX_FILE_BYTES
from bot.content.plan import MAX_SECTION, IndexPlan, IngestResult, check_fits, compare
from bot.errors import CoachbotError, ContentError, UsageError
from store.repositories.content import (
    ChunkRepository,
    CourseRepository,
    IndexRunRepository,
)
from store.vector_search import (
    HNSW_MIN_CHUNKS,
    course_index_dimension,
    drop_course_index,
    ensure_course_index,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
EMBED_BATCH = 64


def embedding_text(chunk: ContentChunk) -> str:
    """What gets embedded: the location label helps questions like "the day 2 lab" match."""
    return f"{chunk.location.label()}\n\n{chunk.text}"


class CourseIndexer:
    """Loads a course folder and brings its indexed chunks in line with it."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        *,
        clock: Clock | None = None,
        batch_size: int = EMBED_BATCH,
        progress: bool = False,
        hnsw_min_chunks: int = HNSW_MIN_CHUNKS,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self._sessions = sessions
        self._embedder = embedder
        self._clock = clock or Clock()
        self._batch_size = batch_size
        self._progress = progress
        self._hnsw_min_chunks = hnsw_min_chunks
        self._max_file_bytes = max_file_bytes

    async def ingest(
        self, path: Path, slug: str, *, title: str | None = None, reembed: bool = False
    ) -> IngestResult:
        """Index ``path`` as course ``slug``; on any error the stored index stays as it was."""
        if not SLUG.match(slug):
            raise UsageError(
                f"{slug!r} is not a valid course slug: use 1-64 lowercase letters, digits, "
                "'-' or '_', starting with a letter or digit."
            )
        # All-or-nothing: a bad folder fails here, before the database is touched.
        content = await asyncio.to_thread(
            lambda: load_course(path, max_file_bytes=self._max_file_bytes)
        )
        check_fits(content)
        source = await asyncio.to_thread(lambda: str(path.resolve()))
        plan = await self._prepare(source, slug, content, reembed)
        try:
            dim, embedded = await self._embed_missing(plan)
            counts = await self._apply(plan, slug, content, title, dim)
        except Exception as exc:
            await self._fail(plan.run_id, exc)
            raise
        async with self._sessions.begin() as session:
            indexed = await ensure_course_index(
                session, plan.course_id, dim, min_chunks=self._hnsw_min_chunks
            )
        return IngestResult(
            plan.course_id,
            plan.run_id,
            **counts,
            embedded=embedded,
            hnsw_index=indexed,
            skipped=tuple(content.skipped),
        )

    async def _prepare(
        self, source: str, slug: str, content: CourseContent, reembed: bool
    ) -> IndexPlan:
        model = self._embedder.model
        async with self._sessions.begin() as session:
            courses, chunks = CourseRepository(session), ChunkRepository(session)
            course = await courses.by_slug(slug)
            if course is None:
                course = await courses.add(slug, content.title, content.description)
            elif course.embedding_model not in (None, model) and not reembed:
                raise ContentError(
                    f"Course {slug!r} was indexed with the embedding model "
                    f"{course.embedding_model!r}, but {model!r} is configured. Run again with "
                    "--reembed to re-embed the whole course with the configured model."
                )
            # FAQ entries are not in the folder: their chunks stay, re-embedded when needed.
            plan = IndexPlan(course.id, 0, course_chunks(await chunks.stored(course.id)))
            plan.faq_texts = await faq_to_embed(session, course.id, model, reembed)
            compare(plan, content.chunks, model, reembed)
            if not reembed:
                plan.vectors = await chunks.embeddings_by_hash(
                    course.id, (c.content_hash for c in plan.needing_vectors()), model
                )
            run = await IndexRunRepository(session).start(course.id, source, model)
            plan.run_id = run.id
        return plan

    async def _embed_missing(self, plan: IndexPlan) -> tuple[int, int]:
        # Runs with no transaction open: embedding a big course can take minutes.
        dim = await self._embedder.dimension()
        todo = plan.needing_vectors()
        with tqdm(
            total=len(todo),
            desc="Embedding",
            unit="chunk",
            # None lets tqdm switch itself off when stderr is not a terminal.
            disable=None if self._progress else True,
        ) as bar:
            for start in range(0, len(todo), self._batch_size):
                batch = todo[start : start + self._batch_size]
                vectors = await self._embedder.embed([embedding_text(c) for c in batch])
                if len(vectors) != len(batch) or any(len(v) != dim for v in vectors):
                    raise ContentError(
                        f"The embedding model {self._embedder.model!r} returned vectors of an "
                        "unexpected number or size."
                    )
                plan.vectors.update(zip((c.content_hash for c in batch), vectors, strict=True))
                bar.update(len(batch))
        plan.faq_vectors = await embed_faq(self._embedder, plan.faq_texts, dim)
        return dim, len(todo) + len(plan.faq_vectors)

    async def _apply(
        self, plan: IndexPlan, slug: str, content: CourseContent, title: str | None, dim: int
    ) -> dict[str, int]:
        model, now = self._embedder.model, self._clock.now()
        async with self._sessions.begin() as session:
            courses, chunks = CourseRepository(session), ChunkRepository(session)
            # The row lock serialises concurrent ingests of one course; the comparison below
            # catches one that committed between our planning and now.
            course = await courses.by_slug(slug, for_update=True)
            if course is None or course.id != plan.course_id:
                raise ContentError(f"Course {slug!r} was deleted while it was being indexed.")
            if course_chunks(await chunks.stored(course.id)) != plan.stored:
                raise ContentError(
                    f"Course {slug!r} was changed by another ingest meanwhile; run again."
                )
            # An index built for another vector size would refuse the new rows; dropping it here
            # is undone with everything else if this transaction fails.
            if await course_index_dimension(session, course.id) not in (None, dim):
                await drop_course_index(session, course.id)
            await chunks.delete_ids([old.id for old in plan.removed])
            await chunks.update_many(
                [
                    {"id": old.id, **_columns(new, course.id, plan.vectors, model, now)}
                    for old, new in plan.changed
                ]
            )
            # Same text in the same place, but its position in the file may have moved.
            await chunks.update_many(
                [
                    {
                        "id": old.id,
                        "ordinal": new.ordinal,
                        "text": new.text,
                        "token_estimate": new.token_estimate,
                        "updated_at": now,
                    }
                    for old, new in plan.kept
                    if (old.ordinal, old.token_estimate) != (new.ordinal, new.token_estimate)
                ]
            )
            await chunks.add_many(
                [_columns(new, course.id, plan.vectors, model, now) for new in plan.added]
            )
            await write_faq_vectors(session, course.id, model, plan.faq_vectors)
            course.title = title or content.title
            course.description = content.description
            course.embedding_model, course.embedding_dim = model, dim
            counts = {
                "added": len(plan.added),
                "updated": len(plan.changed),
                "unchanged": len(plan.kept),
                "removed": len(plan.removed),
            }
            await IndexRunRepository(session).finish(
                plan.run_id, status="succeeded", at=now, counts=counts
            )
        return counts

    async def _fail(self, run_id: int, exc: Exception) -> None:
        # The run record is read by admins, so an unexpected error keeps its type and text.
        reason = (
            exc.user_message if isinstance(exc, CoachbotError) else f"{type(exc).__name__}: {exc}"
        )
        async with self._sessions.begin() as session:
            await IndexRunRepository(session).finish(
                run_id, status="failed", at=self._clock.now(), error=reason[:2000]
            )


def _columns(
    chunk: ContentChunk,
    course_id: int,
    vectors: dict[str, list[float]],
    model: str,
    now: datetime,
) -> dict[str, Any]:
    where = chunk.location
    return {
        "course_id": course_id,
        "source_path": chunk.source_path,
        "anchor": chunk.anchor,
        "ordinal": chunk.ordinal,
        "location": where.to_dict(),
        "day": where.day,
        "chapter_id": where.chapter_id,
        "lab_id": where.lab_id,
        # The section is only a display hint, so a very long heading is shortened, not refused.
        "section": where.section[:MAX_SECTION] if where.section else None,
        "text": chunk.text,
        "content_hash": chunk.content_hash,
        "token_estimate": chunk.token_estimate,
        "embedding": vectors[chunk.content_hash],
        "embedding_model": model,
        "updated_at": now,
    }
