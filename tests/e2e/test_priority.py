"""A priority ticket issued at a kiosk (`kiosk ticket --priority`, a real process) arrives at a
real central (SQLite and PostgreSQL) as a priority ticket: in the halls API, in `central
tickets`, and first in the hall queue's priority view; a normal ticket arrives with none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from centralproc import ADMIN, Central

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url)
    yield c
    c.stop()


def kiosk(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / "kiosk-1.toml"
    config.write_text('[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n')
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(config), "--data-dir", str(tmp_path / "k1")]
    return subprocess.run([*cmd, "--central", url, *args], capture_output=True, text=True, env=ENV, timeout=120)


def test_priority_ticket_from_a_kiosk_arrives_at_central_as_priority(tmp_path, central, central_db_url):
    central.start()
    normal = kiosk(tmp_path, central.url, "ticket", "KTP-EL", "--json")
    first = kiosk(tmp_path, central.url, "ticket", "KTP-EL", "--priority", "disability", "--json")
    assert normal.returncode == 0 and first.returncode == 0, normal.stderr + first.stderr
    mine = {json.loads(r.stdout)["id"]: json.loads(r.stdout) for r in (normal, first)}
    sync = kiosk(tmp_path, central.url, "sync", "--once", "--json")
    assert sync.returncode == 0 and json.loads(sync.stdout)["ok"], sync.stderr

    arrived = {t["ticket_id"]: t for t in central.tickets()}
    assert {i: (t["number"], t["priority"]) for i, t in arrived.items()} == {
        i: (t["number"], t["priority"]) for i, t in mine.items()
    }
    assert sorted((t["number"], t["priority"]) for t in arrived.values()) == [
        ("A1-001", None),
        ("A1-P001", "disability"),
    ]
    listed = subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", central_db_url, "tickets", "DEMO", "--json"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert {t["number"]: t["priority"] for t in json.loads(listed.stdout)["tickets"]} == {
        "A1-001": None,
        "A1-P001": "disability",
    }
    queue = httpx.get(f"{central.url}/api/v1/halls/DEMO/queue", headers=ADMIN, timeout=10).json()
    (a,) = [lt for lt in queue["letters"] if lt["prefix"] == "A"]
    assert a["tickets"] == 2 and a["priority_waiting"] <= a["waiting"]
