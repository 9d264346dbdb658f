"""Real processes: a kiosk killed with SIGKILL mid-loop, and two offline kiosks of one hall."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.catalog import DEFAULT_PATH

LOOP = Path(__file__).resolve().parents[1] / "procs" / "issue_loop.py"
ROOT = Path(__file__).resolve().parents[2]


def big_quota_catalog(tmp_path: Path) -> Path:
    """The shipped catalog with room for thousands of tickets a day."""
    text = re.sub(r"daily_quota = \d+", "daily_quota = 9000", DEFAULT_PATH.read_text())
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    return path


def kiosk_config(tmp_path: Path, short_code: str) -> Path:
    path = tmp_path / f"kiosk{short_code}.toml"
    path.write_text(
        f'[kiosk]\nid = "kiosk-{short_code}"\nshort_code = "{short_code}"\n'
        f'[catalog]\npath = "{big_quota_catalog(tmp_path)}"\n'
    )
    return path


def spawn(config: Path, data: Path, count: int, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(LOOP), str(config), str(data), "KTP-EL", str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stored(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        return conn.execute("SELECT number, id FROM tickets ORDER BY seq").fetchall()


def test_sigkill_while_issuing_loses_no_confirmed_ticket_and_reuses_no_number(tmp_path):
    config, data = kiosk_config(tmp_path, "1"), tmp_path / "data"
    confirmed: list[tuple[str, str]] = []
    for round_ in range(4):
        proc = spawn(config, data, 100000, "--print")
        lines = []
        wanted = 20 + 15 * round_
        while len(lines) < wanted:  # let it get well into its loop, then pull the plug
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line)
        time.sleep(0.003 * round_)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        lines += out.splitlines(keepends=True)
        assert proc.returncode == -signal.SIGKILL
        confirmed += [tuple(line.split()) for line in lines if line.endswith("\n")]
    rows = stored(data)
    numbers = [n for n, _ in rows]
    assert len(numbers) == len(set(numbers)), "a number was handed out twice"
    assert set(confirmed) <= set(rows), "a ticket the visitor was told about is missing"
    # Numbers run on without a gap or a repeat across the restarts.
    assert numbers == [f"A1-{i:03d}" for i in range(1, len(numbers) + 1)]
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        issued = conn.execute(
            "SELECT count(*), count(DISTINCT json_extract(payload, '$.id')) FROM outbox WHERE kind = 'ticket.issued'"
        ).fetchone()
        printed = conn.execute(
            "SELECT count(*), count(DISTINCT json_extract(payload, '$.ticket_id')) FROM outbox "
            "WHERE kind = 'ticket.printed'"
        ).fetchone()
        stamped = conn.execute("SELECT count(*) FROM tickets WHERE printed_at IS NOT NULL").fetchone()[0]
    assert issued == (len(rows), len(rows)), "every ticket has exactly one 'issued' outbox row"
    assert printed == (stamped, stamped), "a print is recorded once, with its outbox row, or not at all"


def test_two_offline_kiosks_never_share_a_number(tmp_path):
    procs = {code: spawn(kiosk_config(tmp_path, code), tmp_path / f"data{code}", 1000) for code in ("1", "2")}
    issued = {}
    for code, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        issued[code] = [line.split()[0] for line in out.splitlines()]
        assert len(issued[code]) == 1000
        assert [n for n, _ in stored(tmp_path / f"data{code}")] == issued[code]
    everything = issued["1"] + issued["2"]
    assert len(set(everything)) == 2000
    assert issued["1"][0] == "A1-001" and issued["2"][-1] == "A2-1000"


def test_two_processes_on_one_store_share_the_sequence(tmp_path):
    """The touch UI and a staff `kiosk ticket` on the same kiosk: one sequence, no number twice."""
    config, data = kiosk_config(tmp_path, "1"), tmp_path / "data"
    procs = [spawn(config, data, 200) for _ in range(2)]
    issued = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        issued += [line.split()[0] for line in out.splitlines()]
    assert sorted(issued) == [f"A1-{i:03d}" for i in range(1, 401)]
    assert sorted(n for n, _ in stored(data)) == sorted(issued)
