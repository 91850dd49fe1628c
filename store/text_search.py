"""Course-scoped full-text search over chunks: the one module with text-search SQL.

Learners write half sentences ("how do i add smth to the end of a list"). ``websearch_to_tsquery``
and ``plainto_tsquery`` AND every word, so such a question matches nothing. Here each word of the
question is a query of its own and a chunk matching any of them is a candidate, scored like BM25:
per word, ``ts_rank_cd`` (a chunk's location, weight 'A', counts more than its text, 'B'; see
``store.models.content.SEARCH_VECTOR``) saturated by normalisation 32, times the word's inverse
document frequency in the course (``course_lexemes``, kept by triggers). ts_rank alone knows no
document frequency, so "list" in every chunk of a lists chapter would drown "append" in the one
chunk that explains it.

The words are the question's English stems without stop words, and its words as written (simple
config) without stop words, which match a location's words as written; Python keywords that
English counts as stop words (``in``, ``is``, ``for``...) stay when the question writes them as
code, and match the text's keywords.

The question reaches PostgreSQL only as a bound parameter and is read only by ``to_tsvector``;
each lexeme it yields is turned into a query by ``plainto_tsquery``, which reads words and never
operators, so no ``&``, ``|``, ``!``, ``:*``, parenthesis or quote in a question can change the
query, and a question without words matches nothing.

As in ``store.vector_search``, the course id is inlined as an integer literal: the generic plan of
a prepared statement would not know how big the course is, so it could not choose well between
the GIN index alone and the GIN index ANDed with the ``course_id`` b-tree.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import BigInteger, Float, Text, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import Subquery

from store.models.content import CODE_STOP_WORDS, SPLIT_DOTTED, Chunk
from store.vector_search import cosine_distance

# A keyword of CODE_STOP_WORDS counts only when the question writes it as code.
_CODE_NOUNS = r"(?:loops?|statements?|keywords?|operators?|clauses?|blocks?)"
# Quoted (`in`, "is"), named as code ("while loop", "with statement") or called ("any(").
_CODE_WORD = re.compile(rf"[`'\"](\w+)[`'\"]|\b(\w+)\s+{_CODE_NOUNS}\b|\b(\w+)\(", re.IGNORECASE)
# Each word's ts_rank_cd is normalised by 32, rank / (rank + 1): a word said ten times in a
# chunk counts a little more than once, not ten times more (the saturation of BM25's k1).
RANK_NORMALISATION = 32
# Scoring a chunk costs tens of microseconds (its search_vector is read and unpacked), so only
# chunks holding the question's rarer words are scored: words are taken rarest first while the
# chunks holding them add up to at most this many. The commoner words still add to the scores of
# those chunks; a question whose rarest word is in more chunks than this finds nothing by text,
# and vector search answers it alone. On the example course's tune questions recall is the same
# for any budget from 150 up (unbounded included) and barely moves down to 40.
CANDIDATE_BUDGET = 150

# Lexemes of the question: English stems, plus the words as written that are not stop words (or
# are keywords written as code), each with its document frequency in the course (course_lexemes;
# words the course lacks drop out here) and the BM25 inverse document frequency. plainto_tsquery
# reads each lexeme as words again. "|| ''" decompresses a candidate's vector once, not per word.
# The common table expressions, shared with store.hybrid_search.
TEXT_CTES = """
    WITH words AS (SELECT regexp_replace(:question, :split, '\\1 ', 'g') AS body),
    lexemes AS (
        SELECT lexeme FROM words, unnest(to_tsvector('english', words.body))
        UNION
        SELECT lexeme FROM words, unnest(to_tsvector('simple', words.body))
        WHERE to_tsvector('english', lexeme) <> ''::tsvector OR lexeme = ANY(:code_words)
    ),
    course AS (
        SELECT chunks::float8 AS chunks FROM course_lexemes
        WHERE course_id = {course_id} AND lexeme = ''
    ),
    terms AS (
        SELECT plainto_tsquery('simple', lexemes.lexeme) AS query,
               ln(1.0 + (course.chunks - counted.chunks + 0.5) / (counted.chunks + 0.5)) AS idf,
               sum(counted.chunks) OVER (ORDER BY counted.chunks, lexemes.lexeme) <= {budget}
               AS searched
        FROM lexemes
        JOIN course_lexemes AS counted
            ON counted.course_id = {course_id} AND counted.lexeme = lexemes.lexeme
        CROSS JOIN course
    ),
    wanted AS (
        SELECT string_agg('(' || query::text || ')', ' | ')::tsquery AS query
        FROM terms WHERE searched
    ),
    candidates AS (
        SELECT chunks.id, chunks.search_vector || ''::tsvector AS vector
        FROM chunks CROSS JOIN wanted
        WHERE chunks.course_id = {course_id} AND chunks.search_vector @@ wanted.query
        OFFSET 0
    )
