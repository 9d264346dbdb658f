"""Touch safety: a double tap is one action, the next screen's way back never sits under the finger
that pressed this screen's main button, and every press shows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget
from uikit import SIZES, pass_identity, settle, wait_out_touch_guard

from kiosk.session import PrintState, Step
from ui.widgets import RichButton
from ui.window import TOUCH_GUARD_MS

#: The gap between the two taps of a double tap.
DOUBLE_TAP_GAP_S = 0.08


def at_window(w, widget: QWidget) -> QPoint:
    return widget.mapTo(w, widget.rect().center())


def rect_in_window(w, widget: QWidget) -> QRect:
    """The part of `widget` a finger can reach: clipped by a scrolling list's viewport."""
    seen = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(w, seen.topLeft()), seen.size())


def double_tap(qtbot, w, widget: QWidget) -> None:
    """Two real taps at the same point of the window, DOUBLE_TAP_GAP_S apart (after the guard of
    the screen the first one lands on)."""
    assert widget.isVisible() and widget.isEnabled(), widget
    wait_out_touch_guard(w)
    handle, point, left = w.windowHandle(), at_window(w, widget), Qt.MouseButton.LeftButton
    for i in range(2):
        if i:
            w.monotonic.advance(DOUBLE_TAP_GAP_S)
        QTest.mousePress(handle, left, Qt.KeyboardModifier.NoModifier, point)
        QTest.mouseRelease(handle, left, Qt.KeyboardModifier.NoModifier, point)
    settle(qtbot, w)


def page_tiles(page: QWidget) -> list[RichButton]:
    return [b for b in page.findChildren(RichButton) if b.isVisible() and b.isEnabled()]


def tickets(w) -> int:
    return w.kiosk.store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0]


def test_the_guard_is_a_short_constant():
    assert 400 <= TOUCH_GUARD_MS <= 500


def test_a_tap_right_after_a_screen_appears_is_ignored_and_keys_are_not(qtbot, make_window):
    w = make_window("portrait")
    w.on_start("id")
    settle(qtbot, w)
    assert w.guarding()
    tile = page_tiles(w.agencies)[0]
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # inside the guard: nothing happens
    assert w.session.state.step == Step.AGENCIES
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    assert w.eventFilter(w.agencies, key) is False  # a keyboard-wedge scanner still types
    w.monotonic.advance(TOUCH_GUARD_MS / 1000)
    assert not w.guarding()
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert w.session.state.step == Step.SERVICES


