"""Push: store a kiosk's facts exactly once, apply them, and find the gaps in its sequence.

One call is one batch and runs inside the caller's transaction:

1. the kiosk's row is locked (FOR NO KEY UPDATE; on SQLite the transaction began IMMEDIATE),
   so two pushes of one kiosk (a redelivery racing the original) run one after the other and
   the gap bookkeeping sees a consistent sequence;
2. every item goes in with one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING id: the
   unique keys on `id` and on (kiosk_id, seq) decide what is new, never a look-up first;
3. what was not inserted is read back and compared by payload SHA-256: the same id and
   content is a `duplicate` (a no-op), anything else a `conflict`, kept in `conflicts` and
   not applied;
4. new `ticket.issued` items become hall tickets (INSERT ... ON CONFLICT (id) DO NOTHING);
   the print state of every ticket touched is then set from its kiosk's newest print-outcome
   item, so an outcome that arrives before its ticket is applied when the ticket comes (and a
   kiosk cannot change another kiosk's tickets);
5. the kiosk's gaps (sequence ranges below its highest seq that central has not seen) are
   recomputed above the part known to be complete, and recorded in `gaps`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import String, Uuid, any_, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from central.errors import CentralError, describe_validation
from central.models import Conflict, Gap, Item, Kiosk, Ticket
from central.repo import kiosks
from central.schemas import ItemIn, PrintOutcomePayload, TicketIssuedPayload

TICKET_ISSUED = "ticket.issued"
#: The print-outcome kinds and the print_state each one sets.
PRINT_KINDS = {
    "ticket.printed": "printed",
    "ticket.print_failed": "failed",
    "ticket.print_unconfirmed": "unconfirmed",
}

ITEMS = Item.__table__
TICKETS = Ticket.__table__
CONFLICTS = Conflict.__table__

_GAPS_SQL = text(
    "SELECT prev + 1 AS from_seq, seq - 1 AS to_seq FROM ("
    " SELECT seq, LAG(seq, 1, :floor) OVER (ORDER BY seq) AS prev"
    " FROM items WHERE kiosk_id = :kiosk AND seq > :floor) AS s "
    "WHERE seq - prev > 1 ORDER BY from_seq"
)


@dataclass(frozen=True)
class Ack:
    id: str
    seq: int
    status: str  # stored, duplicate, conflict


@dataclass(frozen=True)
class PushResult:
    acks: list[Ack]
    gaps: list[tuple[int, int]]
    stored: int
    duplicates: int
    conflicts: int


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def canonical_json(payload: dict) -> str:
    """The one text of a payload: sorted keys, no spaces, UTF-8 as is; NaN/Infinity refused."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _prepare(kiosk: Kiosk, items: list[ItemIn], now: datetime) -> tuple[list[dict], dict[int, dict]]:
    """Rows for `items` and, by position, the tickets they would create; CentralError 422
    naming the first bad item (nothing is written then)."""
    rows: list[dict] = []
    tickets: dict[int, dict] = {}
    for pos, item in enumerate(items):
        try:
            payload_text = canonical_json(item.payload)
        except ValueError:
            raise CentralError("request.invalid", f"items[{pos}].payload: NaN and Infinity are not JSON") from None
        subject = None
        if item.kind == TICKET_ISSUED:
            t = _payload(TicketIssuedPayload, item, pos)
            if t.kiosk_id != kiosk.id:
                raise CentralError(
                    "request.invalid", f"items[{pos}].payload.kiosk_id: {t.kiosk_id} is not this kiosk ({kiosk.id})"
                )
            if t.hall_code != kiosk.hall_code:
                raise CentralError(
                    "request.invalid",
                    f"items[{pos}].payload.hall_code: {t.hall_code} is not this kiosk's hall ({kiosk.hall_code})",
                )
            subject = str(t.id)
            tickets[pos] = {
                "id": subject,
                "hall_code": kiosk.hall_code,
                "kiosk_id": kiosk.id,
                "number": t.number,
                "day": t.day,
                "prefix": t.prefix,
                "service_code": t.service_code,
                "seq": item.seq,
                "item_id": str(item.id),
                "issued_at": t.issued_at.isoformat(),
                "issued_utc": t.issued_at.astimezone(UTC),
                "received_at": now,
                "print_state": "pending",
                "print_error": None,
                "priority": t.priority,
            }
        elif item.kind in PRINT_KINDS:
            subject = str(_payload(PrintOutcomePayload, item, pos).ticket_id)
        rows.append(
            {
                "id": str(item.id),
                "kiosk_id": kiosk.id,
                "seq": item.seq,
                "kind": item.kind,
                "payload": payload_text,
                "payload_sha256": hashlib.sha256(payload_text.encode("utf-8")).hexdigest(),
                "subject": subject,
                "created_at": item.created_at.isoformat(),
                "received_at": now,
            }
        )
    return rows, tickets


