"""One hall, one queue: the day's tickets of all kiosks of a hall, merged per ticket letter, and
the counter model the kiosks use, run over the whole hall.

Computed on every request from the `tickets` table and the hall's current catalog (nothing is
stored). Per letter (services with one letter share its counters):

1. **Hall order, with clocks corrected.** Each ticket's arrival is the kiosk's issue instant,
   minus that kiosk's clock skew from its last heartbeat when the skew is over SKEW_NOISE_SECONDS
   (a skew below it is the heartbeat's own travel time), and never later than central's receive
   time (a ticket cannot be issued after central had it). Tickets are taken in order of that
   arrival, then central's receive time, then kiosk id and the kiosk's sequence: the order of
   `repo.tickets.hall_order` with the kiosks' clocks put right.
2. **The counter model** (the kiosk's, kiosk/queue.py `_estimate`): the letter's `counters`
   serve in that order, each visitor taking their service's average minutes; a visitor is called
   at their arrival or, when every counter is busy, when the n-th latest of the visits before
   them ends (n = counters). Visits not yet called at `now` are the people waiting; a new visitor
   would be called when the n-th latest of all visits ends.
3. **Priority first.** A priority ticket (`tickets.priority`: elderly, disability, pregnant,
   infant) is called before every normal ticket that is waiting when a counter frees; among
   themselves priority visitors, and normal visitors, keep hall order. A letter's priority view
   (`priority_call_in`, `priority_free_in`) is what a new priority visitor waits for: the
   visits at a counter and the priority visitors waiting.
4. **Counted once.** Asked by a kiosk, its own tickets are counted only up to the part of its
   sequence central holds without a gap (`Kiosk.contiguous_seq`, read before the tickets), so
   they are its letter numbers 1..`own` of the day (and its priority numbers 1..`own_priority`):
   the kiosk adds its later tickets itself.

Times go out as whole seconds after `as_of` (central's clock), so a kiosk can place them on its
own clock without knowing its skew.
"""

from __future__ import annotations

import heapq
import math
import tomllib
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.models import Hall, Kiosk, Ticket
from central.repo import changes
from central.timezones import hall_today

#: A measured clock skew up to this is the heartbeat's travel time, not the kiosk's clock.
SKEW_NOISE_SECONDS = 2.0


@dataclass(frozen=True)
class Letter:
    """A ticket letter of the catalog: its counters and each service's average minutes."""

    prefix: str
    counters: int
    minutes: dict[str, int]

    @property
    def default_minutes(self) -> int:
        """For a ticket of a service the catalog no longer lists: the letter's mean."""
        return max(1, round(sum(self.minutes.values()) / len(self.minutes)))


def catalog_letters(toml_text: str) -> dict[str, Letter]:
    """The letters of a catalog file (the kiosk's format, read leniently: central does not check
    catalogs field by field, so a service without a usable prefix, counters or minutes is left
    out). Services of one letter share its counters; if they disagree, the most counters win."""
    try:
        raw = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError:
        return {}
    counters: dict[str, int] = {}
    minutes: dict[str, dict[str, int]] = {}
    agencies = raw.get("agency")
    for agency in agencies if isinstance(agencies, list) else []:
        services = agency.get("service") if isinstance(agency, dict) else None
        for s in services if isinstance(services, list) else []:
            if not isinstance(s, dict):
                continue
            code, prefix, n, avg = s.get("code"), s.get("prefix"), s.get("counters"), s.get("avg_minutes")
            if not (isinstance(code, str) and isinstance(prefix, str) and 1 <= len(prefix) <= 2):
                continue
            if not (_whole(n) and 1 <= n <= 99 and _whole(avg) and 1 <= avg <= 480):
                continue
            counters[prefix] = max(counters.get(prefix, 0), n)
            minutes.setdefault(prefix, {})[code] = avg
    return {p: Letter(p, counters[p], minutes[p]) for p in sorted(counters)}


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_letters_cache: dict[tuple[str, int, str], dict[str, Letter]] = {}
_letters_lock = Lock()


def _letters_of(hall_code: str, version: int, toml_text: str) -> dict[str, Letter]:
    """catalog_letters, once per catalog version (a version's text never changes)."""
    # The text is part of the key: one process may serve several databases (tests, tools) whose
    # halls share a code and a version number but not the catalog.
    key = (hall_code, version, toml_text)
    with _letters_lock:
        found = _letters_cache.get(key)
    if found is None:
        found = catalog_letters(toml_text)
        with _letters_lock:
            if len(_letters_cache) >= 256:
                _letters_cache.clear()
            _letters_cache[key] = found
    return found


