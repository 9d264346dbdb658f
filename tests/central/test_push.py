"""POST /api/v1/sync/push: every fact stored once, duplicates and conflicts told apart, tickets
and print states applied, gaps found, fast, and safe under concurrent redelivery."""

from __future__ import annotations

import gzip
import json
import threading
import time
import uuid

import httpx
import pytest

PUSH = "/api/v1/sync/push"


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    return fleet


def test_push_stores_items_and_tickets(client, bdg, make_ticket, clock):
    items = [make_ticket("bdg-1", seq) for seq in (1, 2, 3)]
    r = client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200
    body = r.json()
    assert body["acks"] == [{"id": i["id"], "seq": i["seq"], "status": "stored"} for i in items]
    assert body["gaps"] == []
    assert body["server_time"] == "2026-11-24T02:00:00.000Z"
    stored = bdg.rows("SELECT id, kiosk_id, seq, kind, payload, subject FROM items ORDER BY seq")
    assert [(str(r["id"]), r["kiosk_id"], r["seq"], r["kind"]) for r in stored] == [
        (i["id"], "bdg-1", i["seq"], "ticket.issued") for i in items
    ]
    assert json.loads(stored[0]["payload"]) == items[0]["payload"]
    tickets = bdg.rows("SELECT * FROM tickets ORDER BY seq")
    assert [
        (str(t["id"]), t["number"], t["hall_code"], t["kiosk_id"], t["seq"], t["print_state"]) for t in tickets
    ] == [(i["payload"]["id"], i["payload"]["number"], "BDG", "bdg-1", i["seq"], "pending") for i in items]
    assert tickets[0]["issued_at"] == "2026-11-24T08:00:01+07:00"
    kiosk = bdg.rows("SELECT contiguous_seq, max_seq FROM kiosks WHERE id = 'bdg-1'")[0]
    assert kiosk == {"contiguous_seq": 3, "max_seq": 3}


def test_push_redelivered_batch_is_duplicate(client, bdg, make_ticket):
    items = [make_ticket("bdg-1", seq) for seq in (1, 2)]
    client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1"))
    r = client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1"))
    assert [a["status"] for a in r.json()["acks"]] == ["duplicate", "duplicate"]
    assert bdg.count("items") == 2
    assert bdg.count("tickets") == 2
    assert bdg.count("conflicts") == 0


def test_push_same_id_different_payload_is_conflict(client, bdg, make_ticket):
    item = make_ticket("bdg-1", 1)
    client.post(PUSH, json={"items": [item]}, headers=bdg.headers("bdg-1"))
    changed = json.loads(json.dumps(item))
    changed["payload"]["number"] = "A1-999"
    r = client.post(PUSH, json={"items": [changed]}, headers=bdg.headers("bdg-1"))
    assert r.json()["acks"] == [{"id": item["id"], "seq": 1, "status": "conflict"}]
    conflicts = bdg.rows("SELECT item_id, kiosk_id, seq, payload, reason FROM conflicts")
    assert len(conflicts) == 1
    assert str(conflicts[0]["item_id"]) == item["id"]
    assert json.loads(conflicts[0]["payload"])["number"] == "A1-999"
    assert conflicts[0]["reason"] == "id known with a different payload"
    # Not applied: the ticket keeps the first payload's number.
    assert [t["number"] for t in bdg.rows("SELECT number FROM tickets")] == ["A1-001"]
    # Redelivering the conflicting item is recorded once.
    client.post(PUSH, json={"items": [changed]}, headers=bdg.headers("bdg-1"))
    assert bdg.count("conflicts") == 1


def test_push_new_id_on_known_seq_is_conflict(client, bdg, make_ticket):
    client.post(PUSH, json={"items": [make_ticket("bdg-1", 1)]}, headers=bdg.headers("bdg-1"))
    other = make_ticket("bdg-1", 1)  # a kiosk whose store was reset: seq 1 again, another UUID
    r = client.post(PUSH, json={"items": [other]}, headers=bdg.headers("bdg-1"))
    assert r.json()["acks"][0]["status"] == "conflict"
    assert bdg.rows("SELECT reason FROM conflicts")[0]["reason"] == "seq 1 of kiosk bdg-1 holds another item"
    assert bdg.count("items") == 1
    assert bdg.count("tickets") == 1


def test_push_item_of_another_kiosk_id_is_conflict(client, bdg, make_ticket):
    item = make_ticket("bdg-1", 1)
    client.post(PUSH, json={"items": [item]}, headers=bdg.headers("bdg-1"))
    copy = json.loads(json.dumps(item))
    copy["payload"]["kiosk_id"] = "bdg-2"
    r = client.post(PUSH, json={"items": [copy]}, headers=bdg.headers("bdg-2"))
    assert r.json()["acks"][0]["status"] == "conflict"
    assert bdg.rows("SELECT reason FROM conflicts")[0]["reason"] == "id known from kiosk bdg-1"


