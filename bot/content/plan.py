"""Planning an ingest: how a course folder's chunks compare with the ones already indexed.

Pure functions over the loaded folder and the stored rows, so an ingest refuses bad content and
knows what to embed before it opens a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.chunking import ContentChunk
from bot.content.loader import CourseContent
from bot.errors import ContentError
from store.repositories.content import StoredChunk

# Column sizes of the chunks table; a longer value would fail deep inside the final transaction.
MAX_PATH, MAX_ID, MAX_SECTION = 500, 50, 500


@dataclass(frozen=True)
class IngestResult:
    """What one ingest run changed."""

    course_id: int
    run_id: int
    added: int
    updated: int
    unchanged: int
    removed: int
    embedded: int
    hnsw_index: bool
    skipped: tuple[str, ...] = ()  # files left out, each with its reason

    def summary(self) -> str:
        """The one-line summary the CLI prints."""
        line = (
            f"added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, removed {self.removed}"
        )
        if self.skipped:
            line += f"; skipped {len(self.skipped)} ({'; '.join(self.skipped)})"
        return line


@dataclass
class IndexPlan:
    """How the folder's chunks relate to the stored ones, and the vectors they need."""

    course_id: int
    run_id: int
    stored: dict[tuple[str, str], StoredChunk]
    added: list[ContentChunk] = field(default_factory=list)
    changed: list[tuple[StoredChunk, ContentChunk]] = field(default_factory=list)
    kept: list[tuple[StoredChunk, ContentChunk]] = field(default_factory=list)
    removed: list[StoredChunk] = field(default_factory=list)
    vectors: dict[str, list[float]] = field(default_factory=dict)
    # The course's FAQ chunks to embed again (new model or --reembed): id -> text, then vector.
    faq_texts: dict[int, str] = field(default_factory=dict)
    faq_vectors: dict[int, list[float]] = field(default_factory=dict)

    def needing_vectors(self) -> list[ContentChunk]:
        """New and changed chunks, one per content hash, that no stored vector covers."""
        chunks = [*self.added, *(new for _, new in self.changed)]
        unique = {c.content_hash: c for c in chunks if c.content_hash not in self.vectors}
        return list(unique.values())


def compare(plan: IndexPlan, chunks: list[ContentChunk], model: str, reembed: bool) -> None:
    """Sort the folder's chunks into added, changed, kept and removed against the stored ones."""
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        key = (chunk.source_path, chunk.anchor)
        if key in seen:
            raise ContentError(f"{chunk.source_path} has two sections with the anchor {key[1]!r}.")
        seen.add(key)
        old = plan.stored.get(key)
        if old is None:
            plan.added.append(chunk)
        elif reembed or old.content_hash != chunk.content_hash or old.embedding_model != model:
            plan.changed.append((old, chunk))
        else:
            plan.kept.append((old, chunk))
    plan.removed = [old for key, old in plan.stored.items() if key not in seen]


def check_fits(content: CourseContent) -> None:
    """Refuse, before anything is embedded, values longer than the chunks table's columns."""
    for chunk in content.chunks:
        where = chunk.location
        if len(chunk.source_path) > MAX_PATH or len(chunk.anchor) > MAX_PATH:
            raise ContentError(
                f"{chunk.source_path[:80]}...: the file path or heading is too long."
            )
        for name, value in (("chapter id", where.chapter_id), ("lab id", where.lab_id)):
            if value is not None and len(value) > MAX_ID:
                raise ContentError(
                    f"{chunk.source_path}: the {name} {value[:60]!r} is longer than {MAX_ID} "
                    "characters."
                )
