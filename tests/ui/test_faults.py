"""Every fault a visitor can meet, driven for real where the test kit allows, read off the screen.

Each test reads the words on the visible page (the QLabel texts) and checks they are plain: no
errno, no brackets, no exception class names, no file paths, and on an Indonesian screen no
English. The technical reason stays in the log and the store.
"""

from __future__ import annotations

import re
import socket
import sqlite3

import pytest
from PySide6.QtWidgets import QLabel
from uikit import SCREENSHOTS, SIZES, TapClock, layout_problems, pass_identity, settle

from kiosk.config import load
from kiosk.errors import StoreDamaged, StoreError
from kiosk.session import PrintState, Step
from tests.devices.fake_printer import FakeNetworkPrinter
from ui.window import KioskWindow

#: Words that show an English sentence leaked onto an Indonesian screen.
ENGLISH = re.compile(
    r"\b(the|your|please|not|could|failed|error|connection|refused|exists|lost|paper|cover|closed|"
    r"today|tomorrow|wait|counter|information|desk|staff|photo|ticket|number|kiosk|answering|reply|"
    r"queue|full|open|down|send|sent|write)\b",
    re.IGNORECASE,
)
TECHNICAL = re.compile(r"Errno|\[|\]|Error\b|Exception|Traceback|[A-Z][a-z]+Error|/\w+/|\\\w|\.escpos|\.sqlite|0x")


def page_text(window) -> list[str]:
    """The words on the visible page (not the header's buttons), label by label."""
    page = window.stack.currentWidget()
    return [lab.text() for lab in page.findChildren(QLabel) if lab.isVisibleTo(window) and lab.text()]


def assert_plain(window, language: str) -> str:
    texts = page_text(window)
    for text in texts:
        assert not TECHNICAL.search(text), f"technical words on screen: {text!r}"
        if language == "id":
            assert not ENGLISH.search(text), f"English on an Indonesian screen: {text!r}"
    return " ".join(texts)


def shoot(window, name: str) -> None:
    settle_ok = layout_problems(window)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / f"{name}.png"))
    assert not settle_ok, f"{name}: " + "; ".join(settle_ok)


@pytest.fixture
def open_window(qtbot, clock, tmp_path):
    windows = []

    def make(printer: str = "", *, size: str = "portrait", prepare=None, kiosk_factory=None) -> KioskWindow:
        cfg = tmp_path / "kiosk.toml"
        printer = printer or 'kind = "file"'
        cfg.write_text(
            f'[kiosk]\nshort_code = "1"\nid = "test-kiosk-1"\n[speech]\nengine = "none"\n[printer]\n{printer}\n'
        )
        settings = load(cfg, data_dir=tmp_path / "data")
        if prepare is not None:
            prepare(settings)
        kw = {"kiosk_factory": kiosk_factory} if kiosk_factory else {}
        w = KioskWindow(settings, clock=clock, monotonic=TapClock(), **kw)
        qtbot.addWidget(w)
        w.resize(*SIZES[size])
        w.expected_size = SIZES[size]
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        if kiosk_factory is None:
            with qtbot.waitSignal(w.backend_did_start, timeout=10000):
                w.start_backend()
        else:
            w.start_backend()
        return w

    yield make
    for w in windows:
        w.ops.shutdown()
        if w.kiosk is not None:
            w.kiosk.close()


def network(printer: FakeNetworkPrinter | None = None, port: int | None = None) -> str:
    port = printer.port if printer is not None else port
    return f'kind = "network"\nhost = "127.0.0.1"\nport = {port}\ntimeout_seconds = 0.5\n'


def take_ticket(qtbot, w, language: str = "id", code: str = "KTP-EL") -> None:
    w.on_start(language)
    w.on_agency(w.kiosk.catalog.service(code).agency_code)
    w.on_service(code)
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    settle(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state in (PrintState.PRINTED, PrintState.FAILED), timeout=15000)
    settle(qtbot, w)


def ticket_words(qtbot, w, language: str) -> str:
    assert w.session.state.step == Step.TICKET and w.stack.currentWidget() is w.ticket
    assert w.session.state.print_state == PrintState.FAILED
    text = assert_plain(w, language)
    assert w.ticket.number.text() == w.session.state.ticket.number  # the number is there to copy
    assert not w.footer.isVisible() and w.ticket.done_button.isVisible()
    return text


