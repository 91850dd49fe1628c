"""Which of several equally good threshold cuts the intent benchmarks take, for the tuning
search (``bench/intent_bench.py --tune``) and each fold of the cross-validation
(``bench/intent_cv.py``) alike, so that the cross-validation scores the product's own choice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.escalation.intents import IntentKind


def tie_break(intent: IntentKind, cuts: Sequence[Sequence[float]]) -> int:
    """The index of the cut to take among ``cuts`` (tied at the lowest cost, in grid order).

    For safety, the most permissive (lowest first threshold, then the next): a missed concern
    costs far more than a look-alike escalated. For requests, the cut nearest the centre of the
    tied ones: as far from missing a request as from escalating a look-alike, so a small shift
    either way changes little. Ties go to the first in grid order."""
    points = np.asarray(cuts, dtype=float)
    if intent is IntentKind.SAFETY:
        return min(range(len(points)), key=lambda i: tuple(points[i].tolist()))
    centre = points.mean(axis=0)
    return int(np.argmin(((points - centre) ** 2).sum(axis=1)))
