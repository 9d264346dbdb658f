"""The tamper-evident audit log: every fact the kiosk records is an event in a hash chain.

Each row of the store's `audit` table is one event:

    seq        the chain position: 1, 2, 3, ... with no gap (a deleted row shows as one)
    id         a UUID
    at         when, ISO-8601 with the offset, as the caller's clock said
    kind       what happened: an outbox fact's kind (ticket.issued, ticket.printed, ...),
               or an audit-only kind (supervisor.pin_failed, identity.decided, config.*)
    data       canonical JSON of what happened (an outbox fact's payload, as is)
    outbox_id  the fact's outbox row, for an event that is one (NULL otherwise)
    prev_hash  the previous event's hash; GENESIS_HASH for seq 1
    hash       sha256 hex of canonical([seq, id, at, kind, data, outbox_id, prev_hash])

`canonical(value)` is JSON with sorted keys, no spaces, UTF-8 as is (ensure_ascii off), NaN
refused: `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False)`. `data` enters the hash as its canonical text (a JSON string inside the
array), so the hash covers the exact bytes stored. Central recomputes the same hash with its own
copy of these few lines (central/repo/audit_chain.py); keep the two equal.

The chain is written by `append()` inside the caller's transaction (`Store.add_outbox` and
`Store.add_audit`): the previous hash is read from the last row inside BEGIN IMMEDIATE, so two
processes writing one store (the touch UI and a staff command) still make one chain. The first
event is `audit.genesis`, written by the migration that created the table: a store that existed
before it records how many tickets and outbox rows it already held; that history is not chained.

`verify(path)` checks a store read-only: every hash recomputed in order, seq contiguous,
prev_hash links, and the facts cross-checked: each event of an outbox fact against its outbox
row, each outbox row (after the genesis) against its event, each ticket row against its
`ticket.issued` event (number, service, ...) and its print state against its newest print
outcome event. What a local chain cannot catch: whoever rewrites the chain from some event on
(recomputing every later hash and editing the facts to match) leaves a whole chain; central's
copy of the events it already holds catches that once the kiosk syncs again (README, "Audit
log").
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: prev_hash of the first event.
GENESIS_HASH = "0" * 64
GENESIS_KIND = "audit.genesis"
#: The store version whose migration created the audit table (kiosk/store.py MIGRATIONS).
SCHEMA_VERSION = 9
#: The print-outcome kinds (kiosk/printing.py OUTBOX_KIND) and the print state each one sets.
PRINT_KINDS = {
    "ticket.printed": "printed",
    "ticket.print_failed": "failed",
    "ticket.print_unconfirmed": "unconfirmed",
}
#: Ticket columns that never change after the ticket is issued, checked against the event.
TICKET_FIELDS = (
    "id",
    "number",
    "day",
    "prefix",
    "seq",
    "service_code",
    "agency_code",
    "kiosk_id",
    "language",
    "issued_at",
    "priority",
    "people_ahead",
    "estimated_wait_minutes",
)


def canonical(value: object) -> str:
    """The one JSON text of `value`: sorted keys, no spaces, UTF-8 as is; ValueError on NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(seq: int, event_id: str, at: str, kind: str, data: str, outbox_id: str | None, prev_hash: str) -> str:
    """sha256 hex of canonical([seq, id, at, kind, data, outbox_id, prev_hash]) in UTF-8."""
    text = canonical([seq, event_id, at, kind, data, outbox_id, prev_hash])
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def append(conn: sqlite3.Connection, kind: str, data: str, at: str, outbox_id: str | None = None) -> int:
    """Add one event (`data` already canonical JSON) inside the caller's write transaction;
    returns its seq. One read of the last row (the rowid's end) and one INSERT."""
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event_id = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO audit (seq, id, at, kind, data, outbox_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, event_id, at, kind, data, outbox_id, prev, event_hash(seq, event_id, at, kind, data, outbox_id, prev)),
    )
    return seq


