"""Hall-wide quotas: each kiosk's lease of a service's daily quota (docs/sync-api.md, Leases).

The rule, per hall, service and hall-local day, kept at central:

    tickets central received + the unused part of every kiosk's lease <= the service's daily quota

The quota is the service's `daily_quota` in the hall's newest catalog at central. A kiosk's
lease of a service for a day is what central granted it less what it gave back; its unused
part, as central sees it, is that less the kiosk's leased tickets central has received. A
kiosk on leases issues a ticket of the service only while its own count of tickets issued
under the lease is below the lease as it knows it, and counts the ticket in the ticket's own
transaction. Central's view of a lease is never smaller than the kiosk's (a grant counts at
central from the moment it is made, before the kiosk has it; a return only once central has
it), so whatever a kiosk can still hand out, offline or not, is inside its unused part, and
two kiosks cut off together can never give out more than the quota between them.

How the rule holds under concurrency:

- grants are made by `top_up` under the hall's row lock (FOR NO KEY UPDATE on PostgreSQL; on
  SQLite every writing transaction began IMMEDIATE), re-reading everything after the lock:
  kiosks (or workers) pulling at once are granted one after the other;
- the tickets received and each kiosk's leased tickets come from ONE statement (one snapshot)
  over `tickets`, unique by the kiosk's ticket UUID: each ticket counts once however often it
  is delivered, and a push committing meanwhile moves a leased ticket from "unused" to
  "received" in both numbers or in neither;
- what happens without the hall's lock only lowers the sum: a return (`lease.return`, applied
  once: items are stored once), and a leased ticket arriving (it leaves the unused part as it
  joins the received ones). Tickets issued without a lease (a kiosk that never synced) count
  when they arrive; nothing can bound them before.

How much: at each pull, the kiosk is topped up to its fair share of what is left,
ceil((quota - received) / active kiosks of the hall), as far as the part nobody holds allows,
once it is down by a quarter of that share (so an online kiosk gets a change every few
tickets, not every ticket). When what nobody holds is not enough, central asks the kiosks that
hold more than their share to give the excess back (`ask`); each answers at its next pull
with a `lease.return` of what it has unused, up to the ask. Central never takes a lease back
by itself: a kiosk that is offline may be using it right now. Leases are per hall-local day
and end at the hall's midnight; each pull grants today's and tomorrow's, so a kiosk cut off
overnight still has its share of the next day.
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from central.errors import CentralError, describe_validation
from central.models import Catalog, Hall, Kiosk, Lease, Ticket
from central.repo import changes, halls
from central.schemas import SERVICE_CODE_PATTERN, ItemIn, LeaseReturnPayload
from central.timezones import hall_today

log = logging.getLogger("central.leases")

#: The change kind a kiosk pulls, and the item kind it pushes to give numbers back.
CHANGE_KIND = "lease"
RETURN_KIND = "lease.return"
#: Leases are granted for today and the next LEASE_DAYS - 1 days (hall-local).
LEASE_DAYS = 2
#: A kiosk is topped up once its unused part is down by share // TOP_UP_FRACTION (at least 1).
TOP_UP_FRACTION = 4
MAX_QUOTA = 9999

#: Parsed quotas by catalog text (a hall's newest catalog is read at every pull).
_quota_cache: dict[str, dict[str, int]] = {}


# --- the hall's quotas ---------------------------------------------------------------------------


def parse_quotas(toml_text: str) -> dict[str, int]:
    """{service code: daily quota} from a catalog's text; entries that are not usable are left
    out (the kiosk checks the whole file; central only needs the two fields)."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError:
        return {}
    quotas: dict[str, int] = {}
    agencies = data.get("agency")
    for agency in agencies if isinstance(agencies, list) else []:
        services = agency.get("service") if isinstance(agency, dict) else None
        for service in services if isinstance(services, list) else []:
            if not isinstance(service, dict):
                continue
            code, quota = service.get("code"), service.get("daily_quota")
            if not (isinstance(code, str) and re.fullmatch(SERVICE_CODE_PATTERN, code)):
                continue
            if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= MAX_QUOTA:
                continue
            quotas.setdefault(code, quota)
    return quotas


