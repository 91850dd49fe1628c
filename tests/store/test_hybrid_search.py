"""Vector and full-text search of a course in one statement, on real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.hybrid_search import begin_search, faq_hits, search_chunks_hybrid
from store.models.content import Chunk
from store.models.faq import FAQ_SOURCE_PATH
from store.text_search import search_chunks_text_near
from store.vector_search import EF_SEARCH, search_chunks
from tests.store.test_text_search import DIM, LISTS, add_course

TEXTS = [
    *LISTS,
    "Tuples are like lists, but a tuple never changes.",
    "A set holds items without order; it is not a list.",
    "list(d) gives the keys of a dictionary as a list.",
    "Dictionaries map keys to values: d['kiwi'] = 3.",
    "A for loop walks through the items of a list or a dictionary.",
]
QUERIES = [[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 4.0, 0.0], [0.0, 1.0, 0.5, 0.0], [1.0, 1.0, 7.0, 1.0]]


@pytest.mark.parametrize(
    ("question", "query"),
    [
        ("how do i append smth to a list", QUERIES[0]),
        ("keys of a dictionary", QUERIES[1]),
        ("is a tuple a list", QUERIES[2]),
        ("???", QUERIES[3]),
        ("kiwi", QUERIES[3]),
    ],
)
async def test_one_statement_finds_what_the_two_searches_find(
    session: AsyncSession, question: str, query: list[float]
) -> None:
    course, _ = await add_course(session, "hy-same", TEXTS)
    await add_course(session, "hy-other", ["append kiwi keys tuple dictionary list"])

    by_vector = await search_chunks(session, course, query, DIM, 4)
    by_text = await search_chunks_text_near(session, course, question, 4, query, DIM)
    hits = await search_chunks_hybrid(session, course, question, query, DIM, 4)

    assert {hit.chunk_id for hit in hits} == {c.id for c, _ in by_vector} | {
        c.id for c, _, _ in by_text
    }
    found = {hit.chunk_id: hit for hit in hits}
    assert [found[c.id].vector_rank for c, _ in by_vector] == [1, 2, 3, 4]
    assert [found[c.id].text_rank for c, _, _ in by_text] == list(range(1, len(by_text) + 1))
    for chunk, score, distance in by_text:
        assert found[chunk.id].text_score == pytest.approx(score)
        assert found[chunk.id].distance == pytest.approx(distance)
    for chunk, distance in by_vector:
        hit = found[chunk.id]
        assert hit.distance == pytest.approx(distance)
        assert (hit.text, hit.source_path, hit.course_id) == (
            chunk.text,
            chunk.source_path,
            chunk.course_id,
        )
        assert hit.location == chunk.location
    # A chunk only one search found has no rank in the other.
    text_ids = {c.id for c, _, _ in by_text}
    assert all(
        hit.text_rank is None and hit.text_score == 0.0
        for hit in hits
        if hit.chunk_id not in text_ids
    )


async def test_a_wrong_dimension_is_refused(session: AsyncSession) -> None:
    course, _ = await add_course(session, "hy-dim", TEXTS)

    with pytest.raises(ValueError, match="dimensions"):
        await search_chunks_hybrid(session, course, "list", [1.0, 0.0], DIM, 4)
    assert await search_chunks_hybrid(session, course, "list", QUERIES[0], DIM, 0) == []


@pytest.mark.parametrize(("k", "expected"), [(6, EF_SEARCH), (EF_SEARCH + 50, EF_SEARCH + 50)])
async def test_the_course_is_read_and_the_scan_sized_in_one_statement(
    session: AsyncSession, k: int, expected: int
) -> None:
    course, _ = await add_course(session, "hy-begin", TEXTS)

    found = await begin_search(session, course, k)

    assert found is not None
    assert (found.id, found.embedding_dim) == (course, DIM)
    shown = await session.execute(text("SHOW hnsw.ef_search"))
    assert int(shown.scalar_one()) == expected
    assert await begin_search(session, course + 1000, k) is None


async def test_the_courses_faq_chunks_come_with_their_distance(session: AsyncSession) -> None:
    course, ids = await add_course(session, "hy-faq", [*TEXTS, "Q: Can I stop a coroutine?"])
    other, other_ids = await add_course(session, "hy-faq-other", ["Q: Is lunch included?"])
    for chunk_id in (ids[-1], other_ids[0]):
        await session.execute(
            update(Chunk)
            .where(Chunk.id == chunk_id)
            .values(source_path=FAQ_SOURCE_PATH, anchor=f"faq-{chunk_id}")
        )

    # Neither search finds the entry: its words and its vector are far from the question's.
    hits = await search_chunks_hybrid(session, course, "append", QUERIES[0], DIM, 2)

    [faq] = [hit for hit in hits if hit.source_path == FAQ_SOURCE_PATH]
    assert (faq.chunk_id, faq.anchor, faq.vector_rank, faq.text_rank) == (
        ids[-1],
        f"faq-{ids[-1]}",
        None,
        None,
    )
    # add_course gives chunk i the embedding [1, 0, i, 0].
    assert faq.distance == pytest.approx(_distance(QUERIES[0], [1.0, 0.0, float(len(TEXTS)), 0.0]))
    assert faq_hits(hits) == [faq]
    assert other not in {hit.course_id for hit in hits}


def _distance(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return 1.0 - dot / (sum(x * x for x in a) ** 0.5 * sum(y * y for y in b) ** 0.5)
