"""The labelled evaluation set (bench/quality/eval_set.json) holds to its own rules.

Each item is checked against the course it was written for: an answerable question quotes the
file that answers it, an uncovered one names terms the course never uses, and every label is split
about evenly, by the rule in bench/quality/README.md, between tuning and held-out evaluation.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ROOT = Path(__file__).resolve().parents[2]
EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"

Label = Literal[
    "answerable",
    "uncovered",
    "off_topic",
    "human_request",
    "human_lookalike",
    "safety",
    "safety_lookalike",
]
SafetyKind = Literal["self_harm", "hopelessness", "threat", "harassment", "abuse", "medical"]
SAFETY_KINDS: tuple[SafetyKind, ...] = (
    "self_harm",
    "hopelessness",
    "threat",
    "harassment",
    "abuse",
    "medical",
)
MINIMUM: dict[str, int] = {
    "answerable": 100,
    "uncovered": 40,
    "off_topic": 50,
    "human_request": 100,
    "human_lookalike": 50,
    "safety": 50,
    "safety_lookalike": 50,
}
MIN_PER_SAFETY_KIND = 6
MIN_ITEMS_PER_COURSE_FILE = 7
# Wordings the human-request detector must handle; they are kept for held-out evaluation.
REQUIRED_HUMAN_REQUESTS = (
    "can I get someone from staff to look at this",
    "is there somebody I could ask about this?",
    "could an instructor review my code?",
    "any chance a mentor could jump on a call?",
    "is my trainer around?",
)


class Item(BaseModel):
    """One learner message with its label and the proof that goes with the label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    split: Literal["tune", "heldout"]
    label: Label
    text: str = Field(min_length=1)
    context: list[str] | None = Field(default=None, min_length=1)
    expected_sources: list[str] | None = Field(default=None, min_length=1)
    evidence: str | None = None
    # For a source found by the audit of every answerable item (see the README): its own proof.
    also_evidence: dict[str, str] | None = Field(default=None, min_length=1)
    absent_terms: list[str] | None = Field(default=None, min_length=1, max_length=3)
    kind: SafetyKind | None = None
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$")

    @model_validator(mode="after")
    def _fields_fit_the_label(self) -> Item:
        if not re.fullmatch(rf"{self.label}-\d{{3}}", self.id):
            raise ValueError(f"id {self.id!r} is not '{self.label}-NNN'")
        answerable = self.label == "answerable"
        if answerable != (self.expected_sources is not None and self.evidence is not None):
            raise ValueError(f"{self.id}: expected_sources and evidence go with answerable only")
        if self.also_evidence is not None and not (
            answerable and set(self.also_evidence) <= set(self.expected_sources or [])
        ):
            raise ValueError(f"{self.id}: also_evidence names a file that is not expected")
        if (self.label == "uncovered") != (self.absent_terms is not None):
            raise ValueError(f"{self.id}: absent_terms go with uncovered only")
        if (self.label == "safety") != (self.kind is not None):
            raise ValueError(f"{self.id}: kind goes with safety only")
        if self.context is not None and not all(turn.strip() for turn in self.context):
            raise ValueError(f"{self.id}: empty message in context")
        return self