def hall_quotas(session: Session, hall_code: str) -> dict[str, int]:
    """The daily quotas of the hall's newest catalog ({} without a catalog); a text is parsed once."""
    text = session.scalar(
        select(Catalog.toml).where(Catalog.hall_code == hall_code).order_by(Catalog.version.desc()).limit(1)
    )
    if text is None:
        return {}
    quotas = _quota_cache.get(text)
    if quotas is None:
        if len(_quota_cache) > 100:
            _quota_cache.clear()
        quotas = _quota_cache[text] = parse_quotas(text)
    return quotas


# --- the book: what the hall holds of a service on a day ----------------------------------------


@dataclass
class ServiceDay:
    """A service's quota on one day at central: tickets received, and each kiosk's lease."""

    day: date
    service_code: str
    quota: int
    received: int = 0
    #: Leased tickets received, by kiosk.
    leased: dict[str, int] = field(default_factory=dict)
    leases: dict[str, Lease] = field(default_factory=dict)

    def unused(self, kiosk_id: str) -> int:
        """The part of the kiosk's lease it may still use (or is using unseen), as central sees it."""
        lease = self.leases.get(kiosk_id)
        if lease is None:
            return 0
        return max(0, lease.granted - lease.returned - self.leased.get(kiosk_id, 0))

    @property
    def outstanding(self) -> int:
        """The unused parts of all leases."""
        return sum(self.unused(k) for k in self.leases)

    @property
    def remaining(self) -> int:
        """The quota less the tickets received."""
        return max(0, self.quota - self.received)

    @property
    def available(self) -> int:
        """What nobody holds: central may lease it."""
        return max(0, self.quota - self.received - self.outstanding)


def book(
    session: Session, hall_code: str, days: list[date], quotas: dict[str, int]
) -> dict[tuple[date, str], ServiceDay]:
    """The hall's quota state for `days` and the services in `quotas`. The tickets are counted
    in one statement (one snapshot), see the module docstring."""
    out = {(d, code): ServiceDay(d, code, q) for d in days for code, q in quotas.items()}
    counts = session.execute(
        select(Ticket.day, Ticket.service_code, Ticket.kiosk_id, Ticket.leased, func.count())
        .where(Ticket.hall_code == hall_code, Ticket.day.in_(days))
        .group_by(Ticket.day, Ticket.service_code, Ticket.kiosk_id, Ticket.leased)
    )
    for day, code, kiosk_id, leased, n in counts:
        entry = out.get((day, code))
        if entry is None:
            continue
        entry.received += n
        if leased:
            entry.leased[kiosk_id] = entry.leased.get(kiosk_id, 0) + n
    for lease in session.scalars(
        select(Lease).where(Lease.hall_code == hall_code, Lease.day.in_(days)).execution_options(populate_existing=True)
    ):
        entry = out.get((lease.day, lease.service_code))
        if entry is not None:
            entry.leases[lease.kiosk_id] = lease
    return out


def hall_state(session: Session, hall_code: str, day: date) -> list[dict]:
    """Each service's quota, tickets received, unused leases and what is free on `day` (for
    supervisors and tests)."""
    quotas = hall_quotas(session, hall_code)
    rows = []
    for (_, code), entry in sorted(book(session, hall_code, [day], quotas).items()):
        rows.append(
            {
                "service_code": code,
                "quota": entry.quota,
                "received": entry.received,
                "leased_unused": entry.outstanding,
                "available": entry.available,
                "kiosks": {k: entry.unused(k) for k in sorted(entry.leases)},
            }
        )
    return rows


