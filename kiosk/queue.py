"""Queue tickets: numbering, daily quotas, opening hours and wait estimates.

A ticket number is `<letter><kiosk short code>-<seq>`, e.g. "A1-023": the
letter is the service's counter group, the kiosk code is unique in the
hall, and seq counts up from 001 per letter and hall-local day. Two kiosks
can therefore never hand out the same number, even when both are offline,
and no number is reused after a crash because the counter is committed in
the ticket's own transaction.

A priority ticket (kiosk/priority.py) is `<letter><kiosk code>-P<seq>`, e.g. "A1-P003": the
same letter and counters, its own series per letter and day (a "P" where a normal number has
only digits, so the two can never collide), counted in the same transaction. The counters call
priority visitors before the normal ones still waiting: a priority ticket's people ahead and
wait count only the priority tickets still waiting (and the visits already at a counter); a
normal ticket's count everyone ahead, priority tickets included.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import math
import uuid
from bisect import bisect_right
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from kiosk.catalog import Catalog, Service
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import (
    CredentialUsed,
    KioskLocked,
    LeaseUsed,
    NeedsOnline,
    NumbersExhausted,
    QuotaFull,
    ServiceClosed,
    ServicePaused,
)
from kiosk.identity import ticket_fields
from kiosk.priority import Priority, parse_priority
from kiosk.store import Store

MAX_SEQ = 9999
#: The number series of a letter, as kept in `counters.series`: normal tickets, priority tickets.
NORMAL_SERIES = ""
PRIORITY_SERIES = "P"
#: SQL on `tickets` selecting one series (each has a partial index: kiosk/store.py, version 5).
_SERIES_SQL = {NORMAL_SERIES: "priority IS NULL", PRIORITY_SERIES: "priority IS NOT NULL"}

log = logging.getLogger("kiosk")


@dataclass(frozen=True)
class Ticket:
    """A confirmed queue ticket, as stored and as sent to central."""

    id: str
    number: str
    day: str
    prefix: str
    seq: int
    service_code: str
    agency_code: str
    kiosk_id: str
    language: str
    issued_at: str
    people_ahead: int
    estimated_wait_minutes: int
    estimated_call_at: str
    estimated_done_at: str
    service_minutes: int
    #: The priority kind (kiosk/priority.py `Priority` values), None for a normal ticket.
    priority: str | None = None
    #: How the visitor proved who they are (kiosk/identity.py): face, qr or nik; None when the
    #: service needs no identity. The result (matched, verified, valid) and the subject (a NIK
    #: masked unless the service keeps it; never a face template).
    identity_method: str | None = None
    identity_result: str | None = None
    identity_subject: str | None = None

    @property
    def issued(self) -> datetime:
        """When the ticket was issued, as an aware datetime."""
        return datetime.fromisoformat(self.issued_at)

    def qr_payload(self, hall_code: str) -> str:
        """What the ticket's QR code holds: enough for a counter to find the ticket."""
        return f"MPPQ1|{hall_code}|{self.day}|{self.number}|{self.id}"

    def to_dict(self) -> dict:
        """The ticket's fields as a plain dict (a stored row, an outbox payload)."""
        return asdict(self)


def _use_credential(store: Store, verdict, ticket_id: str, now: datetime) -> None:
    """Use up the ticket's QR credential in its transaction; CredentialUsed when it was used already."""
    import sqlite3

    from kiosk.credential import use

    try:
        use(store, verdict, ticket_id, now=now)
    except sqlite3.IntegrityError as exc:
        raise CredentialUsed() from exc


def format_number(prefix: str, short_code: str, seq: int, *, priority: bool = False) -> str:
    """The ticket number as printed and called: letter, kiosk code, dash, 3+ digits; a priority
    ticket has a "P" before its digits ("A1-P003"), which no normal number has."""
    return f"{prefix}{short_code}-{PRIORITY_SERIES if priority else ''}{seq:03d}"


