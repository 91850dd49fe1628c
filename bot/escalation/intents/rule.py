"""A rule: a named pattern for one intent, and what it matched."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from bot.escalation.intents.kinds import IntentKind, SafetyKind


@dataclass(frozen=True)
class Rule:
    """A named pattern for one intent (and, for safety, one kind); a match that ``unless``
    overlaps ("nearly had a heart attack" over "heart attack") does not count, nor one in a text
    without a match of ``needs`` (a word that asks, for the rules of other languages)."""

    name: str
    intent: IntentKind
    pattern: re.Pattern[str]
    kind: SafetyKind | None = None
    unless: re.Pattern[str] | None = None
    needs: re.Pattern[str] | None = None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """The pattern's matches in ``text`` that count: none where the text has no match of
        ``needs``, and none that a match of ``unless`` overlaps. The text is scanned once for
        each, however many matches it has."""
        if self.needs is not None and self.needs.search(text) is None:
            return
        spans: list[tuple[int, int]] | None = None
        for match in self.pattern.finditer(text):
            if self.unless is not None:
                if spans is None:
                    spans = [found.span() for found in self.unless.finditer(text)]
                if _overlaps(spans, match.start(), match.end()):
                    continue
            yield match


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (in order, not overlapping each other)."""
    # The last span that starts before ``end`` is the only one that can reach past ``start``.
    i = bisect_left(spans, (end, end)) - 1
    return i >= 0 and spans[i][1] > start


@dataclass(frozen=True)
class RuleMatch:
    """A rule that fired and the learner's words it matched."""

    rule: Rule
    words: str


def compile_rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern: learners write in any case."""
    return re.compile(pattern, re.IGNORECASE)
