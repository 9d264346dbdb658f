"""The network printer adapter against a simulated printer that speaks ESC/POS and DLE EOT over TCP."""

from __future__ import annotations

import pytest
from escpos_reader import parse

from devices.health import Status
from devices.printer import (
    OFFLINE_STATUS_REQUEST,
    PAPER_STATUS_REQUEST,
    PRINTER_STATUS_REQUEST,
    PrintResult,
    fault_of,
)
from devices.printer_network import NetworkPrinter
from kiosk.errors import PrinterError
from tests.devices.fake_printer import FAULTY_BEFORE_JOB, FakeNetworkPrinter, free_port, settle

TIMEOUT = 0.3
#: A 682-byte job, like a real ticket: init, text lines, cut. No DLE in it.
JOB = b"\x1b@" + (b"MAL PELAYANAN PUBLIK - A1-001 - KTP-el\n" * 20)[:676] + b"\x1dV\x00\n"


@pytest.fixture
def fake():
    printers: list[FakeNetworkPrinter] = []

    def make(behaviour: str = "fine", **kw) -> FakeNetworkPrinter:
        printers.append(FakeNetworkPrinter(behaviour, **kw))
        return printers[-1]

    yield make
    for p in printers:
        p.close()


def adapter_for(printer: FakeNetworkPrinter, **kw) -> NetworkPrinter:
    return NetworkPrinter("127.0.0.1", printer.port, TIMEOUT, **kw)


def failure(adapter: NetworkPrinter, data: bytes = JOB) -> PrinterError:
    with pytest.raises(PrinterError) as info:
        adapter.send(data, job="t")
    return info.value


def test_job_is_682_bytes_without_dle():
    assert len(JOB) == 682 and b"\x10" not in JOB


def test_network_printer_sends_ticket_bytes_confirmed(kiosk, fake):
    printer = fake()
    adapter = adapter_for(printer)
    data = kiosk.render_ticket(kiosk.issue_ticket("KTP-EL"))
    assert adapter.send(data, job="t1") == PrintResult(output=None, confirmed=True)
    # Confirmed means the printer answered after reading the job: no waiting needed here.
    assert bytes(printer.received) == data
    assert "A1-001" in parse(bytes(printer.received)).lines
    n = len(data)
    assert printer.requests == [(1, 0), (2, 0), (4, 0), (1, n), (2, n), (4, n)]
    health = adapter.health()
    assert health.status == Status.OK and health.reason == "ready"


@pytest.mark.parametrize(
    ("behaviour", "fault", "reason"),
    FAULTY_BEFORE_JOB,
)
def test_network_printer_faulty_before_job_sends_nothing(fake, behaviour, fault, reason):
    printer = fake(behaviour)
    adapter = adapter_for(printer)
    exc = failure(adapter)
    assert fault_of(exc) == fault and exc.params["reason"] == reason
    assert exc.params["device"] == adapter.name and exc.message == f"Printer: {reason}"
    settle()
    assert bytes(printer.received) == b""
    health = adapter.health()
    assert health.status == Status.ERROR and health.reason == reason


def test_network_printer_silent_is_not_answering_never_out_of_paper(fake):
    printer = fake("silent")
    adapter = adapter_for(printer)
    exc = failure(adapter)
    assert fault_of(exc) == "not_answering" and "answer" in exc.params["reason"]
    assert "paper" not in exc.params["reason"]
    assert printer.requests == [(1, 0)]  # stops at the first unanswered question


def test_network_printer_paper_near_end_prints_and_warns(fake):
    printer = fake("near_end")
    adapter = adapter_for(printer)
    assert adapter.send(JOB, job="t").confirmed is True
    assert bytes(printer.received) == JOB
    health = adapter.health()
    assert health.status == Status.WARNING and health.reason == "paper near end"


def test_network_printer_reset_after_64_bytes_is_connection_lost(fake):
    printer = fake("reset_mid_job")
    adapter = adapter_for(printer)
    exc = failure(adapter)
    assert fault_of(exc) == "connection_lost"
    assert exc.params["reason"].startswith("connection lost during printing: ")
    assert bytes(printer.received) == JOB[:64]