def _payload(model, item: ItemIn, pos: int):
    try:
        return model.model_validate(item.payload)
    except ValidationError as exc:
        _, message = describe_validation([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()])
        raise CentralError("request.invalid", f"items[{pos}].{message} ({item.kind})") from None


def push(session: Session, kiosk: Kiosk, items: list[ItemIn], now: datetime) -> PushResult:
    """Store, classify and apply one batch (see the module docstring); the caller commits."""
    rows, tickets = _prepare(kiosk, items, now)
    kiosk = kiosks.lock(session, kiosk.id)
    pg = session.get_bind().dialect.name == "postgresql"
    inserted: set[str] = set()
    if rows:
        if pg:
            inserted = {i for (i,) in _pg(session, _PG_INSERT_ITEMS, _columns(rows, kiosk.id, now))}
        else:
            stmt = _insert(session, ITEMS).on_conflict_do_nothing().returning(ITEMS.c.id)
            inserted = {str(i) for i in session.execute(stmt, rows).scalars()}

    # What was not inserted: read back the stored versions to tell duplicates from conflicts.
    claimed: set[str] = set()
    pending = []
    for row in rows:
        if row["id"] in inserted and row["id"] not in claimed:
            claimed.add(row["id"])
        else:
            pending.append(row)
    known: dict[str, tuple] = {}
    if pending:
        ids = list({r["id"] for r in pending})
        query = select(ITEMS.c.id, ITEMS.c.kiosk_id, ITEMS.c.seq, ITEMS.c.kind, ITEMS.c.payload_sha256)
        for r in session.execute(query.where(_among(ITEMS.c.id, ids, pg, UUID_ARRAY))):
            known[str(r.id)] = (r.kiosk_id, r.seq, r.kind, r.payload_sha256)

    acks: list[Ack] = []
    conflicts: list[dict] = []
    stored_rows: list[dict] = []
    new_tickets: list[dict] = []
    claimed.clear()
    for pos, row in enumerate(rows):
        rid = row["id"]
        if rid in inserted and rid not in claimed:
            claimed.add(rid)
            stored_rows.append(row)
            if pos in tickets:
                new_tickets.append(tickets[pos])
            acks.append(Ack(rid, row["seq"], "stored"))
            continue
        stored = known.get(rid)
        mine = (row["kiosk_id"], row["seq"], row["kind"], row["payload_sha256"])
        if stored == mine:
            acks.append(Ack(rid, row["seq"], "duplicate"))
            continue
        if stored is None:
            reason = f"seq {row['seq']} of kiosk {row['kiosk_id']} holds another item"
        elif stored[0] != row["kiosk_id"]:
            reason = f"id known from kiosk {stored[0]}"
        elif stored[1] != row["seq"]:
            reason = f"id known with seq {stored[1]}"
        elif stored[2] != row["kind"]:
            reason = f"id known as {stored[2]}"
        else:
            reason = "id known with a different payload"
        conflicts.append(
            {k: row[k] for k in ("kiosk_id", "seq", "kind", "payload", "payload_sha256", "received_at")}
            | {"item_id": rid, "reason": reason}
        )
        acks.append(Ack(rid, row["seq"], "conflict"))
    if conflicts:
        session.execute(_insert(session, CONFLICTS).on_conflict_do_nothing(), conflicts)

    _apply(session, kiosk.id, stored_rows, new_tickets, pg)
    gaps = _update_gaps(session, kiosk, stored_rows, now)
    return PushResult(acks, gaps, len(stored_rows), sum(a.status == "duplicate" for a in acks), len(conflicts))


