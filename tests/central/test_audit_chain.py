"""POST /api/v1/audit/push and `central audit verify`: a chain made by a real kiosk store
verifies at central (its own copy of the hash), and a tampered, forged, rewritten or holed
chain is named by its first bad entry. Both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from central.cli import main
from central.repo import audit_chain
from kiosk import audit
from kiosk.store import Store

PUSH = "/api/v1/sync/push"
AUDIT = "/api/v1/audit/push"
WIB = timezone(timedelta(hours=7))


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    return fleet


@pytest.fixture
def kiosk_store(tmp_path, make_ticket):
    """A real kiosk store with three ticket facts and a supervisor's action: (outbox items as the
    sync engine sends them, audit events as it sends them)."""
    store = Store(tmp_path / "kiosk.sqlite3")
    at = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
    for seq in (1, 2, 3):
        with store.transaction():
            store.add_outbox("ticket.issued", make_ticket("bdg-1", seq)["payload"], at + timedelta(minutes=seq))
    store.add_audit("supervisor.pin_failed", {"role": "supervisor", "attempt": 1, "note": "PIN salah ✗"}, at)
    items = [
        {
            "id": r["id"],
            "seq": r["seq"],
            "kind": r["kind"],
            "created_at": r["created_at"],
            "payload": json.loads(r["payload"]),
        }
        for r in store.query("SELECT * FROM outbox ORDER BY seq")
    ]
    events = store.query("SELECT seq, id, at, kind, data, outbox_id, prev_hash, hash FROM audit ORDER BY seq")
    store.close()
    return items, events


def verify(db, kiosk_id="bdg-1"):
    with db.transaction() as s:
        return audit_chain.verify(s, kiosk_id)


def push_all(client, bdg, items, events):
    assert client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1")).status_code == 200
    r = client.post(AUDIT, json={"events": events}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200, r.text
    return r.json()


def forge(events, seq, **changes):
    """The chain with event `seq` changed and every hash from it on recomputed (a careful forger)."""
    out, prev = [], audit.GENESIS_HASH
    for e in events:
        e = {**e, **changes} if e["seq"] == seq else dict(e)
        if e["seq"] >= seq:
            e["prev_hash"] = prev
            e["hash"] = audit.event_hash(e["seq"], e["id"], e["at"], e["kind"], e["data"], e["outbox_id"], prev)
        out.append(e)
        prev = e["hash"]
    return out


def test_hash_function_is_the_same_at_central_and_at_the_kiosk(kiosk_store):
    _, events = kiosk_store
    for e in events:
        fields = (e["seq"], e["id"], e["at"], e["kind"], e["data"], e["outbox_id"], e["prev_hash"])
        assert audit_chain.event_hash(*fields) == audit.event_hash(*fields) == e["hash"]
    assert audit_chain.canonical({"b": [1.5, "é"], "a": None}) == audit.canonical({"b": [1.5, "é"], "a": None})


def test_chain_made_by_the_kiosk_verifies_at_central(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    body = push_all(client, bdg, items, events)
    assert body["acks"] == [{"seq": e["seq"], "status": "stored"} for e in events]
    report = verify(db)
    assert report.ok, [p.line() for p in report.problems]
    assert (report.events, report.last_seq, report.last_hash, report.facts_pending) == (5, 5, events[-1]["hash"], 0)
    again = client.post(AUDIT, json={"events": events}, headers=bdg.headers("bdg-1")).json()
    assert {a["status"] for a in again["acks"]} == {"duplicate"}
    # The facts' gap bookkeeping never sees the chain: it lives below seq 0.
    assert bdg.rows("SELECT from_seq FROM gaps") == []
    assert bdg.count("items", "kind = 'audit.event' AND seq < 0") == 5
    assert verify(db, "bdg-2").ok and verify(db, "bdg-2").events == 0


def test_event_of_a_fact_not_received_yet_is_pending_not_a_problem(client, bdg, db, kiosk_store):
    _, events = kiosk_store
    assert client.post(AUDIT, json={"events": events}, headers=bdg.headers("bdg-1")).status_code == 200
    report = verify(db)
    assert report.ok and report.facts_pending == 3


def test_event_tampered_at_central_is_named(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    push_all(client, bdg, items, events)
    stored = bdg.rows("SELECT payload FROM items WHERE kiosk_id = 'bdg-1' AND seq = -3")[0]["payload"]
    event = json.loads(stored)
    event["data"] = event["data"].replace("A1-002", "A1-009")
    with db.transaction() as s:
        s.execute(
            text("UPDATE items SET payload = :p WHERE kiosk_id = 'bdg-1' AND seq = -3"),
            {"p": audit_chain.canonical(event)},
        )
    report = verify(db)
    assert not report.ok and report.first_bad.seq == 3 and "hash" in report.first_bad.problem
    assert any("says otherwise" in p.problem for p in report.problems if p.seq == 3)


def test_forged_chain_whose_data_disagrees_with_the_fact_is_named(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    forged = forge(events, 2, data=events[1]["data"].replace("KTP-BARU", "SKCK-BARU"))
    push_all(client, bdg, items, forged)
    report = verify(db)
    assert [p.seq for p in report.problems] == [2] and "says otherwise" in report.first_bad.problem


def test_chain_rewritten_after_central_stored_it_is_a_conflict_and_named(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    push_all(client, bdg, items, events)
    rewritten = forge(events, 5, data='{"attempt":1,"role":"supervisor"}')
    r = client.post(AUDIT, json={"events": rewritten[4:]}, headers=bdg.headers("bdg-1"))
    assert r.json()["acks"] == [{"seq": 5, "status": "conflict"}]
    report = verify(db)
    assert report.first_bad.seq == 5 and "rewritten" in report.first_bad.problem
    assert bdg.count("conflicts", "kind = 'audit.event'") == 1


def test_next_event_of_a_rewritten_chain_breaks_the_link(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    push_all(client, bdg, items, events[:4])
    rewritten = forge(events, 4, at="2026-11-24T08:00:00+07:00")  # seq 4 changed on the kiosk, after its push
    r = client.post(AUDIT, json={"events": rewritten[4:]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200
    report = verify(db)
    assert [p.seq for p in report.problems] == [5] and "prev_hash" in report.first_bad.problem


def test_hole_in_the_chain_is_named(client, bdg, db, kiosk_store):
    items, events = kiosk_store
    push_all(client, bdg, items, events[:2] + events[3:])
    report = verify(db)
    assert report.first_bad.seq == 4 and "seq 3 missing" in report.first_bad.problem


@pytest.mark.parametrize(
    ("change", "status"),
    [({"hash": "nothex"}, 422), ({"seq": 0}, 422), ({"id": "NOT-A-UUID"}, 422), ({"data": None}, 422)],
)
def test_malformed_event_is_refused_and_nothing_stored(client, bdg, kiosk_store, change, status):
    _, events = kiosk_store
    r = client.post(AUDIT, json={"events": [events[0], {**events[1], **change}]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == status, r.text
    assert bdg.count("items", "kind = 'audit.event'") == 0


def test_audit_push_needs_a_kiosk_credential(client, bdg, kiosk_store):
    _, events = kiosk_store
    assert client.post(AUDIT, json={"events": events}).status_code == 401


def test_cli_audit_verify_exit_codes_and_json(capsys, db_url, client, bdg, db, kiosk_store):
    items, events = kiosk_store
    push_all(client, bdg, items, events)
    assert main(["--db", db_url, "audit", "verify", "bdg-1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (
        out["ok"] is True and out["events"] == 5 and out["first_bad"] is None and out["last_hash"] == events[-1]["hash"]
    )
    assert main(["--db", db_url, "audit", "verify", "bdg-1"]) == 0
    assert capsys.readouterr().out.startswith("bdg-1: audit chain whole: 5 events")
    with db.transaction() as s:
        s.execute(text("DELETE FROM items WHERE kiosk_id = 'bdg-1' AND seq = -2"))
    assert main(["--db", db_url, "audit", "verify", "bdg-1", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["first_bad"]["seq"] == 3
    assert captured.err.count("\n") == 1 and "first bad entry: audit seq 3" in captured.err
    assert main(["--db", db_url, "audit", "verify", "nobody"]) == 1
    assert "no kiosk nobody" in capsys.readouterr().err


def test_a_store_edited_by_hand_fails_at_the_kiosk_and_its_pushed_copy_still_verifies(
    client, bdg, db, kiosk_store, tmp_path
):
    items, events = kiosk_store
    push_all(client, bdg, items, events)
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        conn.execute("UPDATE audit SET data = '{}' WHERE seq = 2")
    assert audit.verify(tmp_path / "kiosk.sqlite3").first_bad.seq == 2
    assert verify(db).ok  # central holds what the kiosk said before the edit
