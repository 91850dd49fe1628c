"""The offline answerer quotes the passage that matches the question, and cites only it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from bot.coach.extract import build_extract
from bot.coach.offline import OFFLINE_MODEL, OfflineAnswerer, guess_intent, lexical_overlap
from bot.coach.retrieval import Retriever
from bot.coach.types import Intent, RetrievedChunk
from bot.content.indexer import CourseIndexer
from bot.content.location import Location
from store.database import Database
from tests.bot.course_passages import READ_LINES, RETRIEVED, SLICING, retrieved_for
from tests.content.ingest_support import EXAMPLE_COURSE, CountingEmbedder, delete_course

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


@pytest.mark.parametrize("question", list(RETRIEVED))
async def test_the_answer_cites_exactly_the_chunk_it_quotes(question: str) -> None:
    retrieved = retrieved_for(question)
    answer = await OfflineAnswerer().answer(question, [], retrieved)
    extract = build_extract(question, retrieved)
    assert extract is not None
    assert answer.text == extract.text
    assert [ref.chunk_id for ref in answer.references] == [extract.chunk.chunk_id]
    assert answer.references[0].location == extract.chunk.location


async def test_slicing_is_answered_with_slicing_not_append() -> None:
    answer = await OfflineAnswerer().answer(SLICING, [], retrieved_for(SLICING))
    assert "indexed and sliced" in answer.text.split("\n")[1]
    assert "append" not in answer.text


@pytest.fixture
async def example_course(database: Database) -> AsyncIterator[int]:
    """The example course indexed with the bundled model, committed, then deleted."""
    slug = f"py-{uuid.uuid4().hex[:8]}"
    try:
        result = await CourseIndexer(database.sessions, CountingEmbedder()).ingest(
            EXAMPLE_COURSE, slug
        )
        yield result.course_id
    finally:
        await delete_course(database, slug)


async def test_answers_from_what_retrieval_really_returns(
    database: Database, example_course: int
) -> None:
    # Vector search's passages: hybrid retrieval also brings chunks that share the question's
    # words, which lowers their rarity within the retrieved set, and the slicing extract then
    # leads with the neighbouring chunk's `append` paragraph.
    retriever = Retriever(database.sessions, CountingEmbedder(), retrieval_mode="vector")
    answerer = OfflineAnswerer()

    slicing = await answerer.answer(
        SLICING, [], await retriever.retrieve(example_course, SLICING, 6)
    )
    lines = await answerer.answer(
        READ_LINES, [], await retriever.retrieve(example_course, READ_LINES, 6)
    )

    assert "slic" in slicing.text.split("\n")[1].lower()
    assert "append" not in slicing.text
    example = "```\n&gt;&gt;&gt; for line in f:\n...     print(line, end='')\n...\n"
    assert example in lines.text
    assert len(lines.references) == 1
    assert lines.references[0].location.section == "Methods of File Objects"
