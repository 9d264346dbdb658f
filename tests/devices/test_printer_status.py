"""The shared status reading (DLE EOT 1, 2, 4) and the printer error contract, without any transport."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import devices.printer as printer_module
from devices.printer import (
    FAULT_REASONS,
    STATUS_REQUESTS,
    StatusReport,
    fault_of,
    printer_error,
    read_status,
    status_fault,
    valid_reply,
)

FAULTS = (
    "paper_out",
    "cover_open",
    "offline",
    "not_connected",
    "connection_lost",
    "not_answering",
    "bad_reply",
    "write_failed",
)


def scripted(replies: dict[int, int | None]):
    """An `ask` that answers DLE EOT n with replies[n] and remembers what was asked."""
    asked: list[int] = []

    def ask(request: bytes) -> int | None:
        asked.append(request[2])
        return replies[request[2]]

    return ask, asked


@pytest.mark.parametrize("byte", [0x12, 0x16, 0x1A, 0x1E, 0x32, 0x52, 0x72, 0x7E])
def test_valid_reply_accepts_status_bytes(byte):
    assert valid_reply(byte)


@pytest.mark.parametrize("byte", [0x00, 0x02, 0x10, 0x13, 0x92, 0xFF, ord("H")])
def test_valid_reply_rejects_garbage(byte):
    assert not valid_reply(byte)


def test_read_status_asks_1_2_4_in_order_and_finds_nothing():
    ask, asked = scripted({1: 0x12, 2: 0x12, 4: 0x12})
    assert read_status(ask) == StatusReport()
    assert asked == [1, 2, 4] and [r[2] for r in STATUS_REQUESTS] == [1, 2, 4]


@pytest.mark.parametrize(
    ("replies", "fault", "detail"),
    [
        ({1: 0x1A, 2: 0x16, 4: 0x7E}, "cover_open", ""),  # cover first, even with no paper
        ({1: 0x1A, 2: 0x32, 4: 0x7E}, "paper_out", ""),
        ({1: 0x12, 2: 0x12, 4: 0x72}, "paper_out", ""),  # roll sensor alone
        ({1: 0x1A, 2: 0x32, 4: 0x12}, "paper_out", ""),  # stopped by paper end alone
        ({1: 0x1A, 2: 0x52, 4: 0x12}, "offline", "error"),
        ({1: 0x1A, 2: 0x12, 4: 0x12}, "offline", ""),
        ({1: 0x12, 2: 0x12, 4: 0xFF}, "bad_reply", "0xff to DLE EOT 4"),
    ],
)
def test_read_status_names_the_fault(replies, fault, detail):
    ask, _ = scripted(replies)
    report = read_status(ask)
    assert (report.fault, report.detail) == (fault, detail)
    assert status_fault(scripted(replies)[0]) == fault


@pytest.mark.parametrize("silent", [1, 2, 4])
def test_read_status_no_answer_is_not_answering_never_paper_out(silent):
    replies = {1: 0x12, 2: 0x12, 4: 0x12, silent: None}
    ask, asked = scripted(replies)
    assert read_status(ask).fault == "not_answering"
    assert asked[-1] == silent  # stops at the first question without an answer


def test_read_status_paper_near_end_is_a_warning_not_a_fault():
    ask, _ = scripted({1: 0x12, 2: 0x12, 4: 0x1E})
    assert read_status(ask) == StatusReport(fault=None, paper_near_end=True)


def test_printer_error_carries_fault_and_english_reason():
    exc = printer_error("printer (network 10.0.0.9:9100)", "connection_lost", "Connection reset by peer")
    assert fault_of(exc) == "connection_lost" and exc.code == "device.printer"
    assert exc.params["reason"] == "connection lost during printing: Connection reset by peer"
    assert exc.message == "Printer: connection lost during printing: Connection reset by peer"


def test_every_fault_has_a_reason_and_is_documented():
    assert tuple(FAULT_REASONS) == FAULTS
    for fault in FAULTS:
        assert f"    {fault} " in printer_module.__doc__
    assert FAULT_REASONS == {
        "paper_out": "out of paper",
        "cover_open": "cover open",
        "offline": "printer offline",
        "not_connected": "not connected",
        "connection_lost": "connection lost during printing",
        "not_answering": "not answering status requests",
        "bad_reply": "unreadable status reply",
        "write_failed": "could not send the ticket",
    }


def test_devices_import_no_qt():
    code = (
        "import sys, devices.printer, devices.printer_network, devices.printer_escpos, devices.printer_file;"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
