"""`kiosk ticket --json` against a network printer on loopback that speaks DLE EOT: a real kiosk
process, the simulated printer's real socket. Printed only when the printer confirmed the job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.devices.fake_printer import FakeNetworkPrinter

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

#: behaviour -> (print_state, fault, words the English reason must hold)
CASES = {
    "fine": ("printed", None, None),
    "near_end": ("printed", None, None),
    "paper_out": ("failed", "paper_out", "paper"),
    "cover_open": ("failed", "cover_open", "cover"),
    "offline": ("failed", "offline", "offline"),
    "reset_mid_job": ("failed", "connection_lost", "connection lost"),
    "close_on_status_after_job": ("failed", "connection_lost", "connection lost"),
    "silent": ("failed", "not_answering", "not answering"),
    "silent_after_job": ("failed", "not_answering", "not answering"),
    "garbage": ("failed", "bad_reply", "status reply"),
    "cover_opens_during_job": ("failed", "cover_open", "cover"),
}


def cli(config: Path, data: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--config", str(config), "--data-dir", str(data), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def config_for(tmp_path: Path, port: int, **printer) -> Path:
    path = tmp_path / f"kiosk-{port}.toml"
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in printer.items())
    path.write_text(
        '[hall]\nalways_open = true\n[kiosk]\nlanguage = "en"\n'
        f'[printer]\nkind = "network"\nhost = "127.0.0.1"\nport = {port}\ntimeout_seconds = 0.5\n{extra}'
    )
    return path


@pytest.mark.parametrize("behaviour", list(CASES))
def test_cli_ticket_network_printer_outcome_is_true(tmp_path, behaviour):
    state, fault, words = CASES[behaviour]
    printer = FakeNetworkPrinter(behaviour)
    try:
        config, data = config_for(tmp_path, printer.port), tmp_path / "data"
        r = cli(config, data, "ticket", "KTP-EL", "--json")
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        t = json.loads(r.stdout)
        assert t["print_state"] == state and t["printed"] is (state == "printed")
        assert t["print_recorded"] is True
        if state == "printed":
            assert "A1-001" in printer.received.decode("ascii", "replace")  # the printer has the number
            assert "print_error" not in t
        else:
            assert t["print_fault"] == fault and words in t["print_error"], t["print_error"]
            assert "paper" not in t["print_error"] or fault == "paper_out"  # silence is never "no paper"
        if behaviour in ("paper_out", "cover_open", "offline", "silent"):
            assert b"A1-001" not in bytes(printer.received)  # refused before the job: nothing wasted
        q = cli(config, data, "queue", "--json")
        assert q.returncode == 0, q.stderr
        (row,) = json.loads(q.stdout)["tickets"]
        assert (row["number"], row["print_state"]) == (t["number"], state)
    finally:
        printer.close()


def test_cli_ticket_printer_without_status_is_unconfirmed(tmp_path):
    printer = FakeNetworkPrinter("silent")  # a model that cannot answer, configured as such
    try:
        config = config_for(tmp_path, printer.port, reports_status=False)
        r = cli(config, tmp_path / "data", "ticket", "KTP-EL", "--json")
        assert r.returncode == 0, r.stderr
        t = json.loads(r.stdout)
        assert t["print_state"] == "unconfirmed" and t["printed"] is False
        printer.wait_until(lambda: b"A1-001" in bytes(printer.received))
    finally:
        printer.close()
