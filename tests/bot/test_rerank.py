"""The re-ranking of the first fused passages by their file's ranks and their best sentence."""

from __future__ import annotations

import pytest

from bot.coach.rerank import CANDIDATES, FEATURE_RRF_K, FEATURES, features, rerank, scores
from bot.coach.types import RetrievedChunk
from bot.content.location import Location


def _chunk(
    chunk_id: int,
    path: str,
    vector_rank: int | None,
    text_rank: int | None,
    sentence: float | None,
) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=chunk_id,
        course_id=1,
        text=f"passage {chunk_id}",
        location=Location(day=1),
        source_path=path,
        distance=0.5,
        vector_rank=vector_rank,
        text_rank=text_rank,
        sentence_similarity=sentence,
    )


def _rrf(rank: int) -> float:
    return 1.0 / (FEATURE_RRF_K + rank)


def test_each_candidate_reads_its_own_ranks_its_files_best_and_its_sentence() -> None:
    found = [
        _chunk(1, "range.md", 2, 8, 0.40),
        _chunk(2, "lists.md", 1, None, 0.50),
        _chunk(3, "lists.md", None, 1, 0.60),
        _chunk(4, "numbers.md", 9, 2, None),
    ]
    rows = features(found)
    assert len(rows[0]) == len(FEATURES)
    assert rows[0] == pytest.approx((_rrf(2), _rrf(8), -0.20, _rrf(2), _rrf(8)))
    # Vector search found one chunk of the lists chapter first, text search the other.
    assert rows[1] == pytest.approx((_rrf(1), 0.0, -0.10, _rrf(1), _rrf(1)))
    assert rows[2] == pytest.approx((0.0, _rrf(1), 0.0, _rrf(1), _rrf(1)))
    # A passage without a sentence counts as similarity 0.
    assert rows[3] == pytest.approx((_rrf(9), _rrf(2), -0.60, _rrf(9), _rrf(2)))
    assert features([]) == []


def test_the_weights_order_the_candidates_and_ties_keep_the_fused_order() -> None:
    found = [
        _chunk(1, "a.md", 1, None, 0.30),
        _chunk(2, "b.md", 2, None, 0.70),
        _chunk(3, "c.md", 3, None, 0.70),
    ]
    only_sentence = (0.0, 0.0, 1.0, 0.0, 0.0)
    assert scores(found, only_sentence) == pytest.approx([-0.40, 0.0, 0.0])
    assert [c.chunk_id for c in rerank(found, only_sentence)] == [2, 3, 1]
    assert [c.chunk_id for c in rerank(found, (0.0,) * len(FEATURES))] == [1, 2, 3]
    assert rerank([], only_sentence) == []


def test_only_the_first_candidates_move() -> None:
    found = [_chunk(i, f"{i}.md", i, None, 0.1 * i) for i in range(1, CANDIDATES + 3)]
    ranked = rerank(found, (0.0, 0.0, 1.0, 0.0, 0.0))
    assert [c.chunk_id for c in ranked[:CANDIDATES]] == list(range(CANDIDATES, 0, -1))
    assert ranked[CANDIDATES:] == found[CANDIDATES:]
    assert [c.reranked for c in ranked] == [True] * CANDIDATES + [False] * 2


def test_a_file_both_searches_rank_first_beats_a_chunk_both_rank_second() -> None:
    # "how do i drop the negative numbers from a list with a comprehension": vector search
    # ranks the del statement first, text search list comprehensions; fusion puts range() first.
    found = [
        _chunk(1, "control-flow.md", 2, 8, 0.43),
        _chunk(2, "introduction.md", 9, 2, 0.39),
        _chunk(3, "lists.md", 1, None, 0.45),
        _chunk(4, "lists.md", None, 1, 0.47),
    ]
    assert rerank(found)[0].source_path == "lists.md"


def test_the_passage_that_says_it_beats_one_on_the_topic() -> None:
    # Both searches like the dictionaries passage; the sentence that answers is elsewhere.
    found = [
        _chunk(1, "dictionaries.md", 1, 2, 0.45),
        _chunk(2, "control-flow.md", 2, 1, 0.62),
        _chunk(3, "dictionaries.md", 6, 3, 0.40),
    ]
    assert rerank(found)[0].source_path == "control-flow.md"