@dataclass(frozen=True)
class Availability:
    """What a visitor needs to know before taking a ticket."""

    open: bool
    opens_at: datetime | None
    issued_today: int
    quota_left: int
    people_ahead: int
    estimated_wait_minutes: int
    #: The kiosk is on hall-wide quotas: quota_left is what is left of its share (its lease).
    on_lease: bool = False
    #: quota_left is 0 because this kiosk's share is used up, not the hall's quota: a ticket is
    #: refused with LeaseUsed (use another kiosk), not QuotaFull.
    lease_used: bool = False
    #: Of `issued_today`, the priority tickets (the daily quota counts both).
    priority_issued_today: int = 0
    #: A supervisor paused the service (a remote command, kiosk/commands.py): no tickets until resumed.
    paused: bool = False

    @property
    def normal_issued_today(self) -> int:
        """Of `issued_today`, the normal tickets."""
        return self.issued_today - self.priority_issued_today


@dataclass(frozen=True)
class Share:
    """This kiosk's lease of a service's hall-wide daily quota on one day (README, "Hall-wide
    quotas"): how many it may still issue, and what central said last about the hall."""

    left: int
    quota: int
    hall_full: bool


#: sync_state keys: the hall state as JSON (written by sync after each pull), and a digest of it
#: (read with every estimate: the JSON is parsed again only when it changed).
HALL_STATE_KEY = "hall_queue"
HALL_STATE_ID_KEY = "hall_queue_id"
#: A hall state is current while it is at most this old and no sync round failed since.
HALL_STATE_FRESH_SECONDS = 60.0
HALL_STATE_FORMAT = 1


class WaitMinutes(int):
    """Minutes until a visitor's turn (an int like any other), saying whose count it is.

    `kiosk_only` is True when this kiosk takes part in a hall queue but could not count the
    whole hall just now (offline, a stale hall state, no queue of this letter at central): the
    number is this kiosk's estimate from the last known hall state and its own tickets, and the
    screens and the printed ticket say so. A plain int (a kiosk that never had a hall state)
    reads as kiosk_only False: nothing changes for a kiosk without central.
    """

    kiosk_only: bool

    def __new__(cls, minutes: int, kiosk_only: bool = False) -> WaitMinutes:
        value = super().__new__(cls, minutes)
        value.kiosk_only = kiosk_only
        return value

    def __reduce__(self):  # copies (dataclasses.asdict, replace) keep the flag
        return (WaitMinutes, (int(self), self.kiosk_only))


def is_kiosk_estimate(minutes: int) -> bool:
    """Whether a wait is this kiosk's own estimate where a hall-wide count was expected."""
    return bool(getattr(minutes, "kiosk_only", False))


@dataclass(frozen=True)
class LetterState:
    """One letter of the hall state: central's counters, this kiosk's tickets it counted (letter
    numbers 1..own), and seconds after `received_at` of each waiting visitor's call and of each
    busy counter's end."""

    counters: int
    own: int
    calls: tuple[int, ...]
    free: tuple[int, ...]
    #: This kiosk's priority tickets central counted (priority numbers 1..own_priority).
    own_priority: int = 0
    #: Central's priority view (None: the state does not have one, e.g. an older central): when
    #: each waiting priority visitor is called, and when each counter is free for a new one.
    priority_calls: tuple[int, ...] | None = None
    priority_free: tuple[int, ...] | None = None


@dataclass(frozen=True)
class HallState:
    """Central's merged hall queue as this kiosk received it (`day` None: unreadable)."""

    day: str | None
    received_at: datetime
    letters: dict[str, LetterState]
    #: When a sync round failed after this state came (None: none did).
    failed_at: datetime | None = None

    def is_current(self, now: datetime) -> bool:
        """Fresh enough to say the count is the hall's: at most HALL_STATE_FRESH_SECONDS old and
        no sync round failed since it came (the link is up)."""
        if self.day is None:
            return False
        if self.failed_at is not None and self.failed_at >= self.received_at.replace(microsecond=0):
            return False
        return 0 <= (now - self.received_at).total_seconds() <= HALL_STATE_FRESH_SECONDS


