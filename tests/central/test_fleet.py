"""The fleet API for supervisors: GET /api/v1/kiosks (status from heartbeat age, health,
alerts), role scoping (another hall's kiosk is 404), remote commands through the kiosk's pull,
the halls' queue figures, the audit, and the demo's second hall and users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from supervisorkit import add_user, bearer, heartbeat_body, token

from central.demo import CATALOG_FILE
from central.repo import changes
from central.settings import Settings

KIOSKS = "/api/v1/kiosks"
PULL = "/api/v1/sync/pull"


@pytest.fixture
def halls(fleet, db, client):
    """BDG (bdg-1, bdg-2, both with the shipped catalog) and SBY (sby-1); a supervisor of BDG
    and an administrator, logged in."""
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    with db.transaction() as s:
        changes.set_catalog(s, "BDG", CATALOG_FILE.read_text(encoding="utf-8"), fleet.clock())
    add_user(db, "spv-bdg", "supervisor", ("BDG",))
    add_user(db, "boss", "admin")
    fleet.spv = bearer(token(client, "spv-bdg"))
    fleet.admin = bearer(token(client, "boss"))
    return fleet


def beat(client, fleet, kiosk_id: str, **kw) -> None:
    r = client.post("/api/v1/heartbeat", json=heartbeat_body(fleet.clock(), **kw), headers=fleet.headers(kiosk_id))
    assert r.status_code == 200, r.text


def test_kiosks_lists_status_from_heartbeat_age(client, halls, clock):
    beat(client, halls, "bdg-2", backlog=3, oldest=20.0)
    clock.advance(minutes=1)
    beat(client, halls, "bdg-1")
    clock.advance(minutes=1, seconds=30)  # bdg-2's heartbeat is 2.5 min old, bdg-1's 1.5 min
    r = client.get(KIOSKS, headers=halls.spv)
    assert r.status_code == 200
    rows = {k["id"]: k for k in r.json()}
    assert list(rows) == ["bdg-1", "bdg-2"]
    one, two = rows["bdg-1"], rows["bdg-2"]
    assert one["hall_code"] == "BDG" and one["status"] == "online"
    assert one["last_heartbeat"] == "2026-11-24T02:01:00.000Z" and one["heartbeat_age_seconds"] == 90.0
    assert one["backlog"] == 0 and one["app_version"] == "1.4.0" and one["clock_skew_seconds"] == 0.0
    assert one["last_sync"] == "2026-11-24T02:01:00+00:00" and one["pending_commands"] == 0
    assert one["device_health"] == "unknown" and one["alerts"] == []
    assert two["status"] == "offline" and two["backlog"] == 3
    assert [a["kind"] for a in two["alerts"]] == ["offline"]
    assert two["alerts"][0]["message"] == "offline: last heartbeat 2 min 30 s ago"


def test_kiosk_that_never_sent_a_heartbeat_is_never(client, halls):
    row = client.get(f"{KIOSKS}/bdg-1", headers=halls.spv).json()
    assert row["status"] == "never" and row["last_heartbeat"] is None and row["backlog"] is None
    assert [(a["level"], a["kind"]) for a in row["alerts"]] == [("warning", "never")]


def test_offline_after_is_a_setting(client, app, halls, clock, settings):
    beat(client, halls, "bdg-1")
    clock.advance(minutes=5)
    assert client.get(f"{KIOSKS}/bdg-1", headers=halls.spv).json()["status"] == "offline"
    app.state.settings = Settings.build(**{**settings.model_dump(), "offline_after_minutes": 10})
    assert client.get(f"{KIOSKS}/bdg-1", headers=halls.spv).json()["status"] == "online"


def test_alerts_paper_devices_backlog_and_clock(client, halls, clock):
    devices = [
        {"name": "Epson TM-T82", "kind": "printer", "status": "WARNING", "reason": "paper near end"},
        {"name": "camera", "kind": "camera", "status": "OK", "reason": ""},
        {"name": "scanner", "kind": "scanner", "status": "ABSENT", "reason": "not configured"},
    ]
    beat(client, halls, "bdg-1", devices=devices, backlog=12, oldest=540.0)
    devices = [
        {"name": "Epson TM-T82", "kind": "printer", "status": "ERROR", "reason": "out of paper"},
        {"name": "camera", "kind": "camera", "status": "ERROR", "reason": "unplugged"},
    ]
    body = heartbeat_body(clock() + timedelta(minutes=5), devices=devices)  # its clock 5 min ahead
    assert client.post("/api/v1/heartbeat", json=body, headers=halls.headers("bdg-2")).status_code == 200
    clock.advance(seconds=61)
    rows = {k["id"]: k for k in client.get(KIOSKS, headers=halls.spv).json()}
    one, two = rows["bdg-1"], rows["bdg-2"]
    assert one["device_health"] == "warning" and one["backlog_age_seconds"] == 601.0
    assert [(a["level"], a["kind"], a["message"]) for a in one["alerts"]] == [
        ("warning", "paper_low", "printer: paper near end"),
        ("warning", "backlog", "12 fact(s) unsent, the oldest for 10 min"),
    ]
    assert two["device_health"] == "error" and two["clock_skew_flagged"] is True
    assert [(a["level"], a["kind"]) for a in two["alerts"]] == [
        ("error", "paper_out"),
        ("error", "device"),
        ("warning", "clock"),
    ]


def test_supervisor_sees_only_their_halls_and_admin_sees_all(client, halls, operator):
    assert [k["id"] for k in client.get(KIOSKS, headers=halls.spv).json()] == ["bdg-1", "bdg-2"]
    everything = ["bdg-1", "bdg-2", "sby-1"]
    assert [k["id"] for k in client.get(KIOSKS, headers=halls.admin).json()] == everything
    assert [k["id"] for k in client.get(KIOSKS, headers=operator).json()] == everything
    assert client.get("/api/v1/auth/me", headers=halls.admin).json()["halls"] == ["BDG", "SBY"]


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/v1/kiosks/{k}"),
        ("GET", "/api/v1/kiosks/{k}/commands"),
        ("POST", "/api/v1/kiosks/{k}/commands"),
    ],
)
def test_another_halls_kiosk_is_404_like_an_unknown_one(client, halls, method, path):
    body = {"kind": "restart", "args": {}}
    other = client.request(method, path.format(k="sby-1"), headers=halls.spv, json=body)
    unknown = client.request(method, path.format(k="no-such"), headers=halls.spv, json=body)
    assert other.status_code == unknown.status_code == 404
    assert other.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"
    assert halls.count("commands") == 0
    assert client.request(method, path.format(k="sby-1"), headers=halls.admin, json=body).status_code in (200, 201)


def test_command_sent_reaches_the_kiosks_pull_and_its_ack_is_shown(client, halls, clock):
    r = client.post(
        f"{KIOSKS}/bdg-1/commands", headers=halls.spv, json={"kind": "pause_service", "args": {"service": "KTP-EL"}}
    )
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["state"] == "pending" and sent["created_by"] == "spv-bdg" and sent["args"] == {"service": "KTP-EL"}
    pulled = client.get(PULL, headers=halls.headers("bdg-1")).json()["changes"]
    commands = [c["data"] for c in pulled if c["kind"] == "command"]
    assert commands == [{"id": sent["id"], "kind": "pause_service", "args": {"service": "KTP-EL"}}]
    assert all(c["kind"] != "command" for c in client.get(PULL, headers=halls.headers("bdg-2")).json()["changes"])
    assert client.get(f"{KIOSKS}/bdg-1", headers=halls.spv).json()["pending_commands"] == 1
    clock.advance(seconds=5)
    ack = client.post(f"/api/v1/commands/{sent['id']}/ack", json={"state": "done"}, headers=halls.headers("bdg-1"))
    assert ack.status_code == 200
    listed = client.get(f"{KIOSKS}/bdg-1/commands", headers=halls.spv).json()
    assert [(c["id"], c["state"], c["acked_at"]) for c in listed] == [(sent["id"], "done", "2026-11-24T02:00:05.000Z")]
    audit = halls.rows("SELECT actor, action, hall_code, kiosk_id, via FROM audit_events WHERE action LIKE 'command%'")
    assert audit == [
        {"actor": "spv-bdg", "action": "command.sent", "hall_code": "BDG", "kiosk_id": "bdg-1", "via": "api"},
        {"actor": "bdg-1", "action": "command.done", "hall_code": "BDG", "kiosk_id": "bdg-1", "via": "kiosk"},
    ]


@pytest.mark.parametrize(
    "kind", ["lock", "unlock", "refresh_catalog", "refresh_config", "diagnostics_bundle", "restart"]
)
def test_every_command_kind_is_accepted(client, halls, kind):
    r = client.post(f"{KIOSKS}/bdg-2/commands", headers=halls.spv, json={"kind": kind, "args": {"reason": " test "}})
    assert r.status_code == 201 and r.json()["args"] == {"reason": "test"}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "self_destruct", "args": {}},
        {"kind": "pause_service", "args": {}},
        {"kind": "pause_service", "args": {"service": "NO-SUCH-SVC"}},
        {"kind": "pause_service", "args": {"service": "lower case"}},
        {"kind": "restart", "args": {"minutes": 5}},
        {"kind": "lock", "args": {"reason": "x" * 201}},
        {"kind": "lock", "args": []},
    ],
)
def test_bad_commands_are_refused_and_send_nothing(client, halls, body):
    r = client.post(f"{KIOSKS}/bdg-1/commands", headers=halls.spv, json=body)
    assert r.status_code == 422, r.text
    assert halls.count("commands") == 0 and halls.count("audit_events", "action = 'command.sent'") == 0


def test_hall_figures_count_todays_tickets_per_service(client, halls, make_ticket):
    items = [make_ticket("bdg-1", s, service_code="KTP-EL") for s in (1, 2, 3)]
    items.append(make_ticket("bdg-1", 4, service_code="KARTU-KELUARGA"))
    assert client.post("/api/v1/sync/push", json={"items": items}, headers=halls.headers("bdg-1")).status_code == 200
    figures = client.get("/api/v1/fleet/halls", headers=halls.spv).json()
    assert [h["hall_code"] for h in figures] == ["BDG"]
    bdg = figures[0]
    assert bdg["tickets_today"] == 4 and bdg["day"] == "2026-11-24"
    assert [(s["code"], s["tickets_today"]) for s in bdg["services"]] == [("KTP-EL", 3), ("KARTU-KELUARGA", 1)]
    assert bdg["services"][0]["name"] != "KTP-EL"  # the catalog's English name
    assert bdg["waiting_now"] == sum(lf["waiting_now"] for lf in bdg["letters"])
    assert bdg["average_wait_seconds"] >= 0
    admin = client.get("/api/v1/fleet/halls", headers=halls.admin).json()
    assert [h["hall_code"] for h in admin] == ["BDG", "SBY"] and admin[1]["tickets_today"] == 0


def test_audit_of_a_supervisor_is_their_halls(client, halls):
    client.post(f"{KIOSKS}/sby-1/commands", headers=halls.admin, json={"kind": "restart"})
    client.post(f"{KIOSKS}/bdg-1/commands", headers=halls.spv, json={"kind": "restart"})
    mine = client.get("/api/v1/fleet/audit", headers=halls.spv).json()
    assert {e["hall_code"] for e in mine} == {"BDG"}
    everything = client.get("/api/v1/fleet/audit", headers=halls.admin).json()
    assert [e["action"] for e in everything][:2] == ["command.sent", "command.sent"]
    assert {e["hall_code"] for e in everything if e["action"] == "command.sent"} == {"BDG", "SBY"}


def test_demo_seeds_a_second_hall_and_its_users(client, app, db, clock, settings):
    from central import demo

    with db.transaction() as s:
        demo.seed(s, clock())
        created = demo.seed_supervisors(s, clock())
    assert created == [
        "hall DEMO2",
        "kiosk kiosk-3",
        "catalog version 1 of DEMO2",
        "signing key DEMO2-1",
        "user admin",
        "user spv-demo",
        "user spv-demo2",
    ]
    with db.transaction() as s:
        assert demo.seed_supervisors(s, clock()) == []
    app.state.settings = Settings.build(db_url=settings.db_url, demo=True, admin_token="demo-admin")
    seen = {}
    for user in ("admin", "spv-demo", "spv-demo2"):
        access = bearer(token(client, user, "demo"))
        seen[user] = [(k["hall_code"], k["id"]) for k in client.get(KIOSKS, headers=access).json()]
    assert seen == {
        "admin": [("DEMO", "kiosk-1"), ("DEMO", "kiosk-2"), ("DEMO2", "kiosk-3")],
        "spv-demo": [("DEMO", "kiosk-1"), ("DEMO", "kiosk-2")],
        "spv-demo2": [("DEMO2", "kiosk-3")],
    }
    kiosk3 = {"Authorization": "Bearer kiosk-3:demo-secret-kiosk-3"}
    assert client.get(PULL, headers=kiosk3).status_code == 200
