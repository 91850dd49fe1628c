"""A rule: a named pattern for one intent, and what it matched."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.escalation.intents.kinds import IntentKind, SafetyKind

# How far around a rule's match its ``unless`` pattern is looked for.
AROUND = 40


@dataclass(frozen=True)
class Rule:
    """A named pattern for one intent (and, for safety, one kind); a match that ``unless``
    overlaps ("nearly had a heart attack" over "heart attack") does not count."""

    name: str
    intent: IntentKind
    pattern: re.Pattern[str]
    kind: SafetyKind | None = None
    unless: re.Pattern[str] | None = None

    def counts(self, text: str, match: re.Match[str]) -> bool:
        """Whether a match of the pattern in ``text`` counts: no match of ``unless`` near it
        overlaps it."""
        if self.unless is None:
            return True
        start, end = max(0, match.start() - AROUND), match.end() + AROUND
        return not any(
            found.start() < match.end() and match.start() < found.end()
            for found in self.unless.finditer(text, start, end)
        )


@dataclass(frozen=True)
class RuleMatch:
    """A rule that fired and the learner's words it matched."""

    rule: Rule
    words: str


def compile_rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern: learners write in any case."""
    return re.compile(pattern, re.IGNORECASE)
