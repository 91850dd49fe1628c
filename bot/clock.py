"""Time as a dependency, so timers and SLAs can be tested with a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that moves only when told to; shared by every process of a test via the DB."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)

    def now(self) -> datetime:
        """The clock's current time."""
        return self._now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward, e.g. ``advance(minutes=31)``."""
        self._now += timedelta(**delta)
        return self._now
