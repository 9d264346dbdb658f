"""The `kiosk` command as scripts call it: a real process, real files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from escpos_reader import parse

from kiosk.catalog import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, data: Path, config: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data)]
    if config:
        cmd += ["--config", str(config)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=60)


def counts(data: Path) -> tuple[int, int]:
    db = data / "kiosk.sqlite3"
    if not db.exists():
        return (0, 0)
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM outbox)").fetchone()


def test_cli_catalog_json_lists_agencies_and_services(tmp_path):
    r = kiosk("--demo", "catalog", "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    services = [s for a in data["agencies"] for s in a["services"]]
    assert len(data["agencies"]) >= 8 and len(services) >= 20
    assert data["agencies"][0]["name"] == "Dinas Kependudukan dan Pencatatan Sipil"  # Bahasa Indonesia first


def test_cli_ticket_json_prints_and_queue_lists_it(tmp_path):
    r = kiosk("--demo", "ticket", "KTP-EL", "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)
    assert t["number"] == "A1-001" and t["service_code"] == "KTP-EL" and t["printed"] is True
    assert datetime.fromisoformat(t["issued_at"]).utcoffset() is not None
    assert isinstance(t["people_ahead"], int) and isinstance(t["estimated_wait_minutes"], int)
    receipt = parse(Path(t["printer_output"]).read_bytes())
    assert "A1-001" in receipt.lines and receipt.qr_codes == [t["qr_payload"]]
    q = kiosk("--demo", "queue", "--json", data=tmp_path)
    assert q.returncode == 0, q.stderr
    rows = json.loads(q.stdout)["tickets"]
    assert [(r["number"], r["sync_state"]) for r in rows] == [("A1-001", "pending")]


def test_cli_ticket_unknown_service_one_line_and_no_change(tmp_path):
    kiosk("--demo", "ticket", "KTP-EL", data=tmp_path)
    before = counts(tmp_path)
    r = kiosk("--demo", "ticket", "NO-SUCH-SERVICE", data=tmp_path)
    assert r.returncode == 1
    assert r.stdout == "" and r.stderr.count("\n") == 1 and "NO-SUCH-SERVICE" in r.stderr
    assert "Traceback" not in r.stderr
    assert counts(tmp_path) == before == (1, 2)  # one ticket: issued + printed in the outbox


def test_cli_broken_config_names_file_and_key_and_changes_nothing(tmp_path):
    kiosk("--demo", "ticket", "KTP-EL", data=tmp_path)
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[printer]\nkind = 'laser'\n")
    r = kiosk("--demo", "ticket", "KTP-EL", data=tmp_path, config=cfg)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert str(cfg) in r.stderr and "printer.kind" in r.stderr and "file, network, usb, serial, none" in r.stderr
    assert r.stderr.count("\n") == 1
    assert counts(tmp_path) == (1, 2)


def test_cli_ticket_quota_full_one_line_with_reopening_time(tmp_path):
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 2", DEFAULT_PATH.read_text()))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[catalog]\npath = "{catalog}"\n[kiosk]\nlanguage = "en"\n')
    for _ in range(2):
        assert kiosk("--demo", "ticket", "KTP-EL", data=tmp_path, config=cfg).returncode == 0
    r = kiosk("--demo", "ticket", "KTP-EL", data=tmp_path, config=cfg)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "full for today (2 tickets)" in r.stderr and "It opens again on" in r.stderr
    assert counts(tmp_path) == (2, 4)


def test_cli_help_needs_no_screen(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    r = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--help"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0 and "catalog" in r.stdout and "ticket" in r.stdout and "queue" in r.stdout


def test_cli_touch_ui_without_screen_says_so_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    r = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--demo", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert r.returncode == 3 and r.stderr.count("\n") == 1 and "no screen" in r.stderr


def test_cli_damaged_database_one_line_and_left_as_found(tmp_path):
    (tmp_path / "kiosk.sqlite3").write_bytes(b"not a database " * 40)
    r = kiosk("--demo", "ticket", "KTP-EL", data=tmp_path)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "kiosk.sqlite3" in r.stderr
    assert (tmp_path / "kiosk.sqlite3").read_bytes() == b"not a database " * 40


def test_cli_demo_opens_the_touch_ui(tmp_path):
    """`kiosk --demo` starts the window, opens the store and reaches the idle screen (offscreen here)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "KIOSK_STARTUP_PROBE": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--demo", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert [line.split()[0] for line in r.stdout.splitlines()] == ["shown", "ready"]
    assert (tmp_path / "kiosk.sqlite3").exists()