def test_push_same_id_twice_in_one_batch(client, bdg, make_ticket):
    item = make_ticket("bdg-1", 1)
    r = client.post(PUSH, json={"items": [item, item]}, headers=bdg.headers("bdg-1"))
    assert [a["status"] for a in r.json()["acks"]] == ["stored", "duplicate"]
    assert bdg.count("items") == 1


def test_push_reports_and_resolves_gaps(client, bdg, make_ticket, clock):
    h = bdg.headers("bdg-1")
    r = client.post(PUSH, json={"items": [make_ticket("bdg-1", s) for s in (1, 2, 5, 9)]}, headers=h)
    assert r.json()["gaps"] == [[3, 4], [6, 8]]
    assert [
        (g["from_seq"], g["to_seq"]) for g in bdg.rows("SELECT * FROM gaps WHERE resolved_at IS NULL ORDER BY 1")
    ] == [
        (3, 4),
        (6, 8),
    ]
    clock.advance(minutes=5)
    r = client.post(PUSH, json={"items": [make_ticket("bdg-1", s) for s in (3, 4, 7)]}, headers=h)
    assert r.json()["gaps"] == [[6, 6], [8, 8]]
    open_gaps = bdg.rows("SELECT from_seq, to_seq, found_at FROM gaps WHERE resolved_at IS NULL ORDER BY from_seq")
    assert [(g["from_seq"], g["to_seq"]) for g in open_gaps] == [(6, 6), (8, 8)]
    # The pieces of a partly filled gap keep the time it was first found.
    assert bdg.count("gaps", "resolved_at IS NOT NULL") == 2
    assert {str(g["found_at"])[:16] for g in open_gaps} == {"2026-11-24 02:00"}
    # A push of nothing new still reports the open gaps; filling them closes them.
    assert client.post(PUSH, json={"items": []}, headers=h).json()["gaps"] == [[6, 6], [8, 8]]
    r = client.post(PUSH, json={"items": [make_ticket("bdg-1", s) for s in (6, 8, 10)]}, headers=h)
    assert r.json()["gaps"] == []
    assert bdg.count("gaps", "resolved_at IS NULL") == 0
    assert bdg.rows("SELECT contiguous_seq, max_seq FROM kiosks WHERE id = 'bdg-1'")[0] == {
        "contiguous_seq": 10,
        "max_seq": 10,
    }


def test_push_gap_before_first_item(client, bdg, make_ticket):
    r = client.post(PUSH, json={"items": [make_ticket("bdg-1", 4)]}, headers=bdg.headers("bdg-1"))
    assert r.json()["gaps"] == [[1, 3]]


def test_push_gaps_are_per_kiosk(client, bdg, make_ticket):
    client.post(PUSH, json={"items": [make_ticket("bdg-1", 1), make_ticket("bdg-1", 3)]}, headers=bdg.headers("bdg-1"))
    r = client.post(
        PUSH, json={"items": [make_ticket("bdg-2", s, short_code="2") for s in (1, 2)]}, headers=bdg.headers("bdg-2")
    )
    assert r.json()["gaps"] == []


@pytest.mark.parametrize("state", ["printed", "failed", "unconfirmed"])
def test_push_print_outcome_sets_print_state(client, bdg, make_ticket, make_print, state):
    ticket = make_ticket("bdg-1", 1)
    error = "printer: out of paper" if state == "failed" else None
    r = client.post(PUSH, json={"items": [ticket, make_print(ticket, 2, state, error)]}, headers=bdg.headers("bdg-1"))
    assert [a["status"] for a in r.json()["acks"]] == ["stored", "stored"]
    row = bdg.rows("SELECT print_state, print_error FROM tickets")[0]
    assert row == {"print_state": state, "print_error": error}


def test_push_print_outcome_before_its_ticket(client, bdg, make_ticket, make_print):
    """An outcome that reaches central first (its ticket was in a gap) applies when the ticket comes."""
    ticket = make_ticket("bdg-1", 1)
    h = bdg.headers("bdg-1")
    r = client.post(PUSH, json={"items": [make_print(ticket, 2, "failed", "cover open")]}, headers=h)
    assert r.json()["gaps"] == [[1, 1]]
    assert bdg.count("tickets") == 0
    client.post(PUSH, json={"items": [ticket]}, headers=h)
    assert bdg.rows("SELECT print_state, print_error FROM tickets")[0] == {
        "print_state": "failed",
        "print_error": "cover open",
    }


def test_push_print_outcome_for_another_kiosks_ticket_is_not_applied(client, bdg, make_ticket, make_print):
    ticket = make_ticket("bdg-1", 1)
    client.post(PUSH, json={"items": [ticket]}, headers=bdg.headers("bdg-1"))
    r = client.post(PUSH, json={"items": [make_print(ticket, 1, "failed", "x")]}, headers=bdg.headers("bdg-2"))
    assert r.json()["acks"][0]["status"] == "stored"
    assert bdg.rows("SELECT print_state FROM tickets")[0]["print_state"] == "pending"


