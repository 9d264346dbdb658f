"""Kiosks' audit chains at central: stored as pushed, checked again here.

A kiosk's audit log (kiosk/audit.py) is a hash chain of events: seq 1, 2, 3, ... each with
id, at, kind, data (canonical JSON text), outbox_id (the fact's item id, or null), prev_hash and
hash = sha256 hex of canonical([seq, id, at, kind, data, outbox_id, prev_hash]) in UTF-8, where
canonical(v) = json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False), and prev_hash of seq 1 is 64 zeros. Central may not import kiosk code, so the
two lines of `canonical` and `event_hash` are written again here: keep them equal to the kiosk's.

Storage, without a table of its own: each event is a row of `items` of kind `audit.event`, with
the event (as pushed) as its canonical payload and seq = -(chain position). A kiosk's facts
count up from 1; its chain counts down from -1 in the same table, so the unique keys keep each
event once (a repeat is a duplicate, a different event at a known position a recorded
conflict) and the gap bookkeeping of the facts (seq > 0) never sees them.

`verify(session, kiosk_id)` recomputes every hash in order, checks that the positions run
1, 2, 3, ... with no hole, that each prev_hash is the hash before it, that each event of a fact
matches the fact central stored under its outbox_id (kind and payload SHA-256; a fact not
received yet is counted as pending, not as a problem), and reports every conflict: a kiosk
that sent a different event for a position central already held (its chain was rewritten).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from central.models import Conflict, Item, Kiosk
from central.repo import kiosks

log = logging.getLogger("central.audit")

KIND = "audit.event"
GENESIS_HASH = "0" * 64
GENESIS_KIND = "audit.genesis"
FIELDS = ("seq", "id", "at", "kind", "data", "outbox_id", "prev_hash", "hash")

ITEMS = Item.__table__
CONFLICTS = Conflict.__table__


def canonical(value: object) -> str:
    """Sorted keys, no spaces, UTF-8 as is, NaN refused (the kiosk's kiosk/audit.py `canonical`)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(seq: int, event_id: str, at: str, kind: str, data: str, outbox_id: str | None, prev_hash: str) -> str:
    """sha256 hex of canonical([seq, id, at, kind, data, outbox_id, prev_hash]) in UTF-8."""
    text = canonical([seq, event_id, at, kind, data, outbox_id, prev_hash])
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


# --- push --------------------------------------------------------------------------------------


def push(session: Session, kiosk: Kiosk, events: list[dict], now: datetime) -> list[tuple[int, str]]:
    """Store a batch of a kiosk's audit events (dicts of FIELDS, as validated by the route) in
    the caller's transaction; (seq, stored | duplicate | conflict) for each. An event whose hash
    does not recompute, or does not link to the event before it, is stored all the same (it is
    the evidence) and logged; `verify` reports it."""
    kiosk = kiosks.lock(session, kiosk.id)
    rows = []
    for e in events:
        event = {k: e[k] for k in FIELDS}
        payload = canonical(event)
        rows.append(
            {
                "id": event["id"],
                "kiosk_id": kiosk.id,
                "seq": -event["seq"],
                "kind": KIND,
                "payload": payload,
                "payload_sha256": _sha256(payload),
                "subject": None,
                "created_at": event["at"][:40],
                "received_at": now,
            }
        )
    if not rows:
        return []
    stmt = _insert(session, ITEMS).on_conflict_do_nothing().returning(ITEMS.c.id)
    inserted = {str(i) for i in session.execute(stmt, rows).scalars()}
    seqs = [r["seq"] for r in rows]
    known = {
        s: (str(i), sha)
        for s, i, sha in session.execute(
            select(ITEMS.c.seq, ITEMS.c.id, ITEMS.c.payload_sha256).where(
                ITEMS.c.kiosk_id == kiosk.id, ITEMS.c.seq.in_(seqs)
            )
        )
    }
    acks: list[tuple[int, str]] = []
    conflicts = []
    for row, e in zip(rows, events, strict=True):
        stored = known.get(row["seq"])
        if row["id"] in inserted and stored == (row["id"], row["payload_sha256"]):
            acks.append((e["seq"], "stored"))
        elif stored == (row["id"], row["payload_sha256"]):
            acks.append((e["seq"], "duplicate"))
        else:
            reason = f"audit seq {e['seq']}: " + (
                "central holds another event at this position" if stored else "the event id is known elsewhere"
            )
            conflicts.append(
                {k: row[k] for k in ("kiosk_id", "seq", "kind", "payload", "payload_sha256", "received_at")}
                | {"item_id": row["id"], "reason": reason}
            )
            acks.append((e["seq"], "conflict"))
    if conflicts:
        session.execute(_insert(session, CONFLICTS).on_conflict_do_nothing(), conflicts)
        log.warning(
            "kiosk %s: %d audit event(s) differ from what central holds: chain rewritten?", kiosk.id, len(conflicts)
        )
    _check_links(session, kiosk.id, events)
    return acks


def _check_links(session: Session, kiosk_id: str, events: list[dict]) -> None:
    """Log (only) an event whose hash does not recompute or whose prev_hash is not the hash of
    the event central holds before it."""
    first = min(e["seq"] for e in events)
    before = None
    if first > 1:
        payload = session.execute(
            select(ITEMS.c.payload).where(ITEMS.c.kiosk_id == kiosk_id, ITEMS.c.seq == -(first - 1))
        ).scalar()
        before = json.loads(payload)["hash"] if payload else None
    prev = GENESIS_HASH if first == 1 else before
    for e in sorted(events, key=lambda e: e["seq"]):
        if event_hash(*(e[k] for k in FIELDS[:-1])) != e["hash"]:
            log.warning("kiosk %s: audit seq %d: hash does not match the event's content", kiosk_id, e["seq"])
        if prev is not None and e["prev_hash"] != prev:
            log.warning("kiosk %s: audit seq %d: prev_hash is not the hash central holds before it", kiosk_id, e["seq"])
        prev = e["hash"]


# --- verify ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    seq: int | None
    problem: str

    def to_json(self) -> dict:
        return {"seq": self.seq, "problem": self.problem}

    def line(self) -> str:
        return f"audit seq {self.seq}: {self.problem}" if self.seq is not None else self.problem


@dataclass
class ChainReport:
    """What `verify` found for one kiosk; `ok` when the chain central holds is whole."""

    kiosk_id: str
    events: int = 0
    last_seq: int = 0
    last_hash: str | None = None
    #: Events of facts central has not received (yet): not a problem, the facts may follow.
    facts_pending: int = 0
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
            "kiosk_id": self.kiosk_id,
            "events": self.events,
            "last_seq": self.last_seq,
            "first_bad": first.to_json() if first else None,
            "problems": [p.to_json() for p in self.problems],
            "last_hash": self.last_hash,
            "facts_pending": self.facts_pending,
        }