"""
# The k best candidates, with their score.
TEXT_SCORED = """
    SELECT candidates.id, (
        SELECT sum(terms.idf * ts_rank_cd(candidates.vector, terms.query, {normalisation}))
        FROM terms WHERE candidates.vector @@ terms.query
    ) AS score
    FROM candidates
    ORDER BY score DESC, candidates.id
    LIMIT :k
"""


def code_keywords(question: str) -> list[str]:
    """The stop-word Python keywords the question writes as code, e.g. "while loop", `in`."""
    found = (next(g for g in match.groups() if g) for match in _CODE_WORD.finditer(question))
    return sorted({word.lower() for word in found} & set(CODE_STOP_WORDS))


def text_parameters(question: str, k: int) -> list[BindParameter[Any]]:
    """The bound parameters of ``TEXT_CTES`` and ``TEXT_SCORED``."""
    return [
        bindparam("question", question),
        bindparam("split", SPLIT_DOTTED),
        bindparam("code_words", code_keywords(question), type_=ARRAY(Text)),
        bindparam("k", int(k)),
    ]


def text_sql(sql: str, course_id: int, budget: int) -> str:
    """``sql`` (built from ``TEXT_CTES`` and ``TEXT_SCORED``) for one course and budget."""
    # The course id is an integer literal, as in store.vector_search (see the module docstring).
    return sql.format(
        course_id=int(course_id), budget=int(budget), normalisation=int(RANK_NORMALISATION)
    )


def _scored(course_id: int, question: str, k: int, budget: int) -> Subquery:
    return (
        text(text_sql(TEXT_CTES + TEXT_SCORED, course_id, budget))
        .bindparams(*text_parameters(question, k))
        .columns(id=BigInteger, score=Float)
        .subquery("scored")
    )


async def search_chunks_text(
    session: AsyncSession,
    course_id: int,
    question: str,
    k: int,
    *,
    budget: int = CANDIDATE_BUDGET,
) -> list[tuple[Chunk, float]]:
    """The ``k`` chunks of one course best matching the question's words, with their score."""
    if k < 1 or not question.strip():
        return []
    scored = _scored(course_id, question, k, budget)
    statement = (
        select(Chunk, scored.c.score)
        .options(defer(Chunk.embedding))
        .join(scored, scored.c.id == Chunk.id)
        .order_by(scored.c.score.desc(), Chunk.id)
    )
    rows = await session.execute(statement)
    return [(chunk, float(score)) for chunk, score in rows.tuples()]


async def search_chunks_text_near(
    session: AsyncSession,
    course_id: int,
    question: str,
    k: int,
    embedding: list[float],
    dim: int,
    *,
    budget: int = CANDIDATE_BUDGET,
) -> list[tuple[Chunk, float, float]]:
    """As ``search_chunks_text``, with each chunk's cosine distance to ``embedding`` as well."""
    distance = cosine_distance(embedding, dim)  # checks the dimension even with no words
    if k < 1 or not question.strip():
        return []
    scored = _scored(course_id, question, k, budget)
    # Computed in the same statement for the k rows only: one round trip, not two.
    statement = (
        select(Chunk, scored.c.score, distance)
        .options(defer(Chunk.embedding))
        .join(scored, scored.c.id == Chunk.id)
        .order_by(scored.c.score.desc(), Chunk.id)
    )
    rows = await session.execute(statement)
    return [(chunk, float(score), float(near)) for chunk, score, near in rows.tuples()]
