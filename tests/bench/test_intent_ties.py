"""The tie-break the intent benchmarks share: tuning and cross-validation choose alike."""

from __future__ import annotations

from bench.intent_ties import tie_break
from bot.escalation.intents import IntentKind

TIED = [(0.49, 0.09), (0.50, 0.09), (0.51, 0.09), (0.50, 0.03)]


def test_safety_takes_the_most_permissive_cut() -> None:
    assert tie_break(IntentKind.SAFETY, TIED) == 0
    assert tie_break(IntentKind.SAFETY, [(0.47, 0.07), (0.47, 0.06), (0.48, 0.03)]) == 1


def test_requests_take_the_cut_nearest_the_centre() -> None:
    assert tie_break(IntentKind.HUMAN_REQUEST, TIED) == 1
    # Equally near: the first in grid order.
    assert tie_break(IntentKind.HUMAN_REQUEST, [(0.40, 0.0), (0.60, 0.0)]) == 0
