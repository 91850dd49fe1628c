"""An append-only log of requests that tests can wait on without sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recorder(Generic[T]):
    """Items in arrival order, plus `wait_for` that wakes on every new item."""

    def __init__(self, describe: Callable[[T], str] = repr) -> None:
        self.items: list[T] = []
        self._describe = describe
        self._condition: asyncio.Condition | None = None

    def _cond(self) -> asyncio.Condition:
        # Created lazily so it binds to the loop that actually runs the test.
        if self._condition is None:
            self._condition = asyncio.Condition()
        return self._condition

    async def add(self, item: T) -> None:
        """Append an item and wake every waiter."""
        cond = self._cond()
        async with cond:
            self.items.append(item)
            cond.notify_all()

    def matching(self, predicate: Callable[[T], bool] | None = None) -> list[T]:
        """Items accepted by `predicate` (all items when it is None); a predicate that raises
        KeyError, IndexError, TypeError or AttributeError on an item does not match it, so
        `lambda c: c.args["thread_ts"] == ts` works when some calls have no thread_ts."""
        return [item for item in self.items if predicate is None or _safely(predicate, item)]

    async def wait_for(
        self,
        predicate: Callable[[T], bool] | None,
        *,
        count: int,
        timeout: float,
        what: str,
    ) -> list[T]:
        """Return the first `count` matching items once they exist; AssertionError on timeout."""
        cond = self._cond()
        async with cond:
            try:
                await asyncio.wait_for(
                    cond.wait_for(lambda: len(self.matching(predicate)) >= count), timeout
                )
            except TimeoutError:
                found = self.matching(predicate)
                seen = "\n".join(f"  - {self._describe(item)}" for item in self.items) or "  (none)"
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} x {what}; "
                    f"{len(found)} matched. Everything received:\n{seen}"
                ) from None
            return self.matching(predicate)[:count]

    def clear(self) -> None:
        """Forget every item."""
        self.items.clear()


def _safely(predicate: Callable[[T], bool], item: T) -> bool:
    try:
        return bool(predicate(item))
    except (KeyError, IndexError, TypeError, AttributeError):
        return False
