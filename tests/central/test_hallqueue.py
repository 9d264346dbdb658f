"""GET /api/v1/halls/{hall}/queue: one hall, one queue. The day's tickets of every kiosk merged
per letter in hall order (kiosk clocks put right by their heartbeat skew, never after central
received a ticket), the counter model run over them, and each ticket counted once for the kiosk
that asks (its own tickets up to the gap-free part of its sequence). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from central.repo import changes
from central.repo.hallqueue import catalog_letters, run_counters
from kiosk.catalog import DEFAULT_PATH, load_catalog

WIB = timezone(timedelta(hours=7))
PUSH = "/api/v1/sync/push"
QUEUE = "/api/v1/halls/BDG/queue"

#: Letter A: one counter, KTP-BARU 10 min and KK 20 min; letter C: two counters, 15 min.
CATALOG = """
version = 1
[[agency]]
code = "DUKCAPIL"
[[agency.service]]
code = "KTP-BARU"
prefix = "A"
counters = 1
avg_minutes = 10
[[agency.service]]
code = "KK"
prefix = "A"
counters = 1
avg_minutes = 20
[[agency]]
code = "POLRI"
[[agency.service]]
code = "SKCK"
prefix = "C"
counters = 2
avg_minutes = 15
"""


def wib(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 11, 24, hh, mm, ss, tzinfo=WIB)


@pytest.fixture
def hall(fleet, clock):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    with fleet.db.transaction() as s:
        changes.set_catalog(s, "BDG", CATALOG, clock())
    clock.now = wib(8, 53).astimezone(UTC)  # the pushes arrive at 08:53
    return fleet


def ticket(
    make_ticket,
    kiosk: str,
    seq: int,
    at: datetime,
    service: str = "KTP-BARU",
    letter_seq: int = 0,
    priority: str | None = None,
):
    short = kiosk[-1]
    prefix = "C" if service == "SKCK" else "A"
    item = make_ticket(kiosk, seq, hall="BDG", issued_at=at, service_code=service, short_code=short)
    item["payload"]["prefix"] = prefix
    item["payload"]["number"] = f"{prefix}{short}-{'P' if priority else ''}{letter_seq or seq:03d}"
    if priority:
        item["payload"]["priority"] = priority
    return item


def letter(body: dict, prefix: str = "A") -> dict:
    (found,) = [q for q in body["letters"] if q["prefix"] == prefix]
    return found


def beat(client, fleet, kiosk: str, skew_seconds: float) -> None:
    kiosk_time = (fleet.clock() + timedelta(seconds=skew_seconds)).astimezone(WIB).isoformat()
    r = client.post(
        "/api/v1/heartbeat",
        json={"kiosk_time": kiosk_time, "app_version": "t", "backlog": 0},
        headers=fleet.headers(kiosk),
    )
    assert r.status_code == 200 and r.json()["clock_skew_seconds"] == skew_seconds


# --- the model ---------------------------------------------------------------------------------


def test_counter_model_one_counter_serves_in_order():
    calls, free = run_counters([(0, 600), (60, 1200), (120, 600)], counters=1)
    assert calls == [0, 600, 1800]  # each waits for the one before to end
    assert free == [2400]


def test_counter_model_two_counters_take_the_nth_latest_end():
    calls, free = run_counters([(0, 900), (0, 900), (0, 900), (100, 300), (2000, 60)], counters=2)
    assert calls == [0, 0, 900, 900, 2000]  # a free counter at arrival: called at once
    assert sorted(free) == [1800, 2060]


def test_catalog_letters_read_the_shipped_catalog_as_the_kiosk_does():
    letters = catalog_letters(DEFAULT_PATH.read_text())
    kiosk_catalog = load_catalog(DEFAULT_PATH)
    for s in kiosk_catalog.services():
        assert letters[s.prefix].counters == s.counters, s.code
        assert letters[s.prefix].minutes[s.code] == s.avg_minutes, s.code
    assert set(letters) == {s.prefix for s in kiosk_catalog.services()}
    assert catalog_letters("not toml [") == {}


# --- the route ---------------------------------------------------------------------------------


def test_two_kiosks_merge_into_one_queue_per_letter(client, hall, make_ticket, operator, clock):
    client.post(
        PUSH,
        json={"items": [ticket(make_ticket, "bdg-1", 1, wib(8, 50)), ticket(make_ticket, "bdg-1", 2, wib(8, 52))]},
        headers=hall.headers("bdg-1"),
    )
    client.post(
        PUSH,
        json={
            "items": [
                ticket(make_ticket, "bdg-2", 1, wib(8, 51), "KK"),
                ticket(make_ticket, "bdg-2", 2, wib(8, 52, 30), "SKCK", letter_seq=1),
            ]
        },
        headers=hall.headers("bdg-2"),
    )
    clock.now = wib(8, 55).astimezone(UTC)
    r = client.get(QUEUE, headers=operator)
    assert r.status_code == 200
    body = r.json()
    assert body["hall_code"] == "BDG" and body["day"] == "2026-11-24"
    assert body["as_of"] == "2026-11-24T01:55:00.000Z" and body["catalog_version"] == 1
    assert body["counted_seq"] is None and body["unknown_letter_tickets"] == 0
    # Letter A, one counter, in hall order: A1-001 08:50 (10 min: called at once), A2-001 08:51
    # (20 min: called 09:00), A1-002 08:52 (called 09:20, done 09:30).
    a = letter(body, "A")
    assert a == {
        "prefix": "A",
        "counters": 1,
        "tickets": 3,
        "own_tickets": None,
        "waiting": 2,
        "wait_seconds": 35 * 60,
        "call_in_seconds": [5 * 60, 25 * 60],
        "free_in_seconds": [35 * 60],
        # No priority ticket: a priority visitor would wait for the visit at the counter only.
        "own_priority_tickets": None,
        "priority_waiting": 0,
        "priority_wait_seconds": 5 * 60,
        "priority_call_in_seconds": [],
        "priority_free_in_seconds": [5 * 60],
    }
    # Letter C, two counters: the one visitor went straight to a counter (free at 09:07:30).
    c = letter(body, "C")
    assert (c["tickets"], c["waiting"], c["wait_seconds"], c["free_in_seconds"]) == (1, 0, 0, [12 * 60 + 30])
    assert {k["kiosk_id"]: k["tickets"] for k in body["kiosks"]} == {"bdg-1": 2, "bdg-2": 2}
    # Later the queue moves on by itself: at 09:21 the last visitor is at the counter.
    clock.now = wib(9, 21).astimezone(UTC)
    a = letter(client.get(QUEUE, headers=operator).json(), "A")
    assert (a["waiting"], a["call_in_seconds"], a["free_in_seconds"], a["wait_seconds"]) == (0, [], [540], 540)


@pytest.mark.parametrize("skew", [600, -600])
def test_a_drifted_kiosk_clock_is_put_right_by_its_heartbeat_and_flagged(
    client, hall, make_ticket, operator, clock, skew
):
    """bdg-2's clock is 10 min off: its visitor came at 08:51 but its ticket says 09:01 (fast)
    or 08:41 (slow). Before its first heartbeat a fast clock is held back to central's receive
    time (08:53); a slow one is taken as it says. After the heartbeat both are put at 08:51."""
    client.post(
        PUSH,
        json={"items": [ticket(make_ticket, "bdg-1", 1, wib(8, 50)), ticket(make_ticket, "bdg-1", 2, wib(8, 52))]},
        headers=hall.headers("bdg-1"),
    )
    late = ticket(make_ticket, "bdg-2", 1, wib(8, 51) + timedelta(seconds=skew), "KK")
    client.post(PUSH, json={"items": [late]}, headers=hall.headers("bdg-2"))
    clock.now = wib(8, 55).astimezone(UTC)
    before = client.get(QUEUE, headers=operator).json()
    if skew > 0:  # order A1-001 08:50, A1-002 08:52, A2-001 08:53: calls 09:00, 09:10
        assert letter(before)["call_in_seconds"] == [300, 900]
    else:  # order A2-001 08:41 (20 min), A1-001, A1-002: calls 09:01, 09:11
        assert letter(before)["call_in_seconds"] == [360, 960]
    beat(client, hall, "bdg-2", skew)
    after = client.get(QUEUE, headers=operator).json()
    assert letter(after)["call_in_seconds"] == [300, 1500]  # A1-001, A2-001 (08:51), A1-002
    clocks = {k["kiosk_id"]: k for k in after["kiosks"]}
    assert clocks["bdg-2"] == {
        "kiosk_id": "bdg-2",
        "tickets": 1,
        "clock_skew_seconds": float(skew),
        "corrected_seconds": float(skew),
        "clock_skew_flagged": True,
    }
    assert clocks["bdg-1"]["clock_skew_seconds"] is None and clocks["bdg-1"]["corrected_seconds"] == 0
    assert after["clock_skew_bound_seconds"] == 120.0
    # The hall's ticket list keeps what the kiosk printed: it is not rewritten.
    listed = client.get("/api/v1/halls/BDG/tickets", headers=operator).json()["tickets"]
    assert late["payload"]["issued_at"] in [t["issued_at"] for t in listed]


def test_a_skew_within_the_noise_is_not_corrected_nor_flagged(client, hall, make_ticket, operator):
    client.post(PUSH, json={"items": [ticket(make_ticket, "bdg-1", 1, wib(8, 50))]}, headers=hall.headers("bdg-1"))
    beat(client, hall, "bdg-1", 1.5)
    k = {k["kiosk_id"]: k for k in client.get(QUEUE, headers=operator).json()["kiosks"]}["bdg-1"]
    assert (k["clock_skew_seconds"], k["corrected_seconds"], k["clock_skew_flagged"]) == (1.5, 0.0, False)


def test_the_asking_kiosk_counts_its_own_tickets_beyond_a_gap_itself(client, hall, make_ticket, clock):
    """bdg-1 pushed seq 1, 2 and 4 (3, a print outcome, is missing): central holds 1..2 without a
    gap, so for bdg-1 it counts A1-001 and A1-002 (own_tickets 2) and leaves A1-003 to bdg-1;
    for bdg-2 it counts all three. Each ticket is counted once in each kiosk's view."""
    items = [
        ticket(make_ticket, "bdg-1", 1, wib(8, 50)),
        ticket(make_ticket, "bdg-1", 2, wib(8, 51)),
        ticket(make_ticket, "bdg-1", 4, wib(8, 52), letter_seq=3),
    ]
    client.post(PUSH, json={"items": items}, headers=hall.headers("bdg-1"))
    client.post(PUSH, json={"items": [ticket(make_ticket, "bdg-2", 1, wib(8, 52, 30))]}, headers=hall.headers("bdg-2"))
    mine = client.get(QUEUE, headers=hall.headers("bdg-1")).json()
    assert mine["counted_seq"] == 2
    assert (letter(mine)["tickets"], letter(mine)["own_tickets"]) == (3, 2)  # A1-001, A1-002, A2-001
    theirs = client.get(QUEUE, headers=hall.headers("bdg-2")).json()
    assert theirs["counted_seq"] == 1
    assert (letter(theirs)["tickets"], letter(theirs)["own_tickets"]) == (4, 1)
    assert letter(mine)["own_tickets"] == 2 and letter(mine, "C")["own_tickets"] == 0
    # The missing seq arrives: bdg-1's third ticket is central's to count now.
    outcome = {
        "id": "00000000-0000-4000-8000-000000000003",
        "seq": 3,
        "kind": "ticket.printed",
        "created_at": wib(8, 51).isoformat(),
        "payload": {"ticket_id": items[1]["payload"]["id"], "state": "printed", "error": None},
    }
    client.post(PUSH, json={"items": [outcome]}, headers=hall.headers("bdg-1"))
    mine = client.get(QUEUE, headers=hall.headers("bdg-1")).json()
    assert mine["counted_seq"] == 4 and (letter(mine)["tickets"], letter(mine)["own_tickets"]) == (4, 3)