def test_double_taps_on_every_main_control_are_one_action(qtbot, make_window):
    w = make_window("portrait")
    # Idle: the way into the agencies, and a most-requested need.
    double_tap(qtbot, w, w.idle.browse_button)
    assert w.session.state.step == Step.AGENCIES
    w.on_home()
    settle(qtbot, w)
    need = page_tiles(w.idle)
    if need:
        double_tap(qtbot, w, need[-1])
        assert w.session.state.step == Step.DETAIL
        w.on_home()
        settle(qtbot, w)
    w.on_start("id")
    settle(qtbot, w)
    # An agency tile, then a service row: one step each.
    double_tap(qtbot, w, page_tiles(w.agencies)[0])
    assert w.session.state.step == Step.SERVICES and w.session.state.service_code is None
    double_tap(qtbot, w, page_tiles(w.services)[0])
    assert w.session.state.step == Step.DETAIL
    # Back, then forward again.
    double_tap(qtbot, w, w.footer.back_button)
    assert w.session.state.step == Step.SERVICES
    w.on_service(w.kiosk.catalog.agency(w.session.state.agency_code).services[0].code)
    settle(qtbot, w)
    assert w.detail.take_button.isEnabled()
    double_tap(qtbot, w, w.detail.take_button)
    # The service needs a NIK: its keypad, where the second tap typed nothing.
    assert w.session.state.step == Step.NIK and w.session.state.nik_entry == ""
    pass_identity(qtbot, w)
    assert w.session.state.step == Step.CONFIRM and tickets(w) == 0
    double_tap(qtbot, w, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    assert w.session.state.step == Step.TICKET and tickets(w) == 1
    done = w.ticket.done_button if w.ticket.done_button.isVisible() else w.footer.home_button
    double_tap(qtbot, w, done)
    assert w.session.state.step == Step.IDLE
    # Start over from the middle of a visit: back to idle, and the second tap starts nothing.
    w.on_start("id")
    w.on_agency("SAMSAT")
    settle(qtbot, w)
    double_tap(qtbot, w, w.footer.home_button)
    assert w.session.state.step == Step.IDLE and tickets(w) == 1


def go(qtbot, w, **state) -> None:
    w.session.state = replace(w.session.state, countdown=None, error=None, **state)
    w.flow._reload_step_facts()
    w.render()
    settle(qtbot, w)


def retreats(w) -> list[tuple[str, QRect]]:
    """The visible controls of the current screen that take the visitor back or end the visit."""
    named = {
        "footer back": w.footer.back_button,
        "footer home": w.footer.home_button,
        "confirm no": w.confirm.no,
        "ticket done": getattr(w.ticket, "done_button", None),
    }
    return [(name, rect_in_window(w, b)) for name, b in named.items() if b is not None and b.isVisible()]


def mains(w, page: QWidget, buttons: list[QAbstractButton]) -> list[tuple[str, QRect]]:
    return [(b.accessibleName() or b.text(), rect_in_window(w, b)) for b in buttons if b.isVisible()]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_next_screens_way_back_is_never_under_this_screens_main_button(qtbot, make_window, size):
    """Pressed a moment too long or twice, a main button must not land on the next screen's back
    or start-over button: their rectangles never overlap, at every supported size."""
    w = make_window(size)
    catalog = w.kiosk.catalog
    service = catalog.service("KTP-EL")
    problems = []

    def check(before: list[tuple[str, QRect]], after_step: str) -> None:
        for name, rect in before:
            for back, back_rect in retreats(w):
                if rect.intersects(back_rect):
                    problems.append(f"{size}: {name!r} overlaps {back} of the {after_step} screen")

    go(qtbot, w, step=Step.IDLE)
    priority_button = getattr(w.idle, "priority_button", None)
    needs = [b for b in page_tiles(w.idle) if b is not priority_button]
    idle_main = mains(w, w.idle, [w.idle.browse_button, *needs])
    if priority_button is not None and Step.PRIORITY in w.screens:
        priority = mains(w, w.idle, [priority_button])
        go(qtbot, w, step=Step.PRIORITY, priority_from=Step.IDLE)
        check(priority, "priority")
    go(qtbot, w, step=Step.AGENCIES)
    check(idle_main, "agencies")
    agency_tiles = mains(w, w.agencies, page_tiles(w.agencies))
    go(qtbot, w, step=Step.SERVICES, agency_code=service.agency_code)
    check(agency_tiles, "services")
    rows = mains(w, w.services, page_tiles(w.services))
    go(qtbot, w, step=Step.DETAIL, service_code=service.code)
    check(rows, "detail")
    check(idle_main, "detail (a need)")
    take = mains(w, w.detail, [w.detail.take_button])
    go(qtbot, w, step=Step.CONFIRM)
    check(take, "confirm")
    yes = mains(w, w.confirm, [w.confirm.yes])
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    check(yes, "ticket")
    assert not problems, "\n".join(problems)


def test_every_button_role_shows_a_press_in_every_look(qtbot, make_window):
    """Pressed, a button looks different (a stylesheet :pressed state for every role, tinted tiles too)."""
    w = make_window("landscape")
    w.on_start("id")
    settle(qtbot, w)
    for large, contrast in ((False, False), (False, True), (True, False)):
        w.session.set_look(large_text=large, high_contrast=contrast)
        seen: set = set()
        for step in (Step.IDLE, Step.AGENCIES, Step.SERVICES, Step.DETAIL, Step.CONFIRM):
            go(qtbot, w, step=step, agency_code="DUKCAPIL", service_code="KTP-EL")
            for b in w.findChildren(QAbstractButton):
                kind = (b.property("role"), bool(getattr(b, "tint", None)), b.isCheckable())
                if not b.isVisible() or not b.isEnabled() or kind in seen:
                    continue
                seen.add(kind)
                up = b.grab().toImage()
                b.setDown(True)
                down = b.grab().toImage()
                b.setDown(False)
                assert up != down, (
                    f"no visible press: {kind} {b.accessibleName()!r} (large={large}, contrast={contrast})"
                )
        assert ("tile", True, False) in seen, "agency tiles carry their agency's colour"