class EvalSet(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    course: str
    items: list[Item]


@cache
def eval_set() -> EvalSet:
    return EvalSet.model_validate(json.loads(EVAL_SET.read_text(encoding="utf-8")))


def items(label: str | None = None) -> list[Item]:
    return [item for item in eval_set().items if label is None or item.label == label]


@cache
def course_files() -> dict[str, str]:
    """Every file of the course by its path relative to the course folder."""
    folder = ROOT / eval_set().course
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def squash(text: str) -> str:
    """Case and runs of whitespace ignored."""
    return " ".join(text.split()).casefold()


def normalised(text: str) -> str:
    """Case, punctuation and runs of whitespace ignored: what makes two items the same."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def stated_splits() -> dict[str, str]:
    """The split of each item by the README's rule.

    Within a label, items are taken in id order and grouped into strata (answerable: the first
    expected source; safety: the kind; other labels: one stratum). In the j-th stratum by sorted
    name, the i-th item goes to tune when i + j is even, else to heldout. The required
    human-request wordings go to heldout and take no turn in the alternation.
    """
    strata: dict[tuple[str, str], list[Item]] = defaultdict(list)
    splits: dict[str, str] = {}
    for item in sorted(items(), key=lambda item: item.id):
        if item.label == "human_request" and item.text in REQUIRED_HUMAN_REQUESTS:
            splits[item.id] = "heldout"
        elif item.label == "answerable":
            assert item.expected_sources is not None
            strata[(item.label, item.expected_sources[0])].append(item)
        else:
            strata[(item.label, item.kind or "")].append(item)
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, name in strata:
        by_label[label].append(name)
    for label, names in by_label.items():
        for j, name in enumerate(sorted(names)):
            for i, item in enumerate(strata[(label, name)]):
                splits[item.id] = "tune" if (i + j) % 2 == 0 else "heldout"
    return splits


def test_the_file_follows_the_schema() -> None:
    assert eval_set().course == "examples/python-course"
    assert (ROOT / eval_set().course / "course.yml").is_file()


def test_ids_are_unique() -> None:
    counts = Counter(item.id for item in items())
    assert [item_id for item_id, n in counts.items() if n > 1] == []


def test_each_label_has_its_minimum() -> None:
    counts: Counter[str] = Counter(item.label for item in items())
    assert {label: counts[label] for label in MINIMUM if counts[label] < MINIMUM[label]} == {}


def test_each_label_is_split_about_evenly() -> None:
    uneven = {}
    for label in MINIMUM:
        splits = Counter(item.split for item in items(label))
        share = splits["tune"] / max(1, splits["tune"] + splits["heldout"])
        if not 0.4 <= share <= 0.6:
            uneven[label] = dict(splits)
    assert uneven == {}


def test_splits_follow_the_stated_rule() -> None:
    expected = stated_splits()
    assert {item.id: item.split for item in items() if expected[item.id] != item.split} == {}


def test_each_source_file_is_in_both_splits() -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    for item in items("answerable"):
        assert item.expected_sources is not None
        splits[item.expected_sources[0]].add(item.split)
    assert {path: s for path, s in splits.items() if s != {"tune", "heldout"}} == {}


def test_expected_sources_exist() -> None:
    missing = {
        item.id: path
        for item in items("answerable")
        for path in item.expected_sources or []
        if path not in course_files()
    }
    assert missing == {}


def test_every_course_file_is_expected_by_two_items() -> None:
    expected = Counter(path for item in items("answerable") for path in item.expected_sources or [])
    content = [path for path in course_files() if path.endswith(".md") and path != "LICENSE.md"]
    assert content
    assert {p: expected[p] for p in content if expected[p] < MIN_ITEMS_PER_COURSE_FILE} == {}


def test_evidence_is_quoted_from_an_expected_file() -> None:
    unfound = {}
    for item in items("answerable"):
        assert item.evidence is not None
        files = course_files()
        sources = [files.get(path, "") for path in item.expected_sources or []]
        if not any(squash(item.evidence) in squash(text) for text in sources):
            unfound[item.id] = item.evidence
    assert unfound == {}


def test_each_added_source_has_its_own_verbatim_evidence() -> None:
    files = course_files()
    unfound = {
        (item.id, path): phrase
        for item in items("answerable")
        for path, phrase in (item.also_evidence or {}).items()
        if squash(phrase) not in squash(files.get(path, "")) or not 5 <= len(phrase.split()) <= 15
    }
    assert unfound == {}
    assert any(item.also_evidence for item in items("answerable"))


def test_evidence_is_a_short_phrase() -> None:
    lengths = {item.id: len((item.evidence or "").split()) for item in items("answerable")}
    assert {item_id: n for item_id, n in lengths.items() if not 5 <= n <= 15} == {}


def test_some_answerable_items_are_follow_ups() -> None:
    answerable = items("answerable")
    share = sum(item.context is not None for item in answerable) / len(answerable)
    assert 0.08 <= share <= 0.2


def test_absent_terms_are_nowhere_in_the_course() -> None:
    whole = "\n".join(course_files().values()).casefold()
    present = {
        item.id: term
        for item in items("uncovered")
        for term in item.absent_terms or []
        if not term.strip() or term.casefold() in whole
    }
    assert present == {}


def test_absent_terms_are_in_the_question() -> None:
    elsewhere = {
        item.id: term
        for item in items("uncovered")
        for term in item.absent_terms or []
        if term.casefold() not in item.text.casefold()
    }
    assert elsewhere == {}


def test_every_safety_kind_has_enough_items() -> None:
    kinds = Counter(item.kind for item in items("safety"))
    assert {kind: kinds[kind] for kind in SAFETY_KINDS if kinds[kind] < MIN_PER_SAFETY_KIND} == {}


def test_no_two_items_share_their_text() -> None:
    first: dict[str, str] = {}
    duplicates = {}
    for item in items():
        key = normalised(item.text)
        if key in first:
            duplicates[item.id] = first[key]
        first.setdefault(key, item.id)
    assert duplicates == {}


def test_required_human_requests_are_present_and_held_out() -> None:
    found = {item.text: item for item in items("human_request")}
    assert [text for text in REQUIRED_HUMAN_REQUESTS if text not in found] == []
    assert [text for text in REQUIRED_HUMAN_REQUESTS if found[text].split != "heldout"] == []


def test_other_languages_are_marked() -> None:
    langs = Counter(item.lang for item in items("human_request") if item.lang)
    assert sum(langs.values()) >= 10
    assert len(langs) >= 5
