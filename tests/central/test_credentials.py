"""Signed QR credentials at central: keys (rotate, revoke), issuing, revocations, both pulled
by the hall's kiosks, and `credential.used` items: a second use of a nonce is a conflict."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from central.cli import main
from central.repo import credentials
from kiosk import credential as kc

PULL = "/api/v1/sync/pull"
PUSH = "/api/v1/sync/push"


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    return fleet


def _pull(client, fleet, kiosk_id: str) -> list[dict]:
    r = client.get(PULL, params={"cursor": 0}, headers=fleet.headers(kiosk_id))
    assert r.status_code == 200, r.text
    return r.json()["changes"]


def _trusted(changes: list[dict]) -> dict[str, kc.TrustedKey]:
    """The keys as a kiosk would keep them after applying `keys` changes in order."""
    out: dict[str, kc.TrustedKey] = {}
    for c in changes:
        if c["kind"] == "keys":
            for k in c["data"]["keys"]:
                out[k["key_id"]] = kc.TrustedKey(k["key_id"], kc.b64decode(k["public_key"]), revoked=k["revoked"])
    return out


def test_key_rotate_issue_and_pull_keys_of_own_hall(client, bdg):
    now = bdg.clock()
    with bdg.db.transaction() as s:
        credentials.add_key(s, "BDG", now)
        credentials.add_key(s, "SBY", now)
        issued = credentials.issue(s, "BDG", "booking", "BK-42", now, valid_minutes=30)
    assert issued.key_id == "BDG-1" and issued.text.startswith("MPP1.") and len(issued.text) < 200
    changes = _pull(client, bdg, "bdg-1")
    assert [c["kind"] for c in changes] == ["keys"]
    keys = _trusted(changes)
    assert set(keys) == {"BDG-1"}  # no private key, no other hall's key
    assert "private_key" not in json.dumps(changes)
    v = kc.verify(issued.text, keys, now + timedelta(minutes=1))
    assert v.valid and (v.kind, v.subject, v.nonce) == ("booking", "BK-42", issued.nonce)
    assert kc.verify(issued.text, _trusted(_pull(client, bdg, "sby-1")), now).reason_code == kc.UNKNOWN_KEY


def test_key_rotation_then_old_key_revoked_is_refused(client, bdg):
    now = bdg.clock()
    with bdg.db.transaction() as s:
        credentials.add_key(s, "BDG", now)
        old = credentials.issue(s, "BDG", "account", "ACC-1", now)
        bdg.clock.advance(seconds=1)
        credentials.add_key(s, "BDG", bdg.clock())
        new = credentials.issue(s, "BDG", "account", "ACC-1", bdg.clock())
    assert (old.key_id, new.key_id) == ("BDG-1", "BDG-2")
    keys = _trusted(_pull(client, bdg, "bdg-1"))
    assert kc.verify(old.text, keys, now).valid and kc.verify(new.text, keys, now).valid
    with bdg.db.transaction() as s:
        credentials.revoke_key(s, "BDG-1", bdg.clock())
    keys = _trusted(_pull(client, bdg, "bdg-1"))
    assert kc.verify(old.text, keys, now).reason_code == kc.REVOKED_KEY
    assert kc.verify(new.text, keys, now).valid


def test_issue_without_key_or_bad_fields_is_refused(bdg):
    from central.errors import CentralError

    with bdg.db.transaction() as s, pytest.raises(CentralError, match="no signing key"):
        credentials.issue(s, "BDG", "booking", "BK-1", bdg.clock())
    with bdg.db.transaction() as s:
        credentials.add_key(s, "BDG", bdg.clock())
    for kind, subject in (("visa", "X"), ("booking", ""), ("booking", "x" * 49), ("booking", " pad")):
        with bdg.db.transaction() as s, pytest.raises(CentralError):
            credentials.issue(s, "BDG", kind, subject, bdg.clock())


def test_revocation_is_pulled_by_the_hall(client, bdg):
    with bdg.db.transaction() as s:
        credentials.add_key(s, "BDG", bdg.clock())
        issued = credentials.issue(s, "BDG", "booking", "BK-1", bdg.clock())
        credentials.revoke(s, "BDG", bdg.clock(), nonce=issued.nonce)
        credentials.revoke(s, "BDG", bdg.clock(), subject="ACC-7")
    revs = [c["data"] for c in _pull(client, bdg, "bdg-2") if c["kind"] == "revocations"]
    assert revs[0] == {"revocations": [{"nonce": issued.nonce}]}
    assert revs[1]["revocations"][0]["subject"] == "ACC-7" and revs[1]["revocations"][0]["issued_before"]
    assert not [c for c in _pull(client, bdg, "sby-1") if c["kind"] == "revocations"]


def _used(kiosk_id: str, seq: int, nonce: str, ticket: str | None = None, **payload) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "kind": "credential.used",
        "created_at": "2026-11-24T09:00:00+07:00",
        "payload": {
            "kind": "booking",
            "subject": "BK-1",
            "nonce": nonce,
            "key_id": "BDG-1",
            "ticket_id": ticket or str(uuid.uuid4()),
            "used_at": "2026-11-24T09:00:00+07:00",
            **payload,
        },
    }


def test_credential_used_twice_in_a_hall_is_a_conflict(client, bdg, operator):
    nonce = "AAAAAAAAAAAAAAAA"
    first = _used("bdg-1", 1, nonce)
    r = client.post(PUSH, json={"items": [first]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200 and r.json()["acks"][0]["status"] == "stored"
    again = client.post(PUSH, json={"items": [first]}, headers=bdg.headers("bdg-1"))  # a redelivery
    assert again.json()["acks"][0]["status"] == "duplicate"
    assert client.get("/api/v1/halls/BDG/credential-conflicts", headers=operator).json()["conflicts"] == []
    r = client.post(PUSH, json={"items": [_used("bdg-2", 1, nonce)]}, headers=bdg.headers("bdg-2"))
    assert r.status_code == 200
    client.post(PUSH, json={"items": [_used("sby-1", 1, nonce)]}, headers=bdg.headers("sby-1"))  # another hall
    got = client.get("/api/v1/halls/BDG/credential-conflicts", headers=operator).json()["conflicts"]
    assert len(got) == 1 and got[0]["nonce"] == nonce
    assert [(u["kiosk_id"], u["conflict"]) for u in got[0]["uses"]] == [("bdg-1", False), ("bdg-2", True)]
    assert bdg.count("credential_uses") == 3
    assert client.get("/api/v1/halls/SBY/credential-conflicts", headers=bdg.headers("bdg-1")).status_code == 403


@pytest.mark.parametrize(
    "bad", [{"nonce": "short"}, {"kind": "visa"}, {"subject": ""}, {"subject": 5}, {"ticket_id": "x" * 40}]
)
def test_credential_used_malformed_is_422_and_stores_nothing(client, bdg, bad):
    item = _used("bdg-1", 1, "AAAAAAAAAAAAAAAA")
    item["payload"].update(bad)
    r = client.post(PUSH, json={"items": [item]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422 and "items[0].payload" in r.json()["error"]["message"]
    assert bdg.count("items") == 0 and bdg.count("credential_uses") == 0


def test_cli_key_rotate_credential_issue_revoke_conflicts(capsys, db_url, bdg, client):
    def run(*argv):
        code = main(["--db", db_url, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("key", "rotate", "BDG")[0] == 0
    code, out, err = run("credential", "issue", "--kind", "ticket", "--subject", "T-1", "--hall", "BDG")
    assert code == 0 and len(out.splitlines()) == 1 and "key BDG-1" in err
    keys = _trusted(_pull(client, bdg, "bdg-1"))
    v = kc.verify(out.strip(), keys, datetime.now(UTC))
    assert v.valid and v.kind == "ticket"
    later = "2030-01-01T08:00:00+07:00"
    code, out, _ = run(
        "credential",
        "issue",
        "--kind",
        "booking",
        "--subject",
        "B",
        "--hall",
        "BDG",
        "--not-before",
        later,
        "--valid-minutes",
        "15",
    )
    v = kc.verify(out.strip(), keys, datetime.now(UTC))
    assert code == 0 and v.reason_code == kc.NOT_YET_VALID and v.expires_at == "2030-01-01T01:15:00Z"
    assert run("credential", "issue", "--kind", "booking", "--subject", "B")[0] == 1  # no hall, no --demo
    code, _, err = run(
        "credential", "issue", "--kind", "booking", "--subject", "B", "--hall", "BDG", "--not-before", "2030-01-01"
    )
    assert code == 1 and "offset" in err and "Traceback" not in err
    assert run("credential", "revoke", "BDG", f"--nonce={v.nonce}")[0] == 0
    assert run("key", "revoke", "BDG-1")[0] == 0
    code, out, _ = run("key", "list", "BDG", "--json")
    assert json.loads(out)["keys"][0]["revoked_at"]
    code, out, _ = run("credential", "conflicts", "BDG", "--json")
    assert code == 0 and json.loads(out) == {"hall_code": "BDG", "conflicts": []}


def test_cli_credential_issue_demo_signs_with_the_demo_key(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["--db", url, "--demo", "credential", "issue", "--kind", "booking", "--subject", "BK-9"]) == 0
    text = capsys.readouterr().out.strip()
    v = kc.verify(text, {kc.DEMO_KEY_ID: kc.demo_key()}, datetime.now(UTC))
    assert v.valid and v.key_id == "DEMO-1" and v.subject == "BK-9"
