"""POST /api/v1/enroll and the credential it gives: one-time tokens, hashed secrets, revocation."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx

from central import security
from central.repo import kiosks

ENROLL = "/api/v1/enroll"
HEARTBEAT = "/api/v1/heartbeat"
BEAT = {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "0.1.0", "backlog": 0}


def _token(fleet, hall="BDG", kiosk_id="bdg-1", short_code=None) -> str:
    with fleet.db.transaction() as s:
        return kiosks.add_enrolment(
            s, hall, kiosk_id, fleet.clock(), ttl=timedelta(hours=24), short_code=short_code
        ).token


def test_enroll_exchanges_token_for_credential(client, fleet):
    fleet.hall("BDG")
    token = _token(fleet, short_code="3")
    r = client.post(ENROLL, json={"token": token})
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("kiosk_id", "hall_code", "short_code")} == {
        "kiosk_id": "bdg-1",
        "hall_code": "BDG",
        "short_code": "3",
    }
    kiosk_id, _, secret = body["credential"].partition(":")
    assert kiosk_id == "bdg-1" and len(secret) >= 32
    # Only the hash is stored, neither the secret nor the token.
    row = fleet.rows("SELECT secret_hash, enrolled_at FROM kiosks WHERE id = 'bdg-1'")[0]
    assert row["secret_hash"] == security.sha256_hex(secret)
    assert row["enrolled_at"] is not None
    tokens = fleet.rows("SELECT token_hash, used_at FROM enrol_tokens")
    assert tokens[0]["token_hash"] == security.sha256_hex(token) and tokens[0]["used_at"] is not None
    # The credential works.
    r = client.post(HEARTBEAT, json=BEAT, headers={"Authorization": f"Bearer {body['credential']}"})
    assert r.status_code == 200


def test_enroll_token_used_twice_is_409(client, fleet):
    fleet.hall("BDG")
    token = _token(fleet)
    assert client.post(ENROLL, json={"token": token}).status_code == 200
    r = client.post(ENROLL, json={"token": token})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "enroll.token_used"


def test_enroll_token_expired_is_410(client, fleet, clock):
    fleet.hall("BDG")
    token = _token(fleet)
    clock.advance(hours=24, seconds=1)
    r = client.post(ENROLL, json={"token": token})
    assert r.status_code == 410
    assert r.json()["error"]["code"] == "enroll.token_expired"
    assert fleet.rows("SELECT secret_hash FROM kiosks")[0]["secret_hash"] is None


def test_enroll_unknown_token_is_401(client, fleet):
    r = client.post(ENROLL, json={"token": "not-a-token"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "enroll.token_unknown"


def test_enroll_new_token_replaces_unused_one(client, fleet):
    fleet.hall("BDG")
    old = _token(fleet)
    new = _token(fleet)
    assert client.post(ENROLL, json={"token": old}).json()["error"]["code"] == "enroll.token_unknown"
    assert client.post(ENROLL, json={"token": new}).status_code == 200


def test_enroll_same_token_raced_wins_once(live, fleet):
    fleet.hall("BDG")
    token = _token(fleet)
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def go() -> None:
        with httpx.Client(base_url=live, verify=False) as c:  # one connection each
            barrier.wait()
            codes.append(c.post(ENROLL, json={"token": token}).status_code)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(codes) == [200, 409, 409, 409]


def test_auth_wrong_secret_is_401(client, fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1")
    r = client.post(HEARTBEAT, json=BEAT, headers={"Authorization": "Bearer bdg-1:wrong-secret"})
    assert r.status_code == 401
    assert r.json() == {"error": {"code": "auth.unknown_kiosk", "message": "unknown kiosk or wrong secret"}}
    assert r.headers["www-authenticate"] == "Bearer"


def test_auth_missing_is_401(client):
    r = client.post(HEARTBEAT, json=BEAT)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "auth.missing"


def test_auth_operator_token_cannot_push(client, operator):
    r = client.post("/api/v1/sync/push", json={"items": []}, headers=operator)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "auth.forbidden"


def test_auth_revoked_kiosk_is_403_naming_it(client, fleet, clock):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-2")
    with fleet.db.transaction() as s:
        kiosks.revoke(s, "bdg-2", clock())
    r = client.post(HEARTBEAT, json=BEAT, headers=fleet.headers("bdg-2"))
    assert r.status_code == 403
    error = r.json()["error"]
    assert error["code"] == "auth.revoked"
    assert error["message"].startswith("kiosk bdg-2 was revoked by the hall supervisor at 2026-11-24 02:00 UTC")
    assert "\n" not in error["message"]


def test_enroll_again_lifts_revocation(client, fleet, clock):
    fleet.hall("BDG")
    old = fleet.kiosk("BDG", "bdg-1")
    with fleet.db.transaction() as s:
        kiosks.revoke(s, "bdg-1", clock())
    credential = client.post(ENROLL, json={"token": _token(fleet)}).json()["credential"]
    assert client.post(HEARTBEAT, json=BEAT, headers={"Authorization": f"Bearer {credential}"}).status_code == 200
    # The old secret is gone.
    assert client.post(HEARTBEAT, json=BEAT, headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_enroll_over_real_socket(http, fleet):
    fleet.hall("BDG")
    token = _token(fleet)
    r = http.post(ENROLL, json={"token": token})
    assert r.status_code == 200
    beat = http.post(HEARTBEAT, json=BEAT, headers={"Authorization": f"Bearer {r.json()['credential']}"})
    assert beat.status_code == 200
