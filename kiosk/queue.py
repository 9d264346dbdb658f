"""Queue tickets: numbering, daily quotas, opening hours and wait estimates.

A ticket number is `<letter><kiosk short code>-<seq>`, e.g. "A1-023": the
letter is the service's counter group, the kiosk code is unique in the
hall, and seq counts up from 001 per letter and hall-local day. Two kiosks
can therefore never hand out the same number, even when both are offline,
and no number is reused after a crash because the counter is committed in
the ticket's own transaction.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from kiosk.catalog import Catalog, Service
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import NeedsOnline, NumbersExhausted, QuotaFull, ServiceClosed
from kiosk.store import Store

MAX_SEQ = 9999


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


def format_number(prefix: str, short_code: str, seq: int) -> str:
    """The ticket number as printed and called: letter, kiosk code, dash, 3+ digits."""
    return f"{prefix}{short_code}-{seq:03d}"


@dataclass(frozen=True)
class Availability:
    """What a visitor needs to know before taking a ticket."""

    open: bool
    opens_at: datetime | None
    issued_today: int
    quota_left: int
    people_ahead: int
    estimated_wait_minutes: int


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

    def availability(self, service: Service) -> Availability:
        """Today's state of `service`: open, quota left, people waiting, estimated wait."""
        now = self.now()
        day = now.date().isoformat()
        issued = self._issued_today(service, day)
        ahead, wait = self._estimate(service, day, now)
        is_open = self.settings.hall.always_open or service.hours.is_open(now)
        opens_at = None
        if not is_open:
            opens_at = service.hours.next_opening(now)
        elif issued >= service.daily_quota:
            opens_at = self._next_day_opening(service, now)
        return Availability(is_open, opens_at, issued, max(0, service.daily_quota - issued), ahead, wait)

    def issue(
        self, service_code: str, *, language: str = "id", online: bool = False, owner: str | None = None
    ) -> Ticket:
        """Issue and commit one ticket with its outbox row; `owner` names the process that prints it.

        Raises UnknownService, NeedsOnline, ServiceClosed, QuotaFull, NumbersExhausted, StoreError.
        """
        service = self.catalog.service(service_code)
        now = self.now()
        day = now.date().isoformat()
        name = service.name(language)
        if not service.offline and not online:
            raise NeedsOnline(service=name)
        if not (self.settings.hall.always_open or service.hours.is_open(now)):
            raise ServiceClosed(service=name, opens_at=service.hours.next_opening(now) or "-")
        store = self.store
        with store.transaction() as conn:
            if self._issued_today(service, day) >= service.daily_quota:
                raise QuotaFull(
                    service=name, quota=service.daily_quota, opens_at=self._next_day_opening(service, now) or "-"
                )
            row = conn.execute(
                "SELECT last_seq FROM counters WHERE day = ? AND prefix = ?", (day, service.prefix)
            ).fetchone()
            seq = (row[0] if row else 0) + 1
            if seq > MAX_SEQ:
                raise NumbersExhausted(prefix=service.prefix)
            ahead, wait = self._estimate(service, day, now)
            conn.execute(
                "INSERT INTO counters (day, prefix, last_seq) VALUES (?, ?, ?) "
                "ON CONFLICT (day, prefix) DO UPDATE SET last_seq = excluded.last_seq",
                (day, service.prefix, seq),
            )
            conn.execute(
                "INSERT INTO service_counts (day, service_code, issued) VALUES (?, ?, 1) "
                "ON CONFLICT (day, service_code) DO UPDATE SET issued = issued + 1",
                (day, service.code),
            )
            call_at = now + timedelta(minutes=wait)
            ticket = Ticket(
                id=str(uuid.uuid4()),
                number=format_number(service.prefix, self.settings.kiosk.short_code, seq),
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
            )
            row = ticket.to_dict()
            row["outbox_id"] = store.add_outbox("ticket.issued", {**row, "hall_code": self.settings.hall.code}, now)
            row["owner"] = owner
            conn.execute(
                f"INSERT INTO tickets ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
            )
        return ticket

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

    def _issued_today(self, service: Service, day: str) -> int:
        row = self.store.conn.execute(
            "SELECT issued FROM service_counts WHERE day = ? AND service_code = ?", (day, service.code)
        ).fetchone()
        return row[0] if row else 0

    def _estimate(self, service: Service, day: str, now: datetime) -> tuple[int, int]:
        """People still waiting for the same counters, and minutes until this visitor's turn.

        The letter's counters serve in order, each visitor taking their service's average
        minutes: the new visitor is called when the n-th latest of the unfinished visits
        ends (n = counters), or now if a counter is free. Offline this counts only this
        kiosk's tickets; it is an estimate and the ticket says so.

        The count costs a few index look-ups however long the queue: estimated call times grow
        with the sequence (each is the n-th latest end among the visits before it), so the
        people ahead are the tickets from the first one still to be called up to the last
        issued, less those among them that have left the queue (status other than waiting).
        """
        stamp = now.isoformat(timespec="seconds")
        conn = self.store.conn
        first_call = conn.execute(
            "SELECT min(estimated_call_at) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            "AND estimated_call_at > ?",
            (day, service.prefix, stamp),
        ).fetchone()[0]
        ahead = 0
        if first_call is not None:
            first = conn.execute(
                "SELECT min(seq) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
                "AND estimated_call_at = ?",
                (day, service.prefix, first_call),
            ).fetchone()[0]
            last = conn.execute(
                "SELECT last_seq FROM counters WHERE day = ? AND prefix = ?", (day, service.prefix)
            ).fetchone()[0]
            left = conn.execute(
                "SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? "
                "AND (status < 'waiting' OR status > 'waiting') AND seq >= ?",  # two index ranges, no scan
                (day, service.prefix, first),
            ).fetchone()[0]
            ahead = last - first + 1 - left
        busy = self.store.conn.execute(
            "SELECT estimated_done_at FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            "AND estimated_done_at > ? ORDER BY estimated_done_at DESC LIMIT 1 OFFSET ?",
            (day, service.prefix, stamp, service.counters - 1),
        ).fetchone()
        if busy is None:
            return ahead, 0
        free_at = datetime.fromisoformat(busy[0])
        return ahead, math.ceil((free_at - now).total_seconds() / 60)

    def _next_day_opening(self, service: Service, now: datetime) -> datetime | None:
        if self.settings.hall.always_open:
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
            return midnight
        return service.hours.next_opening(now, skip_today=True)
