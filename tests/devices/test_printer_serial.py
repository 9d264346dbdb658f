"""The serial printer adapter (python-escpos' Serial transport) against a printer simulated on a pty."""

from __future__ import annotations

import os
import select
import threading
import time
import tty

import pytest

from devices.health import Status
from devices.printer_escpos import EscposTransportPrinter
from kiosk.errors import PrinterError


class PtyPrinter:
    """The far end of a serial line: answers DLE EOT 4 with `paper`, keeps everything else."""

    def __init__(self, paper: int = 0x12) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._slave = slave
        self.paper = paper
        self.received = bytearray()
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        pending = b""
        while not self._stop:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                pending += os.read(self.master, 4096)
            except OSError:
                return
            while b"\x10\x04\x04" in pending:
                before, _, pending = pending.partition(b"\x10\x04\x04")
                self.received += before
                os.write(self.master, bytes([self.paper]))
            self.received += pending
            pending = b""

    def close(self) -> None:
        self._stop = True
        self.thread.join(1)
        os.close(self.master)
        os.close(self._slave)


@pytest.fixture
def pty_printer():
    printers = []

    def make(**kw):
        printers.append(PtyPrinter(**kw))
        return printers[-1]

    yield make
    for p in printers:
        p.close()


def serial_adapter(path: str) -> EscposTransportPrinter:
    return EscposTransportPrinter("serial", "TM-T88V", devfile=path, baudrate=19200, timeout=0.5)


def test_serial_printer_sends_ticket_bytes(kiosk, pty_printer):
    far = pty_printer()
    ticket = kiosk.issue_ticket("KTP-EL")
    data = kiosk.render_ticket(ticket)
    serial_adapter(far.path).send(data, job="t")
    deadline = time.time() + 5
    while len(far.received) < len(data) and time.time() < deadline:
        time.sleep(0.02)
    assert bytes(far.received).endswith(data)


def test_serial_printer_out_of_paper_prints_nothing(pty_printer):
    far = pty_printer(paper=0x72)
    adapter = serial_adapter(far.path)
    with pytest.raises(PrinterError, match="out of paper"):
        adapter.send(b"\x1b@hello\n", job="t")
    time.sleep(0.2)
    assert b"hello" not in far.received
    assert adapter.health().status == Status.ERROR


def test_serial_printer_missing_device():
    adapter = serial_adapter("/dev/ttyNO-SUCH-PORT")
    with pytest.raises(PrinterError, match="not connected"):
        adapter.send(b"x", job="t")
    health = adapter.health()
    assert health.status == Status.ERROR and "not connected" in health.reason
