"""The network printer adapter against a simulated printer that speaks ESC/POS over TCP."""

from __future__ import annotations

import socket
import threading

import pytest
from escpos_reader import parse

from devices.health import Status
from devices.printer import PAPER_STATUS_REQUEST
from devices.printer_network import NetworkPrinter
from kiosk.errors import PrinterError


class FakeTcpPrinter:
    """Listens on loopback like a printer on port 9100; answers DLE EOT n with `status[n]`."""

    def __init__(self, status: dict[int, int] | None = None, silent: bool = False) -> None:
        self.status = {4: 0x12, 2: 0x12} if status is None else status
        self.silent = silent
        self.received = bytearray()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                while chunk := conn.recv(65536):
                    for n in (4, 2):
                        request = b"\x10\x04" + bytes([n])
                        while request in chunk:
                            if not self.silent:
                                conn.sendall(bytes([self.status[n]]))
                            chunk = chunk.replace(request, b"", 1)
                    self.received += chunk

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def fake():
    printers = []

    def make(**kw) -> FakeTcpPrinter:
        printers.append(FakeTcpPrinter(**kw))
        return printers[-1]

    yield make
    for p in printers:
        p.close()


def wait_for(pred) -> None:
    import time

    for _ in range(200):
        if pred():
            return
        time.sleep(0.01)


def test_network_printer_sends_ticket_bytes(kiosk, fake):
    printer = fake()
    adapter = NetworkPrinter("127.0.0.1", printer.port, timeout=2)
    ticket = kiosk.issue_ticket("KTP-EL")
    data = kiosk.render_ticket(ticket)
    adapter.send(data, job="t1")
    wait_for(lambda: len(printer.received) >= len(data))
    assert bytes(printer.received) == data
    assert "A1-001" in parse(bytes(printer.received)).lines
    assert adapter.health().status == Status.OK


def test_network_printer_out_of_paper_prints_nothing(fake):
    printer = fake(status={4: 0x72, 2: 0x12})
    adapter = NetworkPrinter("127.0.0.1", printer.port, timeout=2)
    with pytest.raises(PrinterError, match="out of paper"):
        adapter.send(b"\x1b@hello\n", job="t")
    assert bytes(printer.received) == b""
    health = adapter.health()
    assert health.status == Status.ERROR and health.reason == "out of paper"


def test_network_printer_cover_open_in_health(fake):
    printer = fake(status={4: 0x12, 2: 0x16})
    health = NetworkPrinter("127.0.0.1", printer.port, timeout=2).health()
    assert health.status == Status.ERROR and health.reason == "cover open"


def test_network_printer_silent_is_unknown_not_out_of_paper(fake):
    printer = fake(silent=True)
    adapter = NetworkPrinter("127.0.0.1", printer.port, timeout=0.3)
    adapter.send(b"\x1b@hello\n", job="t")  # no answer is not "no paper": the ticket still goes out
    wait_for(lambda: printer.received)
    assert bytes(printer.received) == b"\x1b@hello\n"
    health = adapter.health()
    assert health.status == Status.WARNING and health.reason == "no answer"


def test_network_printer_unplugged():
    with socket.socket() as probe:  # a port with nobody listening: the printer's cable is out
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = NetworkPrinter("127.0.0.1", port, timeout=0.5)
    with pytest.raises(PrinterError, match="not connected"):
        adapter.send(b"x", job="t")
    assert adapter.health().status == Status.ERROR


def test_paper_status_request_is_dle_eot_4():
    assert PAPER_STATUS_REQUEST == b"\x10\x04\x04"
