"""The offline answerer quotes the passages that match the question."""

from __future__ import annotations

from bot.coach.offline import OFFLINE_MODEL, OfflineAnswerer, guess_intent, lexical_overlap
from bot.coach.types import Intent, RetrievedChunk
from bot.content.location import Location

LISTS = RetrievedChunk(
    7,
    1,
    "Lists are ordered collections. You add an item with append. "
    "Slicing returns a new list from start to stop.",
    Location(day=2, day_title="Collections", chapter_title="Lists"),
    "day2/lists.md",
    0.3,
)
LOOPS = RetrievedChunk(
    8,
    1,
    "A for loop repeats a block for each item. The range function yields numbers.",
    Location(day=1, lab_id="1.2", lab_title="Counting"),
    "day1/lab.md",
    0.6,
)


async def test_quotes_the_matching_sentence_and_cites_its_chunk() -> None:
    answer = await OfflineAnswerer().answer(
        "How do I add an item to a list with append?", [], [LISTS, LOOPS]
    )
    assert "You add an item with append." in answer.text
    assert [ref.chunk_id for ref in answer.references] == [7]
    assert answer.model == OFFLINE_MODEL
    assert answer.confidence > 0.4


async def test_unrelated_question_gets_low_confidence_and_no_citation() -> None:
    answer = await OfflineAnswerer().answer("What's the weather in Paris tomorrow?", [], [LISTS])
    assert answer.references == []
    assert answer.confidence < 0.4
    assert "could not find" in answer.text


def test_lexical_overlap_counts_question_words_found() -> None:
    assert lexical_overlap("append list item", ["you append an item"]) == 2 / 3
    assert lexical_overlap("the a of", ["anything"]) == 0.0


def test_intent_guess() -> None:
    assert guess_intent("I'm stuck on the lab, it still fails", [LOOPS]) is Intent.LAB_STRUGGLE
    assert guess_intent("Where are dictionaries covered?", [LISTS]) is Intent.NAVIGATION
    assert guess_intent("How should I start this lab?", [LISTS]) is Intent.LAB_GUIDANCE
    assert guess_intent("What is slicing?", [LISTS]) is Intent.COURSE_CONTENT
