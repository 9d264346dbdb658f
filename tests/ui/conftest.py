"""A kiosk window at a real screen size, its backend started."""

from __future__ import annotations

import pytest
from uikit import SIZES, TapClock

from ui.window import KioskWindow


@pytest.fixture
def make_window(qtbot, settings, clock):
    windows = []

    def make(size: str = "portrait", **kw) -> KioskWindow:
        kw.setdefault("monotonic", TapClock())  # taps wait out the touch guard: uikit.tap()
        w = KioskWindow(settings, clock=clock, **kw)
        qtbot.addWidget(w)
        w.resize(*SIZES[size])
        w.expected_size = SIZES[size]
        w.show()
        qtbot.waitExposed(w)
        with qtbot.waitSignal(w.backend_did_start, timeout=10000):
            w.start_backend()
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.ops.shutdown()
        if w.kiosk is not None:
            w.kiosk.close()