# --- granting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """What one kiosk is told about one service on one day (a `lease` change's entry)."""

    day: date
    service_code: str
    quota: int
    grant: int = 0
    ask: int = 0
    full: bool = False

    def data(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "service_code": self.service_code,
            "quota": self.quota,
            "grant": self.grant,
            "ask": self.ask,
            "full": self.full,
        }


@dataclass
class Plan:
    """What a pull of `kiosk_id` grants it, and whom central asks to give numbers back."""

    hall_code: str
    kiosk_id: str
    tell: list[Offer] = field(default_factory=list)
    #: Leases of the kiosk central has no row for yet (it is told of them for the first time).
    new: set[tuple[str, date]] = field(default_factory=set)
    asks: dict[str, list[Offer]] = field(default_factory=dict)

    @property
    def needed(self) -> bool:
        return bool(self.tell or self.asks)


def _active_kiosks(session: Session, hall_code: str) -> list[str]:
    """The hall's kiosks that can sync: enrolled and not revoked."""
    return list(
        session.scalars(
            select(Kiosk.id).where(
                Kiosk.hall_code == hall_code, Kiosk.secret_hash.is_not(None), Kiosk.revoked_at.is_(None)
            )
        )
    )


def plan(session: Session, hall: Hall, kiosk_id: str, now: datetime) -> Plan:
    """What `kiosk_id` should be granted now, and who should be asked (see the module docstring).
    Reads only; `top_up` runs it again under the hall's lock before writing."""
    out = Plan(hall.code, kiosk_id)
    quotas = hall_quotas(session, hall.code)
    if not quotas:
        return out
    today = hall_today(hall.timezone, now)
    days = [today + timedelta(days=n) for n in range(LEASE_DAYS)]
    active = set(_active_kiosks(session, hall.code))
    kiosks = max(1, len(active | {kiosk_id}))
    for (day, code), entry in sorted(book(session, hall.code, days, quotas).items()):
        mine = entry.leases.get(kiosk_id)
        unused = entry.unused(kiosk_id)
        share = math.ceil(entry.remaining / kiosks)
        deficit = share - unused
        grant = 0
        short = 0
        if deficit > 0 and deficit >= max(1, share // TOP_UP_FRACTION):
            grant = min(entry.available, deficit)
            short = deficit - grant
        full = entry.remaining == 0
        if mine is None or grant > 0 or full != mine.full_told:
            out.tell.append(Offer(day, code, entry.quota, grant=grant, full=full))
            if mine is None:
                out.new.add((code, day))
        for other in sorted(entry.leases):
            if short <= 0:
                break
            lease = entry.leases[other]
            excess = entry.unused(other) - share
            if other == kiosk_id or other not in active or excess <= 0 or lease.asked > 0:
                continue
            ask = min(excess, short)
            short -= ask
            out.asks.setdefault(other, []).append(Offer(day, code, entry.quota, ask=ask, full=full))
    return out


def needs_top_up(session: Session, kiosk: Kiosk, now: datetime) -> bool:
    """Whether a pull of `kiosk` would grant or ask anything (a read: no lock, no write)."""
    hall = session.get(Hall, kiosk.hall_code)
    return hall is not None and plan(session, hall, kiosk.id, now).needed


def top_up(session: Session, kiosk_id: str, now: datetime) -> int:
    """Grant `kiosk_id` its share and ask those holding too much, in the caller's writing
    transaction: locks the hall, plans again, writes the leases and the `lease` changes.
    Returns how many changes were added."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        return 0
    hall = halls.lock(session, kiosk.hall_code)
    decided = plan(session, hall, kiosk_id, now)
    if not decided.needed:
        return 0
    # Rows are written in one order (kiosk, service, day), as a push writes its returns, so two
    # transactions never wait for each other in a circle.
    writes: list[tuple[tuple[str, str, date], Offer]] = [((kiosk_id, o.service_code, o.day), o) for o in decided.tell]
    writes += [((other, o.service_code, o.day), o) for other, offers in decided.asks.items() for o in offers]
    for (who, code, day), offer in sorted(writes, key=lambda w: w[0]):
        key = (Lease.kiosk_id == who, Lease.service_code == code, Lease.day == day)
        if who == kiosk_id and (code, day) in decided.new:
            session.add(
                Lease(
                    kiosk_id=who,
                    service_code=code,
                    day=day,
                    hall_code=hall.code,
                    granted=offer.grant,
                    returned=0,
                    asked=0,
                    full_told=offer.full,
                    created_at=now,
                    updated_at=now,
                )
            )
            session.flush()
        elif who == kiosk_id:
            session.execute(
                update(Lease)
                .where(*key)
                .values(granted=Lease.granted + offer.grant, full_told=offer.full, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        else:
            session.execute(
                update(Lease)
                .where(*key, Lease.asked == 0)
                .values(asked=offer.ask, updated_at=now)
                .execution_options(synchronize_session=False)
            )
    added = 0
    if decided.tell:
        changes.add(
            session, hall.code, CHANGE_KIND, {"leases": [o.data() for o in decided.tell]}, now, kiosk_id=kiosk_id
        )
        added += 1
    for other, offers in sorted(decided.asks.items()):
        changes.add(session, hall.code, CHANGE_KIND, {"leases": [o.data() for o in offers]}, now, kiosk_id=other)
        added += 1
    granted = sum(o.grant for o in decided.tell)
    if granted or decided.asks:
        log.info(
            "hall %s: kiosk %s granted %d number(s); %d kiosk(s) asked to give numbers back",
            hall.code,
            kiosk_id,
            granted,
            len(decided.asks),
        )
    return added


# --- what a push brings: leased tickets and returns ---------------------------------------------


def check_items(items: list[ItemIn]) -> None:
    """Refuse (422, naming the item) a `lease.return` whose payload is not one, or a
    `ticket.issued` whose `lease` is not true or false, before anything of the batch is stored."""
    for pos, item in enumerate(items):
        if item.kind == RETURN_KIND:
            try:
                LeaseReturnPayload.model_validate(item.payload)
            except ValidationError as exc:
                _, message = describe_validation([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()])
                raise CentralError("request.invalid", f"items[{pos}].{message} ({item.kind})") from None
        elif item.kind == "ticket.issued" and not isinstance(item.payload.get("lease", False), bool):
            raise CentralError("request.invalid", f"items[{pos}].payload.lease: expected true or false ({item.kind})")


def record_push(session: Session, kiosk: Kiosk, items: list[ItemIn], statuses: list[str], now: datetime) -> None:
    """Apply the new (`stored`) items of a push, in its transaction: tickets issued under a
    lease are marked `leased` (they count against the kiosk's lease from now on), returns lower
    the kiosk's leases and answer central's asks. Duplicates and conflicts change nothing, so a
    redelivered ticket or return counts once."""
    leased: list[str] = []
    returns: dict[tuple[str, date], int] = defaultdict(int)
    for item, status in zip(items, statuses, strict=True):
        if status != "stored":
            continue
        if item.kind == "ticket.issued" and item.payload.get("lease") is True:
            leased.append(str(uuid.UUID(str(item.payload["id"]))))  # as items.push stored it
        elif item.kind == RETURN_KIND:
            back = LeaseReturnPayload.model_validate(item.payload)
            returns[(back.service_code, back.day)] += back.amount
    if leased:
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(leased), Ticket.kiosk_id == kiosk.id)
            .values(leased=True)
            .execution_options(synchronize_session=False)
        )
    for (code, day), amount in sorted(returns.items()):
        done = session.execute(
            update(Lease)
            .where(Lease.kiosk_id == kiosk.id, Lease.service_code == code, Lease.day == day)
            .values(returned=Lease.returned + amount, asked=0, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not done:
            log.warning(
                "kiosk %s returned %d number(s) of %s on %s, which central never leased it", kiosk.id, amount, code, day
            )
        else:
            log.info("kiosk %s returned %d number(s) of %s on %s", kiosk.id, amount, code, day)
