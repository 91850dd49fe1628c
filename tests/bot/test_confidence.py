"""The confidence formula: each signal moves the result the documented way."""

from __future__ import annotations

from bot.coach.confidence import OUT_OF_SCOPE_CAP, UNGROUNDED_CAP, compute_confidence
from bot.coach.types import Intent, RetrievedChunk
from bot.content.location import Location


def chunk(chunk_id: int, similarity: float) -> RetrievedChunk:
    return RetrievedChunk(chunk_id, 1, f"text {chunk_id}", Location(day=1), "a.md", 1 - similarity)


STRONG = [chunk(1, 0.8), chunk(2, 0.5), chunk(3, 0.4)]


def test_strong_grounded_answer_is_confident() -> None:
    result = compute_confidence(
        STRONG, cited_ids=[1], grounded=True, grounding_score=0.95, intent=Intent.COURSE_CONTENT
    )
    assert result.value > 0.9
    assert result.signals["coverage"] == 1.0
    assert result.signals["top_similarity"] == 0.8


def test_nothing_retrieved_is_zero() -> None:
    result = compute_confidence(
        [], cited_ids=[1], grounded=True, grounding_score=1.0, intent=Intent.COURSE_CONTENT
    )
    assert result.value == 0.0


def test_citing_unretrieved_chunks_lowers_coverage() -> None:
    honest = compute_confidence(
        STRONG, cited_ids=[1, 2], grounded=True, grounding_score=0.9, intent=Intent.NAVIGATION
    )
    invented = compute_confidence(
        STRONG, cited_ids=[1, 99], grounded=True, grounding_score=0.9, intent=Intent.NAVIGATION
    )
    assert invented.signals["coverage"] == 0.5
    assert invented.value < honest.value


def test_ungrounded_caps_the_grounding_signal() -> None:
    result = compute_confidence(
        STRONG, cited_ids=[1], grounded=False, grounding_score=0.9, intent=Intent.COURSE_CONTENT
    )
    assert result.signals["grounding"] == UNGROUNDED_CAP
    assert result.value < 0.7


def test_out_of_scope_is_capped_low() -> None:
    result = compute_confidence(
        STRONG, cited_ids=[1], grounded=True, grounding_score=1.0, intent=Intent.OUT_OF_SCOPE
    )
    assert result.value == OUT_OF_SCOPE_CAP


def test_weak_retrieval_without_margin_is_below_default_threshold() -> None:
    weak = [chunk(1, 0.2), chunk(2, 0.19)]
    result = compute_confidence(
        weak, cited_ids=[], grounded=False, grounding_score=0.1, intent=Intent.COURSE_CONTENT
    )
    assert result.value < 0.40
    assert 0.0 <= result.value <= 1.0