def _apply(session: Session, kiosk_id: str, stored_rows: list[dict], tickets: list[dict], pg: bool) -> None:
    """Hall tickets from new ticket.issued items; print states from the newest outcome items
    (a kiosk's outcomes apply to its own tickets only)."""
    if tickets and pg:
        first = tickets[0]
        arrays = {k: [t[k] for t in tickets] for k in _TICKET_ARRAYS}
        scalars = {"hall_code": first["hall_code"], "kiosk_id": first["kiosk_id"], "received_at": first["received_at"]}
        _pg(session, _PG_INSERT_TICKETS, arrays | scalars)
    elif tickets:
        session.execute(_insert(session, TICKETS).on_conflict_do_nothing(index_elements=["id"]), tickets)
    subjects = list({r["subject"] for r in stored_rows if r["subject"] is not None})
    if not subjects:
        return
    newest: dict[str, tuple[int, str, str | None]] = {}
    for subject, seq, kind, payload in session.execute(
        select(ITEMS.c.subject, ITEMS.c.seq, ITEMS.c.kind, ITEMS.c.payload).where(
            _among(ITEMS.c.subject, subjects, pg, TEXT_ARRAY),
            ITEMS.c.kind.in_(list(PRINT_KINDS)),
            ITEMS.c.kiosk_id == kiosk_id,
        )
    ):
        if subject not in newest or seq > newest[subject][0]:
            error = json.loads(payload).get("error")
            newest[subject] = (seq, PRINT_KINDS[kind], error if isinstance(error, str) else None)
    if newest and pg:
        _pg(
            session,
            _PG_SET_PRINT_STATES,
            {
                "kiosk_id": kiosk_id,
                "ids": list(newest),
                "states": [v[1] for v in newest.values()],
                "errors": [v[2] for v in newest.values()],
            },
        )
    elif newest:
        session.execute(
            update(TICKETS)
            .where(TICKETS.c.id == bindparam("t_id"), TICKETS.c.kiosk_id == kiosk_id)
            .values(print_state=bindparam("t_state"), print_error=bindparam("t_error")),
            [{"t_id": s, "t_state": state, "t_error": err} for s, (_, state, err) in newest.items()],
        )


# PostgreSQL: a batch goes in as one array per column: one short statement, one round trip.
# A 1,000-row VALUES list is re-parsed by the driver on every request, and text-format arrays
# escape every element, so the arrays travel in binary (psycopg's %(name)b placeholders).
UUID_ARRAY = postgresql.ARRAY(Uuid(as_uuid=False))
TEXT_ARRAY = postgresql.ARRAY(String)

_PG_INSERT_ITEMS = (
    "INSERT INTO items (id, kiosk_id, seq, kind, payload, payload_sha256, subject, created_at, received_at) "
    "SELECT u.id, %(kiosk_id)s, u.seq, u.kind, u.payload, u.sha, u.subject, u.created_at, %(received_at)s "
    "FROM unnest(%(ids)b::text[]::uuid[], %(seqs)b::bigint[], %(kinds)b::text[], %(payloads)b::text[], "
    "%(shas)b::text[], %(subjects)b::text[], %(created)b::text[]) "
    "WITH ORDINALITY AS u(id, seq, kind, payload, sha, subject, created_at, pos) "
    "ORDER BY u.pos ON CONFLICT DO NOTHING RETURNING id::text"
)

