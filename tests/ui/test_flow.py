"""The whole touch flow, offscreen, in both languages and at both kiosk screen sizes.

Every screen is saved as a PNG in SCREENSHOTS and checked for cut-off text and small touch targets.
"""

from __future__ import annotations

import pytest
from escpos_reader import parse
from PySide6.QtWidgets import QLabel
from uikit import SCREENSHOTS, layout_problems, pass_identity, settle, tap

from kiosk.session import PrintState, Step


def shoot(window, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / f"{name}.png"))


def click(qtbot, widget) -> None:
    tap(qtbot, widget)  # asserts it is visible and enabled, waits out the touch guard


def start_visit(qtbot, window, language: str) -> None:
    """The way in to browsing: the idle screen's language button if needed, then "Browse by agency"."""
    if window.session.state.language != language:
        click(qtbot, window.idle.language_button)
    click(qtbot, window.idle.browse_button)


def open_service(qtbot, window, language: str, code: str) -> None:
    """Start a visit in `language` by agency, then the service's agency and the service; wait for its queue."""
    start_visit(qtbot, window, language)
    window.on_agency(window.kiosk.catalog.service(code).agency_code)
    window.on_service(code)
    settle(qtbot, window)
    assert window.session.state.service_code == code and window.availability is not None


def check(qtbot, window, name: str) -> None:
    settle(qtbot, window)
    shoot(window, name)
    problems = layout_problems(window)
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.parametrize("size", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_touch_flow_issues_and_prints_ticket(qtbot, make_window, size, language):
    w = make_window(size)
    tag = f"{size}_{language}"
    assert w.session.state.step == Step.IDLE
    check(qtbot, w, f"{tag}_1_idle")

    start_visit(qtbot, w, language)
    assert w.session.state.step == Step.AGENCIES and w.session.state.language == language
    check(qtbot, w, f"{tag}_2_agencies")
    title = w.agencies.title.text()
    assert title == ("Instansi mana yang Anda tuju?" if language == "id" else "Which agency do you need?")

    polri = [
        w.agencies.grid.itemAt(i).widget()
        for i in range(w.agencies.grid.count())
        if "SKCK" in w.agencies.grid.itemAt(i).widget().accessibleName()
        or "Polri" in w.agencies.grid.itemAt(i).widget().accessibleName()
    ][0]
    click(qtbot, polri)
    assert w.session.state.step == Step.SERVICES and w.session.state.agency_code == "POLRI"
    check(qtbot, w, f"{tag}_3_services")
    first_row = w.services.grid.itemAt(0).widget().sub.text()
    assert first_row.endswith("Tanpa antre" if language == "id" else "No wait"), first_row

    first = w.services.grid.itemAt(0).widget()
    click(qtbot, first)
    assert w.session.state.step == Step.DETAIL and w.session.state.service_code == "SKCK-BARU"
    check(qtbot, w, f"{tag}_4_detail")
    assert w.availability is not None and w.detail.take_button.isEnabled()

    click(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    assert w.session.state.step == Step.CONFIRM
    check(qtbot, w, f"{tag}_5_confirm")

    click(qtbot, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    check(qtbot, w, f"{tag}_6_ticket")
    ticket = w.session.state.ticket
    assert w.ticket.number.text() == ticket.number == "C1-001"
    assert w.ticket.qr.matrix, "the ticket's QR code is on the screen"

    # The printer got real ESC/POS bytes with the same number.
    row = w.kiosk.store.conn.execute("SELECT printer_output, printed_at FROM tickets").fetchone()
    assert row[1] is not None
    with open(row[0], "rb") as fh:
        receipt = parse(fh.read())
    assert ticket.number in receipt.lines and receipt.qr_codes == [ticket.qr_payload(w.settings.hall.code)]

    click(qtbot, w.ticket.done_button)  # "Done" on the ticket screen itself
    assert w.session.state.step == Step.IDLE and w.session.state.ticket is None


def test_touch_flow_printer_out_of_paper_shows_number_and_what_to_do(qtbot, make_window):
    w = make_window("portrait")
    w.kiosk.printer.paper = False
    open_service(qtbot, w, "en", "KTP-EL")
    click(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    click(qtbot, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.FAILED, timeout=10000)
    check(qtbot, w, "portrait_en_7_ticket_no_paper")
    assert w.ticket.number.text() == "A1-001"
    assert "out of paper" in w.ticket.status.text() and "photo" in w.ticket.status.text()
    assert not w.footer.isVisible() and w.ticket.done_button.isVisible()  # calm: no red bar, "Done" at hand
    row = w.kiosk.store.conn.execute("SELECT number, printed_at, print_error FROM tickets").fetchone()
    assert row[0] == "A1-001" and row[1] is None and "out of paper" in row[2]


def test_touch_flow_quota_full_explains_and_blocks(qtbot, make_window):
    w = make_window("landscape")
    service = w.kiosk.catalog.service("SKCK-BARU")
    for _ in range(service.daily_quota):
        w.kiosk.issue_ticket("SKCK-BARU")
    start_visit(qtbot, w, "id")
    w.on_agency("POLRI")
    settle(qtbot, w)
    assert "Kuota hari ini penuh" in w.services.grid.itemAt(0).widget().sub.text()
    w.on_service("SKCK-BARU")
    settle(qtbot, w)
    assert not w.detail.take_button.isEnabled()
    assert "penuh" in w.detail.error.text() and w.detail.error.isVisible()
    # A race (another visitor took the last number) is refused by the core with the reason.
    w.session.to_confirm()
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.step == Step.DETAIL and w.session.state.error is not None, timeout=10000)
    check(qtbot, w, "landscape_id_8_detail_quota_full")
    text = w.detail.error.text()
    assert "penuh" in text and "besok 08.00" in text  # Tuesday 09:00: the next numbers come Wednesday 08:00
    assert w.kiosk.store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == service.daily_quota


def test_touch_flow_times_out_with_countdown_and_wipes(qtbot, make_window, clock):
    w = make_window("portrait")
    start_visit(qtbot, w, "en")
    w.on_agency("SAMSAT")
    clock.advance(seconds=50)
    w.on_tick()
    assert w.footer.countdown.isVisible() and "10 s" in w.footer.countdown.text()
    check(qtbot, w, "portrait_en_9_countdown")
    clock.advance(seconds=11)
    w.on_tick()
    state = w.session.state
    assert state.step == Step.IDLE and state.agency_code is None and state.language == "id"
    assert w.stack.currentWidget() is w.idle


def test_touch_flow_switches_language_mid_way(qtbot, make_window):
    w = make_window("portrait")
    start_visit(qtbot, w, "id")
    w.on_agency("DUKCAPIL")
    assert w.services.hint.text() == "Pilih layanan yang Anda perlukan."
    click(qtbot, w.header.language)
    assert w.session.state.language == "en" and w.services.hint.text() == "Choose the service you came for."
    assert w.header.language.text() == "Bahasa Indonesia"


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_touch_flow_issuing_screen_while_the_store_writes(qtbot, make_window, size):
    w = make_window(size)
    open_service(qtbot, w, "id", "PKB-TAHUNAN")
    w.on_take()
    pass_identity(qtbot, w)
    w.session.issuing()  # the screen a visitor sees for the few milliseconds the ticket takes
    w.render()
    check(qtbot, w, f"{size}_id_5b_issuing")
    assert w.stack.currentWidget() is w.issuing and not w.footer.isVisible()


def test_touch_flow_online_only_service_offline_says_what_to_do(qtbot, make_window):
    w = make_window("portrait")
    start_visit(qtbot, w, "en")
    online_only = next(s for s in w.kiosk.catalog.services() if not s.offline)
    w.on_agency(online_only.agency_code)
    check(qtbot, w, "portrait_en_10_services_online_only")
    w.on_service(online_only.code)
    check(qtbot, w, "portrait_en_11_detail_online_only")
    assert not w.detail.take_button.isEnabled()
    assert "central system" in w.detail.error.text() and "information desk" in w.detail.error.text()


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_idle_warns_while_the_printer_is_out_of_paper(qtbot, make_window, size):
    w = make_window(size)
    w.kiosk.printer.paper = False
    w.check_printer()
    settle(qtbot, w)
    assert w.idle.printer.isVisible() and "tidak berfungsi" in w.idle.printer.text()
    assert "not working" in w.idle.printer.text()
    check(qtbot, w, f"{size}_id_12_idle_printer_down")
    open_service(qtbot, w, "en", "KTP-EL")
    w.on_take()
    pass_identity(qtbot, w)
    assert w.confirm.printer.isVisible() and "shown on the screen" in w.confirm.printer.text()
    check(qtbot, w, f"{size}_en_13_confirm_printer_down")
    w.kiosk.printer.paper = True  # staff loads a new roll
    w.check_printer()
    settle(qtbot, w)
    assert not w.confirm.printer.isVisible()


def test_store_cannot_open_shows_out_of_service(qtbot, settings, clock):
    from uikit import SIZES

    from kiosk.errors import StoreError
    from ui.window import KioskWindow

    def broken(settings, clock):
        raise StoreError(reason="/var/lib/kiosk/kiosk.sqlite3: file is not a database")

    w = KioskWindow(settings, clock=clock, kiosk_factory=broken)
    qtbot.addWidget(w)
    w.resize(*SIZES["landscape"])
    w.expected_size = SIZES["landscape"]
    w.show()
    w.start_backend()
    qtbot.waitUntil(lambda: w.fault is not None, timeout=10000)
    check(qtbot, w, "landscape_id_14_out_of_service")
    assert w.stack.currentWidget() is w.fault_screen
    assert w.fault_screen.title_id.text() == "Kios ini sedang tidak dapat digunakan"
    # The technician reads the stable code; the reason (paths, SQLite's words) is in the log only.
    assert (
        "store.failed" in w.fault_screen.reason.text() and "file is not a database" not in w.fault_screen.reason.text()
    )
    w.ops.shutdown()


def test_touch_flow_double_tap_on_confirm_issues_one_ticket(qtbot, make_window):
    w = make_window("portrait")
    open_service(qtbot, w, "id", "PKB-TAHUNAN")
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    assert w.kiosk.store.conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_touch_flow_closed_service_says_when_it_opens(qtbot, make_window, clock):
    from datetime import datetime

    from kiosk.clock import ZONES

    clock.at = datetime(2026, 11, 24, 16, 30, tzinfo=ZONES["WIB"])  # Tuesday after closing time
    w = make_window("landscape")
    open_service(qtbot, w, "en", "KTP-EL")
    check(qtbot, w, "landscape_en_15_detail_closed")
    assert not w.detail.take_button.isEnabled()
    assert "closed now" in w.detail.error.text() and "tomorrow 08:00" in w.detail.error.text()
    assert "A counter is free now" not in [lab.text() for lab in w.detail.findChildren(QLabel)]


def test_touch_flow_store_failure_tells_the_visitor_plainly(qtbot, make_window):
    import sqlite3

    w = make_window("portrait")
    open_service(qtbot, w, "en", "PKB-TAHUNAN")
    w.on_take()
    pass_identity(qtbot, w)
    w.kiosk.store.conn.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(w.kiosk.store.path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        w.on_confirm()
        qtbot.waitUntil(lambda: w.session.state.error is not None, timeout=10000)
    finally:
        other.rollback()
        other.close()
    check(qtbot, w, "portrait_en_16_detail_store_failed")
    assert w.detail.error.text() == "The kiosk could not save your number. Please ask at the information desk."
    assert w.session.state.step == Step.DETAIL
    # The store is free again: the visitor can simply try once more.
    qtbot.waitUntil(lambda: w.detail.take_button.isEnabled(), timeout=10000)
    click(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    click(qtbot, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    assert w.ticket.number.text() == "G1-001"
