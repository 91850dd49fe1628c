"""Passages of the example course as retrieval returns them, without a database.

The retrieval lists are what the bundled embedding model returned for each question (chunk
anchors and cosine distances, closest first), so the answerers can be tested on real chunk texts
in the order and at the distances they really get.
"""

from __future__ import annotations

import functools

from bot.coach.types import RetrievedChunk
from bot.content.chunking import ContentChunk
from bot.content.loader import load_course
from tests.content.ingest_support import EXAMPLE_COURSE

SLICING = "How do I slice a list?"
READ_LINES = "how do i read a file line by line"
DICTIONARY = "What is a dictionary?"
DEFAULTS = "How do I define a function with default arguments?"
FIZZBUZZ_HINT = "Can I get a hint for the fizzbuzz lab?"

_LISTS = "an-informal-introduction-to-python/using-python-as-a-calculator/lists"
_FILES = "input-and-output/reading-and-writing-files"
_DICTS = "tuples-sets-and-dictionaries"
_DEFAULTS = "defining-functions/more-on-defining-functions"
_FIZZ = "lab-2-1-fizzbuzz-and-friends"

RETRIEVED: dict[str, list[tuple[str, float]]] = {
    SLICING: [
        (f"{_LISTS}~2", 0.490),
        (_LISTS, 0.503),
        ("lists-in-depth/the-del-statement", 0.541),
        ("lists-in-depth/more-on-lists/using-lists-as-stacks", 0.555),
        ("lists-in-depth/more-on-lists~2", 0.558),
        ("lists-in-depth/more-on-lists", 0.565),
    ],
    READ_LINES: [
        (f"{_FILES}/methods-of-file-objects~2", 0.420),
        (f"{_FILES}/methods-of-file-objects~3", 0.577),
        (f"{_FILES}/methods-of-file-objects", 0.606),
        ("input-and-output", 0.635),
        (_FILES, 0.653),
        (f"{_FILES}~2", 0.658),
    ],
    DICTIONARY: [
        (f"{_DICTS}/sets", 0.534),
        (f"{_DICTS}/dictionaries", 0.538),
        ("lab-3-1-word-counts-and-gradebooks/check-yourself", 0.553),
        (f"{_DICTS}/dictionaries~2", 0.555),
        (f"{_DICTS}/looping-techniques~2", 0.591),
        ("lab-3-1-word-counts-and-gradebooks/exercise-3-list-comprehensions", 0.599),
    ],
    DEFAULTS: [
        (f"{_DEFAULTS}/default-argument-values~2", 0.379),
        (f"{_DEFAULTS}/default-argument-values", 0.480),
        (f"{_DEFAULTS}/special-parameters~2", 0.484),
        (f"{_DEFAULTS}/special-parameters", 0.494),
        (f"{_DEFAULTS}/keyword-arguments~2", 0.514),
        (f"{_DEFAULTS}/keyword-arguments", 0.518),
    ],
    FIZZBUZZ_HINT: [
        (f"{_FIZZ}/stretch-goal", 0.352),
        (_FIZZ, 0.374),
        (f"{_FIZZ}/exercise-1-fizzbuzz", 0.385),
        (f"{_FIZZ}/exercise-5-documentation-strings", 0.399),
        (f"{_FIZZ}/exercise-2-fizzbuzz-with-match", 0.424),
        ("welcome-to-python-foundations/asking-good-questions", 0.426),
    ],
}


@functools.cache
def _chunks() -> dict[str, tuple[int, ContentChunk]]:
    """The example course's chunks by anchor (anchors are unique across this course)."""
    found = {chunk.anchor: (i, chunk) for i, chunk in enumerate(load_course(EXAMPLE_COURSE).chunks)}
    assert len(found) == len(load_course(EXAMPLE_COURSE).chunks)
    return found


def passage(anchor: str, distance: float = 0.4) -> RetrievedChunk:
    """One chunk of the example course as retrieval returns it; its id is its reading position."""
    index, chunk = _chunks()[anchor]
    return RetrievedChunk(
        chunk_id=index + 1,
        course_id=1,
        text=chunk.text,
        location=chunk.location,
        source_path=chunk.source_path,
        distance=distance,
    )


def retrieved_for(question: str) -> list[RetrievedChunk]:
    """The passages the bundled model retrieved for one of the questions above."""
    return [passage(anchor, distance) for anchor, distance in RETRIEVED[question]]
