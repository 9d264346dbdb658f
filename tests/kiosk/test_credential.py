"""Signed QR credentials at the kiosk (kiosk/credential.py): every refusal, rotation, the
nonce store, the pulled keys and revocations, the real `kiosk credential verify` process, and
a fuzz test that no input makes the verifier raise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central import demo as central_demo
from central import signing
from kiosk import credential as cr
from kiosk.store import Store
from sync.client import Change
from sync.engine import SyncEngine

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


class Hall:
    """A hall's keys as central holds them: sign with any, trust the public halves."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str]] = {}

    def key(self, key_id: str, seed: bytes | None = None) -> cr.TrustedKey:
        self.keys[key_id] = signing.keypair_of(seed) if seed else signing.new_keypair()
        return self.trusted(key_id)

    def trusted(self, key_id: str, **kw) -> cr.TrustedKey:
        return cr.TrustedKey(key_id, cr.b64decode(self.keys[key_id][1]), **kw)

    def issue(
        self, key_id: str = "BDG-1", *, kind="booking", subject="BK-1", start=NOW, minutes=60, issued=None
    ) -> str:
        return signing.sign(
            private_key=self.keys[key_id][0],
            key_id=key_id,
            kind=kind,
            subject=subject,
            issued_at=issued or start,
            not_before=start,
            expires_at=start + timedelta(minutes=minutes),
        ).text


@pytest.fixture
def hall() -> Hall:
    h = Hall()
    h.key("BDG-1")
    return h


def keys(hall: Hall, *ids: str, **kw) -> dict:
    return {i: hall.trusted(i, **kw) for i in ids or hall.keys}


def flip(text: str, pos: int) -> str:
    """`text` with one byte of its signed body changed (the character re-encoded)."""
    head, body, sig = text.split(".")
    raw = bytearray(cr.b64decode(body))
    raw[pos] ^= 0x01
    return f"{head}.{cr.b64encode(bytes(raw))}.{sig}"


def test_verify_credential_valid(hall):
    text = hall.issue(subject="BK-77")
    v = cr.verify(text, keys(hall), NOW + timedelta(minutes=5))
    assert v.valid and v.reason_code == cr.OK
    assert (v.kind, v.subject, v.key_id, v.expires_at) == ("booking", "BK-77", "BDG-1", "2026-11-24T03:00:00Z")
    assert len(text) <= 200 and text.startswith("MPP1.")


def test_verify_credential_long_subject_fits_a_qr(hall):
    assert len(hall.issue(subject="x" * 48)) < 220


@pytest.mark.parametrize("pos", [0, 1, 5, 13, 20, 27, -1])
def test_verify_credential_one_byte_changed_is_refused(hall, pos):
    v = cr.verify(flip(hall.issue(), pos), keys(hall), NOW)
    assert not v.valid and v.reason_code in (cr.BAD_SIGNATURE, cr.GARBLED, cr.UNKNOWN_KEY)


def test_verify_credential_altered_subject_bad_signature(hall):
    text = hall.issue(subject="BK-1")
    v = cr.verify(flip(text, -1), keys(hall), NOW)  # BK-1 -> BK-0
    assert (v.valid, v.reason_code, v.subject) == (False, cr.BAD_SIGNATURE, "BK-0")


def test_verify_credential_forged_with_another_key_under_a_known_id(hall):
    forger = Hall()
    forger.key("BDG-1")
    v = cr.verify(forger.issue(), keys(hall), NOW)
    assert v.reason_code == cr.BAD_SIGNATURE


def test_verify_credential_unknown_key(hall):
    other = Hall()
    other.key("JKT-1")
    v = cr.verify(other.issue("JKT-1"), keys(hall), NOW)
    assert (v.valid, v.reason_code) == (False, cr.UNKNOWN_KEY) and "JKT-1" in v.reason


def test_verify_credential_revoked_key(hall):
    v = cr.verify(hall.issue(), keys(hall, revoked=True), NOW)
    assert v.reason_code == cr.REVOKED_KEY


def test_verify_credential_key_past_its_validity(hall):
    v = cr.verify(hall.issue(), keys(hall, valid_until=NOW - timedelta(hours=1)), NOW)
    assert v.reason_code == cr.KEY_NOT_VALID


def test_verify_credential_expired_and_clock_skew(hall):
    text = hall.issue(minutes=10)
    assert cr.verify(text, keys(hall), NOW + timedelta(minutes=10, seconds=59)).valid  # within the 60 s skew
    v = cr.verify(text, keys(hall), NOW + timedelta(minutes=11, seconds=1))
    assert v.reason_code == cr.EXPIRED


def test_verify_credential_not_yet_valid_and_clock_skew(hall):
    text = hall.issue(start=NOW + timedelta(hours=2))
    assert cr.verify(text, keys(hall), NOW + timedelta(hours=2) - timedelta(seconds=59)).valid
    v = cr.verify(text, keys(hall), NOW)
    assert v.reason_code == cr.NOT_YET_VALID


