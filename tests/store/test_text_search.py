"""Course-scoped full-text search on real PostgreSQL, in a rolled-back transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.content import Chunk, Course, CourseLexeme
from store.text_search import code_keywords, search_chunks_text, search_chunks_text_near

DIM = 4
LISTS = [
    "# Lists\n\nA list holds items in order. Lists can be sliced, and a list of lists is fine.",
    "## Adding items\n\nTo add an item at the end: `fruits.append('kiwi')`.",
    "## Sorting lists\n\nsorted(list) returns a new list; list.sort() sorts the list itself.",
]


async def add_course(
    session: AsyncSession,
    slug: str,
    texts: list[str],
    locations: list[dict[str, Any]] | None = None,
) -> tuple[int, list[int]]:
    """A course with one chunk per text; returns its id and the chunk ids in order."""
    course = Course(slug=slug, title=slug, embedding_model="synthetic", embedding_dim=DIM)
    session.add(course)
    await session.flush()
    now = datetime.now(UTC)
    locations = locations or [{}] * len(texts)
    rows = [
        {
            "course_id": course.id,
            "source_path": f"{slug}/{i}.md",
            "anchor": f"s{i}",
            "ordinal": i,
            "location": locations[i],
            "section": locations[i].get("section"),
            "text": body,
            "content_hash": f"{slug}-{i}",
            "token_estimate": 3,
            "embedding": [1.0, 0.0, float(i), 0.0],
            "embedding_model": "synthetic",
            "updated_at": now,
        }
        for i, body in enumerate(texts)
    ]
    ids = (await session.execute(insert(Chunk).returning(Chunk.id), rows)).scalars().all()
    return course.id, list(ids)


async def texts_found(session: AsyncSession, course_id: int, question: str) -> list[str]:
    """The texts search_chunks_text finds, best first."""
    return [chunk.text for chunk, _ in await search_chunks_text(session, course_id, question, 10)]


async def test_search_stays_inside_the_course(session: AsyncSession) -> None:
    mine, _ = await add_course(session, "ts-mine", LISTS)
    # The other course's chunk matches the question better than any of mine.
    await add_course(session, "ts-other", ["append append append to the end of a list"])

    found = await search_chunks_text(session, mine, "append to the end of a list", 10)

    assert found
    assert {chunk.course_id for chunk, _ in found} == {mine}
    ranks = [rank for _, rank in found]
    assert ranks == sorted(ranks, reverse=True)
    assert all(rank > 0 for rank in ranks)


async def test_a_chatty_question_matches_on_any_of_its_words(session: AsyncSession) -> None:
    course, _ = await add_course(session, "ts-chatty", LISTS)

    # Most of these words are in no chunk: an AND of all of them would find nothing.
    found = await texts_found(session, course, "hey so umm how would i append smth to my stuff")

    assert found == [LISTS[1]]


async def test_a_method_name_finds_the_chunk_that_calls_it(session: AsyncSession) -> None:
    # As in a real chapter, "list" is in most chunks and "append" in one.
    others = [
        "Tuples are like lists, but a tuple never changes.",
        "A set holds items without order; it is not a list.",
        "list(d) gives the keys of a dictionary as a list.",
    ]
    course, _ = await add_course(session, "ts-method", [*LISTS, *others])

    # "fruits.append" is one token to PostgreSQL's parser unless the dot is split first.
    assert (await texts_found(session, course, "what does append do to a list"))[0] == LISTS[1]
    assert (await texts_found(session, course, "list.sort vs sorted"))[0] == LISTS[2]


async def test_the_location_is_searched_too(session: AsyncSession) -> None:
    labs = [{"day": 2, "lab_id": "2.1", "lab_title": "FizzBuzz"}, {"day": 3, "section": "Sets"}]
    course, _ = await add_course(session, "ts-where", ["Print the numbers.", "Unordered."], labs)

    assert await texts_found(session, course, "stuck on fizzbuzz") == ["Print the numbers."]
    assert await texts_found(session, course, "what are sets") == ["Unordered."]


@pytest.mark.parametrize(
    "question",
    [
        "it's a list'",
        "list & | ! :* ( ) <-> <2>",
        "list'); DROP TABLE chunks; --",
        "!list",
        "list:*",
        "(list",
        "list\\",
        "list && b || !!c",
        "list') | !('zzz",
    ],
)
async def test_operators_in_a_question_are_only_text(session: AsyncSession, question: str) -> None:
    course, _ = await add_course(session, "ts-chars", [*LISTS, "Unrelated: a tuple is immutable."])

    found = await texts_found(session, course, question)

    # "!list" as an operator would find the chunk without lists; "list:*" would be a prefix
    # search. As text, each finds only chunks that mention lists.
    assert found
    assert "Unrelated: a tuple is immutable." not in found
    assert (await session.execute(text("SELECT count(*) FROM chunks"))).scalar_one() > 0


@pytest.mark.parametrize("question", ["", "   ", "the and of", "how do i", "???", "' & |"])
async def test_a_question_without_words_finds_nothing(session: AsyncSession, question: str) -> None:
    course, _ = await add_course(session, "ts-empty", LISTS)

    assert await search_chunks_text(session, course, question, 10) == []


async def test_keywords_count_only_when_written_as_code(session: AsyncSession) -> None:
    texts = ["The while statement repeats a block.", "Loops repeat things, again and again."]
    course, _ = await add_course(session, "ts-keywords", texts)

    assert (await texts_found(session, course, "how does a while loop work"))[0] == texts[0]
    assert code_keywords("how does a `while` loop work, is it like for statements") == [
        "for",
        "while",
    ]
    assert code_keywords("while i was reading, is this in the lab for day 2?") == []
    assert code_keywords('what does "in" do, and any() vs all(') == ["all", "any", "in"]


async def test_search_vector_follows_text_updates(session: AsyncSession) -> None:
    course, ids = await add_course(session, "ts-update", ["About tuples."])
    assert await texts_found(session, course, "dictionary") == []

    await session.execute(
        Chunk.__table__.update().where(Chunk.id == ids[0]).values(text="About dictionaries.")
    )

    assert await texts_found(session, course, "dictionary") == ["About dictionaries."]
    vector = await session.scalar(select(Chunk.search_vector).where(Chunk.id == ids[0]))
    assert vector is not None
    assert "'dictionari':" in vector


async def test_only_chunks_with_the_rarer_words_are_scored(session: AsyncSession) -> None:
    texts = [f"common words, part {i}." for i in range(9)] + ["common and rare words."]
    course, _ = await add_course(session, "ts-budget", texts)

    # "common" is in all ten chunks, more than the budget of three: it scores, not searches.
    found = await search_chunks_text(session, course, "common rare", 10, budget=3)
    assert [chunk.text for chunk, _ in found] == ["common and rare words."]
    assert await search_chunks_text(session, course, "common", 10, budget=3) == []
    # Within the budget every word searches.
    assert len(await search_chunks_text(session, course, "common", 10, budget=10)) == 10


async def lexeme_counts(session: AsyncSession, course_id: int) -> dict[str, int]:
    """The course's stored lexeme counts."""
    rows = await session.execute(
        select(CourseLexeme.lexeme, CourseLexeme.chunks).where(CourseLexeme.course_id == course_id)
    )
    return dict(rows.tuples().all())


