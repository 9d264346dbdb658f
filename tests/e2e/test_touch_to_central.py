"""The touch screen against a real central: a ticket reaches central within 2 s; with central
stopped the header says "offline", tickets still work, and they arrive by themselves, once."""

from __future__ import annotations

import time

from centralproc import Central
from uikit import SIZES, pass_identity, settle

from kiosk.config import load
from kiosk.session import PrintState, Step
from ui.window import KioskWindow


def take_ticket(qtbot, w) -> str:
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)  # KTP-EL needs a NIK
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    assert w.session.state.step == Step.TICKET
    number = w.session.state.ticket.number
    w.on_home()
    return number


def test_touch_ticket_reaches_central_and_offline_tickets_arrive_once(qtbot, tmp_path, central_db_url):
    c = Central(central_db_url).start()
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[central]\nurl = "{c.url}"\n[speech]\nengine = "none"\n')
    settings = load(cfg, demo=True, data_dir=tmp_path / "data")
    w = KioskWindow(settings)
    qtbot.addWidget(w)
    w.resize(*SIZES["portrait"])
    w.show()
    try:
        with qtbot.waitSignal(w.backend_did_start, timeout=10000):
            w.start_backend()
        qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online, timeout=10000)
        assert not w.header.offline.isVisible()

        first = take_ticket(qtbot, w)
        t0 = time.monotonic()
        qtbot.waitUntil(lambda: [t["number"] for t in c.tickets()] == [first], timeout=2000)
        assert time.monotonic() - t0 < 2.0

        c.stop()  # the uplink goes down: tickets still work, the header says so quietly
        offline = [take_ticket(qtbot, w) for _ in range(3)]
        qtbot.waitUntil(lambda: w.header.offline.isVisible(), timeout=15000)
        assert "Luring" in w.header.offline.text()
        c.start()  # the link comes back

        def arrived() -> bool:  # by themselves: nobody runs a sync command
            return sorted(t["number"] for t in c.tickets()) == sorted([first, *offline])

        qtbot.waitUntil(arrived, timeout=30000)
        qtbot.waitUntil(lambda: not w.header.offline.isVisible(), timeout=10000)
        ids = [t["ticket_id"] for t in c.tickets()]
        assert len(ids) == len(set(ids)) == 4
    finally:
        w.ops.shutdown()
        if w.kiosk is not None:
            w.kiosk.close()
        c.stop()