def test_verify_credential_wrong_kind(hall):
    v = cr.verify(hall.issue(kind="account"), keys(hall), NOW, kinds=["booking", "ticket"])
    assert v.reason_code == cr.WRONG_KIND
    assert cr.verify(hall.issue(kind="badge"), keys(hall), NOW, kinds=["badge"]).valid


def test_verify_credential_replayed_nonce(hall):
    text = hall.issue()
    nonce = cr.verify(text, keys(hall), NOW).nonce
    assert cr.verify(text, keys(hall), NOW, seen={nonce}).reason_code == cr.REPLAYED


def test_verify_credential_revoked_by_nonce_and_by_subject(hall):
    text = hall.issue(subject="ACC-9")
    nonce = cr.verify(text, keys(hall), NOW).nonce
    assert cr.verify(text, keys(hall), NOW, revoked=cr.Revocations(frozenset({nonce}))).reason_code == cr.REVOKED
    later = cr.Revocations(subjects={"ACC-9": NOW + timedelta(seconds=1)})
    assert cr.verify(text, keys(hall), NOW, revoked=later).reason_code == cr.REVOKED
    reissued = hall.issue(subject="ACC-9", issued=NOW + timedelta(minutes=5), start=NOW + timedelta(minutes=5))
    assert cr.verify(reissued, keys(hall), NOW + timedelta(minutes=6), revoked=later).valid


def test_verify_credential_oversized(hall):
    v = cr.verify(hall.issue() + "A" * 1024, keys(hall), NOW)
    assert v.reason_code == cr.OVERSIZED


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-a-credential",
        "MPP1.",
        "MPP1.abc",
        "MPP1.!!!.@@@",
        "MPP1.AAAA.AAAA",
        "MPP2.AAAA.AAAA",
        "MPP1.AAAA.AAAA.AAAA",
        None,
        42,
        b"\xff\xfe",
        ["MPP1."],
    ],
)
def test_verify_credential_garbled(hall, text):
    v = cr.verify(text, keys(hall), NOW)
    assert (v.valid, v.reason_code) == (False, cr.GARBLED) and v.reason


def test_verify_credential_garbled_layout(hall):
    """A correct signature over a body that breaks the layout is still garbled."""
    priv = hall.keys["BDG-1"][0]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def signed(body: bytes) -> str:
        sig = Ed25519PrivateKey.from_private_bytes(cr.b64decode(priv)).sign(b"MPP1." + body)
        return f"MPP1.{cr.b64encode(body)}.{cr.b64encode(sig)}"

    good = cr.b64decode(hall.issue().split(".")[1])
    for body in (good[:-1], good + b"x", bytes([9]) + good[1:], good[:13] + good[13:25] + b"\x00" + good[26:]):
        assert cr.verify(signed(body), keys(hall), NOW).reason_code == cr.GARBLED


def test_every_reason_code_has_a_visitor_message():
    assert set(cr.VISITOR_MESSAGES) == set(cr.REASONS)


def test_rotation_two_keys_then_old_one_revoked(hall):
    hall.key("BDG-2")
    old, new = hall.issue("BDG-1"), hall.issue("BDG-2")
    both = keys(hall)
    assert cr.verify(old, both, NOW).valid and cr.verify(new, both, NOW).valid
    rotated = {**both, "BDG-1": hall.trusted("BDG-1", revoked=True)}
    assert cr.verify(old, rotated, NOW).reason_code == cr.REVOKED_KEY
    assert cr.verify(new, rotated, NOW).valid


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=1500), st.text(max_size=1500)))
def test_verify_credential_never_raises_on_arbitrary_input(data):
    v = cr.verify(data, {}, NOW)
    assert not v.valid and v.reason_code in cr.REASONS


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=0, max_size=200), st.binary(min_size=0, max_size=80))
def test_verify_credential_never_raises_on_arbitrary_bodies(body, sig):
    hall = Hall()
    key = hall.key("BDG-1", seed=b"\x01" * 32)
    v = cr.verify(f"MPP1.{cr.b64encode(body)}.{cr.b64encode(sig)}", {"BDG-1": key}, NOW)
    assert not v.valid and v.reason_code in cr.REASONS


# --- the store: used nonces, pulled keys and revocations --------------------------------------


def test_use_credential_records_nonce_and_outbox_then_replay_refused(tmp_path, hall):
    store = Store(tmp_path / "kiosk.sqlite3")
    text = hall.issue()
    store.conn.execute(
        "INSERT INTO credential_keys (key_id, public_key, cursor, updated_at) VALUES ('BDG-1', ?, 1, 'x')",
        (hall.keys["BDG-1"][1],),
    )
    v = cr.check(store, text, NOW)
    assert v.valid
    assert cr.check(store, text, NOW).valid  # verify uses nothing up
    with store.transaction():
        outbox_id = cr.use(store, v, "ticket-1", now=NOW)
    (row,) = store.query("SELECT nonce, kind, subject, ticket_id, outbox_id FROM used_credentials")
    assert row == {
        "nonce": v.nonce,
        "kind": "booking",
        "subject": "BK-1",
        "ticket_id": "ticket-1",
        "outbox_id": outbox_id,
    }
    (item,) = store.query("SELECT kind, payload FROM outbox")
    assert item["kind"] == "credential.used"
    assert json.loads(item["payload"])["nonce"] == v.nonce and json.loads(item["payload"])["ticket_id"] == "ticket-1"
    assert cr.check(store, text, NOW).reason_code == cr.REPLAYED
    store.close()


