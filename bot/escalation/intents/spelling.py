"""Mistyped key words put right before matching: "pleas get a mentr" reads "please get a mentor".

Learners type fast. Rules would miss a mistyped noun and the English embedder splits it into
meaningless pieces, so a word one edit away (a letter missing, added, changed or two swapped)
from one of these is read as it. Only these words are ever corrected (never "there", which is
one edit from "these"), and real words one edit from them ("persona", "humane", and the
"humain", "persoon" and "mentore" of other languages) are left alone.
"""

from __future__ import annotations

import re
from functools import cache

KEY_WORDS = (
    "trainer",
    "instructor",
    "teacher",
    "tutor",
    "mentor",
    "human",
    "person",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "staff",
    "please",
    "suicide",
    "myself",
    "available",
)
# Real words one edit away from a key word, left as they are.
REAL_WORDS = frozenset(
    {
        "humane",
        "persona",
        "pleased",
        "pleases",
        "tutee",
        "mentos",
        "stuff",
        "stuffs",
        "trained",
        "trainee",
        "trainees",
        "teaches",
        "tumor",
        "tudor",
        # the same people in the other languages of the rules (``rules_other``)
        "humain",
        "humains",
        "humano",
        "humanos",
        "humana",
        "persone",
        "persoon",
        "personen",
        "tutora",
        "tutore",
        "tutori",
        "mentora",
        "mentore",
        "mentori",
        "instructora",
        "instrutor",
        "instrutora",
    }
)
MIN_LENGTH = 4  # shorter words are too easily one edit away from another real word
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)


def _one_edit(word: str, target: str) -> bool:
    """True when ``word`` is exactly one insertion, deletion, substitution or swap away."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        i = diff[0]
        return (
            len(diff) == 2
            and diff[1] == i + 1
            and word[i] == target[i + 1]
            and (word[i + 1] == target[i])
        )
    short, long = sorted((word, target), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@cache
def _correction(word: str) -> str | None:
    for target in KEY_WORDS:
        if _one_edit(word, target):
            return target
    return None


def _fix(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    if len(lower) < MIN_LENGTH or lower in KEY_WORDS or lower in REAL_WORDS:
        return word
    # Plurals and the like ("mentors", "humans") are one edit away too: they are already right.
    if lower.rstrip("s") in KEY_WORDS:
        return word
    return _correction(lower) or word


def correct_key_words(text: str) -> str:
    """``text`` with mistyped key words written as they should be (and typographic apostrophes,
    as phones and Slack write them, made plain: "i’ll" is "i'll")."""
    return _WORD.sub(_fix, text.replace("\u2019", "'"))