def test_push_unknown_kind_is_stored_not_applied(client, bdg):
    item = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "kind": "survey.answered",
        "created_at": "2026-11-24T09:00:00+07:00",
        "payload": {"score": 4, "nested": {"ok": True}},
    }
    r = client.post(PUSH, json={"items": [item]}, headers=bdg.headers("bdg-1"))
    assert r.json()["acks"][0]["status"] == "stored"
    assert bdg.rows("SELECT kind, payload FROM items")[0] == {
        "kind": "survey.answered",
        "payload": '{"nested":{"ok":true},"score":4}',
    }
    assert bdg.count("tickets") == 0


def test_push_ticket_of_another_kiosk_is_invalid(client, bdg, make_ticket):
    r = client.post(PUSH, json={"items": [make_ticket("bdg-2", 1)]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422
    assert r.json()["error"] == {
        "code": "request.invalid",
        "message": "items[0].payload.kiosk_id: bdg-2 is not this kiosk (bdg-1)",
    }
    assert bdg.count("items") == 0


def test_push_ticket_of_another_hall_is_invalid(client, bdg, make_ticket):
    r = client.post(PUSH, json={"items": [make_ticket("bdg-1", 1, hall="SBY")]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422
    assert "hall_code: SBY is not this kiosk's hall (BDG)" in r.json()["error"]["message"]


def test_push_bad_ticket_payload_changes_nothing(client, bdg, make_ticket):
    good = make_ticket("bdg-1", 1)
    bad = make_ticket("bdg-1", 2)
    del bad["payload"]["issued_at"]
    r = client.post(PUSH, json={"items": [good, bad]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "items[1].payload.issued_at: missing (ticket.issued)"
    assert bdg.count("items") == 0


def test_push_gzip_body(client, bdg, make_ticket):
    body = gzip.compress(json.dumps({"items": [make_ticket("bdg-1", 1)]}).encode())
    r = client.post(
        PUSH,
        content=body,
        headers={**bdg.headers("bdg-1"), "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert r.status_code == 200
    assert r.json()["acks"][0]["status"] == "stored"


def test_push_over_real_socket(http, bdg, make_ticket):
    items = [make_ticket("bdg-1", s) for s in (1, 2)]
    body = gzip.compress(json.dumps({"items": items}).encode())
    headers = {**bdg.headers("bdg-1"), "Content-Encoding": "gzip", "Content-Type": "application/json"}
    first = http.post(PUSH, content=body, headers=headers)
    again = http.post(PUSH, content=body, headers=headers)
    assert [a["status"] for a in first.json()["acks"]] == ["stored", "stored"]
    assert [a["status"] for a in again.json()["acks"]] == ["duplicate", "duplicate"]
    assert bdg.count("tickets") == 2


def test_push_10000_items_fast(http, bdg, make_ticket, make_print, backend):
    """10,000 facts (ticket + print outcome pairs) in 10 gzip requests of 1,000 items."""
    items = []
    for n in range(5000):
        t = make_ticket("bdg-1", 2 * n + 1, number=f"A1-{n + 1:04d}")
        items += [t, make_print(t, 2 * n + 2)]
    bodies = [gzip.compress(json.dumps({"items": items[i : i + 1000]}).encode(), 5) for i in range(0, 10000, 1000)]
    headers = {**bdg.headers("bdg-1"), "Content-Encoding": "gzip", "Content-Type": "application/json"}
    started = time.perf_counter()
    for body in bodies:
        r = http.post(PUSH, content=body, headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["gaps"] == []
    elapsed = time.perf_counter() - started
    print(f"\npush throughput ({backend}): 10000 items in {elapsed:.2f} s = {10000 / elapsed:,.0f} items/s")
    assert bdg.count("items") == 10000
    assert bdg.count("tickets", "print_state = 'printed'") == 5000
    assert elapsed < 3.0


def test_push_same_batch_concurrently_stores_each_item_once(live, bdg, make_ticket):
    """Two connections redeliver the same 500-item batch at the same moment."""
    items = [make_ticket("bdg-1", s, number=f"A1-{s:04d}") for s in range(1, 501)]
    body = json.dumps({"items": items}).encode()
    headers = {**bdg.headers("bdg-1"), "Content-Type": "application/json"}
    barrier = threading.Barrier(2)
    results: list = [None, None]
    spans: list = [None, None]

    def send(i: int) -> None:
        with httpx.Client(base_url=live, timeout=30, verify=False) as c:  # one connection each
            barrier.wait()
            started = time.perf_counter()
            results[i] = c.post(PUSH, content=body, headers=headers)
            spans[i] = (started, time.perf_counter())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # Both requests were in flight at the same time.
    assert max(s[0] for s in spans) < min(s[1] for s in spans)
    assert [r.status_code for r in results] == [200, 200]
    statuses = [[a["status"] for a in r.json()["acks"]] for r in results]
    for per_item in zip(*statuses, strict=True):
        assert sorted(per_item) == ["duplicate", "stored"]
    assert bdg.count("items") == 500
    assert bdg.count("tickets") == 500
    assert bdg.count("conflicts") == 0