def start_chain(conn: sqlite3.Connection, schema_from: int) -> None:
    """The genesis event, in the migration's transaction: what the store held before the chain
    began (that history is not chained)."""
    tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    outbox, outbox_seq = conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM outbox").fetchone()
    data = {
        "note": "the audit chain starts here; what the store held before is not chained",
        "schema_from": schema_from,
        "tickets": tickets,
        "outbox": outbox,
        "outbox_seq": outbox_seq,
    }
    append(conn, GENESIS_KIND, canonical(data), datetime.now(UTC).isoformat())


# --- verify --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong: `seq` is the audit event concerned (None: a row with no event)."""

    seq: int | None
    problem: str

    def to_json(self) -> dict:
        return {"seq": self.seq, "problem": self.problem}

    def line(self) -> str:
        return f"audit seq {self.seq}: {self.problem}" if self.seq is not None else self.problem


@dataclass
class Report:
    """What `verify` found; `ok` when the chain is whole and agrees with the facts."""

    path: str
    events: int = 0
    last_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def to_json(self) -> dict:
        first = self.first_bad
        return {
            "ok": self.ok,
            "path": self.path,
            "events": self.events,
            "first_bad": first.to_json() if first else None,
            "problems": [p.to_json() for p in self.problems],
            "last_hash": self.last_hash,
        }


@dataclass
class _Event:
    seq: int
    kind: str
    data: dict | None
    outbox_id: str | None


