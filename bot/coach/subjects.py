"""Is a question about another subject altogether, or about a topic the course does not teach?

The course's own passages say how close a question is to the course; they cannot say what else
it might be about. A question on another subject often shares words with a course ("table",
"interface", "python"), and a small embedding model then finds a passage near enough to answer
from. So the question is also compared with two banks of questions:

- ``other_subjects.json``: other subjects and everyday life (CSS, SQL, Excel, a lasagna recipe).
  A question far nearer to one of those than to the best sentence of the course is off-topic,
  and declined rather than answered or escalated.
- ``beyond_course.json``: Python topics a beginners' course may well not teach (threads,
  packaging, web frameworks, testing tools). A question far nearer to one of those than to the
  course asks what the course does not cover, and is escalated rather than answered.

A bank question that the course itself answers (one of its passages is as near to it as
``COVERED_SIMILARITY``) is left out for that course, so a course on CSS, or one that teaches
threads, keeps its questions; the margin over the course's best sentence guards the rest.
Which bank questions a course answers is worked out once per index of the course.

Thresholds depend on the embedding model, so they are calibrated per model; with a model that
has none (a remote endpoint, the tests' fakes) the banks are not used.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import openai
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.embedder import Embedder, PerEmbedder
from bot.errors import CoachbotError
from store.repositories.course_text import CourseTextRepository
from store.vector_search import search_chunks

log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]


class Bank(StrEnum):
    """The two banks, each with what firing on it means."""

    OTHER_SUBJECT = "other_subject"  # off-topic: declined
    BEYOND_COURSE = "beyond_course"  # on the subject, not taught: escalated


BANK_FILES = {
    Bank.OTHER_SUBJECT: Path(__file__).with_name("other_subjects.json"),
    Bank.BEYOND_COURSE: Path(__file__).with_name("beyond_course.json"),
}

# A bank question this near one of a course's passages is one the course answers.
COVERED_SIMILARITY = 0.50


@dataclass(frozen=True)
class SubjectThresholds:
    """What makes a question a bank's: close to it, and clearly closer to it than to the
    course's best sentence."""

    similarity: float
    margin: float


# Chosen on the tune split of bench/quality/eval_set.json only, for all-MiniLM-L6-v2, over the
# split's 219 course questions that reach the answerer (130 answerable, 45 uncovered, 46
# off-topic, less a few escalated before answering), on the grid of similarities 0.45-0.65 and
# margins 0.00-0.20 (steps 0.05), with the answered bank questions of the example course left
# out as above.
# - Other subjects, 156 questions written for no course in particular before any result was
#   seen (the few that were nearly an evaluation message then dropped): at 0.55, 18 off-topic
#   and 2 uncovered fire at every margin from 0.05 (2 answerable too at 0.00); at 0.60, 18
#   off-topic and nothing else at every margin from 0.05 to 0.20; at 0.65, 11 off-topic only.
#   So 0.60, with the middle margin of that plateau, 0.10.
# - Beyond the course, 78 questions, written after reading the split's uncovered questions that
#   were answered: no answerable question fires anywhere on the grid; uncovered ones fire 28
#   times at 0.45 down to 16 at 0.65 / 0.20. The middle of the grid, 0.55 / 0.10 (24 fire), as
#   the held-out split may well hold answerable questions nearer the bank.
CALIBRATED: dict[str, dict[Bank, SubjectThresholds]] = {
    "all-MiniLM-L6-v2": {
        Bank.OTHER_SUBJECT: SubjectThresholds(similarity=0.60, margin=0.10),
        Bank.BEYOND_COURSE: SubjectThresholds(similarity=0.55, margin=0.10),
    },
}


@dataclass(frozen=True)
class SubjectMatch:
    """A bank's question nearest a learner's, how near it is, and whether that makes the
    learner's question the bank's."""

    bank: Bank
    question: str
    similarity: float
    fires: bool


@cache
def load_bank(bank: Bank) -> tuple[str, ...]:
    """A bank's questions, read once per process."""
    return tuple(json.loads(BANK_FILES[bank].read_text(encoding="utf-8"))["questions"])


class SubjectBanks:
    """Both banks as unit vectors, embedded on first use and kept, with each course's
    answered bank questions (one object per embedder: ``subject_banks_for``)."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        thresholds: dict[Bank, SubjectThresholds] | None = None,
        banks: dict[Bank, tuple[str, ...]] | None = None,
    ) -> None:
        self._embedder = embedder
        self.thresholds = thresholds or CALIBRATED.get(
            embedder.model.removeprefix("sentence-transformers/"), {}
        )
        self._questions = {
            bank: (banks or {}).get(bank) or load_bank(bank) for bank in self.thresholds
        }
        self._matrix: dict[Bank, Matrix] | None = None
        self._answered: dict[int, tuple[tuple[int, int, int], dict[Bank, Mask]]] = {}
        self._lock = asyncio.Lock()

    async def check(
        self,
        sessions: async_sessionmaker[AsyncSession],
        course_id: int,
        question: str,
        course_similarity: float,
    ) -> dict[Bank, SubjectMatch]:
        """Each bank's nearest question among those the course does not answer, firing when
        near and clearly nearer than ``course_similarity`` (the question's best sentence of
        the course). Empty when the model has no calibration or the embedder fails: the
        course's own signals still decide."""
        if not self.thresholds or not question.strip():
            return {}
        try:
            matrices = await self._ready()
            vector = np.asarray((await self._embedder.embed([question]))[0], dtype=np.float32)
        except (CoachbotError, openai.OpenAIError, OSError, TimeoutError, ValueError) as exc:
            log.warning("subject banks unavailable: %s", exc)
            return {}
        unanswered = await self._unanswered(sessions, course_id, matrices)
        found = {}
        for bank, matrix in matrices.items():
            rows = np.flatnonzero(unanswered[bank])
            if not len(rows):
                continue
            similarities = matrix[rows] @ vector  # unit vectors both sides: cosine similarity
            best = int(similarities.argmax())
            similarity = float(similarities[best])
            limits = self.thresholds[bank]
            fires = (
                similarity >= limits.similarity and similarity - course_similarity >= limits.margin
            )
            question_text = self._questions[bank][int(rows[best])]
            found[bank] = SubjectMatch(bank, question_text, similarity, fires)
        return found

    async def _ready(self) -> dict[Bank, Matrix]:
        if self._matrix is None:
            async with self._lock:
                if self._matrix is None:
                    matrices = {}
                    for bank, questions in self._questions.items():
                        vectors = await self._embedder.embed(list(questions))
                        matrices[bank] = np.asarray(vectors, dtype=np.float32)
                    self._matrix = matrices
        return self._matrix

    async def _unanswered(
        self,
        sessions: async_sessionmaker[AsyncSession],
        course_id: int,
        matrices: dict[Bank, Matrix],
    ) -> dict[Bank, Mask]:
        """For each bank, which of its questions the course does not answer, as of its
        current index."""
        async with sessions() as session:
            fingerprint = await CourseTextRepository(session).fingerprint(course_id)
        cached = self._answered.get(course_id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        masks = {}
        async with sessions.begin() as session:
            for bank, matrix in matrices.items():
                nearest = [
                    await search_chunks(session, course_id, row.tolist(), matrix.shape[1], 1)
                    for row in matrix
                ]
                masks[bank] = np.array(
                    [not hits or 1.0 - hits[0][1] < COVERED_SIMILARITY for hits in nearest],
                    dtype=bool,
                )
        self._answered[course_id] = (fingerprint, masks)
        return masks


# The process's bank vectors for each embedder.
subject_banks_for = PerEmbedder(SubjectBanks)