@dataclass(frozen=True)
class LetterQueue:
    """One letter's queue at `as_of`."""

    prefix: str
    counters: int
    #: Today's tickets of the letter in the model.
    tickets: int
    #: The asking kiosk's tickets among them: its letter numbers 1..own (None: the operator asked).
    own: int | None
    #: Seconds after as_of at which each visitor not yet called is called, ascending.
    call_in: tuple[int, ...]
    #: Seconds after as_of at which the busy counters are free, ascending (at most `counters`).
    free_in: tuple[int, ...]
    #: The asking kiosk's priority tickets among them: its priority numbers 1..own_priority.
    own_priority: int | None = None
    #: Seconds after as_of at which each priority visitor not yet called is called, ascending.
    priority_call_in: tuple[int, ...] = ()
    #: When each counter is free for a new priority visitor (after the visits at a counter and
    #: the priority visitors waiting), seconds after as_of, ascending (at most `counters`).
    priority_free_in: tuple[int, ...] = ()
    #: The mean of (call - arrival) over today's visits of the letter in the model, seconds.
    mean_wait_seconds: float = 0.0

    @property
    def waiting(self) -> int:
        return len(self.call_in)

    @property
    def wait_seconds(self) -> int:
        """Until a visitor arriving at as_of would be called (0: a counter is free)."""
        return self.free_in[-self.counters] if len(self.free_in) >= self.counters else 0

    @property
    def priority_wait_seconds(self) -> int:
        """Until a priority visitor arriving at as_of would be called (0: a counter is free)."""
        free = self.priority_free_in
        return free[-self.counters] if len(free) >= self.counters else 0


@dataclass(frozen=True)
class KioskClock:
    kiosk_id: str
    tickets: int
    clock_skew_seconds: float | None
    #: What was taken off this kiosk's issue times (0: none).
    corrected_seconds: float
    clock_skew_flagged: bool


@dataclass(frozen=True)
class HallQueue:
    hall_code: str
    day: str
    as_of: datetime
    catalog_version: int | None
    #: The asking kiosk's tickets whose outbox seq is up to this are counted (None: the operator).
    counted_seq: int | None
    letters: tuple[LetterQueue, ...]
    kiosks: tuple[KioskClock, ...]
    #: Today's tickets of letters the catalog does not list (not in any queue).
    unknown_letter_tickets: int


def hall_queue(session: Session, hall: Hall, now: datetime, *, asking: Kiosk | None, skew_bound: float) -> HallQueue:
    """The hall's merged queue per letter at `now` (see the module's doc). `asking` is the kiosk
    that asks (its contiguous_seq must have been read before this call: it was, when the
    request authenticated it), or None for the operator."""
    day = hall_today(hall.timezone, now)
    watermark = asking.contiguous_seq if asking is not None else None
    catalog = changes.latest_catalog(session, hall.code)
    letters = _letters_of(hall.code, catalog.version, catalog.toml) if catalog is not None else {}
    clocks = {
        k_id: skew
        for k_id, skew in session.execute(
            select(Kiosk.id, Kiosk.clock_skew_seconds).where(Kiosk.hall_code == hall.code).order_by(Kiosk.id)
        )
    }
    shift = {k: (s if s is not None and abs(s) > SKEW_NOISE_SECONDS else 0.0) for k, s in clocks.items()}
    rows = session.execute(
        select(
            Ticket.kiosk_id,
            Ticket.seq,
            Ticket.prefix,
            Ticket.number,
            Ticket.service_code,
            Ticket.issued_utc,
            Ticket.received_at,
            Ticket.priority,
        )
        .where(Ticket.hall_code == hall.code, Ticket.day == day)
        .order_by(Ticket.issued_utc, Ticket.received_at, Ticket.kiosk_id, Ticket.seq)
    ).all()
    visits: dict[str, list[tuple[float, float, str, int, int, bool]]] = {}
    own: dict[tuple[str, bool], int] = {}
    per_kiosk: dict[str, int] = {}
    unknown = 0
    for kiosk_id, seq, prefix, number, service_code, issued, received, priority in rows:
        if asking is not None and kiosk_id == asking.id and seq > watermark:
            continue  # not yet counted here: the kiosk counts it itself
        letter = letters.get(prefix or number.split("-", 1)[0].rstrip("0123456789"))
        if letter is None:
            unknown += 1
            continue
        received_ts = received.timestamp()
        arrival = min(issued.timestamp() - shift.get(kiosk_id, 0.0), received_ts)
        minutes = letter.minutes.get(service_code, letter.default_minutes)
        first = priority is not None
        visits.setdefault(letter.prefix, []).append((arrival, received_ts, kiosk_id, seq, minutes, first))
        per_kiosk[kiosk_id] = per_kiosk.get(kiosk_id, 0) + 1
        if asking is not None and kiosk_id == asking.id:
            own[letter.prefix, first] = own.get((letter.prefix, first), 0) + 1
    at = now.timestamp()
    queues = []
    for prefix, letter in letters.items():
        todo = visits.get(prefix, [])
        todo.sort(key=lambda v: v[:4])  # nearly sorted already (the query's order): cheap
        firsts = [v[5] for v in todo]
        calls, free = run_counters([(v[0], v[4] * 60.0) for v in todo], letter.counters, priority=firsts)
        ordered = sorted(calls)
        first_waiting = bisect_right(ordered, at)
        # A new priority visitor waits for the visits at a counter and the priority ones waiting.
        ahead_of_priority = [c + v[4] * 60.0 for c, v in zip(calls, todo, strict=True) if c <= at or v[5]]
        queues.append(
            LetterQueue(
                prefix=prefix,
                counters=letter.counters,
                tickets=len(todo),
                own=own.get((prefix, False), 0) if asking is not None else None,
                call_in=tuple(_seconds_after(c, at) for c in ordered[first_waiting:]),
                free_in=tuple(sorted(_seconds_after(f, at) for f in free if f > at)),
                own_priority=own.get((prefix, True), 0) if asking is not None else None,
                priority_call_in=tuple(
                    sorted(_seconds_after(c, at) for c, p in zip(calls, firsts, strict=True) if p and c > at)
                ),
                priority_free_in=tuple(
                    sorted(_seconds_after(f, at) for f in heapq.nlargest(letter.counters, ahead_of_priority) if f > at)
                ),
                mean_wait_seconds=(
                    sum(c - v[0] for c, v in zip(calls, todo, strict=True)) / len(todo) if todo else 0.0
                ),
            )
        )
    return HallQueue(
        hall_code=hall.code,
        day=day.isoformat(),
        as_of=now,
        catalog_version=catalog.version if catalog is not None else None,
        counted_seq=watermark,
        letters=tuple(queues),
        kiosks=tuple(
            KioskClock(
                kiosk_id=k,
                tickets=per_kiosk.get(k, 0),
                clock_skew_seconds=skew,
                corrected_seconds=shift[k],
                clock_skew_flagged=skew is not None and abs(skew) > skew_bound,
            )
            for k, skew in clocks.items()
        ),
        unknown_letter_tickets=unknown,
    )


