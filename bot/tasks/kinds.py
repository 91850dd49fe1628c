"""Task kinds: what a handler is, how it asks to be retried or given up on, and the registry
each feature adds its kinds to (``bot.jobs.build_registry``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.deps import Deps
from store.tasks import ClaimedTask

TaskHandler = Callable[[Deps, ClaimedTask], Awaitable[dict[str, Any] | None]]
FailureHook = Callable[[Deps, ClaimedTask, str], Awaitable[None]]


class RetryLater(Exception):
    """Run the task again after ``delay`` seconds (does not count as a failure)."""

    def __init__(self, delay: float, reason: str) -> None:
        super().__init__(reason)
        self.delay = delay
        self.reason = reason


class PermanentFailure(Exception):
    """Retrying cannot help: mark the task failed now."""


@dataclass(frozen=True)
class TaskKind:
    """How to run one kind of task and when to stop trying."""

    handler: TaskHandler
    give_up_after: timedelta = timedelta(hours=1)
    on_failure: FailureHook | None = None
    # Claimed before every other kind: short Slack writes a learner is waiting to see.
    urgent: bool = False


@dataclass
class TaskRegistry:
    """Task kinds by name; each feature registers its own."""

    kinds: dict[str, TaskKind] = field(default_factory=dict)

    def register(
        self,
        kind: str,
        handler: TaskHandler,
        *,
        give_up_after: timedelta = timedelta(hours=1),
        on_failure: FailureHook | None = None,
        urgent: bool = False,
    ) -> None:
        """Add a task kind; registering a name twice is a programming error."""
        if kind in self.kinds:
            raise ValueError(f"task kind {kind!r} is registered twice")
        self.kinds[kind] = TaskKind(handler, give_up_after, on_failure, urgent)

    def urgent(self) -> list[str]:
        """The kinds a worker claims before all others."""
        return [name for name, kind in self.kinds.items() if kind.urgent]
