"""The simulated file printer: atomic job files, simulated faults, and the listing start-up reconciles with."""

from __future__ import annotations

import errno
import os

import pytest

from devices.health import Status
from devices.printer import PrintResult, fault_of
from devices.printer_file import FilePrinter
from kiosk.errors import PrinterError

JOB = b"\x1b@A1-001\n\x1dV\x00"


def test_file_printer_writes_job_file_confirmed(tmp_path):
    printer = FilePrinter(tmp_path / "prints")
    result = printer.send(JOB, job="2026-11-24_A1-001_abcd1234")
    path = tmp_path / "prints" / "2026-11-24_A1-001_abcd1234.escpos"
    assert result == PrintResult(output=str(path), confirmed=True)
    assert path.read_bytes() == JOB
    assert printer.jobs() == {"2026-11-24_A1-001_abcd1234": path}
    assert printer.stale_parts() == []
    health = printer.health()
    assert health.status == Status.OK


@pytest.mark.parametrize(
    ("attribute", "value", "fault", "reason"),
    [
        ("paper", False, "paper_out", "out of paper"),
        ("cover_open", True, "cover_open", "cover open"),
        ("offline", True, "offline", "printer offline"),
    ],
)
def test_file_printer_simulated_fault_writes_nothing(tmp_path, attribute, value, fault, reason):
    printer = FilePrinter(tmp_path)
    setattr(printer, attribute, value)
    with pytest.raises(PrinterError) as info:
        printer.send(JOB, job="t")
    assert fault_of(info.value) == fault and info.value.params["reason"] == reason
    assert list(tmp_path.iterdir()) == []
    health = printer.health()
    assert health.status == Status.ERROR and health.reason == reason


def test_file_printer_paper_loaded_again_prints(tmp_path):
    printer = FilePrinter(tmp_path)
    printer.paper = False
    with pytest.raises(PrinterError):
        printer.send(JOB, job="t1")
    printer.paper = True  # staff loads a new roll
    assert printer.send(JOB, job="t2").confirmed
    assert list(printer.jobs()) == ["t2"]


def test_file_printer_paper_near_end_prints_and_warns(tmp_path):
    printer = FilePrinter(tmp_path)
    printer.paper_near_end = True
    assert printer.send(JOB, job="t").confirmed
    health = printer.health()
    assert health.status == Status.WARNING and health.reason == "paper near end"


def test_file_printer_write_failure_removes_part_file(tmp_path, monkeypatch):
    printer = FilePrinter(tmp_path)

    def fsync_fails(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr("devices.printer_file.os.fsync", fsync_fails)
    with pytest.raises(PrinterError) as info:
        printer.send(JOB, job="t")
    assert fault_of(info.value) == "write_failed"
    assert info.value.params["reason"] == f"could not send the ticket: {os.strerror(errno.EIO)}"
    assert list(tmp_path.iterdir()) == []


def test_file_printer_folder_not_creatable_is_write_failed(tmp_path):
    blocker = tmp_path / "prints"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(PrinterError) as info:
        FilePrinter(blocker).send(JOB, job="t")
    assert fault_of(info.value) == "write_failed" and info.value.params["reason"].startswith("could not send")


def test_file_printer_lists_jobs_and_stale_parts(tmp_path):
    printer = FilePrinter(tmp_path)
    assert printer.jobs() == {} and printer.stale_parts() == []
    printer.send(JOB, job="day_A1-001_aaaa")
    printer.send(JOB, job="day_A1-002_b.b")  # a dot in the name survives
    (tmp_path / "day_A1-003_cccc.part").write_bytes(JOB[:3])  # killed mid-write
    (tmp_path / "notes.txt").write_text("not a job")
    assert printer.jobs() == {
        "day_A1-001_aaaa": tmp_path / "day_A1-001_aaaa.escpos",
        "day_A1-002_b.b": tmp_path / "day_A1-002_b.b.escpos",
    }
    assert printer.stale_parts() == [tmp_path / "day_A1-003_cccc.part"]


def test_file_printer_missing_folder_lists_nothing(tmp_path):
    printer = FilePrinter(tmp_path / "never-made")
    assert printer.jobs() == {} and printer.stale_parts() == []