def test_network_printer_reset_after_64_bytes_never_printed_repeatedly(fake):
    # The race: sendall() may return before the RST arrives. Whatever the timing, the status
    # question after the job meets the reset (or EOF), never a confirmation.
    printer = fake("reset_mid_job")
    adapter = adapter_for(printer)
    for i in range(25):
        exc = failure(adapter)
        assert fault_of(exc) == "connection_lost", (i, exc.params)
        assert bytes(printer.received) == JOB[:64] * (i + 1)


def test_network_printer_reset_during_a_large_job_is_connection_lost(fake):
    printer = fake("reset_mid_job")
    big = b"\x1b@" + b"x" * (4 << 20)  # more than the socket buffers hold: sendall itself meets the reset
    exc = failure(adapter_for(printer), big)
    assert fault_of(exc) == "connection_lost" and "connection" in exc.params["reason"]
    assert bytes(printer.received) == big[:64]


def test_network_printer_closes_when_asked_status_after_job(fake):
    printer = fake("close_on_status_after_job")
    exc = failure(adapter_for(printer))
    assert fault_of(exc) == "connection_lost"
    assert exc.params["reason"] == "connection lost during printing: closed by the printer"
    assert bytes(printer.received) == JOB


def test_network_printer_swallows_job_and_answers_nothing(fake):
    printer = fake("silent_after_job")
    exc = failure(adapter_for(printer))
    assert fault_of(exc) == "not_answering" and exc.params["reason"] == "not answering status requests"
    printer.wait_until(lambda: printer.requests_after_job() == 1)  # no reply marks when it has read it all
    assert bytes(printer.received) == JOB


def test_network_printer_cover_opens_during_job(fake):
    printer = fake("cover_opens_during_job")
    adapter = adapter_for(printer)
    exc = failure(adapter)
    assert fault_of(exc) == "cover_open" and exc.params["reason"] == "cover open"
    assert bytes(printer.received) == JOB  # the bytes arrived; the ticket did not come out
    health = adapter.health()
    assert health.status == Status.ERROR and health.reason == "cover open"


def test_network_printer_without_status_is_unconfirmed(fake):
    printer = fake("silent")
    adapter = adapter_for(printer, reports_status=False)
    assert adapter.send(JOB, job="t") == PrintResult(output=None, confirmed=False)
    printer.wait_until(lambda: len(printer.received) >= len(JOB))
    assert bytes(printer.received) == JOB
    assert printer.requests == []  # it is never asked
    health = adapter.health()
    assert health.status == Status.OK and health.reason == "ready (model does not report status)"


@pytest.mark.parametrize("reports_status", [True, False])
def test_network_printer_unplugged(reports_status):
    adapter = NetworkPrinter("127.0.0.1", free_port(), TIMEOUT, reports_status=reports_status)
    exc = failure(adapter, b"x")
    assert fault_of(exc) == "not_connected" and exc.params["reason"].startswith("not connected: ")
    health = adapter.health()
    assert health.status == Status.ERROR and health.reason.startswith("not connected")


def test_network_printer_constructor_positional_args_compatible():
    adapter = NetworkPrinter("192.0.2.1", 9100, 2.5)
    assert (adapter.host, adapter.port, adapter.timeout, adapter.reports_status) == ("192.0.2.1", 9100, 2.5, True)


def test_status_requests_are_dle_eot_1_2_4():
    assert PRINTER_STATUS_REQUEST == b"\x10\x04\x01"
    assert OFFLINE_STATUS_REQUEST == b"\x10\x04\x02"
    assert PAPER_STATUS_REQUEST == b"\x10\x04\x04"


def test_network_printer_unplugged_and_back_recovers(fake):
    printer = fake("fine")
    port = printer.port
    adapter = adapter_for(printer)
    assert adapter.health().status == Status.OK
    printer.close()  # the cable is pulled
    gone = adapter.health()
    assert gone.status == Status.ERROR and gone.reason.startswith("not connected")
    back = fake("near_end", port=port)  # plugged back in, with a roll near its end
    health = adapter.health()
    assert health.status == Status.WARNING and health.reason == "paper near end"
    assert adapter.send(JOB, job="t").confirmed and bytes(back.received) == JOB


def test_network_printer_without_status_health_is_ok_and_says_so(fake):
    printer = fake("paper_out")  # it could not tell us anyway: we never ask
    health = adapter_for(printer, reports_status=False).health()
    assert health.status == Status.OK and health.reason == "ready (model does not report status)"
    assert printer.requests == []
