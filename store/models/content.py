"""Courses and their indexed content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped


class Course(Timestamped, Base):
    """A course learners enrol in; per-course policy overrides the global settings."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    embedding_dim: Mapped[int | None]
    confidence_threshold: Mapped[float | None]
    max_turns: Mapped[int | None]
    auto_close_days: Mapped[float | None]


class Chunk(Base):
    """One retrievable piece of course content with its location and embedding.

    The embedding column has no fixed dimension so that courses indexed with different models can
    share the table; each course gets its own partial HNSW index over ``embedding::vector(dim)``
    (see ``store.vector_search``), which also keeps course-filtered search exact in recall.
    """

    __tablename__ = "chunks"
    __table_args__ = (
        UniqueConstraint("course_id", "source_path", "anchor", name="uq_chunks_location"),
        Index("ix_chunks_course_lab", "course_id", "lab_id"),
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


class IndexRun(Timestamped, Base):
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
