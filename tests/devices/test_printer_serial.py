"""The serial printer adapter (python-escpos' Serial transport) against a printer simulated on a pty."""

from __future__ import annotations

import time

import pytest
from escpos_reader import parse

from devices.health import Status
from devices.printer import PrintResult, fault_of
from devices.printer_escpos import EscposTransportPrinter
from kiosk.errors import PrinterError
from tests.devices.fake_printer import FAULTY_BEFORE_JOB, PtyPrinter, settle

TIMEOUT = 0.3
JOB = b"\x1b@" + b"A1-001 KTP-el\n" * 20 + b"\x1dV\x00"


@pytest.fixture
def pty_printer():
    printers: list[PtyPrinter] = []

    def make(behaviour: str = "fine", **kw) -> PtyPrinter:
        printers.append(PtyPrinter(behaviour, **kw))
        return printers[-1]

    yield make
    for p in printers:
        p.close()


def serial_adapter(path: str, **kw) -> EscposTransportPrinter:
    return EscposTransportPrinter("serial", "TM-T88V", devfile=path, baudrate=19200, timeout=TIMEOUT, **kw)


def failure(adapter: EscposTransportPrinter, data: bytes = JOB) -> PrinterError:
    with pytest.raises(PrinterError) as info:
        adapter.send(data, job="t")
    return info.value


def test_serial_printer_sends_ticket_bytes_confirmed(kiosk, pty_printer):
    far = pty_printer()
    adapter = EscposTransportPrinter("serial", "TM-T88V", devfile=far.path, baudrate=19200, timeout=5)
    data = kiosk.render_ticket(kiosk.issue_ticket("KTP-EL"))
    started = time.monotonic()
    assert adapter.send(data, job="t") == PrintResult(output=None, confirmed=True)
    assert time.monotonic() - started < 4  # each reply ends its wait: not one 5 s timeout is spent
    assert bytes(far.received) == data
    assert "A1-001" in parse(bytes(far.received)).lines
    n = len(data)
    assert far.requests == [(1, 0), (2, 0), (4, 0), (1, n), (2, n), (4, n)]
    health = adapter.health()
    assert health.status == Status.OK and health.reason == "ready"


@pytest.mark.parametrize(
    ("behaviour", "fault", "reason"),
    FAULTY_BEFORE_JOB,
)
def test_serial_printer_faulty_before_job_sends_nothing(pty_printer, behaviour, fault, reason):
    far = pty_printer(behaviour)
    adapter = serial_adapter(far.path)
    exc = failure(adapter)
    assert fault_of(exc) == fault and exc.params["reason"] == reason
    settle()
    assert bytes(far.received) == b""
    health = adapter.health()
    assert health.status == Status.ERROR and health.reason == reason


def test_serial_printer_silent_is_not_answering_never_out_of_paper(pty_printer):
    exc = failure(serial_adapter(pty_printer("silent").path))
    assert fault_of(exc) == "not_answering" and "paper" not in exc.params["reason"]


def test_serial_printer_swallows_job_and_answers_nothing(pty_printer):
    far = pty_printer("silent_after_job")
    exc = failure(serial_adapter(far.path))
    assert fault_of(exc) == "not_answering"
    far.wait_until(lambda: far.requests_after_job() == 1)  # no reply marks when it has read it all
    assert bytes(far.received) == JOB


def test_serial_printer_cover_opens_during_job(pty_printer):
    far = pty_printer("cover_opens_during_job")
    adapter = serial_adapter(far.path)
    exc = failure(adapter)
    assert fault_of(exc) == "cover_open"
    assert bytes(far.received) == JOB
    assert adapter.health().reason == "cover open"


def test_serial_printer_paper_near_end_prints_and_warns(pty_printer):
    far = pty_printer("near_end")
    adapter = serial_adapter(far.path)
    assert adapter.send(JOB, job="t").confirmed is True
    assert bytes(far.received) == JOB
    health = adapter.health()
    assert health.status == Status.WARNING and health.reason == "paper near end"


def test_serial_printer_without_status_is_unconfirmed(pty_printer):
    far = pty_printer("silent")
    adapter = serial_adapter(far.path, reports_status=False)
    assert adapter.send(JOB, job="t") == PrintResult(output=None, confirmed=False)
    far.wait_until(lambda: len(far.received) >= len(JOB))
    assert bytes(far.received) == JOB and far.requests == []
    health = adapter.health()
    assert health.status == Status.OK and health.reason == "ready (model does not report status)"


def test_serial_printer_missing_device():
    adapter = serial_adapter("/dev/ttyNO-SUCH-PORT")
    exc = failure(adapter, b"x")
    assert fault_of(exc) == "not_connected" and exc.params["reason"].startswith("not connected: ")
    health = adapter.health()
    assert health.status == Status.ERROR and "not connected" in health.reason


def test_transport_printer_constructor_positional_args_compatible():
    usb = EscposTransportPrinter("usb", "TM-T88V", idVendor=0x04B8, idProduct=0x0E15)
    assert usb.name == "printer (usb 04b8:0e15)" and usb.reports_status is True
    assert usb.options["timeout"] > 0  # pyusb must never wait forever on a stalled printer
    serial = EscposTransportPrinter("serial", "TM-T88V", reports_status=False, devfile="/dev/ttyS0", baudrate=9600)
    assert serial.name == "printer (serial /dev/ttyS0)" and serial.reports_status is False
    assert serial.options == {"devfile": "/dev/ttyS0", "baudrate": 9600}
