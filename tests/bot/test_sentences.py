"""The best sentence of the retrieved passages: how closely the course says what was asked."""

from __future__ import annotations

from bot.coach.sentences import SentenceVectors, sentence_units
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from tests.fakes.word_embedder import WordEmbedder

WORDS = ["slice", "list", "copy", "append", "item", "end", "loop", "file", "line", "read"]
PASSAGE = (
    "Lists support many operations. Use append to add an item to the end.\n\n"
    "A slice of a list returns a copy of it.\n\n"
    "```\nfor line in file:\n    print(line)\n```"
)


def _chunk(text: str, distance: float = 0.6) -> RetrievedChunk:
    return RetrievedChunk(1, 1, text, Location(day=1), "a.md", distance)


def test_a_passage_is_cut_into_sentences_and_whole_code_blocks() -> None:
    units = sentence_units(PASSAGE)
    assert "A slice of a list returns a copy of it." in units
    assert "Use append to add an item to the end." in units
    assert "for line in file:\n    print(line)" in units
    # Too short to mean anything alone.
    assert all(len(unit.split()) >= 3 for unit in units)


async def test_the_best_sentence_is_found_even_in_a_long_passage() -> None:
    embedder = WordEmbedder(WORDS)
    found = await SentenceVectors(embedder).per_passage("slice list copy", [_chunk(PASSAGE)])
    assert found is not None
    assert found[0] is not None
    assert found[0] > 0.99
    # The question and every unit go in one batch.
    assert len(embedder.batches) == 1


async def test_no_similarity_when_the_embedder_fails_or_nothing_was_retrieved() -> None:
    failing = SentenceVectors(WordEmbedder(WORDS, fail=True))
    assert await failing.per_passage("slice", [_chunk(PASSAGE)]) is None
    embedder = WordEmbedder(WORDS)
    assert await SentenceVectors(embedder).per_passage("slice", []) == []
    assert embedder.batches == []
    # A passage with nothing long enough to be a sentence has no similarity of its own.
    assert await SentenceVectors(embedder).per_passage("slice", [_chunk("# Lists")]) == [None]


async def test_a_passage_read_before_is_not_embedded_again() -> None:
    embedder = WordEmbedder(WORDS)
    vectors = SentenceVectors(embedder, capacity=1)
    first = await vectors.per_passage("slice list copy", [_chunk(PASSAGE)])
    again = await vectors.per_passage("append item end", [_chunk(PASSAGE)])
    assert first is not None
    assert again is not None
    assert again[0] is not None
    assert again[0] > 0.99
    assert embedder.batches[1] == ["append item end"]
    # A new passage pushes the oldest out of a full cache.
    await vectors.per_passage("read file line", [_chunk("Read the file line by line.")])
    await vectors.per_passage("slice list copy", [_chunk(PASSAGE)])
    assert len(embedder.batches[-1]) > 1


async def test_each_of_the_top_passages_gets_its_own_similarity() -> None:
    passages = [_chunk(PASSAGE), _chunk("Read a file line by line with a loop."), _chunk(PASSAGE)]
    found = await SentenceVectors(WordEmbedder(WORDS)).per_passage("read file line", passages)
    assert found is not None
    assert len(found) == 3
    assert found[1] == max(s for s in found if s is not None)
    assert found[0] == found[2]
