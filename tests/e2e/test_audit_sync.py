"""The audit chain from a kiosk process to a real central process, checked at both ends.

Real processes on loopback: `kiosk ... sync --once` pushes the chain, `central audit verify`
checks central's copy; a kiosk whose chain is rewritten by hand after a sync (the one thing
its own `kiosk audit verify` cannot see) is caught by central after the next sync.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from centralproc import Central

from kiosk import audit
from kiosk.store import Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LOOP = ROOT / "tests" / "procs" / "issue_loop.py"


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url).start()
    yield c
    c.stop()


def config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk-1.toml"
    path.write_text('[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n')
    return path


def issue(tmp_path: Path, data: Path, count: int) -> None:
    cmd = [sys.executable, str(LOOP), str(config(tmp_path)), str(data), "KTP-EL", str(count), "--print"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=120)
    assert r.returncode == 0, r.stderr


def sync(tmp_path: Path, data: Path, url: str) -> dict:
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--config", str(config(tmp_path)), "--data-dir", str(data)]
    r = subprocess.run([*cmd, "--central", url, "sync", "--once", "--json"], capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def kiosk_verify(data: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data), "audit", "verify", "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def central_verify(db_url: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "central.cli", "--db", db_url, "audit", "verify", "kiosk-1", "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def events(data: Path) -> list[dict]:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]


def test_chain_reaches_central_whole_and_a_chain_rewritten_later_is_caught_there(tmp_path, central, central_db_url):
    data = tmp_path / "k1"
    issue(tmp_path, data, 5)
    store = Store(data / "kiosk.sqlite3")
    supervisor = store.add_audit("supervisor.pin_failed", {"attempt": 3}, datetime.now().astimezone())
    store.close()
    report = sync(tmp_path, data, central.url)
    assert report["pushed"] == 10 and report["backlog"] == 0
    # The round pushed the chain as it stood; what the pull added (catalog, keys) goes next round.
    assert report["audit_pushed"] == supervisor == 12
    sync(tmp_path, data, central.url)
    at_central = central_verify(central_db_url)
    assert at_central.returncode == 0, at_central.stdout + at_central.stderr
    out = json.loads(at_central.stdout)
    local = events(data)
    assert out["ok"] and out["events"] == len(local) and out["last_hash"] == local[-1]["hash"]
    assert out["facts_pending"] == 0
    assert json.loads(kiosk_verify(data).stdout)["last_hash"] == out["last_hash"]

    # Someone with a shell rewrites the supervisor's event and recomputes every later hash:
    # the kiosk's own check cannot tell (no fact disagrees).
    rows = events(data)
    prev = rows[supervisor - 2]["hash"]
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        for r in rows[supervisor - 1 :]:
            if r["seq"] == supervisor:
                r["data"] = '{"attempt":1}'
            h = audit.event_hash(r["seq"], r["id"], r["at"], r["kind"], r["data"], r["outbox_id"], prev)
            conn.execute(
                "UPDATE audit SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?", (r["data"], prev, h, r["seq"])
            )
            prev = h
    assert kiosk_verify(data).returncode == 0

    # The next events link to the rewritten chain; central holds the original one.
    issue(tmp_path, data, 1)
    first_new = len(rows) + 1
    sync(tmp_path, data, central.url)
    caught = central_verify(central_db_url)
    assert caught.returncode == 1
    out = json.loads(caught.stdout)
    assert out["first_bad"]["seq"] == first_new and "prev_hash" in out["first_bad"]["problem"]
    assert "first bad entry: audit seq" in caught.stderr


def test_kiosk_database_edited_by_hand_fails_verify_while_central_copy_stays_whole(tmp_path, central, central_db_url):
    """The acceptance: the chain verifies, and fails after one row of the database is edited by hand."""
    data = tmp_path / "k1"
    issue(tmp_path, data, 3)
    sync(tmp_path, data, central.url)
    assert kiosk_verify(data).returncode == 0
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        conn.execute("UPDATE tickets SET service_code = 'SKCK-BARU' WHERE number = 'A1-002'")
    broken = kiosk_verify(data)
    assert broken.returncode == 1 and json.loads(broken.stdout)["first_bad"]["seq"] == 4
    assert central_verify(central_db_url).returncode == 0
