"""The supervisor at the kiosk: the corner gesture, the PIN pad (lockout) or a badge QR, the
supervisor screen (tickets per service, out of service, exit with a confirmation), the
out-of-service page, and kiosk mode's lockdown."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QKeyEvent
from PySide6.QtWidgets import QApplication
from uikit import SCREENSHOTS, layout_problems, settle, tap, unnamed_buttons, wait_out_touch_guard

from central import demo, signing
from devices.scanner import ScanEvent
from kiosk.pin import DEMO_PIN, DEMO_SUPERVISOR_PIN, MAX_TRIES
from kiosk.session import Step
from ui.lockdown import Lockdown, blocked_key
from ui.screens.supervisor import CORNER_PX, HOLD_MS


@pytest.fixture
def settings(settings):
    """--demo's supervisor PIN (4321) and the demo key for badges."""
    return replace(settings, demo=True)


def badge(clock, kind="badge"):
    private = signing.keypair_of(signing.unb64(demo.DEMO_KEY_SEED))[0]
    now = clock.now()
    return signing.sign(
        private_key=private,
        key_id="DEMO-1",
        kind=kind,
        subject="SPV-1",
        issued_at=now,
        not_before=now,
        expires_at=now + timedelta(minutes=30),
    ).text


def hold_corner(qtbot, w, *, where="bottom", ms=200, release=True) -> None:
    w.corner.hold_ms = ms
    page = w.stack.currentWidget()
    pos = QPoint(10, 10 if where == "top" else page.height() - 10)
    if where == "middle":
        pos = QPoint(page.width() // 2, page.height() // 2)
    wait_out_touch_guard(w)
    qtbot.mousePress(page, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.wait(ms + 150)
    if release:
        qtbot.mouseRelease(page, Qt.MouseButton.LeftButton, pos=pos)
    settle(qtbot, w)


def click(qtbot, w, button) -> None:
    """A button inside the kinetic scroll area (a synthetic tap there is delayed by QScroller)."""
    assert button.isEnabled()
    button.click()
    settle(qtbot, w)


def type_pin(qtbot, w, pin: str) -> None:
    for digit in pin:
        tap(qtbot, w.supervisor_pin.keys[digit])
    tap(qtbot, w.supervisor_pin.keys["ok"])


def enter(qtbot, w) -> None:
    hold_corner(qtbot, w)
    assert w.session.state.step == Step.SUPERVISOR_PIN
    type_pin(qtbot, w, DEMO_SUPERVISOR_PIN)
    qtbot.waitUntil(lambda: w.session.state.step == Step.SUPERVISOR, timeout=5000)
    settle(qtbot, w)


def test_the_corner_hold_opens_the_supervisor_pin_pad_only_from_idle(qtbot, make_window):
    assert HOLD_MS == 3000 and CORNER_PX >= 90
    w = make_window("portrait")
    hold_corner(qtbot, w, where="middle")  # not a corner
    assert w.session.state.step == Step.IDLE
    w.corner.hold_ms = 400
    page = w.stack.currentWidget()
    wait_out_touch_guard(w)
    qtbot.mousePress(page, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseRelease(page, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))  # a tap, not a hold
    qtbot.wait(500)
    assert w.session.state.step == Step.IDLE
    w.on_start("id")
    settle(qtbot, w)
    hold_corner(qtbot, w, where="top")
    assert w.session.state.step == Step.AGENCIES  # a visitor mid-way is never taken out
    w.on_home()
    settle(qtbot, w)
    hold_corner(qtbot, w, where="top")
    assert w.session.state.step == Step.SUPERVISOR_PIN
    assert w.stack.currentWidget() is w.supervisor_pin
    assert w.supervisor_pin.title.text() == "Supervisor"
    tap(qtbot, w.supervisor_pin.cancel_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE


def test_five_wrong_pins_lock_supervisor_entry(qtbot, make_window):
    w = make_window("landscape")
    hold_corner(qtbot, w)
    for _ in range(MAX_TRIES):
        type_pin(qtbot, w, "0000")
        settle(qtbot, w)
    assert w.flow.supervisor.pin_status.locked_until is not None
    assert w.supervisor_pin.message.isVisible() and "5" in w.supervisor_pin.message.text()
    assert not w.supervisor_pin.keys["1"].isEnabled()
    w.flow.supervisor.enter_pin(DEMO_SUPERVISOR_PIN)  # right, but locked
    settle(qtbot, w)
    assert w.session.state.step == Step.SUPERVISOR_PIN


def test_a_right_pin_opens_the_supervisor_screen_with_tickets_per_service(qtbot, make_window):
    w = make_window("portrait")
    w.flow.choose_service("PKB-TAHUNAN")
    w.flow.take()
    w.flow.confirm()
    settle(qtbot, w)
    w.on_home()
    settle(qtbot, w)
    enter(qtbot, w)
    assert w.stack.currentWidget() is w.supervisor
    assert w.supervisor.counts["PKB-TAHUNAN"].text() == "1"
    assert not unnamed_buttons(w)
    w.grab().save(str(SCREENSHOTS / "supervisor-portrait.png"))
    tap(qtbot, w.supervisor.close_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE


def test_a_badge_opens_it_a_booking_qr_does_not(qtbot, make_window, clock):
    w = make_window("portrait")
    hold_corner(qtbot, w)
    w.flow.scanned(ScanEvent(badge(clock, "booking"), "QRCODE", "simulated"))
    settle(qtbot, w)
    assert w.session.state.step == Step.SUPERVISOR_PIN
    assert w.supervisor_pin.message.isVisible()
    w.flow.scanned(ScanEvent(badge(clock), "QRCODE", "simulated"))
    settle(qtbot, w)
    assert w.session.state.step == Step.SUPERVISOR


@pytest.mark.parametrize("size", ["portrait", "landscape", "small"])
def test_out_of_service_shows_the_unavailable_page(qtbot, make_window, size):
    w = make_window(size)
    enter(qtbot, w)
    click(qtbot, w, w.supervisor.lock_button)
    settle(qtbot, w)
    assert w.flow.locked
    assert not layout_problems(w), layout_problems(w)
    tap(qtbot, w.supervisor.close_button)
    settle(qtbot, w)
    assert w.stack.currentWidget() is w.unavailable
    assert "sementara tidak dapat digunakan" in w.unavailable.title_id.text()
    assert "temporarily unavailable" in w.unavailable.title_en.text()
    assert not layout_problems(w), layout_problems(w)
    w.grab().save(str(SCREENSHOTS / f"unavailable-{size}.png"))
    # The corner gesture still leads in; back in service, the idle screen again.
    enter(qtbot, w)
    click(qtbot, w, w.supervisor.lock_button)
    settle(qtbot, w)
    tap(qtbot, w.supervisor.close_button)
    settle(qtbot, w)
    assert not w.flow.locked and w.stack.currentWidget() is w.idle


def test_pause_a_service(qtbot, make_window):
    w = make_window("landscape")
    enter(qtbot, w)
    click(qtbot, w, w.supervisor.pause_buttons["PKB-TAHUNAN"])
    settle(qtbot, w)
    assert w.flow.supervisor.paused == ("PKB-TAHUNAN",)
    assert w.supervisor.pause_buttons["PKB-TAHUNAN"].text() == "Lanjutkan"  # the kiosk speaks Indonesian


def test_exit_asks_to_confirm_then_quits(qtbot, make_window, monkeypatch):
    w = make_window("portrait")
    quits = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    w.lockdown = Lockdown(w)
    enter(qtbot, w)
    click(qtbot, w, w.supervisor.exit_button)
    settle(qtbot, w)
    assert w.supervisor.confirm_card.isVisible() and not quits
    click(qtbot, w, w.supervisor.confirm_no)
    assert not w.supervisor.confirm_card.isVisible() and not quits
    click(qtbot, w, w.supervisor.exit_button)
    click(qtbot, w, w.supervisor.confirm_yes)
    settle(qtbot, w)
    assert quits == [True] and w.lockdown.may_close()
    w.lockdown = None


def test_closing_diagnostics_opened_by_the_supervisor_goes_back_to_the_supervisor_screen(qtbot, make_window):
    w = make_window("portrait")
    enter(qtbot, w)
    click(qtbot, w, w.supervisor.diagnostics_button)
    assert w.flow.step == Step.DIAGNOSTICS and w.stack.currentWidget() is w.diagnostics
    tap(qtbot, w.diagnostics.close_button)
    settle(qtbot, w)
    assert w.flow.step == Step.SUPERVISOR and w.stack.currentWidget() is w.supervisor
    assert w.flow.supervisor.tickets_today is not None  # its facts read again
    tap(qtbot, w.supervisor.close_button)
    settle(qtbot, w)
    assert w.flow.step == Step.IDLE
    # The technician's own way in still closes to the idle screen.
    w.flow.open_technician()
    w.flow.enter_pin(DEMO_PIN)
    qtbot.waitUntil(lambda: w.flow.step == Step.DIAGNOSTICS, timeout=5000)
    settle(qtbot, w)
    tap(qtbot, w.diagnostics.close_button)
    settle(qtbot, w)
    assert w.flow.step == Step.IDLE and w.stack.currentWidget() is w.idle


# -- lockdown ---------------------------------------------------------------------------------------


def test_the_lockdown_filter_swallows_menus_tooltips_and_shortcuts(qtbot, make_window):
    w = make_window("portrait")
    lock = Lockdown(w)
    target = w.idle
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    tip = QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), QPoint(5, 5))
    assert lock.eventFilter(target, menu) and lock.eventFilter(target, tip)
    alt_f4 = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    ctrl_q = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    escape = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    digit = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_5, Qt.KeyboardModifier.NoModifier, "5")
    assert lock.eventFilter(target, alt_f4) and lock.eventFilter(target, ctrl_q) and lock.eventFilter(target, escape)
    assert not lock.eventFilter(target, digit)  # a keyboard-wedge scanner still types
    assert blocked_key(Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)
    assert blocked_key(Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier)
    assert not blocked_key(Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)


def test_the_window_refuses_to_close_in_kiosk_mode_unless_the_supervisor_exits(qtbot, make_window):
    w = make_window("portrait")
    w.lockdown = Lockdown(w)
    QApplication.instance().installEventFilter(w.lockdown)
    try:
        w.close()  # what Alt+F4 asks of the window system
        assert w.isVisible()
        w.lockdown.allow_exit()
        w.close()
        assert not w.isVisible()
    finally:
        w.lockdown.remove()
        w.lockdown = None


def test_install_hides_the_cursor_and_sets_the_flags(qtbot, make_window):
    w = make_window("portrait")
    lock = Lockdown(w)
    try:
        lock.install(w, hide_cursor=True, fullscreen=False)
        assert QApplication.overrideCursor() is not None
        assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
        assert w.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert w.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    finally:
        lock.remove()
    assert QApplication.overrideCursor() is None
