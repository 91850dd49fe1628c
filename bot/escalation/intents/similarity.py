"""Nearest labelled examples: how close each part of a message is to the example sets.

A long message often hides its request in one clause ("i've tried everything on the lab, can a
real person look at my code?"), and a whole-message embedding dilutes it, so the message is
scored as a whole and clause by clause, and the best-scoring part wins. A learner who types
without punctuation ("my loop prints every letter separately can someone from the team look at
it") gives no clause to split at, so a long clause is also read through overlapping windows of
``WINDOW`` words (``message_windows``); a window cuts words out of their clause, so it must be
closer to an example than a clause to count (``Thresholds.window_extra`` in ``detector``), and
it may not fire where its clause says no ("no need to get a trainer involved i just...").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.content.embedder import Embedder
from bot.escalation.intents.kinds import IntentKind, SafetyKind
from bot.escalation.intents.spelling import correct_key_words

EXAMPLES_FILE = Path(__file__).with_name("examples.json")
# Parts of a message scored beside the whole: enough for a long DM, bounded for a pasted log.
MAX_PARTS = 24
MIN_PART_WORDS = 3
# Windows over a sentence of more than WINDOW + 2 words, every WINDOW_STRIDE words (and one
# ending at its last word), at most MAX_WINDOWS: the size chosen on the tune split, where
# requests and concerns typed after a question without punctuation were missed most.
WINDOW = 8
WINDOW_STRIDE = 4
MAX_WINDOWS = 24
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSES = re.compile(r",\s*|\s+-+\s+|\s+(?:but|and\s+then|also|so|anyway)\s+", re.IGNORECASE)

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Example:
    """One labelled wording: a positive of an intent (with a safety kind), or a negative."""

    text: str
    intent: IntentKind | None  # None: a look-alike, neither intent
    kind: SafetyKind | None = None
    # For a look-alike: the one intent it is written against ("my code finally works, i could
    # cry" is near a concern, not a request), or None for both.
    against: IntentKind | None = None


@cache
def load_examples(path: Path = EXAMPLES_FILE) -> tuple[Example, ...]:
    """The example sets, read once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    examples = [Example(t, IntentKind.HUMAN_REQUEST) for t in data["human_request"]]
    for kind, texts in data["safety"].items():
        examples += [Example(t, IntentKind.SAFETY, SafetyKind(kind)) for t in texts]
    examples += [Example(t, None) for t in data["negative"]]
    examples += [Example(t, None, against=IntentKind.SAFETY) for t in data["negative_safety"]]
    return tuple(examples)


def message_parts(text: str) -> list[str]:
    """The whole message, then its sentences and clauses of at least two words, once each."""
    whole = " ".join(text.split())
    parts = [whole] if whole else []
    for sentence in _SENTENCES.split(text):
        pieces = [sentence, *_CLAUSES.split(sentence)]
        for piece in pieces:
            piece = " ".join(piece.split()).strip(" .,;:!?-")
            if len(piece.split()) >= MIN_PART_WORDS and piece not in parts:
                parts.append(piece)
    return parts[: MAX_PARTS + 1]


@dataclass(frozen=True)
class Window:
    """A run of ``WINDOW`` words, and the clause it was cut from: what the window's words mean
    depends on it ("no need to get a trainer involved i just want...")."""

    text: str
    clause: str


def message_windows(text: str, parts: list[str]) -> list[Window]:
    """Overlapping runs of ``WINDOW`` words from the message's long clauses, none of them one of
    ``parts`` already, at most ``MAX_WINDOWS``. A window never runs from one clause into the
    next: "makes me want to cry but anyway how do i sort" is two thoughts."""
    windows: list[Window] = []
    seen = set(parts)
    for sentence in _SENTENCES.split(text):
        for piece in _CLAUSES.split(sentence):
            words = piece.split()
            if len(words) <= WINDOW + 2:
                continue
            clause = " ".join(words).strip(" .,;:!?-")
            starts = list(range(0, len(words) - WINDOW + 1, WINDOW_STRIDE))
            if starts[-1] != len(words) - WINDOW:
                starts.append(len(words) - WINDOW)
            for start in starts:
                window = " ".join(words[start : start + WINDOW]).strip(" .,;:!?-")
                if window and window not in seen:
                    seen.add(window)
                    windows.append(Window(window, clause))
                    if len(windows) == MAX_WINDOWS:
                        return windows
    return windows


@dataclass(frozen=True)
class Nearest:
    """For one part of a message: its closest positive of an intent and closest negative."""

    part: str
    positive: float
    example: Example
    negative: float  # the nearest look-alike or example of the other intent
    window: bool = False  # a window of a long clause (``message_windows``), not a clause
    clause: str = ""  # for a window, the clause it was cut from

    @property
    def margin(self) -> float:
        """How much closer the part is to the intent than to any look-alike."""
        return self.positive - self.negative


class ExampleIndex:
    """The example sets as unit vectors, embedded once, with nearest-neighbour look-ups."""

    def __init__(self, examples: tuple[Example, ...], vectors: list[list[float]]) -> None:
        self._examples = examples
        self._matrix: Matrix = np.asarray(vectors, dtype=np.float32)
        self._rows = {
            intent: np.array([i for i, e in enumerate(examples) if e.intent is intent], dtype=int)
            for intent in (*IntentKind, None)
        }
        self._others = {
            intent: np.array(
                [
                    i
                    for i, e in enumerate(examples)
                    if e.intent is not intent and e.against in (None, intent)
                ],
                dtype=int,
            )
            for intent in IntentKind
        }

    @classmethod
    async def build(cls, embedder: Embedder, examples: tuple[Example, ...]) -> ExampleIndex:
        """Embed every example (one batch) and index them. Examples are read as messages are,
        mistyped key words corrected first: "humn pls" is embedded as "human pls", not as the
        "pls" its typo leaves the model, which "settle it pls" would be near."""
        texts = [correct_key_words(e.text) for e in examples]
        return cls(examples, await embedder.embed(texts))

    def nearest(
        self, parts: list[str], vectors: list[list[float]], windows: list[Window] | None = None
    ) -> dict[IntentKind, list[Nearest]]:
        """For each intent and each part of a message, then each of its ``windows``: its closest
        positive and negative (``vectors`` holds the parts' vectors, then the windows')."""
        windows = windows or []
        texts = parts + [w.text for w in windows]
        clauses = [""] * len(parts) + [w.clause for w in windows]
        query: Matrix = np.asarray(vectors, dtype=np.float32)
        similarities = query @ self._matrix.T  # both sides are unit vectors: cosine similarity
        found: dict[IntentKind, list[Nearest]] = {}
        for intent in IntentKind:
            rows = self._rows[intent]
            scores = similarities[:, rows]
            # Against an intent, the examples of the other one count as look-alikes too: a
            # request for a trainer is not a safety concern, however close its words are.
            negatives = similarities[:, self._others[intent]].max(axis=1)
            columns = scores.argmax(axis=1)
            found[intent] = [
                Nearest(
                    part,
                    float(scores[p, columns[p]]),
                    self._examples[int(rows[columns[p]])],
                    float(negatives[p]),
                    p >= len(parts),
                    clauses[p],
                )
                for p, part in enumerate(texts)
            ]
        return found
