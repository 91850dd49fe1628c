"""Hybrid retrieval on real PostgreSQL, with chosen vectors so each search's ranking is known."""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from bot.coach.retrieval import RRF_K, Fusion, RetrievalMode, Retriever, fuse
from store.database import Database
from store.models.content import Chunk, Course
from tests.content.ingest_support import chunk_row, delete_course

QUESTION = [1.0, 0.0, 0.0, 0.0]
APPEND = "To add an item at the end of a list: `fruits.append('kiwi')`."


def unit(vector: list[float]) -> list[float]:
    """The vector scaled to length 1."""
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def cosine_distance(a: list[float], b: list[float]) -> float:
    """1 - cosine similarity of two vectors."""
    return 1.0 - sum(x * y for x, y in zip(unit(a), unit(b), strict=True))


class FixedEmbedder:
    """Every text embeds to the same question vector: the chunks' vectors decide the ranking."""

    model = "synthetic"

    async def dimension(self) -> int:
        """Four dimensions."""
        return len(QUESTION)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """The question vector for every text."""
        return [QUESTION for _ in texts]


@dataclass(frozen=True)
class Course20:
    """A committed course of twenty chunks: their ids, texts and vectors."""

    course_id: int
    texts: dict[int, str]
    vectors: dict[int, list[float]]


@pytest.fixture
async def course(database: Database) -> AsyncIterator[Course20]:
    """Nineteen chunks near the question vector, and the one that says ``append`` far from it."""
    slug = f"hybrid-{uuid.uuid4().hex[:8]}"
    texts = [f"Tuples, part {i}: a tuple keeps items in order, and tuples nest." for i in range(16)]
    texts += [f"Lists, part {i}: a list keeps items in order, and lists nest." for i in range(3)]
    vectors = [unit([1.0, 0.05 * (i + 1), 0.02 * i, 0.0]) for i in range(19)]
    # The chunk that answers "append" points away from the question: vectors rank it last.
    texts.append(APPEND)
    vectors.append(unit([-0.2, 0.1, 1.0, 0.5]))
    now = datetime.now(UTC)
    async with database.sessions.begin() as session:
        row = Course(slug=slug, title=slug, embedding_model="synthetic", embedding_dim=4)
        session.add(row)
        await session.flush()
        ids = (
            await session.execute(
                insert(Chunk).returning(Chunk.id),
                [
                    chunk_row(row.id, i, body, vector, "synthetic", now)
                    for i, (body, vector) in enumerate(zip(texts, vectors, strict=True))
                ],
            )
        ).scalars()
        ordered = list(ids)
    try:
        yield Course20(
            row.id, dict(zip(ordered, texts, strict=True)), dict(zip(ordered, vectors, strict=True))
        )
    finally:
        await delete_course(database, slug)


class SentenceEmbedder(FixedEmbedder):
    """The question vector for the question and for one sentence, a right angle to it for the
    others: that sentence is the one closest to the question. ``fail`` refuses every batch of
    sentences (the question alone still embeds)."""

    def __init__(self, sentence: str = "", *, fail: bool = False) -> None:
        self.sentence = sentence
        self.fail = fail

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """The question first, then the sentences of a batch."""
        if self.fail and len(texts) > 1:
            raise OSError("embedding endpoint unreachable")
        return [QUESTION] + [
            QUESTION if text == self.sentence else [0.0, 1.0, 0.0, 0.0] for text in texts[1:]
        ]


def retriever(
    database: Database,
    mode: RetrievalMode = RetrievalMode.HYBRID,
    *,
    embedder: FixedEmbedder | None = None,
    reranked: bool = True,
) -> Retriever:
    """A retriever over the test database in ``mode``."""
    return Retriever(
        database.sessions, embedder or FixedEmbedder(), retrieval_mode=mode, reranked=reranked
    )


