"""Questions about another programming language than the course's are off-topic for it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.coach.answerability import assess
from bot.coach.confidence import OUT_OF_SCOPE_CAP
from bot.coach.types import RetrievedChunk
from bot.content.languages import course_languages, languages_named, other_language
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary

PYTHON = frozenset({"Python"})


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("in c# does finally still run if i return inside the try block?", "C#"),
        ("whats the go way of doing a for each over a map, golang", "Go"),
        ("rust: iterate over a vector and also get the index", "Rust"),
        ("javascript switch statement, does it fall through without break?", "JavaScript"),
        ("in node should i use require or import for a module", "JavaScript"),
        ("C printf format specifier for a double in c code", "C"),
        ("sql GROUP BY with COUNT, only groups with more than 5 rows", "SQL"),
        ("in java how do i read a file line by line", "Java"),
        ("node: SyntaxError: Unexpected token < in JSON when i fetch my api", "JavaScript"),
        ("C printf format specifier for a double, %f or %lf", "C"),
        ("c: how do i free memory i got from malloc", "C"),
    ],
)
def test_a_question_on_another_language_is_for_that_language(text: str, language: str) -> None:
    assert other_language(text, PYTHON) == language


@pytest.mark.parametrize(
    "text",
    [
        # Compared with the course's language, or naming it.
        "can i assign a variable inside an if condition like in c",
        "is __init__ the same as a constructor in java, someone at work says no",
        "and compared to a bash script? thats what i use now at work",
        "how is a python dict different from a javascript object",
        "coming from java, why does python have no switch statement",
        # Words that only look like a language's name.
        "how do i make a node class for a linked list",
        "my file is in C:\\Users\\me\\notes.txt and open() can't find it",
        "how should my program react to a wrong password",
        "let's go over the for loop again",
        "how do i print a list",
    ],
)
def test_comparisons_and_look_alike_words_are_not_another_language(text: str) -> None:
    assert other_language(text, PYTHON) is None


def test_a_course_about_no_language_or_about_that_one_keeps_its_questions() -> None:
    question = "javascript switch statement, does it fall through without break?"
    assert other_language(question, frozenset()) is None
    assert other_language(question, frozenset({"JavaScript"})) is None


def test_a_course_is_about_the_languages_a_fair_share_of_its_chunks_name() -> None:
    texts = [f"Python lists, part {n}." for n in range(18)] + [
        "Unlike in C, a Python integer has no fixed size.",
        "Java programmers will know this as an interface.",
    ]
    assert Vocabulary.of(texts).languages == PYTHON
    assert course_languages({"Python": 18, "C": 1, "Java": 1}, 20) == PYTHON
    assert course_languages({}, 0) == frozenset()
    assert languages_named("c++ templates and std::vector") == frozenset({"C++"})


def test_another_languages_question_is_off_topic_and_capped() -> None:
    texts = ["The finally clause runs before the function returns from the try block."] * 3
    chunk = RetrievedChunk(1, 1, texts[0], Location(day=4), "errors.md", 0.1)
    vocabulary = replace(Vocabulary.of(texts), languages=PYTHON)
    asked = assess(
        "in c# does finally still run if i return inside the try block?", [chunk], vocabulary
    )
    plain = assess("does finally still run if i return inside the try block?", [chunk], vocabulary)
    assert asked.off_topic
    assert asked.out_of_scope
    assert asked.value <= OUT_OF_SCOPE_CAP
    assert asked.signals()["other_language"] == 1.0
    assert not plain.off_topic
    assert not plain.out_of_scope
    assert "other_language" not in plain.signals()
