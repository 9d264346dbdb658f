"""POST /api/v1/heartbeat: stored, answered with central's time and the kiosk's clock skew."""

from __future__ import annotations

import pytest

HEARTBEAT = "/api/v1/heartbeat"


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    return fleet


def beat(kiosk_time: str = "2026-11-24T09:00:30+07:00", **extra) -> dict:
    return {
        "kiosk_time": kiosk_time,
        "app_version": "0.1.0",
        "backlog": 12,
        "oldest_unsent_age_seconds": 340,
        "last_sync_at": "2026-11-24T08:55:00+07:00",
        "devices": [{"name": "TM-T88V", "kind": "printer", "status": "OK", "reason": ""}],
    } | extra


def test_heartbeat_stores_fields_and_answers_skew(client, bdg):
    r = client.post(HEARTBEAT, json=beat(), headers=bdg.headers("bdg-1"))
    assert r.status_code == 200
    # Central's clock is 02:00:00 UTC = 09:00:00 WIB; the kiosk says 09:00:30.
    assert r.json() == {"server_time": "2026-11-24T02:00:00.000Z", "clock_skew_seconds": 30.0}
    row = bdg.rows(
        "SELECT kiosk_time, clock_skew_seconds, backlog, oldest_unsent_age_seconds, last_sync_at, devices, "
        "app_version, heartbeat_at FROM kiosks WHERE id = 'bdg-1'"
    )[0]
    assert row["kiosk_time"] == "2026-11-24T09:00:30+07:00"
    assert row["clock_skew_seconds"] == 30.0
    assert (row["backlog"], row["oldest_unsent_age_seconds"], row["app_version"]) == (12, 340.0, "0.1.0")
    assert row["last_sync_at"] == "2026-11-24T08:55:00+07:00"
    assert "TM-T88V" in str(row["devices"])
    assert row["heartbeat_at"] is not None


def test_heartbeat_skew_over_bound_is_flagged(client, bdg, operator):
    client.post(HEARTBEAT, json=beat("2026-11-24T08:57:00+07:00"), headers=bdg.headers("bdg-1"))
    kiosk = client.get("/api/v1/halls/BDG/kiosks", headers=operator).json()["kiosks"][0]
    assert kiosk["clock_skew_seconds"] == -180.0
    assert kiosk["clock_skew_flagged"] is True
    client.post(HEARTBEAT, json=beat("2026-11-24T09:01:59+07:00"), headers=bdg.headers("bdg-1"))
    kiosk = client.get("/api/v1/halls/BDG/kiosks", headers=operator).json()["kiosks"][0]
    assert (kiosk["clock_skew_seconds"], kiosk["clock_skew_flagged"]) == (119.0, False)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"kiosk_time": "2026-11-24T09:00:00"}, "kiosk_time"),  # no offset: the skew would be a guess
        ({"backlog": -1}, "backlog"),
        ({"backlog": "many"}, "backlog"),
        ({"devices": [{"name": "x"}]}, "devices[0].kind"),
    ],
)
def test_heartbeat_bad_field_is_rejected(client, bdg, change, where):
    r = client.post(HEARTBEAT, json=beat() | change, headers=bdg.headers("bdg-1"))
    assert r.status_code in (400, 422)
    assert r.json()["error"]["message"].startswith(where)
    assert bdg.rows("SELECT heartbeat_at FROM kiosks")[0]["heartbeat_at"] is None


def test_heartbeat_over_real_socket(http, bdg):
    r = http.post(HEARTBEAT, json=beat(), headers=bdg.headers("bdg-1"))
    assert r.status_code == 200
    assert r.json()["clock_skew_seconds"] == 30.0
