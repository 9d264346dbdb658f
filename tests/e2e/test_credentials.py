"""Signed QR credentials end to end, a real central (SQLite and PostgreSQL) and real kiosk
processes: keys and revocations reach the kiosk with the pull, and one booking accepted by
two kiosks while they were offline is flagged at central once both synced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from centralproc import ADMIN, Central

from kiosk import credential as kc
from kiosk.clock import SystemClock
from kiosk.store import Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url)
    yield c
    c.stop()


def central_cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "central.cli", "--db", db_url, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def kiosk(tmp_path: Path, n: int, url: str | None, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / f"kiosk-{n}.toml"
    config.write_text(f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\n')
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(config), "--data-dir", str(tmp_path / f"k{n}")]
    if url:
        cmd += ["--central", url]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=ENV, timeout=120)


def verify(tmp_path: Path, n: int, text: str) -> dict:
    proc = kiosk(tmp_path, n, None, "credential", "verify", text, "--json")
    out = json.loads(proc.stdout)
    assert (proc.returncode == 0) == out["valid"], proc.stderr
    return out


def issue(db_url: str, subject: str, kind: str = "booking") -> str:
    proc = central_cli(db_url, "--demo", "credential", "issue", "--kind", kind, "--subject", subject)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def sync(tmp_path: Path, n: int, url: str) -> dict:
    proc = kiosk(tmp_path, n, url, "sync", "--once", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def use_at(tmp_path: Path, n: int, text: str, ticket_id: str) -> None:
    """What the touch flow does when a visitor's booking opens a ticket: check, then use it in the
    ticket's transaction (here on the kiosk's real store file, with its demo trust)."""
    store = Store(tmp_path / f"k{n}" / "kiosk.sqlite3")
    try:
        now = SystemClock(datetime.now().astimezone().tzinfo).now()
        verdict = kc.check(store, text, now, demo=True, kinds=["booking"])
        assert verdict.valid, verdict.reason
        with store.transaction():
            kc.use(store, verdict, ticket_id, now=now)
    finally:
        store.close()


def test_rotated_key_and_revocation_reach_the_kiosk_with_the_pull(tmp_path, central, central_db_url):
    central.start()
    demo_signed = issue(central_db_url, "BK-1")
    assert verify(tmp_path, 1, demo_signed)["valid"]  # the demo key: no set-up, no sync

    assert central_cli(central_db_url, "key", "rotate", "DEMO").returncode == 0
    rotated = issue(central_db_url, "BK-2")
    assert verify(tmp_path, 1, rotated)["reason_code"] == kc.UNKNOWN_KEY  # not pulled yet
    sync(tmp_path, 1, central.url)
    out = verify(tmp_path, 1, rotated)
    assert out["valid"] and out["key_id"] == "DEMO-2" and out["subject"] == "BK-2"

    nonce = out["nonce"]
    assert central_cli(central_db_url, "credential", "revoke", "DEMO", f"--nonce={nonce}").returncode == 0
    assert verify(tmp_path, 1, rotated)["valid"]  # offline: the kiosk does not know yet
    sync(tmp_path, 1, central.url)
    assert verify(tmp_path, 1, rotated)["reason_code"] == kc.REVOKED
    assert verify(tmp_path, 1, issue(central_db_url, "BK-3"))["valid"]  # only that one

    assert central_cli(central_db_url, "key", "revoke", "DEMO-2").returncode == 0
    sync(tmp_path, 1, central.url)
    assert verify(tmp_path, 1, issue(central_db_url, "BK-4"))["valid"]  # signed with DEMO-1 again
    assert verify(tmp_path, 1, rotated)["reason_code"] == kc.REVOKED_KEY


def test_booking_used_at_two_offline_kiosks_is_flagged_after_sync(tmp_path, central, central_db_url):
    central.start()
    booking = issue(central_db_url, "BK-77")
    other = issue(central_db_url, "BK-78")
    use_at(tmp_path, 1, booking, "ticket-at-kiosk-1")
    assert verify(tmp_path, 1, booking)["reason_code"] == kc.REPLAYED  # not twice at one kiosk
    use_at(tmp_path, 2, booking, "ticket-at-kiosk-2")  # kiosk 2 cannot know: both offline
    use_at(tmp_path, 2, other, "ticket-other")
    assert sync(tmp_path, 1, central.url)["pushed"] >= 1
    assert sync(tmp_path, 2, central.url)["pushed"] >= 2

    listed = central_cli(central_db_url, "credential", "conflicts", "DEMO", "--json")
    assert listed.returncode == 0, listed.stderr
    (conflict,) = json.loads(listed.stdout)["conflicts"]
    assert conflict["subject"] == "BK-77" and conflict["kind"] == "booking"
    assert [(u["kiosk_id"], u["ticket_id"], u["conflict"]) for u in conflict["uses"]] == [
        ("kiosk-1", "ticket-at-kiosk-1", False),
        ("kiosk-2", "ticket-at-kiosk-2", True),
    ]
    api = httpx.get(f"{central.url}/api/v1/halls/DEMO/credential-conflicts", headers=ADMIN, timeout=10).json()
    assert [c["nonce"] for c in api["conflicts"]] == [conflict["nonce"]]
    text = central_cli(central_db_url, "credential", "conflicts", "DEMO")
    assert "1 credential(s) used more than once" in text.stdout and "kiosk-2" in text.stdout
