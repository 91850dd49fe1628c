"""Questions on another subject, or on a topic the course does not teach: near a bank of such
questions, clearly nearer than the course, and not a bank question the course answers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from bot.coach.answerability import assess
from bot.coach.confidence import OUT_OF_SCOPE_CAP
from bot.coach.subjects import CALIBRATED, Bank, SubjectBanks, SubjectThresholds, load_bank
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary
from store.database import Database
from store.models.content import Chunk, Course
from tests.content.ingest_support import chunk_row, delete_course
from tests.evaluation_items import near_evaluation_items
from tests.fakes.word_embedder import WordEmbedder

WORDS = ["css", "div", "center", "lasagna", "recipe", "list", "append", "python", "thread"]
BANKS = {
    Bank.OTHER_SUBJECT: ("how do i center a div in css", "a good lasagna recipe"),
    Bank.BEYOND_COURSE: ("how do i run a python thread",),
}
THRESHOLDS = {bank: SubjectThresholds(similarity=0.6, margin=0.1) for bank in Bank}
LISTS = "Lists in python: use append to add an item to the end of a list."
CSS = "To center a div, css has flexbox: center the div on both axes."


def vector(text: str) -> list[float]:
    return WordEmbedder(WORDS).vector(text)


async def add_chunks(database: Database, course_id: int, texts: list[str], first: int = 0) -> None:
    """Commit chunks of ``texts`` (embedded by WordEmbedder) to the course, numbered from
    ``first``."""
    now = datetime.now(UTC)
    async with database.sessions.begin() as session:
        await session.execute(
            insert(Chunk),
            [
                chunk_row(course_id, i, body, vector(body), "words", now)
                for i, body in enumerate(texts, start=first)
            ],
        )


MakeCourse = Callable[[list[str]], Awaitable[int]]


@pytest.fixture
async def make_course(database: Database) -> AsyncIterator[MakeCourse]:
    """Commits courses of the given chunk texts (embedded by WordEmbedder); removes them after."""
    slugs: list[str] = []

    async def make(texts: list[str]) -> int:
        slug = f"subjects-{uuid.uuid4().hex[:8]}"
        slugs.append(slug)
        async with database.sessions.begin() as session:
            row = Course(slug=slug, title=slug, embedding_model="words", embedding_dim=len(WORDS))
            session.add(row)
            await session.flush()
            course_id = int(row.id)
        await add_chunks(database, course_id, texts)
        return course_id

    yield make
    for slug in slugs:
        await delete_course(database, slug)


def _banks(embedder: WordEmbedder | None = None) -> SubjectBanks:
    return SubjectBanks(embedder or WordEmbedder(WORDS), thresholds=THRESHOLDS, banks=BANKS)


async def test_a_question_on_another_subject_fires_when_the_course_is_far(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    found = await _banks().check(database.sessions, course, "center my div with css?", 0.2)
    other = found[Bank.OTHER_SUBJECT]
    assert other.question == "how do i center a div in css"
    assert other.fires
    assert not found[Bank.BEYOND_COURSE].fires


async def test_a_topic_the_course_does_not_teach_fires_its_own_bank(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    found = await _banks().check(database.sessions, course, "a thread in python?", 0.3)
    assert found[Bank.BEYOND_COURSE].fires
    assert not found[Bank.OTHER_SUBJECT].fires


async def test_a_course_question_nearer_the_course_than_the_bank_keeps_it(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    found = await _banks().check(database.sessions, course, "center my div with css?", 0.95)
    assert not found[Bank.OTHER_SUBJECT].fires


async def test_a_bank_question_the_course_answers_is_left_out_for_that_course(
    database: Database, make_course: MakeCourse
) -> None:
    lists = await make_course([LISTS])
    css = await make_course([LISTS, CSS])
    banks = _banks()
    question = "how to center a div in css"
    # Even with a low best-sentence similarity, a CSS course's question is not off-topic there.
    assert (await banks.check(database.sessions, lists, question, 0.2))[Bank.OTHER_SUBJECT].fires
    there = await banks.check(database.sessions, css, question, 0.2)
    assert not there[Bank.OTHER_SUBJECT].fires


async def test_a_course_that_comes_to_answer_a_bank_question_keeps_it_after_re_indexing(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    banks = _banks()
    question = "how to center a div in css"
    assert (await banks.check(database.sessions, course, question, 0.2))[Bank.OTHER_SUBJECT].fires
    await add_chunks(database, course, [CSS], first=9)
    found = await banks.check(database.sessions, course, question, 0.2)
    assert not found[Bank.OTHER_SUBJECT].fires


async def test_the_banks_are_embedded_once_per_process(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    embedder = WordEmbedder(WORDS)
    banks = _banks(embedder)
    await banks.check(database.sessions, course, "a lasagna recipe please", 0.1)
    await banks.check(database.sessions, course, "center a div", 0.1)
    assert [len(batch) for batch in embedder.batches] == [2, 1, 1, 1]


async def test_without_calibration_or_with_a_failing_embedder_nothing_is_checked(
    database: Database, make_course: MakeCourse
) -> None:
    course = await make_course([LISTS])
    uncalibrated = SubjectBanks(WordEmbedder(WORDS), banks=BANKS)
    assert uncalibrated.thresholds == {}
    assert await uncalibrated.check(database.sessions, course, "center a div css", 0.0) == {}
    failing = _banks(WordEmbedder(WORDS, fail=True))
    assert await failing.check(database.sessions, course, "css div", 0.0) == {}


async def test_a_fired_bank_caps_answerability_and_only_other_subjects_are_off_topic(
    database: Database, make_course: MakeCourse
) -> None:
    course_texts = ["A table of values: a list can hold the rows of a table."]
    course = await make_course(course_texts)
    chunk = RetrievedChunk(1, course, course_texts[0], Location(day=1), "a.md", 0.3)
    vocabulary = Vocabulary.of(course_texts)
    banks = _banks()
    css = tuple((await banks.check(database.sessions, course, "css center div", 0.2)).values())
    thread = tuple((await banks.check(database.sessions, course, "python thread", 0.2)).values())
    plain = assess("css center div", [chunk], vocabulary)
    other = assess("css center div", [chunk], vocabulary, subjects=css)
    beyond = assess("python thread", [chunk], vocabulary, subjects=thread)
    assert not plain.off_topic
    assert other.off_topic
    assert other.value <= OUT_OF_SCOPE_CAP
    assert not beyond.off_topic
    assert beyond.value <= OUT_OF_SCOPE_CAP
    assert beyond.fired(Bank.BEYOND_COURSE)
    assert set(other.signals()) >= {"other_subject", "beyond_course"}


def test_the_bundled_model_is_calibrated_and_the_banks_are_not_small() -> None:
    assert set(CALIBRATED["all-MiniLM-L6-v2"]) == set(Bank)
    for bank in Bank:
        questions = load_bank(bank)
        assert len(questions) >= 60
        assert len(set(questions)) == len(questions)


def test_no_bank_question_is_or_nearly_is_an_evaluation_item() -> None:
    assert near_evaluation_items(q for bank in Bank for q in load_bank(bank)) == []