# -- the printer --------------------------------------------------------------------------------------
NETWORK_FAULTS = [
    # (behaviour, stored fault, the title a visitor reads in Indonesian)
    ("paper_out", "paper_out", "Kertas printer habis"),
    ("cover_open", "cover_open", "Penutup printer terbuka"),
    ("offline", "offline", "Tiket Anda tidak dapat dicetak"),
    ("silent", "not_answering", "Tiket Anda tidak dapat dicetak"),
    ("garbage", "bad_reply", "Tiket Anda tidak dapat dicetak"),
    ("reset_mid_job", None, "Tiket Anda tidak dapat dicetak"),
    ("close_on_status_after_job", None, "Tiket Anda tidak dapat dicetak"),
    ("cover_opens_during_job", "cover_open", None),
]


@pytest.mark.parametrize(("behaviour", "fault", "title"), NETWORK_FAULTS)
def test_network_printer_fault_is_told_plainly_on_the_ticket_screen(qtbot, open_window, behaviour, fault, title):
    printer = FakeNetworkPrinter(behaviour, reset_after=16)
    w = open_window(network(printer))
    take_ticket(qtbot, w)
    text = ticket_words(qtbot, w, "id")
    if title:
        assert title in text
    assert "potret" in text and "meja informasi" in text  # what to do next
    row = w.kiosk.store.query("SELECT print_state, print_error FROM tickets")[0]
    assert row["print_state"] == "failed" and row["print_error"]  # the reason is kept for the technician
    if fault:
        assert w.session.state.error.params["fault"] == fault


def test_printer_not_connected_says_nothing_about_errno(qtbot, open_window):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens: connection refused
    w = open_window(network(port=port))
    take_ticket(qtbot, w)
    text = ticket_words(qtbot, w, "id")
    assert "Tiket Anda tidak dapat dicetak" in text and "Errno" not in text and "refused" not in text
    assert "Connection refused" in w.kiosk.store.query("SELECT print_error FROM tickets")[0]["print_error"]
    shoot(w, "portrait_id_20_ticket_printer_not_connected")


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_printer_write_failure_hides_the_os_words(qtbot, open_window, size):
    def block_prints_folder(settings):  # a file where the prints folder should be: "File exists"
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        (settings.data_dir / "prints").write_text("not a folder")

    w = open_window(size=size, prepare=block_prints_folder)
    take_ticket(qtbot, w, "en")
    text = ticket_words(qtbot, w, "en")
    assert "Your ticket could not be printed" in text and "File exists" not in text
    assert "File exists" in w.kiosk.store.query("SELECT print_error FROM tickets")[0]["print_error"]
    shoot(w, f"{size}_en_21_ticket_write_failed")
    w.on_switch_language()
    settle(qtbot, w)
    assert "Tiket Anda tidak dapat dicetak" in ticket_words(qtbot, w, "id")
    shoot(w, f"{size}_id_21_ticket_write_failed")


def test_ticket_layout_bug_is_not_shown(qtbot, open_window):
    w = open_window()

    def broken(ticket):
        raise ValueError("layout bug [line 3]")

    w.kiosk.render_ticket = broken
    take_ticket(qtbot, w)
    text = ticket_words(qtbot, w, "id")
    assert "layout bug" not in text and "Tiket Anda tidak dapat dicetak" in text


def test_printer_adapter_crash_is_not_shown(qtbot, open_window):
    w = open_window()

    def crash(data, *, job):
        raise OSError(5, "Input/output error", "/dev/usb/lp0")

    w.kiosk.printer.send = crash
    take_ticket(qtbot, w)
    text = ticket_words(qtbot, w, "id")
    assert "Input/output" not in text and "Tiket Anda tidak dapat dicetak" in text


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_no_printer_on_purpose_raises_no_alarm_anywhere(qtbot, open_window, size):
    w = open_window('kind = "none"', size=size)
    settle(qtbot, w)
    assert not w.idle.printer.isVisible()  # no warning on the idle screen
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    settle(qtbot, w)
    assert w.confirm.yes.text() == "Ya, tampilkan nomor saya" and not w.confirm.notice.isVisible()
    assert_plain(w, "id")
    shoot(w, f"{size}_id_22_confirm_no_printer")
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.FAILED, timeout=10000)
    settle(qtbot, w)
    text = ticket_words(qtbot, w, "id")
    assert "Nomor Anda ditampilkan di layar ini" in text and "tidak dapat" not in text
    shoot(w, f"{size}_id_22_ticket_no_printer")
    w.on_home()
    settle(qtbot, w)
    assert not w.idle.printer.isVisible()  # still no alarm after a ticket