def encode_hall_state(
    *, hall_code: str, day: str, as_of: datetime, received_at: datetime, counted_seq: int, letters: list[dict]
) -> dict[str, str]:
    """The sync_state values of a hall state (HALL_STATE_KEY: its JSON, HALL_STATE_ID_KEY: a
    digest of that); `letters` holds, per letter, `prefix`,
    `counters`, `own`, `calls` and `free` (seconds after central's as_of, which this kiosk
    places at `received_at` on its own clock), and optionally central's priority view:
    `own_priority`, `priority_calls` and `priority_free` (central's `own_priority_tickets`,
    `priority_call_in_seconds`, `priority_free_in_seconds`)."""
    text = json.dumps(
        {
            "format": HALL_STATE_FORMAT,
            "hall_code": hall_code,
            "day": day,
            "as_of": as_of.isoformat(),
            "received_at": received_at.isoformat(),
            "counted_seq": counted_seq,
            "letters": {
                lt["prefix"]: {"counters": lt["counters"], "own": lt["own"], "calls": lt["calls"], "free": lt["free"]}
                | {k: lt[k] for k in ("own_priority", "priority_calls", "priority_free") if lt.get(k) is not None}
                for lt in letters
            },
        },
        separators=(",", ":"),
    )
    return {HALL_STATE_KEY: text, HALL_STATE_ID_KEY: hashlib.sha256(text.encode()).hexdigest()[:32]}


def decode_hall_state(text: str | None) -> HallState:
    """The stored hall state; one that cannot be read is kept as unreadable (day None): the
    kiosk then counts its own tickets and says it is its estimate."""
    try:
        raw = json.loads(text) if text is not None else None
        if not isinstance(raw, dict) or raw.get("format") != HALL_STATE_FORMAT:
            raise ValueError(f"format {raw.get('format') if isinstance(raw, dict) else raw!r}")
        received = datetime.fromisoformat(raw["received_at"])
        if received.tzinfo is None:
            raise ValueError("received_at without an offset")
        letters = {
            str(prefix): LetterState(
                int(lt["counters"]),
                int(lt["own"]),
                tuple(sorted(int(x) for x in lt["calls"])),
                tuple(int(x) for x in lt["free"]),
                int(lt.get("own_priority", 0)),
                _seconds(lt.get("priority_calls"), ordered=True),
                _seconds(lt.get("priority_free")),
            )
            for prefix, lt in raw["letters"].items()
        }
        return HallState(str(raw["day"]), received, letters)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.error("the stored hall queue cannot be read (%s): counting this kiosk's tickets only", exc)
        return HallState(None, datetime.min.replace(tzinfo=UTC), {})


def _seconds(values, *, ordered: bool = False) -> tuple[int, ...] | None:
    if values is None:
        return None
    found = tuple(int(x) for x in values)
    return tuple(sorted(found)) if ordered else found


