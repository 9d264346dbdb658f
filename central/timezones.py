"""Indonesia's three time zones (no daylight saving), as the halls name them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

ZONES = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}


def hall_today(tz_name: str, now: datetime | None = None) -> date:
    """Today's date in the hall's zone."""
    return (now or datetime.now(UTC)).astimezone(ZONES[tz_name]).date()


def iso_utc(value: datetime | None) -> str | None:
    """An aware datetime as ISO-8601 UTC with a Z (None stays None)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
