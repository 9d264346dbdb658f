"""GET /api/v1/sync/pull (catalog versions, commands, by cursor) and POST /commands/{id}/ack."""

from __future__ import annotations

import uuid

import pytest

from central.repo import changes

PULL = "/api/v1/sync/pull"


@pytest.fixture
def two_halls(fleet):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    return fleet


def _catalog(fleet, hall: str, text: str) -> int:
    with fleet.db.transaction() as s:
        return changes.set_catalog(s, hall, text, fleet.clock()).version


def _command(fleet, kiosk_id: str, kind: str = "refresh_catalog", args: dict | None = None) -> str:
    with fleet.db.transaction() as s:
        return changes.add_command(s, kiosk_id, kind, args or {}, fleet.clock()).id


def test_pull_catalog_versions_and_commands_of_this_kiosk(client, two_halls):
    f = two_halls
    assert _catalog(f, "BDG", "version = 1\n# v1\n") == 1
    _catalog(f, "SBY", "version = 1\n# surabaya\n")
    command = _command(f, "bdg-1", "pause", {"minutes": 10})
    _command(f, "bdg-2")  # another kiosk's command
    assert _catalog(f, "BDG", "version = 1\n# v2\n") == 2
    r = client.get(PULL, headers=f.headers("bdg-1"))
    assert r.status_code == 200
    body = r.json()
    assert body["more"] is False
    assert [(c["kind"], c.get("version")) for c in body["changes"]] == [
        ("catalog", 1),
        ("command", None),
        ("catalog", 2),
    ]
    assert body["changes"][0]["data"] == {"toml": "version = 1\n# v1\n"}
    assert body["changes"][1]["data"] == {"id": command, "kind": "pause", "args": {"minutes": 10}}
    cursors = [c["cursor"] for c in body["changes"]]
    assert cursors == sorted(cursors) and body["cursor"] == cursors[-1]
    # Nothing after the cursor answered.
    again = client.get(PULL, params={"cursor": body["cursor"]}, headers=f.headers("bdg-1")).json()
    assert again == {"cursor": body["cursor"], "more": False, "changes": []}


def test_pull_pages_by_limit(client, two_halls):
    for n in range(5):
        _catalog(two_halls, "BDG", f"version = 1\n# {n}\n")
    cursor, seen, pages = 0, [], 0
    while True:
        body = client.get(PULL, params={"cursor": cursor, "limit": 2}, headers=two_halls.headers("bdg-2")).json()
        pages += 1
        seen += [c["version"] for c in body["changes"]]
        cursor = body["cursor"]
        if not body["more"]:
            break
    assert seen == [1, 2, 3, 4, 5]
    assert pages == 3


@pytest.mark.parametrize("params", [{"cursor": -1}, {"cursor": "x"}, {"limit": 0}, {"limit": 1001}])
def test_pull_bad_query_is_422(client, two_halls, params):
    r = client.get(PULL, params=params, headers=two_halls.headers("bdg-1"))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "request.invalid"


def test_ack_command_sets_state(client, two_halls):
    command = _command(two_halls, "bdg-1")
    r = client.post(
        f"/api/v1/commands/{command}/ack",
        json={"state": "done", "detail": "catalog v2"},
        headers=two_halls.headers("bdg-1"),
    )
    assert r.status_code == 200
    assert r.json()["state"] == "done"
    row = two_halls.rows("SELECT state, detail, acked_at FROM commands")[0]
    assert (row["state"], row["detail"]) == ("done", "catalog v2") and row["acked_at"] is not None
    # The first answer stands.
    r = client.post(f"/api/v1/commands/{command}/ack", json={"state": "failed"}, headers=two_halls.headers("bdg-1"))
    assert r.json()["state"] == "done"


def test_ack_command_of_another_kiosk_is_404(client, two_halls):
    command = _command(two_halls, "bdg-1")
    r = client.post(f"/api/v1/commands/{command}/ack", json={"state": "done"}, headers=two_halls.headers("bdg-2"))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert two_halls.rows("SELECT state FROM commands")[0]["state"] == "pending"


def test_ack_unknown_command_is_404(client, two_halls):
    r = client.post(f"/api/v1/commands/{uuid.uuid4()}/ack", json={"state": "done"}, headers=two_halls.headers("bdg-1"))
    assert r.status_code == 404


def test_ack_bad_state_is_422(client, two_halls):
    command = _command(two_halls, "bdg-1")
    r = client.post(f"/api/v1/commands/{command}/ack", json={"state": "maybe"}, headers=two_halls.headers("bdg-1"))
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith("state:")


def test_pull_and_ack_over_real_socket(http, two_halls):
    _catalog(two_halls, "BDG", "version = 1\n")
    command = _command(two_halls, "bdg-1")
    h = two_halls.headers("bdg-1")
    body = http.get(PULL, params={"cursor": 0, "limit": 100}, headers=h).json()
    assert [ch["kind"] for ch in body["changes"]] == ["catalog", "command"]
    assert (
        http.post(f"/api/v1/commands/{command}/ack", json={"state": "failed", "detail": "no"}, headers=h).status_code
        == 200
    )
    assert two_halls.rows("SELECT state FROM commands")[0]["state"] == "failed"