def run_counters(
    visits: list[tuple[float, float]], counters: int, *, priority: list[bool] | None = None
) -> tuple[list[float], list[float]]:
    """The counter model over (arrival, service seconds) in queue order: each visit's call time
    (non-decreasing), and the end times of the `counters` latest-ending visits (when each counter
    is free again). A visit is called at its arrival, or when the n-th latest of the visits
    before it ends, whichever is later.

    With `priority` (one flag per visit, visits in arrival order), a counter that frees calls the
    first priority visitor who has arrived before the first normal one; call times are then in
    the order of `visits` but no longer non-decreasing."""
    if priority is not None and any(priority):
        return _run_priority_counters(visits, counters, priority)
    ends: list[float] = []  # min-heap of the n latest ends so far
    calls = []
    for arrival, seconds in visits:
        call = arrival if len(ends) < counters else max(arrival, ends[0])
        calls.append(call)
        if len(ends) < counters:
            heapq.heappush(ends, call + seconds)
        else:
            heapq.heappushpop(ends, call + seconds)
    return calls, ends


def _run_priority_counters(
    visits: list[tuple[float, float]], counters: int, priority: list[bool]
) -> tuple[list[float], list[float]]:
    """run_counters with priority visitors first (see there): each counter that frees takes the
    earliest-arrived priority visitor waiting, else the earliest-arrived normal one."""
    free = [-math.inf] * counters  # a min-heap of the times each counter is free
    calls = [0.0] * len(visits)
    waiting: tuple[deque[int], deque[int]] = (deque(), deque())  # normal, priority
    nxt = 0
    for _ in range(len(visits)):
        heads = [visits[q[0]][0] for q in waiting if q]
        at = max(free[0], min(heads) if heads else visits[nxt][0])  # an idle counter waits for an arrival
        while nxt < len(visits) and visits[nxt][0] <= at:
            waiting[priority[nxt]].append(nxt)
            nxt += 1
        first = waiting[1]
        i = first.popleft() if first and visits[first[0]][0] <= at else waiting[0].popleft()
        calls[i] = at
        heapq.heapreplace(free, at + visits[i][1])
    return calls, [f for f in free if f != -math.inf]


def _seconds_after(moment: float, at: float) -> int:
    """Whole seconds from `at` to a later `moment`, rounded up (a moment after `at` stays after it)."""
    return max(1, math.ceil(moment - at - 1e-6))
