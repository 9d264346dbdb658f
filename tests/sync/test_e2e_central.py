"""Kiosks and the real central, end to end: real processes, real HTTP, real SQLite on both sides.

Skipped while central/ cannot serve yet (its CLI does not answer --help).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
#: `python -m central.cli`, also while central/cli.py has no `if __name__ == "__main__"` yet.
CENTRAL = [sys.executable, "-c", "import sys; from central.cli import main; sys.exit(main(sys.argv[1:]))"]


@cache
def central_usable() -> bool:
    try:
        r = subprocess.run([*CENTRAL, "--help"], capture_output=True, text=True, env=ENV, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and "usage:" in r.stdout


pytestmark = pytest.mark.skipif(not central_usable(), reason="central/ cannot serve yet")


class Central:
    """`central --demo` as a process on a free loopback port, with its own SQLite file."""

    def __init__(self, folder: Path) -> None:
        self.db = f"sqlite:///{folder / 'central.sqlite3'}"
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> Central:
        self.proc = subprocess.Popen(
            [*CENTRAL, "--db", self.db, "--port", "0", "--demo", "--log-level", "warning"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=ENV,
        )
        deadline = time.monotonic() + 60
        seen = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"central did not start: {''.join(seen)}")
            seen.append(line)
            if m := re.search(r"serving on (http://\S+?)[ ,]", line):
                self.url = m[1]
                return self
        raise AssertionError(f"central did not start in time: {''.join(seen)}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        r = subprocess.run([*CENTRAL, "--db", self.db, *args], capture_output=True, text=True, env=ENV, timeout=60)
        assert r.returncode == 0, r.stderr
        return r

    def tickets(self, day: str | None = None) -> list[dict]:
        params = {"day": day} if day else {}
        r = httpx.get(
            f"{self.url}/api/v1/halls/DEMO/tickets",
            params=params,
            headers={"Authorization": "Bearer demo-admin"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()["tickets"]


@pytest.fixture
def real_central(tmp_path):
    c = Central(tmp_path)
    yield c
    c.stop()


def kiosk(data: Path, *args: str, config: Path, central: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "--demo", "--config", str(config)]
    if central:
        cmd += ["--central", central]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=ENV, timeout=120)


def kiosk_config(tmp_path: Path, n: int) -> Path:
    path = tmp_path / f"kiosk-{n}.toml"
    path.write_text(f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\n')
    return path


def issue(data: Path, cfg: Path, n: int, service: str = "KTP-EL") -> list[dict]:
    out = []
    for _ in range(n):
        r = kiosk(data, "ticket", service, "--json", config=cfg)
        assert r.returncode == 0, r.stderr
        out.append(json.loads(r.stdout))
    return out


def sync(data: Path, cfg: Path, url: str) -> tuple[subprocess.CompletedProcess, dict]:
    r = kiosk(data, "sync", "--once", "--json", config=cfg, central=url)
    return r, json.loads(r.stdout) if r.stdout else {}


def backlog(data: Path) -> int:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()[0]


def test_offline_tickets_reach_central_exactly_once(tmp_path, real_central):
    cfg, data = kiosk_config(tmp_path, 1), tmp_path / "k1"
    tickets = issue(data, cfg, 4) + issue(data, cfg, 2, "SKCK-BARU")  # central is not even running
    real_central.start()
    r, report = sync(data, cfg, real_central.url)
    assert r.returncode == 0, r.stderr
    assert report["ok"] and report["pushed"] == 12 and report["backlog"] == 0
    days = sorted({t["day"] for t in tickets})  # two when the hall's midnight fell between the tickets

    def listed_at_central() -> list[dict]:
        return [t for day in days for t in real_central.tickets(day)]

    listed = listed_at_central()
    assert sorted((t["number"], t["service_code"], t["kiosk_id"], t["ticket_id"]) for t in listed) == sorted(
        (t["number"], t["service_code"], "kiosk-1", t["id"]) for t in tickets
    )
    assert {t["print_state"] for t in listed} == {"printed"}
    # A second round changes nothing, here or there.
    r2, again = sync(data, cfg, real_central.url)
    assert r2.returncode == 0 and again["pushed"] == 0 and again["backlog"] == 0
    assert listed_at_central() == listed


def test_two_demo_kiosks_never_collide(tmp_path, real_central):
    real_central.start()
    issued = {}
    for n in (1, 2):
        cfg, data = kiosk_config(tmp_path, n), tmp_path / f"k{n}"
        issued[n] = issue(data, cfg, 3)
    for n in (1, 2):
        r, report = sync(tmp_path / f"k{n}", kiosk_config(tmp_path, n), real_central.url)
        assert r.returncode == 0 and report["pushed"] == 6, r.stderr
    listed = real_central.tickets(issued[1][0]["day"])
    numbers = [t["number"] for t in listed]
    assert len(numbers) == len(set(numbers)) == 6
    assert sorted(numbers) == ["A1-001", "A1-002", "A1-003", "A2-001", "A2-002", "A2-003"]
    assert {t["kiosk_id"] for t in listed if t["number"].startswith("A2")} == {"kiosk-2"}


def test_unreachable_central_one_line_backlog_intact(tmp_path, real_central):
    cfg, data = kiosk_config(tmp_path, 1), tmp_path / "k1"
    issue(data, cfg, 2)
    real_central.start()
    url = real_central.url
    real_central.stop()
    r = kiosk(data, "sync", "--once", config=cfg, central=url)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "unreachable" in r.stderr
    assert backlog(data) == 4


def test_revoked_kiosk_refused_by_name_backlog_kept(tmp_path, real_central):
    real_central.start()
    cfg, data = kiosk_config(tmp_path, 2), tmp_path / "k2"
    issue(data, cfg, 1)
    real_central.manage("kiosk", "revoke", "kiosk-2")
    r = kiosk(data, "sync", "--once", config=cfg, central=real_central.url)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "kiosk-2" in r.stderr and "auth.revoked" in r.stderr
    assert backlog(data) == 2


def test_enrolled_kiosk_syncs_with_its_own_credential(tmp_path, real_central):
    real_central.start()
    token = real_central.manage("kiosk", "add", "DEMO", "kiosk-9", "--short-code", "9").stdout.strip().splitlines()[-1]
    cfg, data = kiosk_config(tmp_path, 9), tmp_path / "k9"
    r = kiosk(data, "enroll", token, config=cfg, central=real_central.url)
    assert r.returncode == 0 and r.stdout.startswith("enrolled as kiosk-9 (hall DEMO, short code 9)"), r.stderr
    (ticket,) = issue(data, cfg, 1)
    r, report = sync(data, cfg, real_central.url)
    assert r.returncode == 0 and report["pushed"] == 2, r.stderr
    assert [t["number"] for t in real_central.tickets(ticket["day"])] == ["A9-001"]
    again = kiosk(tmp_path / "other", "enroll", token, config=cfg, central=real_central.url)
    assert again.returncode == 1 and "enroll.token_used" in again.stderr and again.stderr.count("\n") == 1


def test_catalog_from_central_refused_when_it_does_not_validate(tmp_path, real_central):
    from kiosk.catalog import DEFAULT_PATH

    real_central.start()
    cfg, data = kiosk_config(tmp_path, 1), tmp_path / "k1"
    r, first = sync(data, cfg, real_central.url)  # the demo hall's catalog version 1
    assert r.returncode == 0, r.stderr
    before = kiosk(data, "catalog", "--json", config=cfg).stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_PATH.read_text().replace("services = 27", "services = 28"))  # TOML, not a catalog
    real_central.manage("catalog", "set", "DEMO", str(bad))
    r, report = sync(data, cfg, real_central.url)
    assert r.returncode == 0 and report["catalogs_refused"] == 1 and not report["catalog_changed"], r.stderr
    assert kiosk(data, "catalog", "--json", config=cfg).stdout == before  # the kiosk keeps its catalog
    good = tmp_path / "good.toml"
    good.write_text(
        DEFAULT_PATH.read_text().replace('name_id = "Perekaman & Cetak KTP-el"', 'name_id = "KTP-el dari pusat"')
    )
    real_central.manage("catalog", "set", "DEMO", str(good))
    r, report = sync(data, cfg, real_central.url)
    assert report["catalog_changed"] and report["catalog_version"] > (first["catalog_version"] or 0)
    assert "KTP-el dari pusat" in kiosk(data, "catalog", "--json", config=cfg).stdout


def test_command_from_central_is_stored_pending(tmp_path, real_central):
    real_central.start()
    real_central.manage("command", "add", "kiosk-1", "refresh_catalog", "--args", '{"why": "test"}')
    cfg, data = kiosk_config(tmp_path, 1), tmp_path / "k1"
    r, report = sync(data, cfg, real_central.url)
    assert r.returncode == 0 and report["commands"] == 1, r.stderr
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        rows = conn.execute("SELECT kind, args, state, acked_at IS NOT NULL FROM commands").fetchall()
    assert rows == [("refresh_catalog", '{"why": "test"}', "done", 1)]  # executed, and central has its outcome
