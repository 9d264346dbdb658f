"""The hall configuration from a real central process to a real kiosk process: set through the
API (as the dashboard does) and `central supervisor-pin set`, pulled by `kiosk sync --once`,
checked with the kiosk's own rules, in force after a reload (local file < central), an
out-of-range value refused whole, and the supervisor PIN working at once (no restart)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from centralproc import ADMIN, Central

from kiosk.clock import SystemClock
from kiosk.config import load
from kiosk.pin import supervisor_gate

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
PIN = "246810"


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url).start()
    yield c
    c.stop()


def config(tmp_path: Path) -> Path:
    cfg = tmp_path / "kiosk-1.toml"
    if not cfg.exists():
        # the local file sets the timeouts: central's value must win over it
        cfg.write_text('[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n[timeouts]\ninactivity_seconds = 45\n')
    return cfg


def kiosk(tmp_path: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--config", str(config(tmp_path))]
    cmd += ["--data-dir", str(tmp_path / "data")]
    if url:
        cmd += ["--central", url]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=ENV, timeout=120)


def sync(tmp_path: Path, url: str) -> dict:
    r = kiosk(tmp_path, "sync", "--once", "--json", url=url)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def settings(tmp_path: Path):
    return load(config(tmp_path), demo=True, data_dir=tmp_path / "data")


def put(central: Central, values: dict) -> httpx.Response:
    return httpx.put(f"{central.url}/api/v1/halls/DEMO/config", json={"settings": values}, headers=ADMIN, timeout=10)


def test_a_pushed_timeout_is_in_force_after_a_reload(tmp_path, central):
    assert settings(tmp_path).timeouts.inactivity_seconds == 45  # the local file
    r = put(central, {"timeouts.inactivity_seconds": 90, "speech.volume": 70})
    assert r.status_code == 201, r.text
    sync(tmp_path, central.url)
    stored = json.loads((tmp_path / "data" / "central-config.json").read_text())
    assert stored["version"] == 1 and stored["settings"]["timeouts.inactivity_seconds"] == 90
    reloaded = settings(tmp_path)
    assert reloaded.timeouts.inactivity_seconds == 90 and reloaded.speech.volume == 70
    assert reloaded.central_config_version == 1
    status = json.loads(kiosk(tmp_path, "status", "--json").stdout)["central_config"]
    assert status["version_stored"] == 1 and status["version_in_force"] == 1


def test_an_out_of_range_value_is_refused_whole(tmp_path, central):
    assert put(central, {"timeouts.inactivity_seconds": 90}).status_code == 201
    sync(tmp_path, central.url)
    # central refuses it itself ...
    r = put(central, {"timeouts.inactivity_seconds": 5})
    assert r.status_code == 422 and "10..3600" in r.json()["error"]["problems"][0]
    # ... so an older or broken central sends it: straight into its changes
    from central.db import Database
    from central.repo import changes
    from central.settings import Settings

    db = Database(Settings.build(db_url=central.db_url))
    try:
        with db.transaction() as s:
            bad = {"version": 2, "settings": {"timeouts.inactivity_seconds": 5, "speech.rate": 150}}
            changes.add(s, "DEMO", "config", bad, datetime.now(UTC), version=2)
    finally:
        db.dispose()
    sync(tmp_path, central.url)
    assert settings(tmp_path).timeouts.inactivity_seconds == 90  # version 1 stays in force
    status = json.loads(kiosk(tmp_path, "status", "--json").stdout)["central_config"]
    assert status["version_stored"] == 1 and "timeouts.inactivity_seconds: expected 10..3600" in status["refused"]


def test_a_supervisor_pin_set_at_central_opens_the_gate_after_a_sync(tmp_path, central):
    before = settings(tmp_path)  # loaded before the PIN exists: no restart in between
    gate = supervisor_gate(before, SystemClock(before.tz))
    assert not gate.check(PIN).ok  # the demo kiosk's own PIN is another
    cmd = [sys.executable, "-m", "central.cli", "--db", central.db_url, "supervisor-pin", "set", "DEMO"]
    r = subprocess.run(cmd, input=f"{PIN}\n", capture_output=True, text=True, env=ENV, timeout=60)
    assert r.returncode == 0 and "supervisor PIN" in r.stdout, r.stderr
    sync(tmp_path, central.url)
    assert gate.status().configured
    assert gate.check(PIN).ok
    assert not gate.check("4321").ok  # the demo PIN no longer opens it: central's is in force
