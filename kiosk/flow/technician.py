"""The technician's part of the flow: the PIN pad behind a hidden gesture, then diagnostics."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError
from kiosk.flow.pindoor import PinDoor
from kiosk.printing import PrintOutcome, PrintState
from kiosk.session import Step

if TYPE_CHECKING:
    from kiosk.flow.core import Flow

log = logging.getLogger("kiosk.flow")


class Technician(PinDoor):
    """The technician's part of the flow: the PIN pad behind a hidden gesture, then diagnostics.

    The PIN is checked by a `kiosk.pin.Gate` on the devices pool (kiosk/flow/pindoor.py); the
    checks (`kiosk.diag.run_checks`), the store check, the test page, the export and the reprint
    run there too, and their results are facts the diagnostics screen renders. Scans (any
    scanner) arrive with `scanned`; only the diagnostics screen shows them (visitor screens
    ignore them, logged)."""

    name = "technician"
    pin_step = Step.PIN

    def __init__(self, flow: Flow) -> None:
        super().__init__(flow)
        #: The newest kiosk.diag.DiagReport (None until the first run).
        self.report = None
        #: Actions running now ("checks", "store", "print", "export", "reprint").
        self.busy: set[str] = set()
        #: Each action's last result: name -> (ok, detail); detail is technician-facing (a path, a count).
        self.results: dict[str, tuple[bool, str]] = {}
        #: The last scan seen while on the diagnostics screen (devices.scanner.ScanEvent).
        self.last_scan = None
        #: The speaker, for its health in the report (the window sets it; None: not asked).
        self.speaker = None
        #: The diagnostics were opened from the supervisor screen: Close goes back there.
        self.from_supervisor = False

    def make_gate(self):
        from kiosk.pin import technician_gate

        return technician_gate(self.flow.settings, self.flow.clock)

    # -- the way in -------------------------------------------------------------------------------
    def open(self) -> None:
        """The hidden gesture: the PIN pad (from the idle screen only)."""
        if self.flow.step == Step.IDLE:
            self.from_supervisor = False
        self.open_pad()

    def show_pad(self) -> None:
        self.flow.session.open_pin()

    def admit(self) -> None:
        flow = self.flow
        flow.session.open_diagnostics()
        self.report, self.results, self.last_scan = None, {}, None
        flow._changed()
        self.run_checks()

    def leave(self) -> None:
        """Cancel (PIN pad) or Close (diagnostics): back to the idle screen, nothing kept; or
        back to the supervisor screen when the supervisor opened the diagnostics from there."""
        flow = self.flow
        if flow.step not in (Step.PIN, Step.DIAGNOSTICS):
            return
        log.info("technician: left %s", flow.step)
        self.report, self.results, self.last_scan = None, {}, None
        back_to_supervisor = flow.step == Step.DIAGNOSTICS and self.from_supervisor
        self.from_supervisor = False
        if back_to_supervisor:
            flow.supervisor.back_from_diagnostics()
            return
        flow.home()

    # -- scans ------------------------------------------------------------------------------------
    def scanned(self, event) -> None:
        """A scan from any scanner (GUI thread). Shown on the diagnostics screen's scan test;
        elsewhere ignored for now (identity will use them). The text is never logged."""
        flow = self.flow
        log.info("scan: %s from %s, %d characters (on %s)", event.symbology, event.source, len(event.text), flow.step)
        if flow.step != Step.DIAGNOSTICS:
            return
        self.last_scan = event
        flow.session.touch()
        flow._changed()

    # -- diagnostics --------------------------------------------------------------------------------
    def _run(
        self, name: str, fn: Callable[[], Any], done: Callable[[Any], tuple[bool, str]], on: str = "devices"
    ) -> None:
        flow = self.flow
        if flow.step != Step.DIAGNOSTICS or name in self.busy:
            return
        self.busy.add(name)
        flow.session.touch()
        flow._changed()

        def ok(value) -> None:
            self.busy.discard(name)
            self.results[name] = done(value)
            log.info("diagnostics %s: %s", name, "ok" if self.results[name][0] else "failed")
            if flow.step == Step.DIAGNOSTICS:
                flow._changed()

        def failed(exc: BaseException) -> None:
            self.busy.discard(name)
            log.error("diagnostics %s failed: %r", name, exc)
            self.results[name] = (False, exc.message if isinstance(exc, KioskError) else type(exc).__name__)
            if flow.step == Step.DIAGNOSTICS:
                flow._changed()

        flow.runner.run(fn, on=on, on_success=ok, on_failure=failed)

    def run_checks(self) -> None:
        """Every check of kiosk/diag.py (devices, central, backlog, disk, store, versions, log tail)."""
        flow = self.flow
        settings, clock = flow.settings, flow.clock
        kiosk = flow.kiosk
        printer = kiosk.printer if kiosk is not None else None
        camera, scanner, speaker = flow.camera, flow.scanner, self.speaker

        def checks():
            from kiosk.diag import run_checks

            return run_checks(settings, clock=clock, printer=printer, scanner=scanner, camera=camera, speaker=speaker)

        def done(report) -> tuple[bool, str]:
            self.report = report
            return (not report.failed, "")

        self._run("checks", checks, done)

    def check_store(self) -> None:
        """SQLite's full integrity_check of the store (read-only, its own connection)."""
        settings = self.flow.settings

        def check():
            from kiosk.diag import check_store

            return check_store(settings)

        self._run("store", check, _check_result)

    def print_test_page(self) -> None:
        kiosk, settings, clock = self.flow.kiosk, self.flow.settings, self.flow.clock
        if kiosk is None:
            return

        def test_page():
            from kiosk.diag import print_test_page

            return print_test_page(settings, kiosk.printer, now=clock.now())

        self._run("print", test_page, _check_result, on="printer")

    def export(self, dest_dir: str | None = None) -> None:
        """The diagnostics bundle (kiosk.diag.export_bundle) to `[diag] export_dir` (a USB stick's mount)."""
        settings, clock, report = self.flow.settings, self.flow.clock, self.report
        dest = dest_dir or export_dir(settings)

        def export():
            from kiosk.diag import export_bundle

            return export_bundle(settings, usb_target(dest), report=report, now=clock.now())

        self._run("export", export, lambda path: (True, str(path)))

    @property
    def can_reprint(self) -> bool:
        kiosk = self.flow.kiosk
        return kiosk is not None and callable(getattr(kiosk, "reprint_last", None))

    def reprint_last(self) -> None:
        if not self.can_reprint:
            return
        kiosk = self.flow.kiosk
        # It prints and records the reprint in the store: the writer thread owns the store.
        self._run("reprint", lambda: kiosk.reprint_last(by="technician"), _outcome, on="writer")


