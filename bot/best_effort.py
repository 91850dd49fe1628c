"""Slack calls that only decorate (agent session status and title): failures logged, never raised.

Such a call never blocks or fails the work it decorates. Its first failure in a process is
logged at WARNING, so an operator learns once that, say, the workspace has no agent sessions
(``feature_disabled``) or the scope is missing; every later one at DEBUG, so a workspace where
the feature is off does not fill the log. The memory is per process, like the token
(``bot.slack_auth``): each process says it once.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class BestEffortLog:
    """Remembers which cosmetic Slack methods already failed in this process."""

    def __init__(self) -> None:
        self._warned: set[str] = set()

    def failed(self, method: str, reason: str) -> None:
        """Log a failed cosmetic call: at WARNING the first time for ``method``, then at DEBUG."""
        first = method not in self._warned
        self._warned.add(method)
        if first:
            log.warning(
                "Slack call %s failed (%s); carrying on without it. Later failures of %s in "
                "this process are logged at DEBUG only.",
                method,
                reason,
                method,
            )
        else:
            log.debug("Slack call %s failed again: %s", method, reason)
