"""Answerability from signals the model does not control, and the course vocabulary behind it."""

from __future__ import annotations

from dataclasses import replace

from bot.coach.answerability import RAISE_CAP, assess, combine
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary, is_everyday, terms

COURSE = [
    "Lists are mutable sequences. Use append() to add an item to the end of a list.",
    "A dictionary maps keys to values; looping over items() gives key and value pairs.",
    "The for statement iterates over the items of any sequence, such as a list or a string.",
    "Python is named after the comedy group, not the snake.",
]
VOCABULARY = Vocabulary.of(COURSE)


def _chunk(i: int, similarity: float) -> RetrievedChunk:
    return RetrievedChunk(i, 1, COURSE[i], Location(day=1), "a.md", 1.0 - similarity)


def test_the_self_report_lowers_freely_and_raises_only_within_the_cap() -> None:
    assert combine(0.5, 1.0, 0.4) == 0.5 + RAISE_CAP
    assert combine(0.8, 0.3, 0.4) == 0.3
    assert combine(0.5, None, 0.4) == 0.5


def test_the_self_report_never_lifts_an_answer_over_the_threshold() -> None:
    assert combine(0.35, 1.0, 0.4) == 0.35
    assert combine(0.35, 0.1, 0.4) == 0.1


def test_a_term_the_course_never_uses_lowers_answerability() -> None:
    covered = assess("how do i append an item to a list", [_chunk(0, 0.5)], VOCABULARY)
    uncovered = assess("how do i gather asyncio tasks in a list", [_chunk(0, 0.5)], VOCABULARY)
    assert covered.unknown_terms == ()
    assert uncovered.unknown_terms == ("asyncio",)
    assert uncovered.course_coverage < covered.course_coverage
    assert uncovered.value < covered.value


def test_misspelt_and_plural_terms_match_the_course() -> None:
    assert VOCABULARY.match("dictonary") == "dictionary"
    assert VOCABULARY.match("appends") == "append"
    assert VOCABULARY.match("list") == "list"
    assert VOCABULARY.match("kubernetes") is None


def test_an_everyday_question_far_from_every_passage_is_off_topic() -> None:
    assessed = assess("what temperature should i bake a pizza at", [_chunk(3, 0.1)], VOCABULARY)
    assert assessed.off_topic
    assert not assess("how do i loop over a dictionary", [_chunk(1, 0.6)], VOCABULARY).off_topic


def test_terms_drop_filler_and_everyday_words_are_told_from_technical_ones() -> None:
    assert terms("hey so how do I slice a list pls") == ["slice", "list"]
    assert is_everyday("timeout")
    assert is_everyday("pizza")
    assert not is_everyday("asyncio")
    assert not is_everyday("pathlib")


def _ranked(i: int, path: str, vector_rank: int, text_rank: int | None) -> RetrievedChunk:
    chunk = RetrievedChunk(i, 1, COURSE[i], Location(day=1), path, 0.5, vector_rank, text_rank)
    return replace(chunk, sentence_similarity=0.6, reranked=True)


def test_a_file_that_leads_the_ranking_clearly_is_more_answerable() -> None:
    question = "how do i append an item to a list"
    clear = [_ranked(0, "lists.md", 1, 1), _ranked(1, "dicts.md", 4, None)]
    close = [_ranked(0, "lists.md", 1, 2), _ranked(1, "dicts.md", 2, 1)]
    one_file = [_ranked(0, "lists.md", 1, 1), _ranked(2, "lists.md", 2, 2)]
    lead, tie, alone = (assess(question, found, VOCABULARY) for found in (clear, close, one_file))
    assert tie.ranking_margin < lead.ranking_margin < alone.ranking_margin == 1.0
    assert tie.ranking_margin >= 0.0
    assert tie.value < lead.value
    assert lead.signals()["ranking_margin"] == round(lead.ranking_margin, 4)