def _check_result(check) -> tuple[bool, str]:
    """A kiosk.diag.Check as (ok, detail): OK and WARNING (sent, unconfirmed) count as done."""
    return (str(check.status) in ("OK", "WARNING"), check.detail)


def _outcome(result) -> tuple[bool, str]:
    """A reprint's result (kiosk.app.Reprint, None: no ticket today) or a PrintOutcome as (ok, detail)."""
    if result is None:
        return (False, "no ticket issued today")
    result = getattr(result, "outcome", result)
    if isinstance(result, PrintOutcome):
        return (result.state != PrintState.FAILED, result.error.message if result.error else str(result.state))
    return (result is not False, "")


#: Where "Export diagnostics" writes when `[diag] export_dir` is not configured.
DEFAULT_EXPORT_DIR = "/media"


def export_dir(settings) -> str:
    diag = getattr(settings, "diag", None)
    return str(getattr(diag, "export_dir", "") or DEFAULT_EXPORT_DIR)


def usb_target(root: str):
    """The folder to write to under `root`: a stick mounted right there, or the one stick
    mounted below it (/media/USER/STICK); `root` itself when there is none or several.
    Raises FileNotFoundError when `root` does not exist (no stick mounted)."""
    from pathlib import Path

    base = Path(root)
    if not base.is_dir():
        raise FileNotFoundError(f"{base} does not exist: is a USB stick mounted?")
    if os.path.ismount(base):
        return base
    mounts = [p for p in base.glob("*") if p.is_dir() and os.path.ismount(p)]
    mounts += [p for p in base.glob("*/*") if p.is_dir() and os.path.ismount(p)]
    return mounts[0] if len(mounts) == 1 else base
