"""The evaluation set's messages, for tests that keep training wordings independent of them.

Example banks (intent wordings, subject questions) must not hold a message the quality benchmark
measures, or one only a few characters away from it: a near copy would make the benchmark grade
what it was shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

EVAL_SET = Path(__file__).resolve().parents[1] / "bench" / "quality" / "eval_set.json"
NEAR = 0.85  # difflib's ratio at and above which two messages count as one wording


def key(text: str) -> str:
    """A message with case and punctuation dropped."""
    return re.sub(r"\W+", " ", text.lower()).strip()


@cache
def evaluation_keys() -> tuple[str, ...]:
    return tuple(key(item["text"]) for item in json.loads(EVAL_SET.read_text())["items"])


def _near(match: SequenceMatcher[str]) -> bool:
    # The cheap upper bounds first: most pairs are far apart.
    return (
        match.real_quick_ratio() >= NEAR and match.quick_ratio() >= NEAR and match.ratio() >= NEAR
    )


def near_evaluation_items(texts: Iterable[str]) -> list[str]:
    """The texts that are, or nearly are, an evaluation message."""
    keyed = [(text, key(text)) for text in texts]
    near: set[int] = set()
    match: SequenceMatcher[str] = SequenceMatcher(None)
    for evaluation in evaluation_keys():
        match.set_seq2(evaluation)  # difflib caches what it learns of the second sequence
        for i, (_, text_key) in enumerate(keyed):
            if i not in near:
                match.set_seq1(text_key)
                if _near(match):
                    near.add(i)
    return [text for i, (text, _) in enumerate(keyed) if i in near]
