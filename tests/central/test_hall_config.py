"""The hall configuration at central: the allow-list checked with the kiosk's ranges, versions,
the pull's `config` change, the dashboard form (CSRF, 422 with the problems), hall scoping, audit,
and `central supervisor-pin set` (an argon2id hash the kiosk's config accepts)."""

from __future__ import annotations

import io
import re

import pytest
from supervisorkit import PASSWORD, add_user, bearer, token

from central.repo import hall_config

D = "/dashboard"
#: kiosk/config.py's _PIN_HASH (not imported: the same words, kept equal by this test's hash).
KIOSK_PIN_HASH = re.compile(r"\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")


@pytest.fixture
def halls(client, fleet, db):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    add_user(db, "spv-bdg", "supervisor", ("BDG",))
    client.cookies.clear()
    yield fleet
    client.cookies.clear()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_problems_use_the_kiosks_ranges():
    assert hall_config.problems({"timeouts.inactivity_seconds": 90, "speech.enabled": False}) == []
    assert hall_config.problems({"timeouts.inactivity_seconds": 5}) == [
        "timeouts.inactivity_seconds: expected 10..3600 seconds, got 5"
    ]
    assert "not a key a hall sets centrally" in hall_config.problems({"printer.kind": "file"})[0]
    assert "expected true or false" in hall_config.problems({"face.enrol": 1})[0]
    assert "expected an integer" in hall_config.problems({"speech.rate": True})[0]
    assert (
        "fewer seconds than"
        in hall_config.problems({"timeouts.inactivity_seconds": 20, "timeouts.countdown_seconds": 20})[0]
    )
    assert "argon2id" in hall_config.problems({"supervisor.pin_hash": "1234"})[0]


def test_api_put_and_get_and_the_pull(client, halls):
    spv = bearer(token(client, "spv-bdg"))
    r = client.put("/api/v1/halls/BDG/config", json={"settings": {"timeouts.inactivity_seconds": 90}}, headers=spv)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1 and r.json()["created_by"] == "spv-bdg"
    r = client.put("/api/v1/halls/BDG/config", json={"face.threshold": 0.6, "speech.volume": 70}, headers=spv)
    assert r.status_code == 201 and r.json()["version"] == 2
    got = client.get("/api/v1/halls/BDG/config", headers=spv).json()
    assert got["settings"] == {"face.threshold": 0.6, "speech.volume": 70}
    assert [v["version"] for v in got["versions"]] == [2, 1] and "supervisor.pin_hash" in got["allowed"]
    pulled = client.get("/api/v1/sync/pull", headers=halls.headers("bdg-1")).json()["changes"]
    assert [(c["kind"], c["data"]["version"]) for c in pulled] == [("config", 1), ("config", 2)]
    assert pulled[-1]["data"]["settings"] == {"face.threshold": 0.6, "speech.volume": 70}
    events = halls.rows("SELECT actor, action, via FROM audit_events WHERE action = 'config.saved'")
    assert events == [{"actor": "spv-bdg", "action": "config.saved", "via": "api"}] * 2


def test_api_refuses_out_of_range_and_other_halls(client, halls):
    spv = bearer(token(client, "spv-bdg"))
    r = client.put("/api/v1/halls/BDG/config", json={"timeouts.inactivity_seconds": 99999}, headers=spv)
    assert r.status_code == 422
    assert r.json()["error"]["problems"] == ["timeouts.inactivity_seconds: expected 10..3600 seconds, got 99999"]
    assert halls.count("hall_configs") == 0 and halls.count("changes") == 0
    assert client.put("/api/v1/halls/SBY/config", json={}, headers=spv).status_code == 404
    assert client.get("/api/v1/halls/SBY/config", headers=spv).status_code == 404


def test_dashboard_form(client, halls):
    form = client.get(f"{D}/login")
    client.post(f"{D}/login", data={"username": "spv-bdg", "password": PASSWORD, "csrf": csrf_of(form.text)})
    page = client.get(f"{D}/halls/BDG/config")
    assert page.status_code == 200 and 'name="timeouts.inactivity_seconds"' in page.text
    csrf = csrf_of(page.text)
    bad = {"csrf": csrf, "timeouts.inactivity_seconds": "5", "speech.enabled": "false"}
    r = client.post(f"{D}/halls/BDG/config", data=bad)
    assert r.status_code == 422 and "expected 10..3600 seconds, got 5" in r.text and halls.count("hall_configs") == 0
    forged = {"csrf": "nope", "timeouts.inactivity_seconds": "90"}
    assert client.post(f"{D}/halls/BDG/config", data=forged).status_code == 403
    good = {"csrf": csrf, "timeouts.inactivity_seconds": "90", "speech.enabled": "false", "face.threshold": ""}
    r = client.post(f"{D}/halls/BDG/config", data=good, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{D}/halls/BDG/config?saved=1"
    (row,) = halls.rows("SELECT settings, created_by FROM hall_configs")
    settings = row["settings"] if isinstance(row["settings"], dict) else __import__("json").loads(row["settings"])
    assert settings == {"speech.enabled": False, "timeouts.inactivity_seconds": 90} and row["created_by"] == "spv-bdg"
    assert "Saved as version 1" in client.get(r.headers["location"]).text
    assert client.get(f"{D}/halls/SBY/config").status_code == 404


def test_cli_supervisor_pin_set(halls, db_url, monkeypatch, capsys):
    from central.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("246810\n"))
    assert main(["--db", db_url, "supervisor-pin", "set", "BDG"]) == 0
    assert "config version 1 stored with the new supervisor PIN" in capsys.readouterr().out
    (row,) = halls.rows("SELECT settings, created_by FROM hall_configs")
    settings = row["settings"] if isinstance(row["settings"], dict) else __import__("json").loads(row["settings"])
    pin_hash = settings["supervisor.pin_hash"]
    assert KIOSK_PIN_HASH.fullmatch(pin_hash) and row["created_by"] == "cli"
    from argon2 import PasswordHasher

    assert PasswordHasher().verify(pin_hash, "246810")
    monkeypatch.setattr("sys.stdin", io.StringIO("12ab\n"))
    assert main(["--db", db_url, "supervisor-pin", "set", "BDG"]) == 1
    assert "4 to 12 digits" in capsys.readouterr().err
