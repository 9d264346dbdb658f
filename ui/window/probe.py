"""`startup_probe`: with KIOSK_STARTUP_PROBE set, stamps the first paint and the first servable tap."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from ui.window.core import KioskWindow


def startup_probe(window: KioskWindow) -> None:
    """With KIOSK_STARTUP_PROBE set, print `shown <epoch>` once the idle screen has first been painted
    and `ready <epoch>` once a tap would be served, then quit (bench/startup.py, tests).

    "shown" is measured on the real paint: the first window-system expose or update request during
    which the idle screen received its paint event, stamped when that whole pass (every widget
    drawn, the backing store flushed to the platform) has returned. "ready" is the backend started
    (store open, catalog loaded: `backend_did_start`) and the event loop turned once after it.
    """
    if not os.environ.get("KIOSK_STARTUP_PROBE"):
        return
    app = QApplication.instance()
    passes = (QEvent.Type.Expose, QEvent.Type.UpdateRequest)
    seen: dict[str, float] = {}

    def stamp(event: str) -> None:
        seen[event] = time.time()
        print(f"{event} {seen[event]:.6f}", flush=True)

    class PaintProbe(QObject):
        """Watches every event; re-delivers paint passes itself to stamp the moment they return."""

        inside = False
        idle_painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            kind = event.type()
            if kind == QEvent.Type.Paint and watched is window.idle:
                self.idle_painted = True
            if self.inside or kind not in passes:
                return False
            self.inside = True  # deliver the pass from here (filters installed before this one still see it)
            try:
                QApplication.sendEvent(watched, event)
            finally:
                self.inside = False
            if self.idle_painted:
                app.removeEventFilter(self)
                stamp("shown")
                if "backend" in seen:
                    QTimer.singleShot(0, ready)
            return True  # delivered above

    def backend_started() -> None:
        seen["backend"] = time.time()
        QTimer.singleShot(0, ready)  # runs once the events queued so far (the re-render) are done

    def ready() -> None:
        if "shown" not in seen or "ready" in seen:  # reported after "shown", once
            return
        stamp("ready")
        QTimer.singleShot(0, app.quit)

    window._startup_probe = PaintProbe(window)
    app.installEventFilter(window._startup_probe)
    window.backend_did_start.connect(backend_started)