def test_only_todays_tickets_and_letters_of_the_catalog_count(client, hall, make_ticket, operator):
    yesterday = ticket(make_ticket, "bdg-1", 1, wib(8, 50) - timedelta(days=1))
    unknown = ticket(make_ticket, "bdg-1", 2, wib(8, 51))
    unknown["payload"]["prefix"], unknown["payload"]["number"] = "Z", "Z1-001"
    client.post(PUSH, json={"items": [yesterday, unknown]}, headers=hall.headers("bdg-1"))
    body = client.get(QUEUE, headers=operator).json()
    assert [q["tickets"] for q in body["letters"]] == [0, 0]
    assert body["unknown_letter_tickets"] == 1


def test_a_hall_without_a_catalog_has_no_queues(client, hall, operator, fleet):
    fleet.hall("JKT", "MPP Jakarta")
    body = client.get("/api/v1/halls/JKT/queue", headers=operator).json()
    assert (body["letters"], body["catalog_version"]) == ([], None)


def test_queue_of_another_hall_is_forbidden_and_needs_auth(client, hall, operator):
    r = client.get(QUEUE, headers=hall.headers("sby-1"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden"
    assert client.get(QUEUE).json()["error"]["code"] == "auth.missing"
    assert client.get("/api/v1/halls/NOPE/queue", headers=operator).status_code == 404


def test_queue_over_a_real_socket(http, hall, make_ticket):
    h = hall.headers("bdg-2")
    http.post(PUSH, json={"items": [ticket(make_ticket, "bdg-2", 1, wib(8, 52))]}, headers=h)
    body = http.get(QUEUE, headers=h).json()
    assert letter(body)["own_tickets"] == 1 and body["counted_seq"] == 1
