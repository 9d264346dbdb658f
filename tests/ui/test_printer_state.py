"""The printer state on screen follows the newest fact, and "printing..." always ends."""

from __future__ import annotations

import threading

from uikit import pass_identity, settle

from devices.health import DeviceHealth, Status
from kiosk.errors import PrinterError
from kiosk.session import PrintState, Step


def take_ticket(qtbot, w, code: str = "KTP-EL") -> None:
    w.on_start("en")
    w.on_agency(w.kiosk.catalog.service(code).agency_code)
    w.on_service(code)
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state in (PrintState.PRINTED, PrintState.FAILED), timeout=10000)
    settle(qtbot, w)


def test_failed_print_marks_the_printer_down_and_the_next_visitor_is_warned(qtbot, make_window):
    w = make_window("portrait")
    printer = w.kiosk.printer

    def lost(data, *, job):  # the printer answers health checks but loses the job
        raise PrinterError(device=printer.name, reason="connection lost during printing", fault="connection_lost")

    printer.send = lost
    assert w.printer_ok
    take_ticket(qtbot, w)
    assert w.session.state.print_state == PrintState.FAILED and w.ticket.isVisible()
    assert not w.printer_ok
    w.on_home()
    settle(qtbot, w)
    assert w.idle.printer.isVisible()  # the next visitor is told before they choose
    assert w.kiosk.store.query("SELECT print_state FROM tickets") == [{"print_state": "failed"}]


def test_a_slow_health_check_cannot_undo_a_failed_print(qtbot, make_window):
    w = make_window("portrait")
    settle(qtbot, w)
    printer = w.kiosk.printer
    release = threading.Event()
    healthy = printer.health()

    def slow_ok():  # asked before the print, answers "fine" after the print failed
        release.wait(10)
        return healthy

    printer.health = slow_ok
    printer.paper = False  # send() fails: out of paper
    w.check_printer()
    w.on_start("en")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.step == Step.TICKET, timeout=10000)
    release.set()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.FAILED, timeout=10000)
    settle(qtbot, w)
    assert not w.printer_ok  # the old "fine" did not overwrite the newer "out of paper"


def test_an_old_health_answer_is_dropped_after_a_newer_one(qtbot, make_window):
    w = make_window("portrait")
    settle(qtbot, w)
    old, new = w.flow._next_printer_fact(), w.flow._next_printer_fact()
    w.flow._printer_answered(new, DeviceHealth("p", "printer", Status.ERROR, "out of paper"))
    w.flow._printer_answered(old, DeviceHealth("p", "printer", Status.OK, "ready"))
    assert not w.printer_ok


def test_printing_ends_when_the_ticket_cannot_be_laid_out(qtbot, make_window):
    w = make_window("landscape")

    def broken(ticket):
        raise ValueError("layout bug")

    w.kiosk.render_ticket = broken
    take_ticket(qtbot, w)
    state = w.session.state
    assert state.step == Step.TICKET and state.print_state == PrintState.FAILED
    assert w.ticket.number.text() == state.ticket.number
    status = w.ticket.status.text()
    assert "could not be printed" in status and "layout bug" not in status and "Error" not in status
