"""Priority tickets at central: a `ticket.issued` with `"priority"` is stored and shown as such
(halls API, `central tickets`), an unknown kind is refused whole, and the hall queue calls a
letter's priority visitors before its normal ones waiting. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from central.cli import main
from central.repo import changes
from central.repo.hallqueue import run_counters
from tests.central.test_hallqueue import CATALOG, QUEUE, letter, ticket, wib

PUSH = "/api/v1/sync/push"


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    return fleet


def priority_ticket(make_ticket, seq: int, kind: str | None, letter_seq: int) -> dict:
    item = make_ticket("bdg-1", seq)
    item["payload"]["priority"] = kind
    item["payload"]["number"] = f"A1-{'P' if kind else ''}{letter_seq:03d}"
    return item


def test_push_priority_ticket_is_stored_and_listed_as_priority(capsys, client, bdg, make_ticket, operator, db_url):
    items = [priority_ticket(make_ticket, 1, None, 1), priority_ticket(make_ticket, 2, "elderly", 1)]
    r = client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200 and [a["status"] for a in r.json()["acks"]] == ["stored", "stored"]
    assert [(t["number"], t["priority"]) for t in bdg.rows("SELECT number, priority FROM tickets ORDER BY seq")] == [
        ("A1-001", None),
        ("A1-P001", "elderly"),
    ]
    api = client.get("/api/v1/halls/BDG/tickets", params={"day": "2026-11-24"}, headers=operator).json()
    assert [(t["number"], t["priority"]) for t in api["tickets"]] == [("A1-001", None), ("A1-P001", "elderly")]
    assert main(["--db", db_url, "tickets", "BDG", "--day", "2026-11-24", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == api
    assert main(["--db", db_url, "tickets", "BDG", "--day", "2026-11-24"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "PRIORITY" not in lines[1] and lines[2].startswith("A1-P001") and lines[2].endswith("PRIORITY elderly")


def test_push_unknown_priority_kind_is_refused_whole(client, bdg, make_ticket):
    items = [priority_ticket(make_ticket, 1, None, 1), priority_ticket(make_ticket, 2, "vip", 1)]
    r = client.post(PUSH, json={"items": items}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "request.invalid"
    assert "items[1].payload.priority" in r.json()["error"]["message"]
    assert bdg.count("items") == 0 and bdg.count("tickets") == 0


def test_counter_model_calls_priority_visitors_first():
    # One counter: a normal visit 0-600; a normal visitor arrives at 60, a priority one at 120.
    calls, free = run_counters([(0, 600), (60, 600), (120, 300)], 1, priority=[False, False, True])
    assert calls == [0, 900, 600] and free == [1500]
    # Nobody waits when the priority visitor comes: called at arrival, like anyone else.
    calls, free = run_counters([(0, 60), (100, 60), (200, 60)], 1, priority=[False, True, False])
    assert calls == [0, 100, 200] and free == [260]
    # Without priority visitors the model is the plain one.
    plain = [(0, 900), (0, 900), (0, 900), (100, 300), (2000, 60)]
    assert run_counters(plain, 2, priority=[False] * 5) == run_counters(plain, 2)


@pytest.fixture
def hall(fleet, clock):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    with fleet.db.transaction() as s:
        changes.set_catalog(s, "BDG", CATALOG, clock())
    clock.now = wib(8, 53).astimezone(UTC)
    return fleet


def test_hall_queue_calls_priority_first_and_counts_each_series_once(client, hall, make_ticket, operator, clock):
    # Letter A, one counter: A1-001 08:50 (10 min, at the counter until 09:00), A2-001 08:51 (KK,
    # 20 min), then the priority A1-P001 at 08:52 (10 min): it is called at 09:00, before A2-001.
    client.post(
        PUSH,
        json={
            "items": [
                ticket(make_ticket, "bdg-1", 1, wib(8, 50)),
                ticket(make_ticket, "bdg-1", 2, wib(8, 52), letter_seq=1, priority="pregnant"),
            ]
        },
        headers=hall.headers("bdg-1"),
    )
    client.post(
        PUSH, json={"items": [ticket(make_ticket, "bdg-2", 1, wib(8, 51), "KK")]}, headers=hall.headers("bdg-2")
    )
    clock.now = wib(8, 55).astimezone(UTC)
    a = letter(client.get(QUEUE, headers=operator).json(), "A")
    assert (a["waiting"], a["call_in_seconds"], a["free_in_seconds"], a["wait_seconds"]) == (
        2,
        [5 * 60, 15 * 60],  # A1-P001 at 09:00, A2-001 at 09:10
        [35 * 60],  # A2-001 ends 09:30
        35 * 60,
    )
    assert (a["priority_waiting"], a["priority_call_in_seconds"]) == (1, [5 * 60])
    # A new priority visitor waits for A1-001 and A1-P001 only: called at 09:10, not 09:30.
    assert (a["priority_free_in_seconds"], a["priority_wait_seconds"]) == ([15 * 60], 15 * 60)
    # Asked by bdg-1: its normal and priority tickets are counted per series (A1-001, A1-P001).
    mine = letter(client.get(QUEUE, headers=hall.headers("bdg-1")).json(), "A")
    assert (mine["own_tickets"], mine["own_priority_tickets"]) == (1, 1)
    other = letter(client.get(QUEUE, headers=hall.headers("bdg-2")).json(), "A")
    assert (other["own_tickets"], other["own_priority_tickets"]) == (1, 0)
