"""Course-scoped vector search on real PostgreSQL + pgvector, in a rolled-back transaction."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.content import Chunk, Course
from store.vector_search import (
    course_index_dimension,
    drop_course_index,
    ensure_course_index,
    index_name,
    search_chunks,
)

DIM = 32


def unit(vector: list[float]) -> list[float]:
    """The vector scaled to length 1."""
    norm = sum(x * x for x in vector) ** 0.5
    return [x / norm for x in vector]


def clustered(rng: random.Random, count: int, centres: int, dim: int = DIM) -> list[list[float]]:
    """``count`` unit vectors scattered around a few random centres, like real topics."""
    middles = [[rng.gauss(0, 1) for _ in range(dim)] for _ in range(centres)]
    return [unit([c + rng.gauss(0, 0.35) for c in middles[i % centres]]) for i in range(count)]


async def add_course(session: AsyncSession, slug: str, vectors: list[list[float]]) -> int:
    """A course holding one chunk per vector; returns its id."""
    course = Course(slug=slug, title=slug, embedding_model="synthetic", embedding_dim=DIM)
    session.add(course)
    await session.flush()
    now = datetime.now(UTC)
    rows = [
        {
            "course_id": course.id,
            "source_path": f"{slug}.md",
            "anchor": f"s{i}",
            "ordinal": i,
            "location": {"section": f"s{i}"},
            "text": f"{slug} chunk {i}",
            "content_hash": f"{slug}-{i}",
            "token_estimate": 3,
            "embedding": vector,
            "embedding_model": "synthetic",
            "updated_at": now,
        }
        for i, vector in enumerate(vectors)
    ]
    if rows:
        await session.execute(insert(Chunk), rows)
    return course.id


async def plan_of(session: AsyncSession, course_id: int, query: list[float]) -> str:
    """The planner's choice for the same SQL that search_chunks sends."""
    literal = "[" + ",".join(map(str, query)) + "]"
    result = await session.execute(
        text(
            f"EXPLAIN SELECT id FROM chunks WHERE course_id = {course_id} "
            f"ORDER BY embedding::vector({DIM}) <=> '{literal}'::vector({DIM}) LIMIT 10"
        )
    )
    return "\n".join(result.scalars())


async def test_search_stays_inside_the_course(session: AsyncSession) -> None:
    rng = random.Random(1)
    query = unit([rng.gauss(0, 1) for _ in range(DIM)])
    mine = await add_course(session, "vs-mine", clustered(rng, 50, 5))
    # The other course holds the query vector itself and its close neighbours.
    near = [unit([q + rng.gauss(0, 0.01) for q in query]) for _ in range(20)]
    await add_course(session, "vs-other", [query, *near])

    found = await search_chunks(session, mine, query, DIM, 10)

    assert len(found) == 10
    assert {chunk.course_id for chunk, _ in found} == {mine}
    distances = [distance for _, distance in found]
    assert distances == sorted(distances)
    assert all(0.0 <= d <= 2.0 for d in distances)


async def test_hnsw_and_exact_search_agree(session: AsyncSession) -> None:
    rng = random.Random(2)
    data = clustered(rng, 1500, 12)
    big = await add_course(session, "vs-big", data)
    # A much larger neighbour: a global index then filter would lose most of "big"'s rows.
    await add_course(session, "vs-crowd", clustered(rng, 3000, 12))
    await session.execute(text("ANALYZE chunks"))
    # Questions resemble the content: each query is a perturbed copy of a random stored vector.
    queries = [unit([x + rng.gauss(0, 0.2) for x in v]) for v in rng.sample(data, 100)]
    exact = [await search_chunks(session, big, q, DIM, 10) for q in queries]

    assert await ensure_course_index(session, big, DIM, min_chunks=1000)
    assert index_name(big) in await plan_of(session, big, queries[0])
    approximate = [await search_chunks(session, big, q, DIM, 10) for q in queries]

    # HNSW is approximate and its graph differs from build to build (random levels): now and
    # then a query's search settles in a neighbouring cluster. Measured over many builds, about
    # 1 query in 150 does; the bounds leave room for that and still catch a collapse.
    pairs = list(zip(approximate, exact, strict=True))
    recall = sum(len({c.id for c, _ in a} & {c.id for c, _ in e}) / 10 for a, e in pairs)
    same_first = sum(a[0][0].id == e[0][0].id for a, e in pairs)
    assert recall / len(pairs) >= 0.9
    assert same_first / len(pairs) >= 0.9


async def test_course_index_follows_size(session: AsyncSession) -> None:
    rng = random.Random(3)
    course = await add_course(session, "vs-grow", clustered(rng, 30, 3))

    assert not await ensure_course_index(session, course, DIM, min_chunks=100)
    assert await course_index_dimension(session, course) is None
    assert await ensure_course_index(session, course, DIM, min_chunks=10)
    assert await course_index_dimension(session, course) == DIM
    assert await ensure_course_index(session, course, DIM, min_chunks=10)

    # The course shrank below the threshold: exact search is cheaper again.
    assert not await ensure_course_index(session, course, DIM, min_chunks=50)
    assert await course_index_dimension(session, course) is None


async def test_course_index_is_rebuilt_for_a_new_dimension(session: AsyncSession) -> None:
    course = await add_course(session, "vs-dims", [])
    await ensure_course_index(session, course, DIM, min_chunks=-1)

    assert await ensure_course_index(session, course, 16, min_chunks=-1)
    assert await course_index_dimension(session, course) == 16

    await drop_course_index(session, course)
    assert await course_index_dimension(session, course) is None


async def test_search_of_empty_course_and_wrong_dimension(session: AsyncSession) -> None:
    course = await add_course(session, "vs-empty", [])

    assert await search_chunks(session, course, [1.0] + [0.0] * (DIM - 1), DIM, 5) == []
    with pytest.raises(ValueError, match="dimensions"):
        await search_chunks(session, course, [1.0, 0.0], DIM, 5)
