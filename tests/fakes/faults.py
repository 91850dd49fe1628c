"""Scripted failures (rate limits, server errors, API errors) shared by the fakes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fault:
    """What to answer instead of the real response."""

    status: int
    retry_after: float | None = None
    # With status 200, an API-level error code, e.g. Slack's "channel_not_found".
    error: str | None = None


@dataclass(frozen=True)
class InjectedFailure:
    """A request that was answered with an injected fault instead of being served."""

    target: str
    fault: Fault
    args: dict[str, Any]
    at: float


@dataclass
class _Rule:
    target: str | None
    fault: Fault
    remaining: int | None = None
    ratio: float = 1.0
    rng: random.Random = field(default_factory=random.Random)

    def applies_to(self, target: str) -> bool:
        return (self.target is None or self.target == target) and self.remaining != 0


class FaultInjector:
    """Rules are tried in the order they were added; the first that fires wins."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []

    def add(self, target: str | None, fault: Fault, times: int) -> None:
        """Fail the next `times` requests to `target` (every target when None)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._rules.append(_Rule(target, fault, remaining=times))

    def add_ratio(self, target: str | None, fault: Fault, ratio: float, seed: int) -> None:
        """Fail a seeded-random `ratio` of requests to `target` until cleared."""
        if not 0.0 <= ratio <= 1.0:
            raise ValueError("ratio must be between 0 and 1")
        self._rules.append(_Rule(target, fault, ratio=ratio, rng=random.Random(seed)))

    def pick(self, target: str) -> Fault | None:
        """The fault for this request, if any rule fires."""
        for rule in self._rules:
            if not rule.applies_to(target):
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
                return rule.fault
            if rule.rng.random() < rule.ratio:
                return rule.fault
        return None

    def clear(self) -> None:
        """Drop every rule."""
        self._rules.clear()
