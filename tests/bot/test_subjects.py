"""Questions on another subject altogether: near the bank, clearly nearer than the course."""

from __future__ import annotations

import json
import math
import re
from difflib import SequenceMatcher
from pathlib import Path

from bot.coach.answerability import assess
from bot.coach.confidence import OUT_OF_SCOPE_CAP
from bot.coach.subjects import CALIBRATED, OtherSubjects, SubjectThresholds, load_bank
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary

WORDS = ["css", "div", "center", "lasagna", "recipe", "list", "append", "python", "table"]
BANK = ("how do i center a div in css", "a good lasagna recipe")
EVAL_SET = Path(__file__).resolve().parents[2] / "bench" / "quality" / "eval_set.json"
THRESHOLDS = SubjectThresholds(similarity=0.6, margin=0.1)


class WordEmbedder:
    """Bag-of-words unit vectors over a fixed vocabulary."""

    model = "words"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.batches: list[list[str]] = []

    async def dimension(self) -> int:
        return len(WORDS)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        if self.fail:
            raise OSError("embedding endpoint unreachable")
        self.batches.append(texts)
        vectors = []
        for text in texts:
            words = re.findall(r"[a-z]+", text.lower())
            counts = [float(words.count(word)) for word in WORDS]
            norm = math.sqrt(sum(c * c for c in counts)) or 1.0
            vectors.append([c / norm for c in counts])
        return vectors


def _subjects(embedder: WordEmbedder | None = None) -> OtherSubjects:
    return OtherSubjects(embedder or WordEmbedder(), thresholds=THRESHOLDS, bank=BANK)


async def test_a_question_on_another_subject_fires_when_the_course_is_far() -> None:
    found = await _subjects().check("how to center my div with css?", course_similarity=0.2)
    assert found is not None
    assert found.question == "how do i center a div in css"
    assert found.fires


async def test_a_course_as_near_as_the_bank_keeps_its_question() -> None:
    # A course about CSS has sentences as close to the question as the bank is.
    found = await _subjects().check("how to center my div with css?", course_similarity=0.95)
    assert found is not None
    assert not found.fires


async def test_a_course_question_is_far_from_the_bank() -> None:
    found = await _subjects().check("how do i append to a python list", course_similarity=0.3)
    assert found is not None
    assert not found.fires


async def test_the_bank_is_embedded_once_per_process() -> None:
    embedder = WordEmbedder()
    subjects = _subjects(embedder)
    await subjects.check("a lasagna recipe please", course_similarity=0.1)
    await subjects.check("center a div", course_similarity=0.1)
    assert [len(batch) for batch in embedder.batches] == [len(BANK), 1, 1]


async def test_without_calibration_or_with_a_failing_embedder_nothing_is_checked() -> None:
    uncalibrated = OtherSubjects(WordEmbedder(), bank=BANK)
    assert uncalibrated.thresholds is None
    assert await uncalibrated.check("center a div in css", course_similarity=0.0) is None
    assert await _subjects(WordEmbedder(fail=True)).check("css div", course_similarity=0.0) is None


def test_the_bundled_model_is_calibrated_and_the_bank_is_not_empty() -> None:
    assert "all-MiniLM-L6-v2" in CALIBRATED
    bank = load_bank()
    assert len(bank) >= 100
    assert len(set(bank)) == len(bank)


async def test_another_subjects_question_is_off_topic_and_capped() -> None:
    course = ["A table of values: python lists can hold rows of a table."]
    chunk = RetrievedChunk(1, 1, course[0], Location(day=1), "a.md", 0.3)
    found = await _subjects().check("css table center div", course_similarity=0.2)
    assert found is not None
    assert found.fires
    plain = assess("css table center div", [chunk], Vocabulary.of(course))
    other = assess("css table center div", [chunk], Vocabulary.of(course), other_subject=found)
    assert not plain.off_topic
    assert other.off_topic
    assert other.value <= OUT_OF_SCOPE_CAP
    assert other.signals()["other_subject"] == round(found.similarity, 4)


def test_no_bank_question_is_or_nearly_is_an_evaluation_item() -> None:
    def key(text: str) -> str:
        return re.sub(r"\W+", " ", text.lower()).strip()

    evaluation = [key(item["text"]) for item in json.loads(EVAL_SET.read_text())["items"]]

    def near(a: str, b: str) -> bool:
        match = SequenceMatcher(None, a, b)
        return match.real_quick_ratio() >= 0.85 and match.ratio() >= 0.85

    close = [q for q in load_bank() if any(near(key(q), e) for e in evaluation)]
    assert close == []
