"""Is a question about another subject altogether (CSS, Excel, a lasagna recipe)?

The course's own passages say how close a question is to the course; they cannot say what else
it might be about. A question on another subject often shares words with a course ("table",
"interface", "python"), and a small embedding model then finds a passage near enough to answer
from. So the question is also compared with a bank of questions on other subjects and everyday
life (``other_subjects.json``): one far closer to one of those than to the best sentence of the
course is off-topic, and is declined rather than answered or escalated
(``bot.coach.answerability``).

A course about one of the bank's subjects (a JavaScript course, say) keeps its questions: they
sit at least as close to its own sentences as to the bank, and the rule needs a clear margin.
Thresholds depend on the embedding model, so they are calibrated per model; with a model that
has none (a remote endpoint, the tests' fakes) the bank is not used.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import openai

from bot.content.embedder import Embedder, PerEmbedder
from bot.errors import CoachbotError

log = logging.getLogger(__name__)

BANK_FILE = Path(__file__).with_name("other_subjects.json")

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SubjectThresholds:
    """What makes a question another subject's: close to the bank, and clearly closer to it
    than to the course's best sentence."""

    similarity: float
    margin: float


# Chosen on the tune split of bench/quality/eval_set.json only, for all-MiniLM-L6-v2 and the
# bank of 156 questions (written for no course in particular, before any result was seen; the
# few that were nearly an evaluation message were then dropped). Over the split's 219 course
# questions that reach the answerer, the grid of similarities 0.45-0.65 and margins 0.00-0.20
# fires on: at 0.55, 18 off-topic and 2 uncovered at every margin from 0.05 (2 answerable too
# at 0.00); at 0.60, 18 off-topic and nothing else at every margin from 0.05 to 0.20; at 0.65,
# 11 off-topic only. So 0.60, with the middle margin of that plateau, 0.10.
CALIBRATED: dict[str, SubjectThresholds] = {
    "all-MiniLM-L6-v2": SubjectThresholds(similarity=0.60, margin=0.10),
}


@dataclass(frozen=True)
class OtherSubject:
    """The bank question nearest a learner's question, how near it is, and whether that makes
    the question another subject's."""

    question: str
    similarity: float
    fires: bool


@cache
def load_bank(path: Path = BANK_FILE) -> tuple[str, ...]:
    """The bank's questions, read once per process."""
    return tuple(json.loads(path.read_text(encoding="utf-8"))["questions"])


class OtherSubjects:
    """The bank as unit vectors, embedded on first use and kept (one per embedder:
    ``other_subjects_for``)."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        thresholds: SubjectThresholds | None = None,
        bank: tuple[str, ...] | None = None,
    ) -> None:
        self._embedder = embedder
        self.thresholds = thresholds or CALIBRATED.get(
            embedder.model.removeprefix("sentence-transformers/")
        )
        self._bank = bank
        self._matrix: Matrix | None = None
        self._lock = asyncio.Lock()

    async def check(self, question: str, course_similarity: float) -> OtherSubject | None:
        """The closest bank question, firing when it is near and clearly nearer than
        ``course_similarity`` (the question's best sentence of the course); None when the model
        has no calibration or the embedder fails (the course's own signals still decide)."""
        thresholds = self.thresholds
        if thresholds is None or not question.strip():
            return None
        try:
            matrix = await self._ready()
            vector = np.asarray((await self._embedder.embed([question]))[0], dtype=np.float32)
        except (CoachbotError, openai.OpenAIError, OSError, TimeoutError, ValueError) as exc:
            log.warning("other-subject check unavailable: %s", exc)
            return None
        similarities = matrix @ vector  # unit vectors both sides: cosine similarity
        best = int(similarities.argmax())
        similarity = float(similarities[best])
        fires = (
            similarity >= thresholds.similarity
            and similarity - course_similarity >= thresholds.margin
        )
        return OtherSubject(self._questions()[best], similarity, fires)

    def _questions(self) -> tuple[str, ...]:
        return self._bank or load_bank()

    async def _ready(self) -> Matrix:
        if self._matrix is None:
            async with self._lock:
                if self._matrix is None:
                    vectors = await self._embedder.embed(list(self._questions()))
                    self._matrix = np.asarray(vectors, dtype=np.float32)
        return self._matrix


# The process's bank vectors for each embedder.
other_subjects_for = PerEmbedder(OtherSubjects)
