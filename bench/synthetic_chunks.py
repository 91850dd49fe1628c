"""Synthetic course content for the retrieval benchmark: clustered vectors and texts to match.

Vectors sit in topics and sub-topics, like the sections of chapters; each chunk's text mixes
common words with its topic's and its sub-topic's words, taken from the example course so that
stemming and stop words act as they do on a course. A question about a chunk uses a few of its
sub-topic's and topic's words, so its words find the same cluster as its vector.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

COURSE = Path(__file__).resolve().parents[1] / "examples" / "python-course"
DIM = 384
# Words per synthetic chunk: common to all, of its topic, of its sub-topic.
COMMON_WORDS, TOPIC_WORDS, SUBTOPIC_WORDS = 70, 45, 25


@dataclass
class SyntheticCourse:
    """A course's vectors and, for each chunk, its topic and sub-topic (by number)."""

    vectors: np.ndarray
    topic_of: np.ndarray
    subtopic_of: np.ndarray


@dataclass
class Vocabulary:
    """The words texts are made of, and which of them belong to each (sub-)topic."""

    words: list[str]
    topic: dict[tuple[int, int], np.ndarray]
    subtopic: dict[tuple[int, int], np.ndarray]


def make_course(rng: np.random.Generator, size: int) -> SyntheticCourse:
    """Unit vectors in topics and sub-topics, like the sections of chapters."""
    topics = rng.normal(size=(max(4, size // 250), DIM))
    topic_of_subtopic = rng.integers(len(topics), size=size // 20 + 1)
    subtopics = topics[topic_of_subtopic] * 1.0
    subtopics += rng.normal(scale=0.6, size=subtopics.shape)
    subtopic_of = rng.integers(len(subtopics), size=size)
    points = subtopics[subtopic_of]
    points += rng.normal(scale=0.5, size=points.shape)
    unit: np.ndarray = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    return SyntheticCourse(unit, topic_of_subtopic[subtopic_of], subtopic_of)


def course_words() -> list[str]:
    """The distinct words of the example course, commonest first."""
    found = Counter(
        word
        for path in sorted(COURSE.rglob("*.md"))
        for word in re.findall(r"[a-z]{3,14}", path.read_text(encoding="utf-8").lower())
    )
    return sorted(found, key=lambda word: (-found[word], word))


def chunk_texts(
    rng: np.random.Generator, course: SyntheticCourse, number: int, vocabulary: Vocabulary
) -> list[str]:
    """A text for each chunk of the course: common, topic and sub-topic words, shuffled."""
    words = np.array(vocabulary.words)
    # Common words follow a Zipf-like law over the course's own word ranks: a few are everywhere.
    weights = 1.0 / np.arange(1, len(words) + 1)
    common = rng.choice(
        len(words), size=(len(course.vectors), COMMON_WORDS), p=weights / weights.sum()
    )
    texts = []
    for i in range(len(course.vectors)):
        topic = topic_words(rng, vocabulary, number, int(course.topic_of[i]), "topic")
        sub = topic_words(rng, vocabulary, number, int(course.subtopic_of[i]), "subtopic")
        picks = np.concatenate(
            [common[i], rng.choice(topic, TOPIC_WORDS), rng.choice(sub, SUBTOPIC_WORDS)]
        )
        rng.shuffle(picks)
        texts.append(" ".join(words[picks]))
    return texts


def topic_words(
    rng: np.random.Generator, vocabulary: Vocabulary, course: int, topic: int, kind: str
) -> np.ndarray:
    """The word numbers of one topic or sub-topic of a course, chosen on first use."""
    table = vocabulary.topic if kind == "topic" else vocabulary.subtopic
    key = (course, topic)
    if key not in table:
        table[key] = rng.choice(len(vocabulary.words), size=15 if kind == "topic" else 8)
    return table[key]


def question_text(
    rng: np.random.Generator,
    course: SyntheticCourse,
    number: int,
    chunk: int,
    vocabulary: Vocabulary,
) -> str:
    """A chatty question about a chunk: a few of its sub-topic's and topic's words."""
    sub = topic_words(rng, vocabulary, number, int(course.subtopic_of[chunk]), "subtopic")
    topic = topic_words(rng, vocabulary, number, int(course.topic_of[chunk]), "topic")
    picks = [*rng.choice(sub, 3, replace=False), *rng.choice(topic, 2, replace=False)]
    return "hi, how do i " + " ".join(vocabulary.words[p] for p in picks) + " here?"
