"""The technicians' log (kiosk/logs.py): hall time, start and stop lines (SIGTERM too), one line per
device state change, no NIK."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.health import DeviceHealth, Status
from kiosk import logs
from kiosk.clock import ZONES

ROOT = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+07:00 WIB ")


@pytest.fixture
def logfile(tmp_path):
    path = logs.setup(tmp_path, tz=ZONES["WIB"])
    yield path
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve():
            root.removeHandler(h)
            h.close()


def test_log_lines_carry_hall_time_and_zone(logfile):
    logging.getLogger("kiosk.test").info("hello")
    line = logfile.read_text().splitlines()[-1]
    assert STAMP.match(line) and line.endswith("INFO kiosk.test: hello")


def test_log_setup_twice_adds_no_second_handler(tmp_path, logfile):
    assert logs.setup(tmp_path, tz=ZONES["WIB"]) == logfile
    logging.getLogger("kiosk.test").info("once")
    assert logfile.read_text().count("once") == 1


def test_log_masks_a_nik(logfile):
    logging.getLogger("kiosk.test").warning("lookup of %s failed", "3201234567890123")
    text = logfile.read_text()
    assert "3201234567890123" not in text and logs.NIK_MASK in text


def test_device_state_log_writes_one_line_per_change(logfile):
    states = logs.DeviceStateLog()
    polls = [Status.OK, Status.OK, Status.WARNING, Status.WARNING, Status.ERROR, Status.OK, Status.OK]
    written = [states.note(DeviceHealth("printer (network 10.0.0.9:9100)", "printer", s, s.lower())) for s in polls]
    assert written == [True, False, True, False, True, True, False]
    lines = [line for line in logfile.read_text().splitlines() if "kiosk.devices" in line]
    assert len(lines) == 4 and lines[1].endswith("printer printer (network 10.0.0.9:9100): OK -> WARNING (warning)")
    assert " WARNING kiosk.devices" in lines[2]


def test_device_state_log_keeps_a_history_of_changes_for_the_bundle(tmp_path, logfile):
    import json

    history = tmp_path / "health-history.jsonl"
    states = logs.DeviceStateLog(history=history)
    for status in (Status.OK, Status.OK, Status.WARNING, Status.OK):
        states.note(DeviceHealth("printer", "printer", status, status.lower()))
    rows = [json.loads(line) for line in history.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["OK", "WARNING", "OK"] and rows[1]["kind"] == "printer"


def test_device_state_log_ignores_a_reason_that_changes_at_every_poll(logfile):
    states = logs.DeviceStateLog()
    camera = [DeviceHealth("camera", "camera", Status.OK, f"{fps} fps") for fps in (29.8, 30.1, 29.9)]
    assert [states.note(h) for h in camera] == [True, False, False]
    assert states.note(DeviceHealth("camera", "camera", Status.ERROR, "no frame for 3.2 s")) is True


def test_log_tail_returns_the_last_lines(tmp_path, logfile):
    for i in range(50):
        logging.getLogger("kiosk.test").info("line %d", i)
    tail = logs.tail(tmp_path, 3)
    assert [t.rsplit(" ", 2)[-1] for t in tail] == ["47", "48", "49"]


def test_ui_sigterm_logs_stopped_last_in_hall_time(tmp_path):
    """The touch UI (offscreen) stops cleanly on SIGTERM: the log's last line says so, in WIB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_STARTUP_PROBE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "--demo", "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log = tmp_path / "logs" / "kiosk.log"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (log.exists() and "kiosk.ui: ready" in log.read_text()):
            time.sleep(0.1)
        assert log.exists() and "started: touch UI" in log.read_text(), "the UI never came up"
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 0, proc.stderr.read().decode(errors="replace")[-2000:]
    last = log.read_text().splitlines()[-1]
    assert STAMP.match(last) and last.endswith("INFO kiosk: stopped: touch UI (SIGTERM)")


def test_sync_forever_logs_start_and_stop_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk.cli",
            "--demo",
            "--data-dir",
            str(tmp_path),
            "--central",
            "http://127.0.0.1:9",
            "sync",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log = tmp_path / "logs" / "kiosk.log"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (log.exists() and "started: kiosk sync" in log.read_text()):
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 0
    last = log.read_text().splitlines()[-1]
    assert STAMP.match(last) and last.endswith("stopped: kiosk sync (SIGTERM)")
