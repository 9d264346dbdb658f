"""Start-up: the store and the catalog opened off the GUI thread, then speech, devices, printer, sync."""

from __future__ import annotations

import logging
import sys

from kiosk.app import Kiosk
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.ui")


class BackendMixin:
    """KioskWindow's start-up (`start_backend`, from ui/main.py once the loop runs) and the printer poll."""

    def start_backend(self) -> None:
        """Open the store and load the catalog off the GUI thread; then warm the printer code up.
        A lock already in the store (remote `lock`, or the supervisor's) is read there too, so the
        out-of-service page shows at once, before the sync thread's first word."""

        def open_kiosk() -> tuple[Kiosk, bool]:
            kiosk = self._kiosk_factory(self.settings, clock=self.clock)
            return kiosk, _locked_at_start(kiosk)

        self.ops.run(
            open_kiosk,
            on_success=lambda opened: self._backend_ready(*opened),
            on_failure=self._backend_failed,
        )

    def _backend_ready(self, kiosk: Kiosk, locked: bool = False) -> None:
        log.info("ready: store %s, %d services", kiosk.store.path, len(kiosk.catalog.services()))
        self._start_speech()
        self.start_devices()
        if locked:
            log.info("out of service: the kiosk is locked in its store")
            self.flow.supervisor.locked_here = True  # Flow.locked until the sync thread reports
        self.flow.backend_ready(kiosk)
        self.backend_did_start.emit()
        if self.settings.printer.kind in ("usb", "serial"):  # python-escpos moves their bytes: load it now
            from kiosk.escposlib import escpos_printer_module

            self.ops.run(escpos_printer_module, on_success=lambda _: None, on="printer")
        self.check_printer()
        self.printer_timer.start()
        self.sync_did_change.connect(self.flow.sync_changed)
        # Started off the GUI thread: it imports the HTTP client and opens a store connection.
        self.ops.run(
            lambda: kiosk.start_sync(on_state=self.sync_did_change.emit, devices=self.flow.device_report),
            on="devices",
            on_success=lambda worker: log.info("sync: %s", "started" if worker else "no central configured"),
            on_failure=lambda exc: log.error("sync not started: %r", exc),
        )

    def _backend_failed(self, exc: BaseException) -> None:
        """No store or no catalog: an honest out-of-service screen, the reason for the technician."""
        message = exc.message if isinstance(exc, KioskError) else repr(exc)
        print(f"kiosk: out of service: {message}", file=sys.stderr)
        log.error("out of service: %s", message)
        self.flow.backend_failed(message, exc.code if isinstance(exc, KioskError) else None)

    def check_printer(self) -> None:
        self.flow.check_printer()


def _locked_at_start(kiosk) -> bool:
    """Whether the store holds the out-of-service lock (writer lane, at start-up); a store that
    cannot say is taken as not locked (the sync thread's status says it again)."""
    try:
        return bool(getattr(kiosk, "locked", False))
    except Exception as exc:  # noqa: BLE001 - the lock's read must not stop the kiosk from starting
        log.error("lock state not read at start: %r", exc)
        return False
