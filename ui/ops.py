"""Background work in one shape: run a function off the GUI thread, get the result back on it.

One writer thread owns the kiosk's SQLite store; one printer thread talks to the printer, so
a health check and a print job never meet at the device and their answers come back in the
order they were asked; a small pool does other device work; the face check (kiosk/face/check.py,
seconds long: it reads camera frames until the visitor is done) has a thread of its own. Screens
never start threads.

`pending` counts the work in flight that ends by itself (tests and benchmarks wait for it to be
0); a face check runs until the visitor is done or it is stopped, so it is not counted.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)


#: Lanes whose work runs until told to stop (not counted in `pending`).
LONG_LANES = frozenset({"face"})


class Ops(QObject):
    """`run(fn, on_success=..., on_failure=..., on="writer"|"printer"|"devices"|"face")`; callbacks
    run on the GUI thread."""

    _finished = Signal(object, object, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="kiosk-writer")
        self._printer = ThreadPoolExecutor(1, thread_name_prefix="kiosk-printer")
        self._devices = ThreadPoolExecutor(2, thread_name_prefix="kiosk-devices")
        self._face = ThreadPoolExecutor(1, thread_name_prefix="kiosk-face")
        self._finished.connect(self._deliver)
        self.pending = 0
        self._closed = False

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        on: str = "writer",
    ) -> None:
        executor = {"writer": self._writer, "printer": self._printer, "devices": self._devices, "face": self._face}[on]
        if self._closed:  # a timer that fired while the window closes: there is no one left to answer
            log.debug("not run after shutdown: %r", fn)
            return
        counted = on not in LONG_LANES
        self.pending += counted

        def work() -> None:
            try:
                value = fn()
            except BaseException as exc:  # delivered to on_failure, never swallowed
                if on_failure is None:
                    log.error("background task failed:\n%s", traceback.format_exc())
                self._finished.emit(on_failure or _ignore, exc, counted)
            else:
                self._finished.emit(on_success, value, counted)

        executor.submit(work)

    def later(self, ms: int, fn: Callable[[], None]) -> None:
        """Call `fn` on the GUI thread after `ms` milliseconds."""
        QTimer.singleShot(ms, fn)

    def _deliver(self, callback: Callable[[Any], None], value: Any, counted: bool) -> None:
        self.pending -= counted
        callback(value)

    def shutdown(self) -> None:
        self._closed = True
        for executor in (self._writer, self._printer, self._devices, self._face):
            executor.shutdown(wait=True)


def _ignore(_: BaseException) -> None:
    pass