async def test_an_identifier_finds_its_chunk_that_vectors_rank_last(
    database: Database, course: Course20
) -> None:
    question = "how do i append something to a list"

    by_vector = await retriever(database, RetrievalMode.VECTOR).retrieve(
        course.course_id, question, 3
    )
    fused = await retriever(database).retrieve(course.course_id, question, 3)

    assert APPEND not in [c.text for c in by_vector]
    [hit] = [c for c in fused if c.text == APPEND]
    assert hit.text_rank == 1
    assert hit.vector_rank is None  # not even among the 3 x 3 vector candidates
    assert hit.text_score > 0
    # Found by words alone, it still carries its true cosine distance for the confidence.
    assert hit.distance == pytest.approx(
        cosine_distance(QUESTION, course.vectors[hit.chunk_id]), abs=1e-6
    )
    assert hit.distance > max(c.distance for c in by_vector)


async def test_fused_results_carry_both_ranks_and_true_distances(
    database: Database, course: Course20
) -> None:
    found = await retriever(database, reranked=False).retrieve(
        course.course_id, "lists nest, part 3", 6
    )

    assert len(found) == 6
    assert any(c.vector_rank is not None and c.text_rank is not None for c in found)
    for chunk in found:
        assert chunk.distance == pytest.approx(
            cosine_distance(QUESTION, course.vectors[chunk.chunk_id]), abs=1e-6
        )
        expected = sum(1 / (RRF_K + rank) for rank in (chunk.vector_rank, chunk.text_rank) if rank)
        assert chunk.fused_score == pytest.approx(expected)
        assert (chunk.text_rank is None) == (chunk.text_score == 0.0)
    scores = [c.fused_score for c in found]
    assert scores == sorted(scores, reverse=True)


async def test_the_passage_whose_sentence_says_it_comes_first(
    database: Database, course: Course20
) -> None:
    question = "lists nest, part 3"
    fused = await retriever(database, reranked=False).retrieve(course.course_id, question, 6)
    saying = fused[3]

    found = await retriever(database, embedder=SentenceEmbedder(saying.text)).retrieve(
        course.course_id, question, 6
    )

    assert found[0].chunk_id == saying.chunk_id
    assert {c.chunk_id for c in found} == {c.chunk_id for c in fused}
    assert found[0].sentence_similarity == pytest.approx(1.0)
    assert all(c.sentence_similarity == pytest.approx(0.0) for c in found[1:])
    # A small k is re-ranked from the same candidates.
    [first] = await retriever(database, embedder=SentenceEmbedder(saying.text)).retrieve(
        course.course_id, question, 1
    )
    assert first.chunk_id == saying.chunk_id


async def test_without_sentence_vectors_the_fused_order_stands(
    database: Database, course: Course20
) -> None:
    question = "lists nest, part 3"
    fused = await retriever(database, reranked=False).retrieve(course.course_id, question, 6)

    found = await retriever(database, embedder=SentenceEmbedder(fail=True)).retrieve(
        course.course_id, question, 6
    )

    assert [c.chunk_id for c in found] == [c.chunk_id for c in fused]


@pytest.mark.parametrize("question", ["how do i do it?", "the and of", "' & | ! :* ( )"])
async def test_a_question_without_words_gets_vector_results_only(
    database: Database, course: Course20, question: str
) -> None:
    fused = await retriever(database).retrieve(course.course_id, question, 5)
    by_vector = await retriever(database, RetrievalMode.VECTOR).retrieve(
        course.course_id, question, 5
    )

    assert [c.chunk_id for c in fused] == [c.chunk_id for c in by_vector]
    assert [c.vector_rank for c in fused] == [1, 2, 3, 4, 5]
    assert {c.text_rank for c in fused} == {None}


async def test_text_mode_returns_only_what_the_words_match(
    database: Database, course: Course20
) -> None:
    found = await retriever(database, RetrievalMode.TEXT).retrieve(course.course_id, "append", 5)

    assert [c.text for c in found] == [APPEND]
    assert found[0].vector_rank is None


def test_fusion_adds_reciprocal_ranks() -> None:
    scores = fuse([1, 2, 3], [3, 4], Fusion(rrf_k=10, text_weight=2.0))

    assert scores == pytest.approx({1: 1 / 11, 2: 1 / 12, 3: 1 / 13 + 2 / 11, 4: 2 / 12})
    assert max(scores, key=scores.__getitem__) == 3
    assert fuse([], []) == {}