_TICKET_ARRAYS = (
    "id",
    "number",
    "day",
    "prefix",
    "service_code",
    "seq",
    "item_id",
    "issued_at",
    "issued_utc",
    "priority",
)
_PG_INSERT_TICKETS = (
    "INSERT INTO tickets (id, hall_code, kiosk_id, number, day, prefix, service_code, seq, item_id, issued_at, "
    "issued_utc, received_at, print_state, priority) "
    "SELECT u.id, %(hall_code)s, %(kiosk_id)s, u.number, u.day, u.prefix, u.service_code, u.seq, u.item_id, "
    "u.issued_at, u.issued_utc, %(received_at)s, 'pending', u.priority "
    "FROM unnest(%(id)b::text[]::uuid[], %(number)b::text[], %(day)b::date[], %(prefix)b::text[], "
    "%(service_code)b::text[], %(seq)b::bigint[], %(item_id)b::text[]::uuid[], %(issued_at)b::text[], "
    "%(issued_utc)b::timestamptz[], %(priority)b::text[]) "
    "AS u(id, number, day, prefix, service_code, seq, item_id, issued_at, issued_utc, priority) "
    "ON CONFLICT (id) DO NOTHING"
)

_PG_SET_PRINT_STATES = (
    "UPDATE tickets SET print_state = u.state, print_error = u.error "
    "FROM unnest(%(ids)b::text[]::uuid[], %(states)b::text[], %(errors)b::text[]) AS u(id, state, error) "
    "WHERE tickets.id = u.id AND tickets.kiosk_id = %(kiosk_id)s"
)


def _pg(session: Session, sql: str, params: dict):
    """Run psycopg SQL as written (%(name)s / %(name)b placeholders) in the session's transaction."""
    return session.connection().exec_driver_sql(sql, params)


def _columns(rows: list[dict], kiosk_id: str, now: datetime) -> dict:
    return {
        "kiosk_id": kiosk_id,
        "received_at": now,
        "ids": [r["id"] for r in rows],
        "seqs": [r["seq"] for r in rows],
        "kinds": [r["kind"] for r in rows],
        "payloads": [r["payload"] for r in rows],
        "shas": [r["payload_sha256"] for r in rows],
        "subjects": [r["subject"] for r in rows],
        "created": [r["created_at"] for r in rows],
    }


def _among(column, values: list, pg: bool, array_type):
    """`column IN values`: on PostgreSQL `= ANY(array)`, one parameter however many values."""
    if pg:
        return column == any_(bindparam(None, values, type_=array_type))
    return column.in_(values)


def _update_gaps(session: Session, kiosk: Kiosk, stored_rows: list[dict], now: datetime) -> list[tuple[int, int]]:
    """Recompute the kiosk's gaps above the complete prefix 1..contiguous_seq; record them."""
    open_gaps = list(
        session.scalars(select(Gap).where(Gap.kiosk_id == kiosk.id, Gap.resolved_at.is_(None)).order_by(Gap.from_seq))
    )
    if stored_rows:
        kiosk.last_push_at = now
    if not stored_rows:
        return [(g.from_seq, g.to_seq) for g in open_gaps]
    kiosk.max_seq = max(kiosk.max_seq, max(r["seq"] for r in stored_rows))
    current = [
        (int(a), int(b)) for a, b in session.execute(_GAPS_SQL, {"kiosk": kiosk.id, "floor": kiosk.contiguous_seq})
    ]
    kiosk.contiguous_seq = current[0][0] - 1 if current else kiosk.max_seq
    now_set = set(current)
    was = {(g.from_seq, g.to_seq): g for g in open_gaps}
    for key, gap in was.items():
        if key not in now_set:
            gap.resolved_at = now
    for a, b in current:
        if (a, b) in was:
            continue
        # A gap partly filled keeps the time its first part was found.
        found = min((g.found_at for g in open_gaps if g.from_seq <= b and a <= g.to_seq), default=now)
        session.add(Gap(kiosk_id=kiosk.id, from_seq=a, to_seq=b, found_at=found))
    session.flush()
    return current