def test_use_credential_rolls_back_with_the_ticket(tmp_path, hall):
    store = Store(tmp_path / "kiosk.sqlite3")
    v = cr.verify(hall.issue(), keys(hall), NOW)
    with pytest.raises(RuntimeError), store.transaction():
        cr.use(store, v, "ticket-1", now=NOW)
        raise RuntimeError("printer gone before the ticket committed")
    assert store.query("SELECT count(*) AS n FROM used_credentials")[0]["n"] == 0
    assert store.query("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    with pytest.raises(ValueError):
        cr.use(store, cr.verify("junk", {}, NOW), None, now=NOW)
    store.close()


def test_pulled_keys_and_revocations_apply(tmp_path, hall):
    engine = SyncEngine.__new__(SyncEngine)
    engine.store = Store(tmp_path / "kiosk.sqlite3")

    class _Clock:
        def now(self):
            return NOW

    engine.clock = _Clock()
    hall.key("BDG-2")
    text = hall.issue("BDG-1", subject="BK-5")
    entry = {"key_id": "BDG-1", "public_key": hall.keys["BDG-1"][1], "valid_from": None, "valid_until": None}
    entry2 = {**entry, "key_id": "BDG-2", "public_key": hall.keys["BDG-2"][1], "revoked": False}
    with engine.store.transaction():
        engine._apply_keys(Change(1, "keys", {"keys": [entry, entry2, {"key_id": "bad key"}, "junk"]}))
    assert cr.check(engine.store, text, NOW).valid
    nonce = cr.check(engine.store, text, NOW).nonce
    with engine.store.transaction():
        engine._apply_revocations(Change(2, "revocations", {"revocations": [{"nonce": nonce}, {"x": 1}]}))
    assert cr.check(engine.store, text, NOW).reason_code == cr.REVOKED
    other = hall.issue("BDG-2", subject="BK-6")
    with engine.store.transaction():
        engine._apply_keys(Change(3, "keys", {"keys": [{**entry2, "revoked": True}]}))
        engine._apply_keys(Change(4, "keys", {"keys": [entry2]}))  # a revoked key stays revoked
    assert cr.check(engine.store, other, NOW).reason_code == cr.REVOKED_KEY
    engine.store.close()


def test_demo_key_matches_central_demo_seed():
    _, public = signing.keypair_of(signing.unb64(central_demo.DEMO_KEY_SEED))
    assert public == cr.DEMO_PUBLIC_KEY and central_demo.DEMO_KEY_ID == cr.DEMO_KEY_ID


# --- kiosk credential verify, a real process -----------------------------------------------


def run_verify(tmp_path: Path, text: str, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--data-dir", str(tmp_path / "k"), *extra]
    return subprocess.run(
        [*cmd, "credential", "verify", text, "--json"], capture_output=True, text=True, env=ENV, timeout=60
    )


def demo_issue(**kw) -> str:
    hall = Hall()
    hall.key(cr.DEMO_KEY_ID, seed=signing.unb64(central_demo.DEMO_KEY_SEED))
    return hall.issue(cr.DEMO_KEY_ID, **kw)


def test_cli_credential_verify_demo_key_valid_and_refusals(tmp_path):
    now = datetime.now(UTC).replace(microsecond=0)
    good = demo_issue(start=now - timedelta(minutes=1))
    ok = run_verify(tmp_path, good)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["valid"] is True and out["kind"] == "booking" and out["subject"] == "BK-1" and out["expires_at"]

    changed = run_verify(tmp_path, flip(good, 14))
    expired = run_verify(tmp_path, demo_issue(start=now - timedelta(hours=3), minutes=60))
    other = Hall()
    other.key("ELSE-1")
    unknown = run_verify(tmp_path, other.issue("ELSE-1", start=now))
    for proc, code in ((changed, cr.BAD_SIGNATURE), (expired, cr.EXPIRED), (unknown, cr.UNKNOWN_KEY)):
        assert proc.returncode == 1, proc.stderr
        got = json.loads(proc.stdout)
        assert got["valid"] is False and got["reason_code"] == code and got["reason"]
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_cli_credential_verify_without_demo_does_not_trust_demo_key(tmp_path):
    good = demo_issue(start=datetime.now(UTC))
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(tmp_path / "k"), "credential", "verify", good, "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)
    assert proc.returncode == 1 and json.loads(proc.stdout)["reason_code"] == cr.UNKNOWN_KEY
