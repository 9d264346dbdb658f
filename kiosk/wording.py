"""One way to say each thing a visitor reads: the wait, the people ahead, when a service opens,
where the counters are, and why a service cannot be taken now.

Plain Python (no Qt), so the screens, the printed ticket and the CLI can share it. Every function
takes the visitor's `language` ("id" or "en") and looks its words up in the Qt Linguist file
(`kiosk.i18n`, context "Wording"), which the UI's `tr()` reads too. Times are the hall's: a
caller passes `now` from the injected clock, in the hall's zone, and moments are shown in that zone.

    no_wait("id")                        "Tanpa antre"
    people_ahead(3, "en")                "3 people ahead of you"
    wait(15, "id", people_ahead=2)       "sekitar 15 menit"
    wait(15, "id", people_ahead=12)      "sekitar 10–20 menit"   (uncertain: a range)
    opening(when, now, "id")             "hari ini 13.00" / "besok 08.00" / "Senin 08.00" / "25 Nov 08.00"
    state_reason(CLOSED, when, now, "en") "Closed · opens tomorrow 08:00"
"""

from __future__ import annotations

import math
from datetime import datetime

from kiosk.i18n import translator
from kiosk.tr import QT_TRANSLATE_NOOP

CONTEXT = "Wording"

#: From this many people ahead, a wait is shown as a range: the counters' pace varies too much.
RANGE_FROM_PEOPLE = 10

# What a service's state is (kiosk.flow.ServiceState.kind), for state_reason().
OPEN = "open"
CLOSED = "closed"
FULL = "full"
LEASE_USED = "lease_used"
ONLINE_ONLY_OFFLINE = "online_only_offline"
PAUSED = "paused"

NO_WAIT = QT_TRANSLATE_NOOP("Wording", "No wait")
NO_ONE_AHEAD = QT_TRANSLATE_NOOP("Wording", "No one ahead of you")
ONE_AHEAD = QT_TRANSLATE_NOOP("Wording", "1 person ahead of you")
PEOPLE_AHEAD = QT_TRANSLATE_NOOP("Wording", "{n} people ahead of you")
ABOUT_MINUTES = QT_TRANSLATE_NOOP("Wording", "about {m} min")
ABOUT_RANGE = QT_TRANSLATE_NOOP("Wording", "about {low}\u2013{high} min")
TODAY_AT = QT_TRANSLATE_NOOP("Wording", "today {time}")
TOMORROW_AT = QT_TRANSLATE_NOOP("Wording", "tomorrow {time}")
WEEKDAY_AT = QT_TRANSLATE_NOOP("Wording", "{weekday} {time}")
DATE_AT = QT_TRANSLATE_NOOP("Wording", "{day} {month} {time}")
WEEKDAYS = (
    QT_TRANSLATE_NOOP("Wording", "Monday"),
    QT_TRANSLATE_NOOP("Wording", "Tuesday"),
    QT_TRANSLATE_NOOP("Wording", "Wednesday"),
    QT_TRANSLATE_NOOP("Wording", "Thursday"),
    QT_TRANSLATE_NOOP("Wording", "Friday"),
    QT_TRANSLATE_NOOP("Wording", "Saturday"),
    QT_TRANSLATE_NOOP("Wording", "Sunday"),
)
MONTHS = (
    QT_TRANSLATE_NOOP("Wording", "Jan"),
    QT_TRANSLATE_NOOP("Wording", "Feb"),
    QT_TRANSLATE_NOOP("Wording", "Mar"),
    QT_TRANSLATE_NOOP("Wording", "Apr"),
    QT_TRANSLATE_NOOP("Wording", "May"),
    QT_TRANSLATE_NOOP("Wording", "Jun"),
    QT_TRANSLATE_NOOP("Wording", "Jul"),
    QT_TRANSLATE_NOOP("Wording", "Aug"),
    QT_TRANSLATE_NOOP("Wording", "Sep"),
    QT_TRANSLATE_NOOP("Wording", "Oct"),
    QT_TRANSLATE_NOOP("Wording", "Nov"),
    QT_TRANSLATE_NOOP("Wording", "Dec"),
)
CLOSED_OPENS = QT_TRANSLATE_NOOP("Wording", "Closed \u00b7 opens {when}")
CLOSED_NOW = QT_TRANSLATE_NOOP("Wording", "Closed now")
FULL_TODAY = QT_TRANSLATE_NOOP("Wording", "Full for today")
FULL_OPENS = QT_TRANSLATE_NOOP("Wording", "Full for today \u00b7 new numbers {when}")
LEASE_GONE = QT_TRANSLATE_NOOP("Wording", "No numbers left at this kiosk")
NEEDS_ONLINE = QT_TRANSLATE_NOOP("Wording", "Not available while the kiosk is offline")
PAUSED_NOW = QT_TRANSLATE_NOOP("Wording", "Paused for now")
NOT_AVAILABLE = QT_TRANSLATE_NOOP("Wording", "Not available now")
OPENS = QT_TRANSLATE_NOOP("Wording", "Opens {when}")
HALL_CLOSED = QT_TRANSLATE_NOOP("Wording", "The hall is closed now. It opens {when}.")