def verify(path: Path) -> Report:
    """Check the audit chain of the store at `path`, read-only (nothing migrated or written).
    Raises StoreError when the file cannot be read at all."""
    from kiosk.errors import StoreError

    path = Path(path)
    report = Report(str(path))
    if not path.exists():
        raise StoreError(reason=f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as exc:
        raise StoreError(reason=f"{path}: {exc}") from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").fetchone()
        if version < SCHEMA_VERSION or not has_table:
            report.problems.append(
                Problem(None, f"the store has no audit log yet (schema version {version}): start the kiosk once")
            )
            return report
        events = _check_chain(conn, report)
        _check_facts(conn, events, report)
    except sqlite3.DatabaseError as exc:
        raise StoreError(reason=f"{path}: {exc}") from exc
    finally:
        conn.close()
    return report


def _check_chain(conn: sqlite3.Connection, report: Report) -> list[_Event]:
    """Every hash recomputed, in order; seq contiguous, prev_hash linked, data canonical."""
    events: list[_Event] = []
    expected, prev_hash = 1, GENESIS_HASH
    rows = conn.execute("SELECT seq, id, at, kind, data, outbox_id, prev_hash, hash FROM audit ORDER BY seq")
    for seq, event_id, at, kind, data, outbox_id, stored_prev, stored_hash in rows:
        report.events += 1
        bad = report.problems.append
        if seq != expected:
            missing = f"seq {expected}" if seq == expected + 1 else f"seq {expected}..{seq - 1}"
            bad(Problem(seq, f"{missing} missing before it (deleted from the chain)"))
        if stored_prev != prev_hash:
            what = "the genesis value" if seq == 1 else f"the hash of the event before it (seq {expected - 1})"
            bad(Problem(seq, f"prev_hash is not {what}: an earlier event was changed, removed or replaced"))
        try:
            fields_ok = isinstance(event_id, str) and isinstance(at, str) and isinstance(kind, str)
            actual = event_hash(seq, event_id, at, kind, data, outbox_id, stored_prev) if fields_ok else None
        except (TypeError, ValueError):
            actual = None
        if actual != stored_hash:
            bad(Problem(seq, "hash does not match the event's content (the row was edited)"))
        parsed = None
        try:
            parsed = json.loads(data) if isinstance(data, str) else None
            if parsed is None or canonical(parsed) != data:
                bad(Problem(seq, "data is not canonical JSON"))
                parsed = None
        except ValueError:
            bad(Problem(seq, "data is not JSON"))
        events.append(_Event(seq, kind, parsed if isinstance(parsed, dict) else None, outbox_id))
        expected, prev_hash = seq + 1, stored_hash
    if events and events[0].seq == 1 and events[0].kind != GENESIS_KIND:
        report.problems.append(Problem(1, f"the first event is {events[0].kind}, not {GENESIS_KIND}"))
    if not events:
        report.problems.append(Problem(None, "the audit log is empty: its genesis event was deleted"))
    report.last_hash = prev_hash if events else None
    return events


def _check_facts(conn: sqlite3.Connection, events: list[_Event], report: Report) -> None:
    """Each fact event against its outbox row; each outbox row and ticket row against its event."""
    bad = report.problems.append
    genesis = events[0].data if events and events[0].kind == GENESIS_KIND and events[0].data else {}
    since = genesis.get("outbox_seq", 0) if isinstance(genesis.get("outbox_seq", 0), int) else 0
    outbox = {r[0]: r for r in conn.execute("SELECT id, seq, kind, payload FROM outbox")}
    by_outbox: dict[str, _Event] = {}
    issued: dict[str, _Event] = {}
    printed: dict[str, str] = {}  # ticket id -> print state of its newest outcome event
    for e in events:
        if e.outbox_id is None:
            continue
        by_outbox[e.outbox_id] = e
        row = outbox.get(e.outbox_id)
        if row is None:
            bad(Problem(e.seq, f"its {e.kind} outbox row {e.outbox_id} is missing (deleted)"))
        elif row[2] != e.kind or e.data is None or _canonical_text(row[3]) != canonical(e.data):
            bad(Problem(e.seq, f"its {e.kind} outbox row {e.outbox_id} (outbox seq {row[1]}) says otherwise (edited)"))
        if e.data is None:
            continue
        if e.kind == "ticket.issued" and isinstance(e.data.get("id"), str):
            issued[e.data["id"]] = e
        elif e.kind in PRINT_KINDS and isinstance(e.data.get("ticket_id"), str):
            printed[e.data["ticket_id"]] = PRINT_KINDS[e.kind]
    for key, seq, kind, _ in sorted(outbox.values(), key=lambda r: r[1]):
        if seq > since and key not in by_outbox:
            bad(Problem(None, f"outbox seq {seq} ({kind}, {key}) has no audit event (deleted, or added by hand)"))
    tickets = conn.execute("SELECT * FROM tickets")
    names = [d[0] for d in tickets.description]
    seen: set[str] = set()
    for values in tickets:
        t = dict(zip(names, values, strict=True))
        seen.add(t["id"])
        event = issued.get(t["id"])
        fact = outbox.get(t.get("outbox_id"))
        if event is None:
            if fact is not None and fact[1] <= since:
                continue  # issued before the chain began
            bad(
                Problem(
                    None,
                    f"ticket {t['number']} ({t['id']}) has no ticket.issued audit event (deleted, or added by hand)",
                )
            )
            continue
        differs = [k for k in TICKET_FIELDS if k in event.data and k in t and t[k] != event.data[k]]
        if t.get("outbox_id") != event.outbox_id:
            differs.append("outbox_id")
        if differs:
            shown = ", ".join(
                f"{k} {t.get(k)!r} in the tickets table, {event.data.get(k, event.outbox_id)!r} in the chain"
                for k in differs
            )
            bad(Problem(event.seq, f"ticket {t['id']} was edited: {shown}"))
        state = printed.get(t["id"], "pending")
        if t.get("print_state") is not None and t["print_state"] != state:
            bad(
                Problem(
                    event.seq,
                    f"ticket {t['number']}: print state {t['print_state']!r}, the chain says {state!r} (edited)",
                )
            )
    for ticket_id, event in sorted(issued.items(), key=lambda kv: kv[1].seq):
        if ticket_id not in seen:
            number = event.data.get("number")
            bad(
                Problem(
                    event.seq, f"ticket {number} ({ticket_id}) is in the chain but not in the tickets table (deleted)"
                )
            )
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))


def _canonical_text(text: str) -> str | None:
    try:
        return canonical(json.loads(text))
    except (TypeError, ValueError):
        return None
