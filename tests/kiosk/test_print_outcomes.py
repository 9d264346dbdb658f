"""Print outcomes after a kill: real processes, real files, settled at the next start."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIE = ROOT / "tests" / "procs" / "print_then_die.py"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run_dying(data: Path, mode: str) -> tuple[str, str]:
    proc = subprocess.run([sys.executable, str(DIE), str(data), mode], capture_output=True, text=True, env=ENV)
    assert proc.returncode == -9, proc.stderr
    number, ticket_id = proc.stdout.split()
    return number, ticket_id


def cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "--demo", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def ticket_row(data: Path, ticket_id: str) -> dict:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone())


def outbox_kinds(data: Path, ticket_id: str) -> list[tuple[str, dict]]:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        rows = conn.execute("SELECT kind, payload FROM outbox ORDER BY seq").fetchall()
    found = [(k, json.loads(p)) for k, p in rows]
    return [(k, p) for k, p in found if p.get("ticket_id") == ticket_id or p.get("id") == ticket_id]


def test_kill_after_print_before_record_is_settled_as_printed_at_next_start(tmp_path):
    data = tmp_path / "data"
    number, ticket_id = run_dying(data, "after-send")
    assert ticket_row(data, ticket_id)["print_state"] == "pending"  # the kill left it unsettled
    prints = list((data / "prints").glob(f"*_{number}_*.escpos"))
    assert len(prints) == 1

    q = cli(data, "queue", "--json")  # the next start settles it from the printer's file
    assert q.returncode == 0, q.stderr
    (row,) = [t for t in json.loads(q.stdout)["tickets"] if t["id"] == ticket_id]
    assert row["print_state"] == "printed" and row["printed_at"]
    kinds = outbox_kinds(data, ticket_id)
    assert [k for k, _ in kinds] == ["ticket.issued", "ticket.printed"]
    assert kinds[1][1]["reconciled"] is True
    assert ticket_row(data, ticket_id)["printer_output"] == str(prints[0])

    cli(data, "queue", "--json")  # settled once: a second start adds nothing
    assert [k for k, _ in outbox_kinds(data, ticket_id)] == ["ticket.issued", "ticket.printed"]
    assert not list((data / "run").glob("*.lock"))  # dead processes' locks are swept


def test_kill_while_writing_the_print_file_is_settled_as_failed_and_the_part_file_removed(tmp_path):
    data = tmp_path / "data"
    number, ticket_id = run_dying(data, "mid-write")
    assert len(list((data / "prints").glob("*.part"))) == 1
    assert not list((data / "prints").glob("*.escpos"))

    q = cli(data, "queue", "--json")
    assert q.returncode == 0, q.stderr
    (row,) = [t for t in json.loads(q.stdout)["tickets"] if t["id"] == ticket_id]
    assert row["print_state"] == "failed" and "interrupted" in row["print_error"]
    assert not list((data / "prints").glob("*.part"))
    assert [k for k, _ in outbox_kinds(data, ticket_id)] == ["ticket.issued", "ticket.print_failed"]


def test_a_live_process_tickets_are_left_alone_until_it_dies(tmp_path):
    data = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, str(DIE), str(data), "hold"], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        number, ticket_id = holder.stdout.readline().split()
        other = cli(data, "ticket", "KTP-EL", "--json")  # a second kiosk process on the same folder
        assert other.returncode == 0, other.stderr
        assert json.loads(other.stdout)["print_state"] == "printed"
        assert ticket_row(data, ticket_id)["print_state"] == "pending"  # still its owner's business
    finally:
        holder.kill()
        holder.wait()
    q = cli(data, "queue", "--json")
    assert q.returncode == 0, q.stderr
    row = ticket_row(data, ticket_id)
    assert row["print_state"] == "failed" and "before the ticket reached the printer" in row["print_error"]