def verify(session: Session, kiosk_id: str) -> ChainReport:
    """Check the chain central holds for `kiosk_id` (see the module docstring); reads only."""
    report = ChainReport(kiosk_id)
    bad = report.problems.append
    expected, prev = 1, GENESIS_HASH
    facts: dict[str, tuple[int, str, str]] = {}  # outbox_id -> (seq, kind, sha256 of data)
    query = (
        select(ITEMS.c.seq, ITEMS.c.payload)
        .where(ITEMS.c.kiosk_id == kiosk_id, ITEMS.c.kind == KIND, ITEMS.c.seq < 0)
        .order_by(ITEMS.c.seq.desc())
    )
    for neg_seq, payload in session.execute(query):
        seq = -neg_seq
        report.events += 1
        try:
            e = json.loads(payload)
            values = [e[k] for k in FIELDS]
        except (ValueError, KeyError, TypeError):
            bad(Problem(seq, "the stored event is not an audit event"))
            expected, prev = seq + 1, None
            continue
        if e["seq"] != seq:
            bad(Problem(seq, f"the stored event says seq {e['seq']}"))
        if seq != expected:
            missing = f"seq {expected}" if seq == expected + 1 else f"seq {expected}..{seq - 1}"
            bad(Problem(seq, f"{missing} missing before it (never received, or deleted at central)"))
        elif prev is not None and e["prev_hash"] != prev:
            what = "the genesis value" if seq == 1 else f"the hash of seq {seq - 1}"
            bad(Problem(seq, f"prev_hash is not {what}: the kiosk's chain was changed or rewritten"))
        try:
            ok = isinstance(e["data"], str) and event_hash(seq, *values[1:-1]) == e["hash"]
        except (TypeError, ValueError):
            ok = False
        if not ok:
            bad(Problem(seq, "hash does not match the event's content (edited)"))
        if seq == 1 and e["kind"] != GENESIS_KIND:
            bad(Problem(seq, f"the first event is {e['kind']}, not {GENESIS_KIND}"))
        if e["outbox_id"] is not None and isinstance(e["data"], str):
            facts[str(e["outbox_id"])] = (seq, e["kind"], _sha256(e["data"]))
        report.last_seq, report.last_hash = seq, e["hash"]
        expected, prev = seq + 1, e["hash"]
    _check_facts(session, kiosk_id, facts, report)
    for c_seq, reason in session.execute(
        select(CONFLICTS.c.seq, CONFLICTS.c.reason)
        .where(CONFLICTS.c.kiosk_id == kiosk_id, CONFLICTS.c.kind == KIND)
        .order_by(CONFLICTS.c.seq.desc())
    ):
        bad(Problem(-c_seq, f"the kiosk later sent a different event here ({reason}): its chain was rewritten"))
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report


def _check_facts(session: Session, kiosk_id: str, facts: dict[str, tuple[int, str, str]], report: ChainReport) -> None:
    ids = list(facts)
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for i, kind, sha in session.execute(
            select(ITEMS.c.id, ITEMS.c.kind, ITEMS.c.payload_sha256).where(
                ITEMS.c.kiosk_id == kiosk_id, ITEMS.c.id.in_(chunk)
            )
        ):
            found[str(i)] = (kind, sha)
    for outbox_id, (seq, kind, sha) in facts.items():
        fact = found.get(outbox_id)
        if fact is None:
            report.facts_pending += 1
        elif fact != (kind, sha):
            report.problems.append(Problem(seq, f"the {kind} fact central holds as {outbox_id} says otherwise"))
