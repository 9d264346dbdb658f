"""Remote commands from a real central process to a real kiosk process and back: sent through the
fleet API (as the dashboard does) or `central command add`, pulled and executed by
`kiosk sync --once`, acknowledged, and shown done or failed at central."""

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
KTP = "KTP-EL"


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url).start()
    yield c
    c.stop()


def kiosk(tmp_path: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    cfg = tmp_path / "kiosk-1.toml"
    if not cfg.exists():
        cfg.write_text('[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n')
    cmd = [sys.executable, "-m", "kiosk", "--demo", "--config", str(cfg), "--data-dir", str(tmp_path / "data")]
    if url:
        cmd += ["--central", url]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=ENV, timeout=120)


def sync(tmp_path: Path, url: str) -> dict:
    r = kiosk(tmp_path, "sync", "--once", "--json", url=url)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def send(central: Central, kind: str, args: dict | None = None) -> str:
    r = httpx.post(
        f"{central.url}/api/v1/kiosks/kiosk-1/commands", json={"kind": kind, "args": args or {}}, headers=ADMIN
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def central_add(central: Central, kind: str, args: dict | None = None) -> None:
    """`central command add`: the CLI, which (unlike the fleet API) sends any well-formed command."""
    cmd = [sys.executable, "-m", "central.cli", "--db", central.db_url, "command", "add", "kiosk-1", kind]
    r = subprocess.run(
        [*cmd, "--args", json.dumps(args or {})],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr


def at_central(central: Central) -> dict[str, dict]:
    r = httpx.get(f"{central.url}/api/v1/kiosks/kiosk-1/commands", headers=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    return {c["id"]: c for c in r.json()}


def test_pause_service_is_acknowledged_and_the_service_refused_until_resumed(tmp_path, central):
    sync(tmp_path, central.url)  # the kiosk is known to central
    pause = send(central, "pause_service", {"service": KTP})
    assert at_central(central)[pause]["state"] == "pending"
    report = sync(tmp_path, central.url)
    assert report["commands_executed"] == 1 and report["paused"] == [KTP]
    shown = at_central(central)[pause]
    assert shown["state"] == "done" and shown["detail"] == f"service {KTP} paused" and shown["acked_at"]
    r = kiosk(tmp_path, "ticket", KTP)
    assert r.returncode == 1 and "sementara dihentikan" in r.stderr  # ServicePaused, in the kiosk's language
    assert kiosk(tmp_path, "ticket", "SKCK-BARU").returncode == 0
    resume = send(central, "resume_service", {"service": KTP})
    assert sync(tmp_path, central.url)["paused"] == []
    assert at_central(central)[resume]["state"] == "done"
    assert kiosk(tmp_path, "ticket", KTP).returncode == 0


def test_lock_unlock_and_failures_show_at_central(tmp_path, central):
    sync(tmp_path, central.url)
    lock = send(central, "lock")
    central_add(central, "self_destruct")  # a kind a newer central may send
    central_add(central, "pause_service", {"service": "NO-SUCH"})  # a service this kiosk does not have
    report = sync(tmp_path, central.url)
    assert report["locked"] is True and report["commands_acked"] == 3
    r = kiosk(tmp_path, "ticket", KTP)
    assert r.returncode == 1 and "sementara tidak melayani" in r.stderr  # KioskLocked
    shown = at_central(central)
    unknown = next(c for c in shown.values() if c["kind"] == "self_destruct")
    bad = next(c for c in shown.values() if c["kind"] == "pause_service")
    assert shown[lock]["state"] == "done"
    assert unknown["state"] == "failed" and "unknown command kind" in unknown["detail"]
    assert bad["state"] == "failed" and "NO-SUCH" in bad["detail"]
    unlock = send(central, "unlock")
    assert sync(tmp_path, central.url)["locked"] is False
    assert at_central(central)[unlock]["state"] == "done"
    assert kiosk(tmp_path, "ticket", KTP).returncode == 0
    status = json.loads(kiosk(tmp_path, "status", "--json").stdout)
    assert status["locked"] is False and all(c["acked_at"] for c in status["commands"])


def test_diagnostics_and_restart_from_the_central_cli(tmp_path, central):
    sync(tmp_path, central.url)
    for kind in ("diagnostics_bundle", "restart"):
        central_add(central, kind)
    report = sync(tmp_path, central.url)
    assert report["restart_requested"] is True and report["commands_acked"] == 2
    shown = {c["kind"]: c for c in at_central(central).values()}
    bundles = list((tmp_path / "data" / "diagnostics").glob("diag-kiosk-1-*.zip"))
    assert len(bundles) == 1 and bundles[0].name in shown["diagnostics_bundle"]["detail"]
    assert shown["restart"]["state"] == "done" and "75" in shown["restart"]["detail"]
