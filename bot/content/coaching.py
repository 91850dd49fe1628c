"""Coaching modes: how fully the coach may answer a question about a lab."""

from __future__ import annotations

from enum import StrEnum


class CoachingMode(StrEnum):
    """``answer`` explains fully; ``hint`` and ``socratic`` leave the lab's solution to the learner.

    Precedence: a lab's own front matter (or its day's ``_day.yml``), then the course's
    ``/coach settings`` value, then the ``COACHING_MODE`` setting. Chapters are always answered.
    """

    ANSWER = "answer"
    HINT = "hint"
    SOCRATIC = "socratic"


MODE_NAMES = tuple(mode.value for mode in CoachingMode)


def parse_mode(raw: str) -> CoachingMode | None:
    """The mode ``raw`` names (any case, surrounding spaces ignored), or None."""
    wanted = raw.strip().lower()
    return next((mode for mode in CoachingMode if mode.value == wanted), None)


def mode_list(quote: str = "") -> str:
    """The valid modes in prose: "answer, hint or socratic" (each in ``quote`` marks)."""
    names = [f"{quote}{name}{quote}" for name in MODE_NAMES]
    return f"{', '.join(names[:-1])} or {names[-1]}"