async def recounted(session: AsyncSession, course_id: int) -> dict[str, int]:
    """The same counts computed from the chunks themselves."""
    rows = await session.execute(
        text(
            "SELECT lexeme, count(*) FROM chunks, unnest(search_vector) "
            "WHERE course_id = :c GROUP BY lexeme "
            "UNION ALL SELECT '', count(*) FROM chunks WHERE course_id = :c HAVING count(*) > 0"
        ),
        {"c": course_id},
    )
    return dict(rows.tuples().all())


async def test_lexeme_counts_follow_every_write(session: AsyncSession) -> None:
    course, ids = await add_course(session, "ts-counts", LISTS)
    other, _ = await add_course(session, "ts-counts-other", ["lists elsewhere"])
    before = await lexeme_counts(session, course)
    assert (before["list"], before["append"], before[""]) == (2, 1, 3)

    await session.execute(
        Chunk.__table__.update().where(Chunk.id == ids[0]).values(text="About tuples.")
    )
    await session.execute(Chunk.__table__.delete().where(Chunk.id == ids[2]))
    counts = await lexeme_counts(session, course)

    assert counts == await recounted(session, course)
    assert (counts["append"], counts["tupl"], counts[""]) == (1, 1, 2)
    assert "list" not in counts  # both of its chunks changed or went
    assert await lexeme_counts(session, other) == await recounted(session, other)

    await session.execute(Chunk.__table__.delete().where(Chunk.course_id == course))
    assert await lexeme_counts(session, course) == {}


async def test_text_hits_can_carry_their_cosine_distance(session: AsyncSession) -> None:
    course, _ = await add_course(session, "ts-near", LISTS)
    query = [0.0, 0.0, 1.0, 0.0]

    found = await search_chunks_text_near(session, course, "lists sorting", 10, query, DIM)

    assert [chunk.text for chunk, _, _ in found] == [
        chunk.text for chunk, _ in await search_chunks_text(session, course, "lists sorting", 10)
    ]
    for chunk, _, distance in found:
        vector = [1.0, 0.0, float(chunk.ordinal), 0.0]
        expected = 1 - vector[2] / sum(x * x for x in vector) ** 0.5
        assert distance == pytest.approx(expected, abs=1e-6)
    with pytest.raises(ValueError, match="dimensions"):
        await search_chunks_text_near(session, course, "lists", 10, [1.0], DIM)
