"""The in-process wake-up of the task worker, set whenever this process commits new tasks."""

from __future__ import annotations

import asyncio
import contextlib


class WorkSignal:
    """Wakes this process's worker as soon as a task is enqueued, instead of waiting to poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def wake(self) -> None:
        """Tell the worker there is work."""
        self._event.set()

    async def wait(self, seconds: float) -> None:
        """Wait until woken or ``seconds`` pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()
