"""Helpers for ingest and retrieval tests: a shared real embedder, a counting wrapper, cleanup."""

from __future__ import annotations

import functools
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.content.embeddings import LocalEmbedder
from store.database import Database
from store.vector_search import drop_course_index

EXAMPLE_COURSE = Path(__file__).resolve().parents[2] / "examples" / "python-course"


@functools.cache
def local_embedder() -> LocalEmbedder:
    """One bundled-model embedder for the whole test session (loading it takes seconds)."""
    return LocalEmbedder()


class CountingEmbedder:
    """Delegates to a real embedder, remembering every text it was asked to embed.

    Vectors are memoised across tests by text, so re-ingesting the example course stays fast;
    ``texts`` still records every request, which is what the tests count.
    """

    _memo: dict[str, list[float]] = {}  # noqa: RUF012  (shared on purpose across instances)

    def __init__(self, inner: LocalEmbedder | None = None, *, model: str | None = None) -> None:
        self._inner = inner or local_embedder()
        self._model = model or self._inner.model
        self.texts: list[str] = []
        self.calls = 0

    @property
    def model(self) -> str:
        """The wrapped model's name, or the override given to the constructor."""
        return self._model

    async def dimension(self) -> int:
        """The wrapped model's dimension."""
        return await self._inner.dimension()

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Record the request, then embed through the memo."""
        self.calls += 1
        self.texts.extend(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, await self._inner.embed(missing), strict=True))
        return [self._memo[t] for t in texts]


class FailingEmbedder(CountingEmbedder):
    """Embeds ``ok_calls`` batches, then fails like a dropped connection."""

    def __init__(self, ok_calls: int) -> None:
        super().__init__()
        self._ok_calls = ok_calls

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Embed, or raise once the budget of good calls is spent."""
        if self.calls >= self._ok_calls:
            raise ConnectionError("embedding server went away")
        return await super().embed(texts)


def copy_course(target: Path, source: Path = EXAMPLE_COURSE) -> Path:
    """A writable copy of a course folder."""
    shutil.copytree(source, target)
    return target


async def delete_course(database: Database, slug: str) -> None:
    """Remove a committed test course, its chunks, runs and HNSW index."""
    async with database.sessions.begin() as session:
        course_id = (
            await session.execute(text("SELECT id FROM courses WHERE slug = :s"), {"s": slug})
        ).scalar()
        if course_id is not None:
            await session.execute(text("DELETE FROM courses WHERE id = :id"), {"id": course_id})
            await drop_course_index(session, int(course_id))


def chunk_row(
    course_id: int,
    ordinal: int,
    text: str,
    embedding: list[float],
    model: str,
    now: datetime,
    *,
    location: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of a test course's chunk, for inserting rows directly (without ingesting)."""
    return {
        "course_id": course_id,
        "source_path": f"day-1/{ordinal:02d}.md",
        "anchor": f"s{ordinal}",
        "ordinal": ordinal,
        "location": location or {"day": 1},
        "text": text,
        "content_hash": f"h{ordinal}",
        "token_estimate": 10,
        "embedding": embedding,
        "embedding_model": model,
        "updated_at": now,
    }