def _tr(language: str):
    return translator(language).context(CONTEXT)


def no_wait(language: str) -> str:
    """ "Tanpa antre" / "No wait": a counter is free for the next visitor."""
    return _tr(language)(NO_WAIT)


def people_ahead(n: int, language: str) -> str:
    """ "3 orang di depan Anda" / "3 people ahead of you"."""
    tr = _tr(language)
    if n <= 0:
        return tr(NO_ONE_AHEAD)
    if n == 1:
        return tr(ONE_AHEAD)
    return tr(PEOPLE_AHEAD).format(n=n)


def wait_range(minutes: int, *, people_ahead: int = 0) -> tuple[int, int] | None:
    """The (low, high) minutes to show when the estimate is uncertain, else None.

    Uncertain: the kiosk counted only its own tickets where a hall-wide count was expected
    (`WaitMinutes.kiosk_only`), or many people are ahead. The range is rounded to 5 minutes
    and at least 10 minutes wide: 15 -> 10-20, 40 -> 30-50.
    """
    if minutes <= 0:
        return None
    if not (getattr(minutes, "kiosk_only", False) or people_ahead >= RANGE_FROM_PEOPLE):
        return None
    low = max(5, int(math.floor(minutes * 0.75 / 5) * 5))
    high = max(low + 10, int(math.ceil(minutes * 1.25 / 5) * 5))
    return low, high


def wait(minutes: int, language: str, *, people_ahead: int = 0) -> str:
    """The estimated wait: "Tanpa antre", "sekitar 15 menit", or a range when uncertain."""
    if minutes <= 0:
        return no_wait(language)
    tr = _tr(language)
    span = wait_range(minutes, people_ahead=people_ahead)
    if span is not None:
        return tr(ABOUT_RANGE).format(low=span[0], high=span[1])
    return tr(ABOUT_MINUTES).format(m=int(minutes))


def clock_time(when: datetime, language: str) -> str:
    """A time of day as visitors write it: "08.00" in Indonesian, "08:00" in English."""
    return when.strftime("%H:%M" if language == "en" else "%H.%M")


def opening(when: datetime, now: datetime, language: str) -> str:
    """When something opens, relative to `now` in the hall's zone: "hari ini 13.00",
    "besok 08.00", "Senin 08.00" (within the week), else "25 Nov 08.00"."""
    tr = _tr(language)
    if now.tzinfo is not None and when.tzinfo is not None:
        when = when.astimezone(now.tzinfo)
    time = clock_time(when, language)
    days = (when.date() - now.date()).days
    if days <= 0:
        return tr(TODAY_AT).format(time=time)
    if days == 1:
        return tr(TOMORROW_AT).format(time=time)
    if days < 7:
        return tr(WEEKDAY_AT).format(weekday=tr(WEEKDAYS[when.weekday()]), time=time)
    return tr(DATE_AT).format(day=when.day, month=tr(MONTHS[when.month - 1]), time=time)


def counter_place(service, language: str) -> str:
    """Which counters and where they are, in `language` ("Loket 1-5, Lantai 1" / "Counters 1-5, Floor 1")."""
    where = getattr(service, "where", None)
    if callable(where):
        return where(language)
    counter = getattr(service, "counter", None)
    return counter(language) if counter is not None else service.counter_group


def counter_name(service, language: str) -> str:
    """The counters' name alone, in `language` ("Loket 1-5" / "Counters 1-5")."""
    name = getattr(service, "counter_name", None)
    if callable(name):
        return name(language)
    return service.counter_group


def state_reason(kind: str, until: datetime | None, now: datetime, language: str) -> str:
    """Why a service cannot be taken now, in a few words ("" when it can)."""
    tr = _tr(language)
    if kind == CLOSED:
        return tr(CLOSED_OPENS).format(when=opening(until, now, language)) if until else tr(CLOSED_NOW)
    if kind == FULL:
        return tr(FULL_OPENS).format(when=opening(until, now, language)) if until else tr(FULL_TODAY)
    if kind == LEASE_USED:
        return tr(LEASE_GONE)
    if kind == ONLINE_ONLY_OFFLINE:
        return tr(NEEDS_ONLINE)
    if kind == PAUSED:
        return tr(PAUSED_NOW)
    return ""


def agency_reason(states, now: datetime, language: str) -> str:
    """Why none of an agency's services can be taken now: their shared reason (the earliest
    opening when all are closed), else "Not available now". `states`: kiosk.flow.ServiceState."""
    kinds = {st.kind for st in states}
    if len(kinds) == 1:
        kind = kinds.pop()
        until = [st.until for st in states if st.until is not None]
        if kind == CLOSED and until:  # short, for a tile: the grey tile and "Opens ..." say it is closed
            return _tr(language)(OPENS).format(when=opening(min(until), now, language))
        return state_reason(kind, min(until) if until else None, now, language)
    return _tr(language)(NOT_AVAILABLE)


def hall_closed(until: datetime, now: datetime, language: str) -> str:
    """The idle screen's calm banner when every service is closed ("The hall is closed now. It opens ...")."""
    return _tr(language)(HALL_CLOSED).format(when=opening(until, now, language))
