"""The store checks itself: a damaged or newer database is refused by name and left as found."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.errors import StoreDamaged, StoreTooNew
from kiosk.store import MIGRATIONS, Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    """The kiosk command with English messages (a technician's view)."""
    config = data.parent / "en.toml"
    config.write_text('[kiosk]\nlanguage = "en"\n')
    cmd = [sys.executable, "-m", "kiosk.cli", "--config", str(config), "--data-dir", str(data), "--demo", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(r: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    return r.stderr


@pytest.fixture
def store_with_tickets(tmp_path) -> Path:
    data = tmp_path / "data"
    for _ in range(3):
        assert cli(data, "ticket", "KTP-EL").returncode == 0
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:  # fold the WAL in: the file is all there is
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return data


def damage_index(db: Path, index: str = "tickets_day_service") -> None:
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    with open(db, "r+b") as fh:  # random bytes land in the index's page
        fh.seek((root - 1) * page_size)
        fh.write(random.Random(7).randbytes(page_size))


def test_damaged_store_refuses_to_issue_and_is_left_as_found(store_with_tickets):
    data = store_with_tickets
    db = data / "kiosk.sqlite3"
    damage_index(db)
    before = digest(db)

    r = cli(data, "ticket", "KTP-EL", "--json")
    assert r.returncode == 1 and r.stdout == ""
    assert "damaged" in one_line(r) and "kiosk store check" in r.stderr
    q = cli(data, "queue")
    assert q.returncode == 1 and "damaged" in one_line(q)
    assert digest(db) == before

    check = cli(data, "store", "check", "--json")
    assert check.returncode == 1
    report = json.loads(check.stdout)
    assert report["ok"] is False and report["problems"]
    assert digest(db) == before


def test_store_check_of_a_sound_store_says_ok(store_with_tickets):
    r = cli(store_with_tickets, "store", "check")
    assert r.returncode == 0 and r.stdout.strip().endswith(": ok")


def test_store_check_without_a_store_is_one_line(tmp_path):
    r = cli(tmp_path / "nothing", "store", "check")
    assert r.returncode == 1 and "no such file" in one_line(r)


def test_store_newer_than_the_code_is_refused_by_name_and_not_written(store_with_tickets):
    data = store_with_tickets
    db = data / "kiosk.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    before = digest(db)
    r = cli(data, "ticket", "KTP-EL")
    assert r.returncode == 1
    line = one_line(r)
    assert "newer kiosk version" in line and f"schema {len(MIGRATIONS) + 5}" in line
    assert digest(db) == before
    with pytest.raises(StoreTooNew):
        Store(db)


def test_open_store_damaged_raises_store_damaged(store_with_tickets):
    db = store_with_tickets / "kiosk.sqlite3"
    damage_index(db)
    with pytest.raises(StoreDamaged) as caught:
        Store(db)
    assert caught.value.code == "store.damaged"


def test_schema_1_store_is_migrated_with_print_states(tmp_path):
    db = tmp_path / "k.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    cols = "id, number, day, prefix, seq, service_code, agency_code, kiosk_id, language, issued_at, people_ahead, "
    cols += "estimated_wait_minutes, estimated_call_at, estimated_done_at, service_minutes, outbox_id"
    old_rows = [("2026-11-24T09:00:00+07:00", None), (None, "out of paper"), (None, None)]
    for i, (printed_at, error) in enumerate(old_rows):
        conn.execute(
            f"INSERT INTO tickets ({cols}, printed_at, print_error) VALUES "
            f"(?, ?, '2026-11-24', 'A', ?, 'KTP-EL', 'DUKCAPIL', 'k', 'id', 't', 0, 0, 't', 't', 5, 'o', ?, ?)",
            (f"t{i}", f"A1-00{i}", i, printed_at, error),
        )
    conn.commit()
    conn.close()
    store = Store(db)
    states = [r["print_state"] for r in store.query("SELECT print_state FROM tickets ORDER BY seq")]
    assert states == ["printed", "failed", "pending"]
    assert store.version == len(MIGRATIONS)
    store.close()