class Queue:
    """Issues tickets and answers what the queue looks like today."""

    def __init__(self, settings: Settings, catalog: Catalog, store: Store, clock: Clock) -> None:
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.clock = clock

    def now(self) -> datetime:
        """The current time in the hall's zone."""
        return self.clock.now().astimezone(self.settings.tz)

    def availability(self, service: Service, *, priority: Priority | str | None = None) -> Availability:
        """Today's state of `service`: open, quota left, people waiting, estimated wait; with
        `priority`, the people ahead of and the wait for a priority ticket of that kind."""
        now = self.now()
        day = now.date().isoformat()
        issued, priority_issued = self._issued_today(service, day)
        ahead, wait = self._estimate(service, day, now, priority=parse_priority(priority) is not None)
        is_open = self.settings.hall.always_open or service.hours.is_open(now)
        left = max(0, service.daily_quota - issued)
        share = self._share(day, service)
        lease_used = False
        if share is not None and left > 0:
            lease_used = share.left <= 0 and not share.hall_full
            left = min(left, share.left)
        opens_at = None
        if not is_open:
            opens_at = service.hours.next_opening(now)
        elif left <= 0 and not lease_used:
            opens_at = self._next_day_opening(service, now)
        paused = self.store.is_paused(service.code)
        return Availability(
            is_open, opens_at, issued, left, ahead, wait, share is not None, lease_used, priority_issued, paused
        )

    def issue(
        self,
        service_code: str,
        *,
        language: str = "id",
        online: bool = False,
        owner: str | None = None,
        priority: Priority | str | None = None,
        identity=None,
    ) -> Ticket:
        """Issue and commit one ticket with its outbox row; `owner` names the process that prints it.

        With `identity` (a kiosk.identity.Identity) the ticket records how the visitor proved who
        they are; a QR credential in it is used up in the same transaction (a booking used here
        already raises CredentialUsed and nothing is written).

        With `priority` (a Priority or its code) the ticket is a priority ticket: numbered in the
        letter's priority series ("A1-P001"), counted apart in today's counts (the daily quota
        counts it too), estimated on the priority visitors still waiting, and the normal tickets
        still waiting move back behind it (their estimated call times, as the counters will
        call them). ValueError for an unknown kind (the caller's bug: nothing is written).

        A kiosk on hall-wide quotas (it has leases from central) issues only inside its lease of
        the service for the day, and counts the ticket against it in the same transaction, so a
        kill -9 never lets a ticket out uncounted; the ticket's outbox payload says `lease: true`.

        A kiosk a supervisor locked raises KioskLocked, a service a supervisor paused ServicePaused
        (remote commands, kiosk/commands.py), checked again inside the ticket's transaction.

        Raises UnknownService, KioskLocked, ServicePaused, NeedsOnline, ServiceClosed, QuotaFull,
        LeaseUsed, NumbersExhausted, StoreError.
        """
        kind = parse_priority(priority)
        series = NORMAL_SERIES if kind is None else PRIORITY_SERIES
        service = self.catalog.service(service_code)
        now = self.now()
        day = now.date().isoformat()
        name = service.name(language)
        self._check_supervisor(service, name)
        if not service.offline and not online:
            raise NeedsOnline(service=name)
        if not (self.settings.hall.always_open or service.hours.is_open(now)):
            raise ServiceClosed(service=name, opens_at=service.hours.next_opening(now) or "-")
        store = self.store
        with store.transaction() as conn:
            self._check_supervisor(service, name)  # a lock or pause committed meanwhile
            if self._issued_today(service, day)[0] >= service.daily_quota:
                raise QuotaFull(
                    service=name, quota=service.daily_quota, opens_at=self._next_day_opening(service, now) or "-"
                )
            share = self._share(day, service)
            if share is not None and share.left <= 0:
                if share.hall_full:
                    raise QuotaFull(
                        service=name, quota=share.quota, opens_at=self._next_day_opening(service, now) or "-"
                    )
                raise LeaseUsed(service=name, quota=share.quota, opens_at="-")
            seq = self._last_seq(day, service.prefix, series) + 1
            if seq > MAX_SEQ:
                raise NumbersExhausted(prefix=service.prefix + ("-" + series if series else ""))
            ahead, wait = self._estimate(service, day, now, priority=kind is not None)
            conn.execute(
                "INSERT INTO counters (day, prefix, series, last_seq) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (day, prefix, series) DO UPDATE SET last_seq = excluded.last_seq",
                (day, service.prefix, series, seq),
            )
            conn.execute(
                "INSERT INTO service_counts (day, service_code, issued, priority_issued) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (day, service_code) DO UPDATE SET issued = issued + 1, "
                "priority_issued = priority_issued + excluded.priority_issued",
                (day, service.code, int(kind is not None)),
            )
            call_at = now + timedelta(minutes=wait)
            ticket = Ticket(
                id=str(uuid.uuid4()),
                number=format_number(service.prefix, self.settings.kiosk.short_code, seq, priority=kind is not None),
                day=day,
                prefix=service.prefix,
                seq=seq,
                service_code=service.code,
                agency_code=service.agency_code,
                kiosk_id=self.settings.kiosk.id,
                language=language,
                issued_at=now.isoformat(timespec="seconds"),
                people_ahead=ahead,
                estimated_wait_minutes=wait,
                estimated_call_at=call_at.isoformat(timespec="seconds"),
                estimated_done_at=(call_at + timedelta(minutes=service.avg_minutes)).isoformat(timespec="seconds"),
                service_minutes=service.avg_minutes,
                priority=None if kind is None else kind.value,
                **ticket_fields(service, identity),
            )
            row = ticket.to_dict()
            payload = {**row, "hall_code": self.settings.hall.code}
            if share is not None:
                conn.execute(
                    "UPDATE leases SET used = used + 1 WHERE day = ? AND service_code = ?", (day, service.code)
                )
                payload["lease"] = True
            row["outbox_id"] = store.add_outbox("ticket.issued", payload, now)
            row["owner"] = owner
            conn.execute(
                f"INSERT INTO tickets ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
            )
            if identity is not None and identity.credential is not None:
                _use_credential(store, identity.credential, ticket.id, now)
            if kind is not None:
                self._move_back_normal(service, day, now)
        return ticket

    def _check_supervisor(self, service: Service, name: str) -> None:
        """KioskLocked or ServicePaused when a supervisor's remote command said so."""
        if self.store.lock_state() is not None:
            raise KioskLocked()
        if self.store.is_paused(service.code):
            raise ServicePaused(service=name)

    def today(self) -> list[dict]:
        """Today's local tickets with their sync state, oldest first."""
        day = self.now().date().isoformat()
        return list(
            self.store.query(
                """
                SELECT t.*, CASE WHEN o.acked_at IS NULL THEN 'pending' ELSE 'synced' END AS sync_state
                FROM tickets t
                JOIN outbox o ON o.id = t.outbox_id
                WHERE t.day = ? ORDER BY t.issued_at, t.number
                """,
                [day],
            )
        )

    def _share(self, day: str, service: Service) -> Share | None:
        """This kiosk's lease of `service` on `day`, or None when the kiosk is not on hall-wide
        quotas (central never leased it anything: a kiosk without central, or not synced yet).
        A kiosk on leases without a lease of this service for the day has none left."""
        conn = self.store.conn
        row = conn.execute(
            "SELECT granted - returned - used, quota, hall_full FROM leases WHERE day = ? AND service_code = ?",
            (day, service.code),
        ).fetchone()
        if row is not None:
            return Share(max(0, row[0]), row[1], bool(row[2]))
        if conn.execute("SELECT 1 FROM leases LIMIT 1").fetchone() is None:
            return None
        return Share(0, service.daily_quota, False)

    def _issued_today(self, service: Service, day: str) -> tuple[int, int]:
        """Today's tickets of `service`: all of them (the quota counts both), and the priority ones."""
        row = self.store.conn.execute(
            "SELECT issued, priority_issued FROM service_counts WHERE day = ? AND service_code = ?",
            (day, service.code),
        ).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def _last_seq(self, day: str, prefix: str, series: str) -> int:
        """The letter's last number of `series` today (0: none yet)."""
        row = self.store.conn.execute(
            "SELECT last_seq FROM counters WHERE day = ? AND prefix = ? AND series = ?", (day, prefix, series)
        ).fetchone()
        return row[0] if row else 0

    def _move_back_normal(self, service: Service, day: str, now: datetime) -> None:
        """After a priority ticket: the letter's normal tickets still waiting are called after it.

        Runs the counter model again over them, in their order, from the counters' state once the
        visits at a counter and the priority visitors waiting are served; a call time only moves
        later, so call times still grow with the sequence (`_still_to_call`). Costs one look-up
        of the letter's unfinished visits and one update per normal ticket that moves: only a
        priority ticket pays it."""
        conn = self.store.conn
        rows = conn.execute(
            "SELECT id, seq, priority, estimated_call_at, estimated_done_at, service_minutes FROM tickets "
            "WHERE day = ? AND prefix = ? AND status = 'waiting' AND estimated_done_at > ?",
            (day, service.prefix, now.isoformat(timespec="seconds")),
        ).fetchall()
        fixed: list[datetime] = []
        movable = []
        for tid, seq, kind, call, done, minutes in rows:
            call_at = datetime.fromisoformat(call)
            if kind is not None or call_at <= now:
                fixed.append(datetime.fromisoformat(done))
            else:
                movable.append((seq, tid, call_at, minutes))
        ends = heapq.nlargest(service.counters, fixed)
        heapq.heapify(ends)
        moved = []
        for _, tid, call_at, minutes in sorted(movable):
            new_call = max(call_at, ends[0]) if len(ends) >= service.counters else call_at
            done_at = new_call + timedelta(minutes=minutes)
            if len(ends) >= service.counters:
                heapq.heappushpop(ends, done_at)
            else:
                heapq.heappush(ends, done_at)
            if new_call != call_at:
                moved.append((new_call.isoformat(timespec="seconds"), done_at.isoformat(timespec="seconds"), tid))
        if moved:
            conn.executemany("UPDATE tickets SET estimated_call_at = ?, estimated_done_at = ? WHERE id = ?", moved)

    def _estimate(self, service: Service, day: str, now: datetime, *, priority: bool = False) -> tuple[int, int]:
        """People still waiting for the same counters, and minutes until this visitor's turn.

        The letter's counters serve in order, each visitor taking their service's average
        minutes: the new visitor is called when the n-th latest of the unfinished visits
        ends (n = counters), or now if a counter is free. Priority visitors are called before
        the normal ones still waiting: for a new normal visitor everyone waiting is ahead,
        priority tickets included; for a new priority visitor (`priority`) only the priority
        visitors waiting are, and the counters are free for them once the visits at a counter
        and those priority visits end.

        With a hall state from central (stored by sync after each pull: README, "One hall, one
        queue") the count is the whole hall's: central's visitors not yet called, placed on this
        kiosk's clock and aged to `now`, plus this kiosk's own tickets central has not counted
        yet (its letter numbers above the hall state's `own`, priority numbers above
        `own_priority`). The wait is then a `WaitMinutes` that says whether the hall state is
        current (`kiosk_only` False) or only the last known one (offline, stale, or no queue of
        this letter at central: the screens and the ticket say it is this kiosk's estimate); a
        priority estimate from a hall state without central's priority view is this kiosk's
        own. A kiosk that never had a hall state counts its own tickets only and returns plain
        ints.
        """
        hall = self._hall_state(now)
        if hall is None:
            return self._local_estimate(service, day, now, priority=priority)
        letter = hall.letters.get(service.prefix) if hall.day == day else None
        if letter is None or (priority and letter.priority_calls is None):
            ahead, wait = self._local_estimate(service, day, now, priority=priority)
            return ahead, WaitMinutes(wait, kiosk_only=True)
        elapsed = (now - hall.received_at).total_seconds()
        calls, free = (letter.priority_calls, letter.priority_free) if priority else (letter.calls, letter.free)
        ahead = len(calls) - bisect_right(calls, elapsed)
        ends = [f - elapsed for f in free or () if f > elapsed]  # seconds from now
        series = [(PRIORITY_SERIES, letter.own_priority)]
        if not priority:
            series.append((NORMAL_SERIES, letter.own))
        for name, own in series:
            last = self._last_seq(day, service.prefix, name)
            if last > own:  # this kiosk's tickets central has not counted yet
                mine, my_ends = self._uncounted(service, day, now, own, last, name)
                ahead += mine
                ends += my_ends
        wait = 0
        if len(ends) >= service.counters:
            ends.sort(reverse=True)
            wait = math.ceil(ends[service.counters - 1] / 60)
        return ahead, WaitMinutes(wait, kiosk_only=not hall.is_current(now))

    def _local_estimate(self, service: Service, day: str, now: datetime, *, priority: bool = False) -> tuple[int, int]:
        """The estimate from this kiosk's tickets only (see `_estimate`); a few index look-ups
        however long the queue (`_still_to_call`) for a normal ticket, one look-up of the
        letter's unfinished visits for a priority ticket."""
        stamp = now.isoformat(timespec="seconds")
        ahead = self._still_to_call(
            service, day, stamp, 1, self._last_seq(day, service.prefix, PRIORITY_SERIES), PRIORITY_SERIES
        )
        if priority:
            rows = self.store.conn.execute(
                "SELECT estimated_call_at, estimated_done_at, priority FROM tickets "
                "WHERE day = ? AND prefix = ? AND status = 'waiting' AND estimated_done_at > ?",
                (day, service.prefix, stamp),
            ).fetchall()
            # At a counter (called by now), or a priority visitor waiting: served before this one.
            ends = sorted((done for call, done, kind in rows if kind is not None or call <= stamp), reverse=True)
            if len(ends) < service.counters:
                return ahead, 0
            free_at = datetime.fromisoformat(ends[service.counters - 1])
            return ahead, math.ceil((free_at - now).total_seconds() / 60)
        ahead += self._still_to_call(
            service, day, stamp, 1, self._last_seq(day, service.prefix, NORMAL_SERIES), NORMAL_SERIES
        )
        busy = self.store.conn.execute(
            "SELECT estimated_done_at FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            "AND estimated_done_at > ? ORDER BY estimated_done_at DESC LIMIT 1 OFFSET ?",
            (day, service.prefix, stamp, service.counters - 1),
        ).fetchone()
        if busy is None:
            return ahead, 0
        free_at = datetime.fromisoformat(busy[0])
        return ahead, math.ceil((free_at - now).total_seconds() / 60)

    def _uncounted(
        self, service: Service, day: str, now: datetime, own: int, last: int, series: str = NORMAL_SERIES
    ) -> tuple[int, list[float]]:
        """This kiosk's tickets of the letter's `series` numbered own+1..last (central has not
        counted them): how many are still to be called, and the end times (seconds from now) of
        the latest of them still at or waiting for a counter. The same few index look-ups as
        `_local_estimate`: their call and end times grow with the sequence, so they are the
        newest rows."""
        stamp = now.isoformat(timespec="seconds")
        conn = self.store.conn
        ahead = self._still_to_call(service, day, stamp, own + 1, last, series)
        rows = conn.execute(
            "SELECT estimated_done_at, seq FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            f"AND {_SERIES_SQL[series]} AND estimated_done_at > ? ORDER BY estimated_done_at DESC LIMIT ?",
            (day, service.prefix, stamp, service.counters),
        ).fetchall()
        ends = [(datetime.fromisoformat(done) - now).total_seconds() for done, seq in rows if seq > own]
        return ahead, ends

    def _still_to_call(
        self, service: Service, day: str, stamp: str, lowest: int, last: int, series: str = NORMAL_SERIES
    ) -> int:
        """How many of the letter's tickets of `series` numbered `lowest`..`last` are not called
        yet at `stamp`.

        A few index look-ups however long the queue: within a series, estimated call times grow
        with the sequence (each is the n-th latest end among the visits before it; a priority
        ticket only moves the normal ones still waiting later, `_move_back_normal`), so they are
        the tickets from the first one still to be called up to `last`, less those that have
        left the queue (status other than waiting)."""
        if last < lowest:
            return 0
        conn = self.store.conn
        only = _SERIES_SQL[series]
        first_call = conn.execute(
            "SELECT min(estimated_call_at) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            f"AND {only} AND estimated_call_at > ?",
            (day, service.prefix, stamp),
        ).fetchone()[0]
        if first_call is None:
            return 0
        first = conn.execute(
            "SELECT min(seq) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            f"AND {only} AND estimated_call_at = ?",
            (day, service.prefix, first_call),
        ).fetchone()[0]
        first = max(first, lowest)
        if first > last:
            return 0
        left = conn.execute(  # two index ranges (a partial index takes no OR of two ranges)
            " + ".join(
                f"(SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? AND {only} "
                f"AND status {op} 'waiting' AND seq >= ? AND seq <= ?)"
                for op in ("<", ">")
            ).join(("SELECT ", "")),
            (day, service.prefix, first, last) * 2,
        ).fetchone()[0]
        return last - first + 1 - left

    def _hall_state(self, now: datetime) -> HallState | None:
        """The hall state sync stored last (None: this kiosk never had one), parsed once per
        fetch; `failed_at` is set when a sync round failed since it was fetched."""
        keys = dict(
            self.store.conn.execute(
                "SELECT key, value FROM sync_state WHERE key IN (?, ?)", (HALL_STATE_ID_KEY, "last_error_at")
            ).fetchall()
        )
        digest = keys.get(HALL_STATE_ID_KEY)
        if digest is None:
            return None
        cached = self.__dict__.get("_hall_cache")
        if cached is None or cached[0] != digest:
            row = self.store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (HALL_STATE_KEY,)).fetchone()
            cached = (digest, decode_hall_state(row[0] if row else None))
            self._hall_cache = cached
        state: HallState = cached[1]
        failed = keys.get("last_error_at")
        if failed is not None:
            try:
                state = HallState(state.day, state.received_at, state.letters, datetime.fromisoformat(failed))
            except ValueError:
                pass
        return state

    def _next_day_opening(self, service: Service, now: datetime) -> datetime | None:
        if self.settings.hall.always_open:
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
            return midnight
        return service.hours.next_opening(now, skip_today=True)
