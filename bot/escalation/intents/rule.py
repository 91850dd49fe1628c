"""A rule: a named pattern for one intent, and what it matched."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.escalation.intents.kinds import IntentKind, SafetyKind


@dataclass(frozen=True)
class Rule:
    """A named pattern for one intent (and, for safety, one kind); a match that ``unless``
    overlaps ("nearly had a heart attack" over "heart attack") does not count."""

    name: str
    intent: IntentKind
    pattern: re.Pattern[str]
    kind: SafetyKind | None = None
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RuleMatch:
    """A rule that fired and the learner's words it matched."""

    rule: Rule
    words: str


def compile_rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern: learners write in any case."""
    return re.compile(pattern, re.IGNORECASE)
