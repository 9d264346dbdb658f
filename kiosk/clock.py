"""Time, injected: the core never calls datetime.now() itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol

#: Indonesia's three time zones; none has daylight saving.
ZONES = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}


def hall_time_label(when: datetime) -> str:
    """A moment as visitors read it on tickets and messages: "25-11-2026 08:00 WIB"."""
    return when.strftime("%d-%m-%Y %H:%M ") + (when.tzname() or "")


class Clock(Protocol):
    """Where the core gets the time."""

    def now(self) -> datetime:
        """An aware datetime."""
        ...


class SystemClock:
    """The machine's clock, in the hall's zone."""

    def __init__(self, tz: timezone) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FixedClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        """Move the clock forward by timedelta keyword arguments."""
        self.at += timedelta(**delta)
