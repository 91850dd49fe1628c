"""Courses and their indexed content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, Computed, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned


class Course(WorkspaceOwned, Timestamped, Base):
    """A course learners enrol in; per-course policy overrides the global settings."""

    __tablename__ = "courses"
    # Each workspace names its own courses: two may both have "python-foundations".
    __table_args__ = (UniqueConstraint("team_id", "slug", name="uq_courses_team_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    embedding_dim: Mapped[int | None]
    confidence_threshold: Mapped[float | None]
    max_turns: Mapped[int | None]
    auto_close_days: Mapped[float | None]
    # answer, hint or socratic (bot.content.coaching); a lab's own front matter wins over it.
    coaching_mode: Mapped[str | None] = mapped_column(String(20))


# A dot between names ("lst.append", "os.path") becomes a space before parsing: PostgreSQL's
# parser reads "lst.append" as one host-name token, so a question about ``append`` would miss it.
SPLIT_DOTTED = r"([[:alnum:]_])\.(?=[[:alpha:]_])"
# Python keywords and builtins that the english config drops as stop words (checked against
# PostgreSQL 16's english.stop).
CODE_STOP_WORDS = (
    "all",
    "and",
    "any",
    "as",
    "for",
    "from",
    "if",
    "in",
    "is",
    "not",
    "or",
    "while",
    "with",
)
_BODY = rf"regexp_replace(text, '{SPLIT_DOTTED}', '\1 ', 'g')"
# The text with every word but those blanked out.
_BODY_KEYWORDS = (
    rf"regexp_replace(text, '\m(?!({'|'.join(CODE_STOP_WORDS)})\M)[[:alnum:]_]+', ' ', 'gi')"
)
_HEAD = (
    "coalesce('Day ' || (location->>'day'), '') || ' ' || coalesce(location->>'day_title', '')"
    " || ' ' || coalesce(location->>'chapter_title', '') || ' ' || coalesce('Lab ' || "
    "(location->>'lab_id'), '') || ' ' || coalesce(location->>'lab_title', '') || ' ' || "
    "coalesce(section, '')"
)
# Where a chunk sits weighs 'A', its text 'B'. The english config stems and drops stop words;
# the simple one keeps words as written: all of the location's, and of the text only the
# keywords above, so "while loop" or "the in operator" can match (the text's other words as
# written doubled the vector's size for no measured gain). Migration 0008 holds a copy.
SEARCH_VECTOR = (
    f"setweight(to_tsvector('english'::regconfig, {_HEAD}), 'A') || "
    f"setweight(to_tsvector('simple'::regconfig, {_HEAD}), 'A') || "
    f"setweight(to_tsvector('english'::regconfig, {_BODY}), 'B') || "
    f"setweight(to_tsvector('simple'::regconfig, {_BODY_KEYWORDS}), 'B')"
)


class Chunk(WorkspaceOwned, Base):
    """One retrievable piece of course content with its location and embedding.

    The embedding column has no fixed dimension so that courses indexed with different models can
    share the table; each course gets its own partial HNSW index over ``embedding::vector(dim)``
    (see ``store.vector_search``), which also keeps course-filtered search exact in recall.
    ``search_vector`` is computed by the database from the location and the text, for full-text
    search (``store.text_search``); it is deferred because only the search's SQL reads it.
    """

    __tablename__ = "chunks"
    __table_args__ = (
        UniqueConstraint("course_id", "source_path", "anchor", name="uq_chunks_location"),
        Index("ix_chunks_course_lab", "course_id", "lab_id"),
        Index("ix_chunks_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    source_path: Mapped[str] = mapped_column(String(500))
    anchor: Mapped[str] = mapped_column(String(500))
    ordinal: Mapped[int]
    location: Mapped[dict[str, Any]]
    day: Mapped[int | None]
    chapter_id: Mapped[str | None] = mapped_column(String(50))
    lab_id: Mapped[str | None] = mapped_column(String(50))
    section: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    token_estimate: Mapped[int]
    embedding: Mapped[list[float]] = mapped_column(Vector())
    embedding_model: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(SEARCH_VECTOR, persisted=True), deferred=True
    )


class CourseLexeme(Base):
    """How many of a course's chunks hold a lexeme of ``search_vector`` (document frequency).

    The row with the empty lexeme counts the course's chunks. Triggers on ``chunks`` (migration
    0008) keep the counts exact; ``store.text_search`` reads them to weigh a question's words.
    Reached through its course only, it carries no workspace of its own.
    """

    __tablename__ = "course_lexemes"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    lexeme: Mapped[str] = mapped_column(Text, primary_key=True)
    chunks: Mapped[int]


class IndexRun(WorkspaceOwned, Timestamped, Base):
    """One run of ``coachbot ingest``: what it changed and how it ended."""

    __tablename__ = "index_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    embedding_model: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # running | succeeded | failed
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
