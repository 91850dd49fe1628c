"""Course-scoped nearest-neighbour search over chunk embeddings: the one module with vector SQL.

Why one partial HNSW index per course rather than one index over the whole table:
pgvector 0.6 has no iterative index scans. An HNSW scan returns at most ``hnsw.ef_search``
candidates from the *whole* table, and only then does PostgreSQL apply ``WHERE course_id = ...``.
When a course is a small share of the table most candidates belong to other courses and the
filter silently leaves fewer than ``k`` rows, or the wrong ones (``bench/retrieval_bench.py``
measures this). A partial index ``... WHERE course_id = <id>`` holds only that course's rows, so
every candidate it returns is eligible and recall stays that of plain HNSW.

Two details make the planner pick the partial index:

* the course id is inlined as an integer literal. With a bound parameter (``course_id = $1``) a
  prepared statement's generic plan cannot prove that the index predicate holds, and psycopg
  prepares statements after a few executions;
* the embedding column has no fixed dimension (courses may use different models), so the index is
  built on the expression ``(embedding::vector(<dim>))`` and the query orders by exactly the same
  expression.

Small courses need no index: below ``HNSW_MIN_CHUNKS`` rows an exact scan through the
``course_id`` b-tree is fast and has perfect recall, because each embedding is kept in its row
(migration 0019) and the scan reads one page per few chunks. ``ensure_course_index`` creates the
index once a course grows past that size, re-creates it when the course's dimension changes, and
drops it when the course shrinks again.
"""

from __future__ import annotations

import re

from pgvector.sqlalchemy import Vector
from sqlalchemy import Integer, cast, func, literal, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement

from store.models.content import Chunk

# Past this many chunks a course gets its own HNSW index; below it exact search is cheap.
HNSW_MIN_CHUNKS = 2000
# Candidates the HNSW scan keeps (pgvector's default is 40); 100 keeps recall@10 above 0.95.
EF_SEARCH = 100
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
_DIMENSION_IN_INDEX = re.compile(r"vector\((\d+)\)")


def index_name(course_id: int) -> str:
    """The name of the course's partial HNSW index."""
    return f"ix_chunks_hnsw_course_{int(course_id)}"


def _course_filter(course_id: int) -> ColumnElement[bool]:
    # A literal, not a bind parameter: see the module docstring.
    return Chunk.course_id == literal_column(str(int(course_id)), Integer)


def _typed_embedding(dim: int) -> ColumnElement[list[float]]:
    return cast(Chunk.embedding, Vector(int(dim)))


def cosine_distance(embedding: list[float], dim: int) -> ColumnElement[float]:
    """A chunk's cosine distance to ``embedding``, as the per-course indexes compute it."""
    if len(embedding) != dim:
        raise ValueError(f"query vector has {len(embedding)} dimensions, expected {dim}")
    query = cast(literal(embedding, Vector(int(dim))), Vector(int(dim)))
    distance: ColumnElement[float] = _typed_embedding(dim).cosine_distance(query)
    return distance


async def search_chunks(
    session: AsyncSession, course_id: int, embedding: list[float], dim: int, k: int
) -> list[tuple[Chunk, float]]:
    """The ``k`` chunks of one course nearest to ``embedding``, with their cosine distance."""
    distance = cosine_distance(embedding, dim).label("distance")
    # SET LOCAL lasts until the end of the current transaction, so it never leaks to other
    # users of a pooled connection; the scan returns at most ef_search rows, hence the max().
    await session.execute(text(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, int(k))}"))
    statement = (
        select(Chunk, distance)
        .options(defer(Chunk.embedding))
        .where(_course_filter(course_id))
        .order_by(distance)
        .limit(int(k))
    )
    rows = await session.execute(statement)
    return [(chunk, float(score)) for chunk, score in rows.tuples()]


async def count_course_chunks(session: AsyncSession, course_id: int) -> int:
    """How many chunks the course has."""
    statement = select(func.count()).select_from(Chunk).where(Chunk.course_id == course_id)
    return int((await session.execute(statement)).scalar_one())


async def course_index_dimension(session: AsyncSession, course_id: int) -> int | None:
    """The dimension the course's HNSW index was built for, or None without an index."""
    statement = text(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks' AND indexname = :name"
    )
    definition = (await session.execute(statement, {"name": index_name(course_id)})).scalar()
    if definition is None:
        return None
    match = _DIMENSION_IN_INDEX.search(str(definition))
    return int(match.group(1)) if match else None


async def ensure_course_index(
    session: AsyncSession, course_id: int, dim: int, *, min_chunks: int = HNSW_MIN_CHUNKS
) -> bool:
    """Create, rebuild or drop the course's HNSW index to suit its size; True if one exists."""
    if await count_course_chunks(session, course_id) <= min_chunks:
        await drop_course_index(session, course_id)
        return False
    existing = await course_index_dimension(session, course_id)
    if existing == dim:
        return True
    if existing is not None:
        await drop_course_index(session, course_id)
    # The building transaction blocks writes to chunks (all courses) until it commits; ingest
    # runs it in its own short transaction after the content changes are committed.
    await session.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {index_name(course_id)} ON chunks "
            f"USING hnsw ((embedding::vector({int(dim)})) vector_cosine_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) "
            f"WHERE course_id = {int(course_id)}"
        )
    )
    return True


async def drop_course_index(session: AsyncSession, course_id: int) -> None:
    """Drop the course's HNSW index if it exists (searches fall back to exact)."""
    await session.execute(text(f"DROP INDEX IF EXISTS {index_name(course_id)}"))
