"""A full disk after the ticket was committed: the visitor still gets the ticket, exit 0, and the
outcome is settled at the next start. A real tmpfs of 8 MiB holds the data folder; the simulated
network printer fills it the moment it has the job (before it answers the status after it)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.devices.fake_printer import FakeNetworkPrinter

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, text=True)
    if r.returncode != 0:  # said out loud in the test report, never silently
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {r.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write until the file system has no byte left."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * size)
    return filler


class FillsTheDiskPrinter(FakeNetworkPrinter):
    """A fine printer, but the disk runs full while it prints."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.filler = folder, None
        super().__init__("fine")

    def status_byte(self, n: int) -> int:
        if self.received and self.filler is None:
            self.filler = fill(self.folder)
        return super().status_byte(n)


def cli(config: Path, data: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--config", str(config), "--data-dir", str(data), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def test_full_disk_after_commit_still_gives_the_ticket_and_settles_it_at_next_start(small_disk, tmp_path):
    printer = FillsTheDiskPrinter(small_disk)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[hall]\nalways_open = true\n[printer]\nkind = "network"\nhost = "127.0.0.1"\nport = {printer.port}\n'
        "timeout_seconds = 2.0\n"
    )
    data = small_disk / "data"
    try:
        r = cli(config, data, "ticket", "KTP-EL", "--json")
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        t = json.loads(r.stdout)
        assert t["number"] == "A1-001" and t["printed"] is True and t["print_state"] == "printed"
        assert t["print_recorded"] is False and "full" in t["print_record_error"]
        assert "A1-001" in printer.received.decode("ascii", "replace")
        with sqlite3.connect(data / "kiosk.sqlite3") as conn:  # committed before the disk ran full
            assert conn.execute("SELECT number, print_state FROM tickets").fetchall() == [("A1-001", "pending")]

        q = cli(config, data, "queue", "--json")  # still full: the listing works, nothing settled yet
        assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr
        assert [x["number"] for x in json.loads(q.stdout)["tickets"]] == ["A1-001"]

        printer.filler.unlink()  # the technician frees space; the next start settles the ticket
        q = cli(config, data, "queue", "--json")
        assert q.returncode == 0, q.stderr
        (row,) = json.loads(q.stdout)["tickets"]
        assert row["print_state"] == "unconfirmed" and "interrupted" in row["print_error"]
    finally:
        printer.close()
