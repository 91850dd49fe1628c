"""A course's nearest chunks and its best text matches in one statement: the fused search's SQL.

Retrieval asks PostgreSQL for two ranked lists, the chunks nearest the question's embedding
(``store.vector_search``) and the chunks that best match its words (``store.text_search``), and
fuses them in Python. Sent one after the other they cost two round trips and load a chunk both
found twice; here both lists are common table expressions of one statement, which returns each
chunk once with its rank in either list, its text score and its distance. The nearest chunks come
from ``ORDER BY <distance> LIMIT k`` on exactly the expression the course's HNSW index is built
on, so the planner uses the index as it does for ``search_chunks``.

The course's FAQ entries (``store.repositories.faq``) come with them, each with its distance, so
that retrieval can put one that asks the same thing first.

``begin_search`` reads the course and sets ``hnsw.ef_search`` for the transaction in one
statement too (``set_config(..., true)`` is ``SET LOCAL``), so a fused search is two round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.content import Chunk, Course
from store.models.faq import FAQ_SOURCE_PATH
from store.repositories.faq import MAX_FAQ_CANDIDATES
from store.text_search import (
    CANDIDATE_BUDGET,
    TEXT_CTES,
    TEXT_SCORED,
    text_parameters,
    text_sql,
)
from store.vector_search import EF_SEARCH


@dataclass(frozen=True)
class ChunkHit:
    """A chunk one of the searches found, with what each search said of it."""

    chunk_id: int
    course_id: int
    text: str
    location: dict[str, Any]
    source_path: str
    anchor: str
    distance: float
    vector_rank: int | None = None
    text_rank: int | None = None
    text_score: float = 0.0


_HYBRID = """,
    scored AS ({scored}),
    by_text AS (
        SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM scored
    ),
    nearest AS (
        SELECT id, (embedding::vector({dim})) <=> CAST(:query AS vector({dim})) AS distance
        FROM chunks WHERE course_id = {course_id}
        ORDER BY (embedding::vector({dim})) <=> CAST(:query AS vector({dim}))
        LIMIT :k
    ),
    by_vector AS (SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM nearest),
    faq AS (
        SELECT id FROM chunks
        WHERE course_id = {course_id} AND source_path = :faq_source LIMIT {faq_limit}
    )
    SELECT chunks.id, chunks.course_id, chunks.text, chunks.location, chunks.source_path,
           chunks.anchor,
           (chunks.embedding::vector({dim})) <=> CAST(:query AS vector({dim})) AS distance,
           by_vector.rank AS vector_rank, by_text.rank AS text_rank, by_text.score AS text_score
    FROM (SELECT id FROM by_vector UNION SELECT id FROM by_text UNION SELECT id FROM faq) AS found
    JOIN chunks ON chunks.id = found.id
    LEFT JOIN by_vector ON by_vector.id = found.id
    LEFT JOIN by_text ON by_text.id = found.id
"""


async def begin_search(session: AsyncSession, course_id: int, k: int) -> Course | None:
    """The course, with the HNSW scan of this transaction sized for ``k`` results."""
    # The scan returns at most ef_search rows, hence the max() (see store.vector_search).
    ef_search = str(max(EF_SEARCH, int(k)))
    statement = select(Course, func.set_config("hnsw.ef_search", ef_search, True)).where(
        Course.id == course_id
    )
    row = (await session.execute(statement)).first()
    return row[0] if row else None


async def search_chunks_hybrid(
    session: AsyncSession,
    course_id: int,
    question: str,
    embedding: list[float],
    dim: int,
    k: int,
    *,
    budget: int = CANDIDATE_BUDGET,
) -> list[ChunkHit]:
    """The ``k`` nearest chunks and the ``k`` best text matches of the course, and its FAQ
    entries' chunks, each once. Call ``begin_search`` first in the same transaction: an HNSW
    scan returns at most ``hnsw.ef_search`` rows."""
    if len(embedding) != dim:
        raise ValueError(f"query vector has {len(embedding)} dimensions, expected {dim}")
    if k < 1:
        return []
    hybrid = (
        _HYBRID.replace("{scored}", TEXT_SCORED)
        .replace("{dim}", str(int(dim)))
        .replace("{faq_limit}", str(int(MAX_FAQ_CANDIDATES)))
    )
    statement = text(text_sql(TEXT_CTES + hybrid, course_id, budget)).bindparams(
        *text_parameters(question, k),
        bindparam("query", embedding, type_=Vector(int(dim))),
        bindparam("faq_source", FAQ_SOURCE_PATH),
    )
    rows = await session.execute(statement)
    return [
        ChunkHit(
            chunk_id=int(row.id),
            course_id=int(row.course_id),
            text=row.text,
            location=dict(row.location or {}),
            source_path=row.source_path,
            anchor=row.anchor,
            distance=float(row.distance),
            vector_rank=None if row.vector_rank is None else int(row.vector_rank),
            text_rank=None if row.text_rank is None else int(row.text_rank),
            text_score=0.0 if row.text_score is None else float(row.text_score),
        )
        for row in rows
    ]


def hits_by_vector(rows: list[tuple[Chunk, float]]) -> list[ChunkHit]:
    """``search_chunks``'s results as hits."""
    return [
        _hit(chunk, distance, vector_rank=rank)
        for rank, (chunk, distance) in enumerate(rows, start=1)
    ]


def hits_by_text(rows: list[tuple[Chunk, float, float]]) -> list[ChunkHit]:
    """``search_chunks_text_near``'s results as hits."""
    return [
        _hit(chunk, distance, text_rank=rank, text_score=score)
        for rank, (chunk, score, distance) in enumerate(rows, start=1)
    ]


def hits_of_faq(rows: list[tuple[Chunk, float]]) -> list[ChunkHit]:
    """``FaqRepository.nearest``'s results as hits, without ranks."""
    return [_hit(chunk, distance) for chunk, distance in rows]


def faq_hits(hits: list[ChunkHit]) -> list[ChunkHit]:
    """The FAQ entries' chunks among ``hits``, nearest first."""
    return sorted((h for h in hits if h.source_path == FAQ_SOURCE_PATH), key=lambda h: h.distance)


def _hit(chunk: Chunk, distance: float, **ranks: Any) -> ChunkHit:
    return ChunkHit(
        chunk_id=chunk.id,
        course_id=chunk.course_id,
        text=chunk.text,
        location=dict(chunk.location or {}),
        source_path=chunk.source_path,
        anchor=chunk.anchor,
        distance=distance,
        **ranks,
    )
