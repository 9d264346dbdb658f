"""Background work in one shape: run a function off the GUI thread, get the result back on it.

One writer thread owns the kiosk's SQLite store; a small pool does device work
(printing). Screens never start threads themselves.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Ops(QObject):
    """`run(fn, on_success=..., on_failure=..., on="writer"|"devices")`; callbacks run on the GUI thread."""

    _finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="kiosk-writer")
        self._devices = ThreadPoolExecutor(2, thread_name_prefix="kiosk-devices")
        self._finished.connect(self._deliver)
        self.pending = 0

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        on: str = "writer",
    ) -> None:
        executor = self._writer if on == "writer" else self._devices
        self.pending += 1

        def work() -> None:
            try:
                value = fn()
            except BaseException as exc:  # delivered to on_failure, never swallowed
                if on_failure is None:
                    log.error("background task failed:\n%s", traceback.format_exc())
                self._finished.emit(on_failure or _ignore, exc)
            else:
                self._finished.emit(on_success, value)

        executor.submit(work)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        self.pending -= 1
        callback(value)

    def shutdown(self) -> None:
        self._writer.shutdown(wait=True)
        self._devices.shutdown(wait=True)


def _ignore(_: BaseException) -> None:
    pass