def test_confirm_says_show_my_number_while_the_printer_is_down(qtbot, open_window):
    w = open_window(size="landscape")
    w.kiosk.printer.paper = False
    w.check_printer()
    settle(qtbot, w)
    w.on_start("en")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    settle(qtbot, w)
    assert w.confirm.yes.text() == "Yes, show my number" and w.confirm.notice.isVisible()
    shoot(w, "landscape_en_23_confirm_printer_down")
    w.on_switch_language()
    settle(qtbot, w)
    assert w.confirm.yes.text() == "Ya, tampilkan nomor saya"
    assert_plain(w, "id")


# -- the queue and the store ------------------------------------------------------------------------------
def detail_words(qtbot, w, language: str) -> str:
    assert w.session.state.step == Step.DETAIL
    assert w.detail.notice.isVisible()
    return assert_plain(w, language)


def test_quota_full_race_is_told_with_the_next_numbers(qtbot, open_window):
    w = open_window()
    service = w.kiosk.catalog.service("KTP-EL")
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    for _ in range(service.daily_quota):  # other kiosks took the rest meanwhile
        w.kiosk.issue_ticket("KTP-EL")
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.error is not None, timeout=10000)
    settle(qtbot, w)
    text = detail_words(qtbot, w, "id")
    assert "penuh" in text and "besok 08.00" in text
    shoot(w, "portrait_id_24_detail_quota_full_race")


def test_closed_service_is_told_relatively(qtbot, open_window, clock):
    from datetime import datetime

    from kiosk.clock import ZONES

    clock.at = datetime(2026, 11, 28, 13, 0, tzinfo=ZONES["WIB"])  # Saturday afternoon
    w = open_window()
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    text = detail_words(qtbot, w, "id")
    assert "tutup" in text and "Senin 08.00" in text
    assert not w.detail.take_button.isEnabled()


def test_lease_used_up_says_use_another_kiosk(qtbot, open_window):
    w = open_window()
    w.kiosk.store.conn.execute(
        "INSERT INTO leases (day, service_code, granted, used, quota, cursor, updated_at) "
        "VALUES ('2026-11-24', 'KTP-EL', 2, 2, 40, 1, '2026-11-24T08:00:00+07:00')"
    )
    w.kiosk.store.conn.commit()
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    text = detail_words(qtbot, w, "id")
    assert "kios lain" in text and "sistem pusat" not in text


def test_online_only_service_offline_is_told_in_indonesian(qtbot, open_window):
    w = open_window()
    online_only = next(s for s in w.kiosk.catalog.services() if not s.offline)
    w.on_start("id")
    w.on_agency(online_only.agency_code)
    w.on_service(online_only.code)
    settle(qtbot, w)
    text = detail_words(qtbot, w, "id")
    assert "sistem pusat" in text and "meja informasi" in text


def test_store_busy_is_told_without_sqlite_words(qtbot, open_window):
    w = open_window()
    w.on_start("id")
    w.on_agency("SAMSAT")
    w.on_service("PKB-TAHUNAN")
    settle(qtbot, w)
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
    settle(qtbot, w)
    text = detail_words(qtbot, w, "id")
    assert "tidak dapat menyimpan" in text and "locked" not in text


@pytest.mark.parametrize(
    ("error", "language", "expected"),
    [
        (StoreError(reason="/data/kiosk.sqlite3: database or disk is full"), "id", "tidak dapat menyimpan"),
        (StoreDamaged(path="/data/kiosk.sqlite3", detail="database disk image is malformed"), "en", "could not save"),
        (RuntimeError("boom [Errno 5]"), "id", "Terjadi kendala"),
    ],
)
def test_store_full_damaged_and_unknown_faults_are_plain(qtbot, open_window, error, language, expected):
    w = open_window()
    w.on_start(language)
    w.on_agency("SAMSAT")
    w.on_service("PKB-TAHUNAN")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)

    def fails(*args, **kw):
        raise error

    w.kiosk.issue_ticket = fails
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.error is not None, timeout=10000)
    settle(qtbot, w)
    text = detail_words(qtbot, w, language)
    assert expected in text


def test_damaged_store_at_start_shows_only_a_code(qtbot, open_window):
    def damaged(settings, clock):
        raise StoreDamaged(path="/var/lib/kiosk/kiosk.sqlite3", detail="file is not a database")

    w = open_window(size="landscape", kiosk_factory=damaged)
    qtbot.waitUntil(lambda: w.fault is not None, timeout=10000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is w.fault_screen
    texts = page_text(w)
    assert any("store.damaged" in t for t in texts)
    assert not any("/var/lib" in t or "not a database" in t for t in texts)
