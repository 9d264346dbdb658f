"""GET /api/v1/halls/{hall}/tickets (hall order) and /kiosks; who may read a hall."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
PUSH = "/api/v1/sync/push"


@pytest.fixture
def two_halls(fleet):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    return fleet


def test_tickets_in_hall_order(client, two_halls, make_ticket, clock, operator):
    """Issue time decides, whatever the arrival order or the kiosk's zone; then central's
    receive time; then kiosk id and seq."""
    f = two_halls
    at = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
    # bdg-2 was offline: it pushes its 08:59 ticket after bdg-1's 09:00 and 09:01 ones.
    client.post(
        PUSH,
        json={
            "items": [
                make_ticket("bdg-1", 1, issued_at=at),
                make_ticket("bdg-1", 2, issued_at=at + timedelta(minutes=1)),
            ]
        },
        headers=f.headers("bdg-1"),
    )
    clock.advance(minutes=5)
    late = make_ticket("bdg-2", 1, issued_at=at - timedelta(minutes=1), short_code="2")
    # Same instant as bdg-1's first, written in another zone (a kiosk set to WITA): received later.
    same = make_ticket("bdg-2", 2, issued_at=at.astimezone(WITA), short_code="2")
    client.post(PUSH, json={"items": [late, same]}, headers=f.headers("bdg-2"))
    r = client.get("/api/v1/halls/BDG/tickets", params={"day": "2026-11-24"}, headers=operator)
    assert r.status_code == 200
    body = r.json()
    assert body["hall_code"] == "BDG" and body["day"] == "2026-11-24"
    assert [(t["number"], t["kiosk_id"]) for t in body["tickets"]] == [
        ("A2-001", "bdg-2"),
        ("A1-001", "bdg-1"),
        ("A2-002", "bdg-2"),
        ("A1-002", "bdg-1"),
    ]
    first = body["tickets"][0]
    assert first["issued_at"] == "2026-11-24T08:59:00+07:00"
    assert first["received_at"] == "2026-11-24T02:05:00.000Z"
    assert first["ticket_id"] == late["payload"]["id"] and first["seq"] == 1
    assert first["print_state"] == "pending"
    assert body["tickets"][2]["issued_at"] == "2026-11-24T10:00:00+08:00"


def test_tickets_default_to_today_in_hall_zone(client, two_halls, make_ticket):
    f = two_halls
    client.post(PUSH, json={"items": [make_ticket("bdg-1", 1)]}, headers=f.headers("bdg-1"))
    # Central's clock: 2026-11-24 02:00 UTC, 09:00 WIB.
    body = client.get("/api/v1/halls/BDG/tickets", headers=f.headers("bdg-2")).json()
    assert body["day"] == "2026-11-24" and len(body["tickets"]) == 1
    other_day = client.get("/api/v1/halls/BDG/tickets?day=2026-11-25", headers=f.headers("bdg-2")).json()
    assert other_day["tickets"] == []


def test_tickets_of_another_hall_are_forbidden(client, two_halls):
    r = client.get("/api/v1/halls/BDG/tickets", headers=two_halls.headers("sby-1"))
    assert r.status_code == 403
    assert r.json()["error"] == {
        "code": "auth.forbidden",
        "message": "kiosk sby-1 may read its own hall only, not BDG",
    }


def test_tickets_unknown_hall_is_404(client, two_halls, operator):
    r = client.get("/api/v1/halls/NOPE/tickets", headers=operator)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_tickets_need_auth(client, two_halls):
    assert client.get("/api/v1/halls/BDG/tickets").json()["error"]["code"] == "auth.missing"
    r = client.get("/api/v1/halls/BDG/tickets", headers={"Authorization": "Bearer wrong-operator-token"})
    assert r.json()["error"]["code"] == "auth.unknown_kiosk"


def test_tickets_bad_day_is_422(client, two_halls, operator):
    r = client.get("/api/v1/halls/BDG/tickets?day=24-11-2026", headers=operator)
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith("day:")


def test_kiosks_of_hall(client, two_halls, make_ticket, operator):
    f = two_halls
    client.post(PUSH, json={"items": [make_ticket("bdg-1", 1), make_ticket("bdg-1", 4)]}, headers=f.headers("bdg-1"))
    r = client.get("/api/v1/halls/BDG/kiosks", headers=operator)
    assert r.status_code == 200
    body = r.json()
    assert body["clock_skew_bound_seconds"] == 120.0
    by_id = {k["kiosk_id"]: k for k in body["kiosks"]}
    assert list(by_id) == ["bdg-1", "bdg-2"]
    assert by_id["bdg-1"]["gaps"] == [[2, 3]] and by_id["bdg-1"]["highest_seq"] == 4
    assert by_id["bdg-1"]["last_push_at"] == "2026-11-24T02:00:00.000Z"
    assert by_id["bdg-2"]["last_heartbeat_at"] is None
    assert by_id["bdg-2"]["revoked"] is False and by_id["bdg-2"]["enrolled"] is True


def test_halls_list_is_operator_only(client, two_halls, operator):
    assert [h["code"] for h in client.get("/api/v1/halls", headers=operator).json()["halls"]] == ["BDG", "SBY"]
    assert client.get("/api/v1/halls", headers=two_halls.headers("bdg-1")).status_code == 403


def test_hall_reads_over_real_socket(http, two_halls, make_ticket):
    h = two_halls.headers("bdg-1")
    http.post(PUSH, json={"items": [make_ticket("bdg-1", 1)]}, headers=h)
    tickets = http.get("/api/v1/halls/BDG/tickets", params={"day": "2026-11-24"}, headers=h)
    fleet = http.get("/api/v1/halls/BDG/kiosks", headers=h)
    assert [t["number"] for t in tickets.json()["tickets"]] == ["A1-001"]
    assert len(fleet.json()["kiosks"]) == 2
