"""Central's `restart` and `lock` at the touch screen: a restart quits with exit code 75 only once
nobody is mid-way (never while a ticket is issued or shown); a lock already in the store when
the kiosk starts shows the out-of-service page at once, read off the GUI thread."""

from __future__ import annotations

import threading
from dataclasses import replace

from uikit import SIZES, TapClock, settle

from kiosk.app import Kiosk, build
from kiosk.commands import RESTART_EXIT_CODE
from kiosk.session import PrintState, Step
from sync.worker import INITIAL, ONLINE
from ui.window import KioskWindow

RESTART = replace(INITIAL, state=ONLINE, restart_requested=True)


def stub_exit(w) -> list[int]:
    codes: list[int] = []
    w.exit_app = codes.append
    return codes


def test_a_restart_at_idle_quits_with_exit_code_75_once(qtbot, make_window):
    w = make_window()
    codes = stub_exit(w)
    w.sync_did_change.emit(replace(INITIAL, state=ONLINE))
    settle(qtbot, w)
    assert codes == []
    w.sync_did_change.emit(RESTART)
    settle(qtbot, w)
    assert codes == [RESTART_EXIT_CODE] == [75] and w.exiting_with == 75
    w.sync_did_change.emit(replace(RESTART, backlog=1))  # more news: asked once only
    w.render()
    assert codes == [75]


def test_a_restart_waits_for_the_visitor_ticket_issued_and_shown(qtbot, make_window):
    w = make_window()
    codes = stub_exit(w)
    w.on_start("id")
    w.on_agency("POLRI")
    w.on_service("SKCK-BARU")
    settle(qtbot, w)
    w.on_take()
    settle(qtbot, w)
    assert w.flow.step == Step.CONFIRM
    w.sync_did_change.emit(RESTART)  # the command was executed while the visitor confirms
    settle(qtbot, w)
    assert w.flow.restart_requested and codes == []
    steps = []
    w.state_did_render.connect(lambda state: steps.append(state.step))
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    assert Step.ISSUING in steps and w.flow.step == Step.TICKET and codes == []  # issued, shown: not cut
    w.on_home()  # "Done": the visitor has their ticket, the idle screen is back
    settle(qtbot, w)
    assert codes == [RESTART_EXIT_CODE]


def test_a_restart_waits_for_the_technician_to_leave(qtbot, make_window):
    w = make_window()
    codes = stub_exit(w)
    w.flow.open_technician()
    assert w.flow.step == Step.PIN
    w.sync_did_change.emit(RESTART)
    settle(qtbot, w)
    assert codes == []
    w.flow.leave_technician()
    settle(qtbot, w)
    assert codes == [RESTART_EXIT_CODE]


def lock_in_store(settings, clock) -> None:
    kiosk = build(settings, clock=clock)
    try:
        with kiosk.store.transaction() as conn:
            conn.execute("INSERT INTO kiosk_lock (id, since, command_id) VALUES (1, '2026-01-01T09:00:00', 'c-1')")
    finally:
        kiosk.close()


def test_a_lock_in_the_store_at_start_shows_the_out_of_service_page_at_once(qtbot, settings, clock, monkeypatch):
    lock_in_store(settings, clock)
    readers = []
    read = Kiosk.locked.fget

    def locked(self) -> bool:
        readers.append(threading.current_thread())
        return read(self)

    monkeypatch.setattr(Kiosk, "locked", property(locked))
    w = KioskWindow(settings, clock=clock, monotonic=TapClock())
    qtbot.addWidget(w)
    w.resize(*SIZES["portrait"])
    w.show()
    first = []  # the page on screen as the backend reports ready: no idle screen in between
    w.backend_did_start.connect(lambda: first.append(w.stack.currentWidget()))
    try:
        with qtbot.waitSignal(w.backend_did_start, timeout=10000):
            w.start_backend()
        assert first == [w.unavailable] and w.flow.locked
        assert w.sync_status is None  # no central configured: no sync thread to say it
        assert readers and threading.main_thread() not in readers  # read on the writer lane
        assert "sementara tidak dapat digunakan" in w.unavailable.title_id.text()
        settle(qtbot, w)
        assert w.stack.currentWidget() is w.unavailable
    finally:
        w.ops.shutdown()
        if w.kiosk is not None:
            w.kiosk.close()


def test_no_lock_in_the_store_shows_the_idle_screen(qtbot, make_window):
    w = make_window()
    assert not w.flow.locked and w.stack.currentWidget() is w.idle
