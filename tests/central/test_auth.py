"""Supervisors' login (POST /api/v1/auth/token, OAuth2 password flow): tokens, the throttle,
expiry, logout, demo users, the audit, and `central user add`."""

from __future__ import annotations

import io
import json
import sys

import pytest
from supervisorkit import PASSWORD, TOKEN_URL, add_user, bearer, token

from central import cli
from central.models import User
from central.repo import users
from central.settings import Settings

ME = "/api/v1/auth/me"


@pytest.fixture
def bdg(fleet, db):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    add_user(db, "spv-bdg", "supervisor", ("BDG",))
    return fleet


def test_login_gives_a_bearer_token(client, bdg):
    r = client.post(TOKEN_URL, data={"username": "spv-bdg", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40 and body["expires_in"] == 12 * 3600
    assert client.get(ME, headers=bearer(body["access_token"])).json() == {
        "username": "spv-bdg",
        "role": "supervisor",
        "halls": ["BDG"],
    }
    # Stored hashed, never as given.
    rows = bdg.rows("SELECT token_hash, kind FROM user_tokens")
    assert len(rows) == 1 and rows[0]["kind"] == "api" and body["access_token"] not in rows[0]["token_hash"]
    assert bdg.rows("SELECT actor, action, hall_code, via FROM audit_events") == [
        {"actor": "spv-bdg", "action": "login.ok", "hall_code": "BDG", "via": "api"}
    ]


def test_login_name_is_case_insensitive(client, bdg):
    assert client.post(TOKEN_URL, data={"username": " SPV-BDG", "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize(
    "username,password", [("spv-bdg", "wrong"), ("nobody", PASSWORD), ("spv-bdg", PASSWORD.upper())]
)
def test_login_wrong_password_is_401(client, bdg, username, password):
    r = client.post(TOKEN_URL, data={"username": username, "password": password})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["code"] == "auth.failed"
    assert bdg.rows("SELECT actor, action FROM audit_events") == [{"actor": username, "action": "login.failed"}]
    assert bdg.count("user_tokens") == 0


def test_login_without_form_fields_is_refused(client, bdg):
    assert client.post(TOKEN_URL, data={"username": "spv-bdg"}).status_code == 400
    assert client.post(TOKEN_URL, json={"username": "spv-bdg", "password": PASSWORD}).status_code == 400


def test_login_throttle_locks_a_username_after_five_failures(client, bdg, clock):
    for _ in range(5):
        assert client.post(TOKEN_URL, data={"username": "spv-bdg", "password": "guess"}).status_code == 401
    # Locked: even the right password is refused, without being checked.
    r = client.post(TOKEN_URL, data={"username": "spv-bdg", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["error"]["code"] == "auth.locked"
    assert r.headers["retry-after"] == "300"
    clock.advance(minutes=4, seconds=59)
    r = client.post(TOKEN_URL, data={"username": "spv-bdg", "password": PASSWORD})
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    clock.advance(seconds=1)
    assert client.post(TOKEN_URL, data={"username": "spv-bdg", "password": PASSWORD}).status_code == 200
    assert bdg.count("login_failures") == 0  # a success clears the count
    actions = [r["action"] for r in bdg.rows("SELECT action FROM audit_events ORDER BY id")]
    assert actions == ["login.failed"] * 5 + ["login.locked"] * 2 + ["login.ok"]


def test_login_throttle_is_per_username(client, bdg, db):
    add_user(db, "spv-two", "supervisor", ("BDG",))
    for _ in range(5):
        client.post(TOKEN_URL, data={"username": "spv-bdg", "password": "guess"})
    assert client.post(TOKEN_URL, data={"username": "spv-two", "password": PASSWORD}).status_code == 200


def test_token_expires(client, bdg, clock):
    access = token(client, "spv-bdg")
    clock.advance(hours=11, minutes=59)
    assert client.get(ME, headers=bearer(access)).status_code == 200
    clock.advance(minutes=1)
    r = client.get(ME, headers=bearer(access))
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth.token_invalid"
    assert r.headers["www-authenticate"] == "Bearer"


def test_logout_ends_the_token(client, bdg):
    access = token(client, "spv-bdg")
    assert client.post("/api/v1/auth/logout", headers=bearer(access)).status_code == 204
    assert client.get(ME, headers=bearer(access)).status_code == 401
    assert bdg.count("user_tokens") == 0
    assert bdg.count("audit_events", "action = 'logout'") == 1


def test_supervisor_routes_need_a_user_token(client, bdg):
    assert client.get("/api/v1/kiosks").status_code == 401
    assert client.get("/api/v1/kiosks", headers=bdg.headers("bdg-1")).status_code == 401  # a kiosk's credential
    assert client.get("/api/v1/kiosks", headers=bearer("made-up-token")).status_code == 401


def test_demo_users_log_in_only_in_demo_mode(client, app, bdg, db, settings):
    add_user(db, "spv-demo", "supervisor", ("BDG",), password="demo", demo=True)
    r = client.post(TOKEN_URL, data={"username": "spv-demo", "password": "demo"})
    assert r.status_code == 401 and "--demo" in r.json()["error"]["message"]
    app.state.settings = Settings.build(db_url=settings.db_url, demo=True, admin_token="demo-admin")
    assert client.post(TOKEN_URL, data={"username": "spv-demo", "password": "demo"}).status_code == 200


def test_users_add_checks_its_values(db, clock, bdg):
    from central.errors import CentralError

    with db.transaction() as s:
        user = users.add(s, "Ayu.Lestari", "a long password", "supervisor", ["BDG", "SBY"], clock())
        assert user.username == "ayu.lestari" and user.password_hash.startswith("$argon2id$")
        assert users.halls_of(s, "ayu.lestari") == ["BDG", "SBY"]
    bad = [
        ("x", "a long password", "admin", []),  # too short a name
        ("budi", "a long password", "root", []),  # no such role
        ("budi", "a long password", "supervisor", []),  # no hall
        ("budi", "a long password", "admin", ["BDG"]),  # an admin sees every hall anyway
        ("budi", "short", "admin", []),
        ("budi", "a long password", "supervisor", ["XXX"]),
        ("ayu.lestari", "a long password", "admin", []),  # taken
    ]
    for name, password, role, halls in bad:
        with pytest.raises(CentralError) as err, db.transaction() as s:
            users.add(s, name, password, role, halls, clock())
        assert err.value.code in ("request.invalid", "not_found"), (name, role)


def test_cli_user_add_reads_the_password_from_stdin(db_url, monkeypatch, capsys, db, fleet):
    fleet.hall("BDG")
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-enough-pass\n"))
    code = cli.main(["--db", db_url, "user", "add", "Rina", "--role", "supervisor", "--hall", "BDG"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "supervisor rina added; sees hall(s) BDG" in out.out
    with db.session() as s:
        stored = s.get(User, "rina").password_hash
    assert "s3cret" not in stored and users.security.password_matches("s3cret-enough-pass", stored)
    assert cli.main(["--db", db_url, "user", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == {"users": [{"username": "rina", "role": "supervisor", "halls": ["BDG"], "demo": False}]}
    assert fleet.rows("SELECT actor, action FROM audit_events") == [{"actor": "cli", "action": "user.added"}]


def test_cli_user_add_has_no_password_argument(db_url, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--db", db_url, "user", "add", "rina", "--role", "admin", "--password", "x"])
    assert exit_.value.code == 2
    assert cli.main(["--db", db_url, "user", "add", "rina", "--role", "admin"]) == 1
    assert "give the password on stdin" in capsys.readouterr().err


def test_first_failures_at_once_count_both_and_never_fail(db, clock):
    """Two workers failing the same new username at the same moment: the counter row is made
    once and both failures count (the second used to hit the primary key on PostgreSQL)."""
    import threading

    barrier = threading.Barrier(2)
    results, errors = [], []

    def fail() -> None:
        try:
            with db.transaction() as session:
                barrier.wait(timeout=10)
                results.append(
                    users.login(
                        session,
                        "nobody-yet",
                        "wrong password",
                        clock(),
                        kind="api",
                        token_hours=1,
                        max_failures=5,
                        lock_minutes=5,
                        demo_mode=False,
                    )
                )
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=fail) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and [r.refused for r in results] == ["failed", "failed"]
    with db.transaction() as session:
        row = session.get(users.LoginFailure, "nobody-yet")
        assert row.failures == 2
