"""The kiosk window: hosts the pages, forwards touches to the flow, redraws when it changes."""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk import i18n, wording
from kiosk.app import Kiosk, build
from kiosk.clock import Clock, SystemClock
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.flow import Flow
from kiosk.i18n import qm_path
from kiosk.session import Session, SessionState, Step
from ui.errors import visitor_message, visitor_notice
from ui.ops import Ops
from ui.screens import (
    AgencyScreen,
    ConfirmScreen,
    ConsentScreen,
    DetailScreen,
    DiagnosticsScreen,
    FaceScreen,
    FaultScreen,
    Footer,
    Header,
    IdleScreen,
    IssuingScreen,
    NikScreen,
    PinScreen,
    PriorityScreen,
    ScanScreen,
    SearchScreen,
    ServiceScreen,
    TicketScreen,
)
from ui.screens.priority import priority_strip
from ui.screens.supervisor import CornerHold, SupervisorPinScreen, SupervisorScreen
from ui.screens.unavailable import UnavailableScreen
from ui.theme import Theme
from ui.widgets import apply_tints

log = logging.getLogger("kiosk.ui")

_TOUCHES = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)
#: What a finger does; a keyboard-wedge scanner types keys, which are never taps.
_TAPS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
    }
)
#: The technician's steps: staff screens with their own Cancel/Close (no visitor footer).
_TECHNICIAN = (Step.PIN, Step.DIAGNOSTICS, Step.SUPERVISOR_PIN, Step.SUPERVISOR)
#: The steps whose footer has Back (identify: back to the service, the attempt forgotten).
_BACK_STEPS = (
    Step.AGENCIES,
    Step.SERVICES,
    Step.DETAIL,
    Step.SEARCH,
    Step.PRIORITY,
    Step.IDENTIFY,
    Step.SCAN,
    Step.NIK,
)
#: How often the camera's and scanner's health is read for the heartbeat (devices pool), ms.
DEVICE_HEALTH_MS = 5_000
#: A screen ignores taps for this long after it appears (or its look changes), so the second tap
#: of a double tap, or a finger still on the glass, never presses what now sits under it.
TOUCH_GUARD_MS = 450


class PageHost(QWidget):
    """Shows one page at a time. Unlike QStackedWidget, hidden pages leave the layout, so their
    height-for-width (wrapped text) cannot make the window taller than the screen."""

    def __init__(self) -> None:
        super().__init__()
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._current: QWidget | None = None

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self._current

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802
        if page is self._current:
            return
        if self._current is not None:
            self._box.removeWidget(self._current)
            self._current.hide()
        page.setParent(self)
        self._box.addWidget(page)
        page.show()
        self._current = page


class KioskWindow(QWidget):
    """Hosts the pages and forwards touches to the flow (`kiosk/flow.py`), which decides; redraws
    when the flow changes. `state_did_render` fires after every redraw (tests and benchmarks wait on it)."""

    state_did_render = Signal(object)
    backend_did_start = Signal()
    #: The sync thread's status changed (emitted on that thread, delivered on the GUI thread).
    sync_did_change = Signal(object)
    #: A scanner read a code (emitted on the scanner's thread, delivered on the GUI thread).
    scan_did_arrive = Signal(object)

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        kiosk_factory=build,
        monotonic=None,
        speaker=None,
    ) -> None:
        super().__init__()
        #: Seconds, for the touch guard (tests inject one that stands still: tests/uikit.py `tap`).
        self.monotonic = monotonic or time.monotonic
        self.touch_guard_ms = TOUCH_GUARD_MS
        self._shown_at = self.monotonic()  # when the current page (or look) appeared
        self._shown: tuple | None = None
        self.setObjectName("Root")
        self.setWindowTitle("MPP Kiosk")
        self.settings = settings
        self.clock = clock or SystemClock(settings.tz)
        self.ops = Ops(self)
        self.flow = Flow(settings, self.clock, self.ops)
        self.flow.on_change = self.render
        #: Says the prompts (ui/speech.py); made once the store is open, off the first paint.
        self.speaker = speaker
        #: Devices made on the devices pool, kept so that shutdown stops them in every case.
        self._made_devices: list = []
        self._kiosk_factory = kiosk_factory
        self.theme: Theme | None = None
        self._translator = QTranslator(self)
        self._translator_language = "en"

        self.header = Header()
        self.footer = Footer()
        self.stack = PageHost()
        self.idle = IdleScreen()
        self.agencies = AgencyScreen()
        self.services = ServiceScreen()
        self.detail = DetailScreen()
        self.confirm = ConfirmScreen()
        self.issuing = IssuingScreen()
        self.ticket = TicketScreen()
        self.search = SearchScreen()
        self.priority = PriorityScreen()
        self.fault_screen = FaultScreen()
        self.pin = PinScreen()
        self.diagnostics = DiagnosticsScreen()
        # The supervisor's (kiosk/flow/supervisor.py), and the page shown while out of service.
        self.supervisor_pin = SupervisorPinScreen()
        self.supervisor = SupervisorScreen()
        self.unavailable = UnavailableScreen()
        #: Kiosk mode's lockdown (ui/lockdown.py), set by ui/main.py; None: a window that may close.
        self.lockdown = None
        #: Ends the application's event loop with an exit code (tests put a stub here).
        self.exit_app = QApplication.exit
        #: The exit code asked for once (a restart), None until then.
        self.exiting_with: int | None = None
        # Identity (kiosk/flow/identity.py): one face screen for identifying and for saving the face.
        self.face = FaceScreen()
        self.scan = ScanScreen()
        self.nik = NikScreen()
        self.consent = ConsentScreen()
        self.screens = {
            Step.IDLE: self.idle,
            Step.AGENCIES: self.agencies,
            Step.SERVICES: self.services,
            Step.DETAIL: self.detail,
            Step.CONFIRM: self.confirm,
            Step.ISSUING: self.issuing,
            Step.TICKET: self.ticket,
            Step.SEARCH: self.search,
            Step.PRIORITY: self.priority,
            Step.PIN: self.pin,
            Step.DIAGNOSTICS: self.diagnostics,
            Step.SUPERVISOR_PIN: self.supervisor_pin,
            Step.SUPERVISOR: self.supervisor,
            Step.IDENTIFY: self.face,
            Step.SCAN: self.scan,
            Step.NIK: self.nik,
            Step.CONSENT: self.consent,
            Step.ENROL: self.face,
        }
        self.stack.setCurrentWidget(self.idle)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.header)
        box.addWidget(self.stack, 1)
        box.addWidget(self.footer)

        flow = self.flow
        self.idle.need_chosen.connect(flow.choose_service)
        self.idle.search.connect(flow.open_search)
        self.idle.browse.connect(lambda: flow.start())
        self.idle.priority.connect(flow.open_priority)
        self.idle.language.connect(lambda: flow.switch_language())
        self.search.query_changed.connect(flow.search_text)
        self.search.chosen.connect(flow.choose_service)
        self.search.browse.connect(lambda: flow.start())
        self.priority.chosen.connect(lambda kind: flow.choose_priority(kind or None))
        self.confirm.priority_clicked.connect(flow.open_priority)
        self.header.language_clicked.connect(flow.switch_language)
        self.header.large_text_clicked.connect(flow.toggle_large_text)
        self.header.contrast_clicked.connect(flow.toggle_high_contrast)
        self.agencies.chosen.connect(flow.choose_agency)
        self.services.chosen.connect(flow.choose_service)
        self.detail.take.connect(flow.take)
        self.confirm.confirm.connect(flow.confirm)
        self.confirm.back.connect(flow.back)
        self.footer.back.connect(flow.back)
        self.footer.home.connect(flow.home)
        self.ticket.done.connect(flow.home)
        ident = flow.identity
        self.face.switch.connect(ident.switch)
        self.face.retry.connect(ident.retry)
        self.face.skip.connect(flow.back)
        self.scan.switch.connect(ident.switch)
        self.nik.switch.connect(ident.switch)
        self.nik.entry_changed.connect(ident.nik_input)
        self.nik.submit.connect(ident.nik_submit)
        self.consent.answered.connect(ident.consent)
        self._connect_technician()
        self._connect_supervisor()

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.on_tick)
        self.timer.start()
        self.printer_timer = QTimer(self)
        self.printer_timer.setInterval(flow.printer_poll_ms)
        self.printer_timer.timeout.connect(self.check_printer)
        QApplication.instance().installEventFilter(self)
        i18n.warm_up()  # the ticket layout translates on worker threads
        self._apply_language(self.session.state.language)
        self._apply_theme()
        self.render()

    # -- what the flow knows (tests and benchmarks read it here) ----------------------------------
    @property
    def session(self) -> Session:
        return self.flow.session

    @property
    def kiosk(self) -> Kiosk | None:
        return self.flow.kiosk

    @property
    def fault(self) -> str | None:
        return self.flow.fault

    @property
    def availability(self):
        return self.flow.availability

    @property
    def printer_ok(self) -> bool:
        return self.flow.printer_ok

    @property
    def sync_status(self):
        return self.flow.sync_status

    # -- start-up -----------------------------------------------------------------------------
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

    # -- the technician's screens and the devices (kiosk/flow.py Technician) ----------------------------
    def _connect_technician(self) -> None:
        from ui.preview import CameraPreview

        flow, tech = self.flow, self.flow.tech
        self.header.technician_requested.connect(flow.open_technician)
        self.pin.entered.connect(flow.enter_pin)
        self.pin.cancel.connect(flow.leave_technician)
        self.diagnostics.close_clicked.connect(flow.leave_technician)
        self.diagnostics.rerun.connect(tech.run_checks)
        self.diagnostics.check_store.connect(tech.check_store)
        self.diagnostics.print_test.connect(tech.print_test_page)
        self.diagnostics.export.connect(tech.export)
        self.diagnostics.reprint.connect(tech.reprint_last)
        self.scan_did_arrive.connect(self._scanned)
        self.preview = CameraPreview(self.diagnostics.preview, self.ops, parent=self)
        self.preview.did_update.connect(self._preview_updated)
        # The face screen's own preview: mirrored, a face guide, no face boxes (the flow's check detects).
        self.face_preview = CameraPreview(self.face.preview, self.ops, faces=False, parent=self)
        self.wedge = None  # ui/wedge.py's key filter, when the scanner is a keyboard wedge
        self.device_timer = QTimer(self)
        self.device_timer.setInterval(DEVICE_HEALTH_MS)
        self.device_timer.timeout.connect(self.check_devices)

    def _connect_supervisor(self) -> None:
        """The corner gesture (idle or out-of-service page only), the PIN pad, the screen's actions."""
        flow, sup = self.flow, self.flow.supervisor
        self.corner = CornerHold(self._corner_page, parent=self)
        QApplication.instance().installEventFilter(self.corner)
        self.corner.held.connect(flow.open_supervisor)
        self.supervisor_pin.entered.connect(sup.enter_pin)
        self.supervisor_pin.cancel.connect(sup.leave)
        s = self.supervisor
        s.close_clicked.connect(sup.leave)
        s.sync_now.connect(sup.sync_now)
        s.out_of_service.connect(sup.set_out_of_service)
        s.pause.connect(sup.set_paused)
        s.reprint.connect(sup.reprint_last)
        s.diagnostics.connect(sup.diagnostics)
        s.exit_confirmed.connect(sup.exit_to_desktop)
        sup.exit_app = lambda: self.quit_app()

    def _corner_page(self) -> QWidget | None:
        if self.flow.step != Step.IDLE or self.flow.kiosk is None:
            return None
        page = self.stack.currentWidget()
        return page if page in (self.idle, self.unavailable) else None

    def quit_app(self) -> None:
        """The supervisor's confirmed "Exit to desktop": the only way out of kiosk mode."""
        if self.lockdown is not None:
            self.lockdown.allow_exit()
        QApplication.quit()

    def _restart_when_idle(self) -> None:
        """A `restart` command was executed (Flow.restart_requested): quit with
        RESTART_EXIT_CODE for the process manager to start the kiosk again, once nobody is
        mid-way: only on the idle (or out-of-service) screen, never while a ticket is being
        issued or shown, nor on the supervisor's or technician's screens."""
        flow = self.flow
        if self.exiting_with is not None or not flow.restart_requested or flow.kiosk is None:
            return
        if flow.step != Step.IDLE:
            return
        from kiosk.commands import RESTART_EXIT_CODE

        log.warning("restart requested by central: quitting with exit code %d", RESTART_EXIT_CODE)
        self.exiting_with = RESTART_EXIT_CODE
        if self.lockdown is not None:
            self.lockdown.allow_exit()
        self.exit_app(RESTART_EXIT_CODE)

    def _scanned(self, event) -> None:
        self.flow.scanned(event)

    def _preview_updated(self) -> None:
        if self.flow.step == Step.DIAGNOSTICS and self.flow.camera is not None:
            self.diagnostics.show_fps(self.flow.camera.fps)

    def start_devices(self) -> None:
        """Make and start the camera and the scanner the config asks for, on the devices pool
        (OpenCV and pyserial load there, not on the first paint); never fails the kiosk."""
        settings = self.settings

        made = self._made_devices

        def make():
            camera = scanner = None
            try:
                from devices.camera import make_camera

                camera = make_camera(settings)
                if camera is not None:
                    made.append(camera)  # stopped at shutdown even if the app quits before delivery
                    camera.start()
            except Exception:
                log.exception("camera not started")
            try:
                from devices.scanner import make_scanner

                scanner = make_scanner(settings, camera)
            except Exception:
                log.exception("scanner not made")
            return camera, scanner

        self.ops.run(
            make, on="devices", on_success=self.devices_ready, on_failure=lambda e: log.error("devices: %r", e)
        )

    def devices_ready(self, devices) -> None:
        """The camera and the scanner are made (either may be None): wire the scanner's events."""
        camera, scanner = devices
        self.flow.camera, self.flow.scanner = camera, scanner
        if scanner is not None:
            if callable(getattr(scanner, "feed", None)):  # a keyboard wedge: its keys come from Qt
                from ui.wedge import WedgeFilter

                self.wedge = WedgeFilter(scanner, parent=self)
                QApplication.instance().installEventFilter(self.wedge)
            try:
                scanner.start(self.scan_did_arrive.emit)
            except Exception:
                log.exception("scanner not started")
        log.info("devices: camera %s, scanner %s", getattr(camera, "name", "none"), getattr(scanner, "name", "none"))
        self.check_devices()
        self.device_timer.start()
        if self.flow.step in (Step.DIAGNOSTICS, Step.IDENTIFY, Step.ENROL):
            self.render()

    def check_devices(self) -> None:
        """Read the camera's, the scanner's and the speaker's health on the devices pool; the
        snapshot goes to the heartbeat (flow.device_report)."""
        parts = [d for d in (self.flow.camera, self.flow.scanner) if d is not None]
        speaker = self.speaker
        if not parts and speaker is None:
            return

        def read() -> tuple:
            out = [d.health() for d in parts]
            health = getattr(speaker, "health", None)
            if callable(health):
                out.append(health())
            return tuple(out)

        def done(health: tuple) -> None:
            self.flow.device_health = health
            for h in health:  # one log line when a device's state changes, none per poll
                self.flow.device_states.note(h)

        self.ops.run(read, on="devices", on_success=done, on_failure=lambda e: log.warning("device health: %r", e))

    def stop_devices(self) -> None:
        self.device_timer.stop()
        self.preview.stop()
        self.face_preview.stop()
        if self.wedge is not None:
            QApplication.instance().removeEventFilter(self.wedge)
            self.wedge = None
        for device in (self.flow.scanner, self.flow.camera):
            if device is not None:
                try:
                    device.stop()
                except Exception:
                    log.exception("%s not stopped", getattr(device, "name", device))
        self.flow.camera = self.flow.scanner = None

    def _start_speech(self) -> None:
        """The speaker the config asks for (GUI thread: Qt's voice lives here); never fails the kiosk."""
        if self.speaker is None:
            try:
                from ui.speech import make_speaker

                self.speaker = make_speaker(self.settings, parent=self)
            except Exception:  # speech is a help, not a condition: a kiosk without it still issues tickets
                log.exception("speech not started")
                return
            log.info("speech: %s", self.speaker.describe())
        self.flow.speak = self.speaker.say
        if callable(getattr(self.speaker, "health", None)):
            self.flow.tech.speaker = self.speaker
        self.flow.hush = self.speaker.stop

    def shutdown(self) -> None:
        """Stop the background threads, then the devices (also those made by a start-up still
        running when the app was told to quit) and the speaker: nothing runs after this."""
        self.flow.identity.stop()  # a face check ends at its next frame (ops.shutdown waits for it)
        self.ops.shutdown()  # lets work in flight finish; its results are no longer delivered
        self.stop_devices()
        for device in self._made_devices:
            try:
                device.stop()
            except Exception:
                log.exception("%s not stopped", getattr(device, "name", device))
        self._made_devices.clear()
        if self.speaker is not None:
            self.speaker.close()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.lockdown is not None and not self.lockdown.may_close():
            event.ignore()  # Alt+F4 or a close request in kiosk mode: only the supervisor's exit
            return
        # The translator is installed on the whole application: a closed window takes its
        # language with it, or the next window would start in this one's language.
        QApplication.instance().removeTranslator(self._translator)
        self._translator_language = "en"
        super().closeEvent(event)

    def _backend_failed(self, exc: BaseException) -> None:
        """No store or no catalog: an honest out-of-service screen, the reason for the technician."""
        message = exc.message if isinstance(exc, KioskError) else repr(exc)
        print(f"kiosk: out of service: {message}", file=sys.stderr)
        log.error("out of service: %s", message)
        self.flow.backend_failed(message, exc.code if isinstance(exc, KioskError) else None)

    def check_printer(self) -> None:
        self.flow.check_printer()

    # -- touches -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in _TOUCHES:
            if self.flow.touch():
                self.render()
        if kind in _TAPS and self.guarding() and isinstance(watched, QWidget) and watched.window() is self:
            return True  # the screen just appeared: this tap was meant for the one before
        return False

    def guarding(self) -> bool:
        """Whether taps are ignored now: the page (or the look) changed less than touch_guard_ms ago."""
        return (self.monotonic() - self._shown_at) * 1000 < self.touch_guard_ms

    def _page_shown(self, page: QWidget, state: SessionState) -> None:
        """Start the touch guard when what is under the visitor's finger changed."""
        shown = (page, state.language, state.large_text, state.high_contrast)
        if shown != self._shown:
            self._shown = shown
            self._shown_at = self.monotonic()

    # The flow's steps under the names the tests and benchmarks use.
    def on_start(self, language: str) -> None:
        self.flow.start(language)

    def on_switch_language(self) -> None:
        self.flow.switch_language()

    def on_agency(self, code: str) -> None:
        self.flow.choose_agency(code)

    def on_service(self, code: str) -> None:
        self.flow.choose_service(code)

    def on_take(self) -> None:
        self.flow.take()

    def on_back(self) -> None:
        self.flow.back()

    def on_home(self) -> None:
        self.flow.home()

    def on_confirm(self) -> None:
        self.flow.confirm()

    def on_tick(self) -> None:
        before, after = self.flow.tick()
        self.header.clock.setText(self._clock_text())
        if self.printer_timer.interval() != self.flow.printer_poll_ms:
            self.printer_timer.setInterval(self.flow.printer_poll_ms)
        if replace(after, countdown=None) != replace(before, countdown=None):
            self.render()
        elif after.countdown != before.countdown:  # only the countdown moved: leave the page alone
            self._render_footer(after)
            if after.step == Step.TICKET:
                self.ticket.show_countdown(after.countdown)

    # -- drawing ---------------------------------------------------------------------------------
    def _clock_text(self) -> str:
        now = self.clock.now().astimezone(self.settings.tz)
        return now.strftime("%H:%M ") + (now.tzname() or "")

    def _apply_language(self, language: str) -> None:
        if language == self._translator_language:
            return
        app = QApplication.instance()
        app.removeTranslator(self._translator)
        if language != "en" and self._translator.load(str(qm_path(language))):
            app.installTranslator(self._translator)
        self._translator_language = language

    def _apply_theme(self) -> None:
        state = self.flow.state
        theme = Theme.for_size(
            self.width(), self.height(), large_text=state.large_text, high_contrast=state.high_contrast
        )
        if theme != self.theme:
            self.theme = theme
            self.setStyleSheet(theme.stylesheet())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._apply_theme()
        self.render()

    @property
    def portrait(self) -> bool:
        return self.height() > self.width()

    def _render_footer(self, state: SessionState) -> None:
        step = state.step
        # The ticket screen has its own "Done" and a quiet countdown: no footer bar over it.
        # On the idle screen the strip stays, empty: see Footer.
        # The technician's screens have their own Cancel/Close: the strip only for the countdown.
        technician = step in _TECHNICIAN
        shown = step not in (Step.ISSUING, Step.TICKET) and (not technician or state.countdown is not None)
        self.footer.setVisible(shown)
        self.footer.render(
            show_home=step != Step.IDLE and not technician,
            show_back=step in _BACK_STEPS,
            countdown=state.countdown,
            done=step == Step.TICKET,
        )

    def render(self) -> None:
        flow = self.flow
        state: SessionState = flow.state
        self._apply_language(state.language)
        self._apply_theme()
        if self.printer_timer.interval() != flow.printer_poll_ms:
            self.printer_timer.setInterval(flow.printer_poll_ms)
        t = self.theme
        kiosk = flow.kiosk
        step = state.step if kiosk is not None else Step.IDLE
        if flow.fault is not None:
            self.stack.setCurrentWidget(self.fault_screen)
            self._page_shown(self.fault_screen, state)
            self.header.render(
                self.settings.hall.name,
                self._clock_text(),
                state.language,
                show_language=False,
                large_text=state.large_text,
                high_contrast=state.high_contrast,
                both_languages=True,
            )
            self.footer.setVisible(False)
            self.fault_screen.render(flow.fault_code)
            return
        # Swap the page before showing header and footer, so the old page never sits above a footer.
        page = self.unavailable if step == Step.IDLE and flow.locked and kiosk is not None else self.screens[step]
        self.stack.setCurrentWidget(page)
        self._page_shown(page, state)
        if step != Step.PIN:
            self.pin.reset()  # typed digits never outlive the PIN pad
        if step != Step.SUPERVISOR_PIN:
            self.supervisor_pin.reset()
        if step != Step.SUPERVISOR:
            self.supervisor.confirm_card.hide()
        if step == Step.DIAGNOSTICS and flow.camera is not None:
            self.preview.start(flow.camera)
        elif step != Step.DIAGNOSTICS and self.preview.running:
            self.preview.stop()
        if step != Step.NIK:
            self.nik.reset()  # the NIK's digits never outlive the keypad
        if step in (Step.IDENTIFY, Step.ENROL) and flow.camera is not None and flow.identity.camera_ok:
            self.face_preview.start(flow.camera)
        elif self.face_preview.running and (step not in (Step.IDENTIFY, Step.ENROL) or flow.camera is None):
            self.face_preview.stop()
        self.header.render(
            self.settings.hall.name,
            self._clock_text(),
            state.language,
            show_language=step not in (Step.IDLE, Step.ISSUING),
            offline=flow.offline_mark,
            large_text=state.large_text,
            high_contrast=state.high_contrast,
            both_languages=step == Step.IDLE,
        )
        self._render_footer(state)
        now = self.clock.now().astimezone(self.settings.tz)
        error_text = visitor_message(state.error, state.language, now) if state.error else None
        if page is self.unavailable:
            self.unavailable.render()
        elif step == Step.IDLE:
            closed = flow.hall_closed_until
            self.idle.render(
                self.settings.hall.name,
                not flow.printer_down or kiosk is None,
                self.portrait,
                kiosk.catalog if kiosk is not None else None,
                state.language,
                priority=state.priority,
                states=flow.service_states,
                now=now,
                notice=wording.hall_closed(closed, now, state.language) if closed is not None else None,
            )
        elif step == Step.SEARCH:
            self.search.render(
                kiosk.catalog,
                state.query,
                flow.search_hits,
                state.language,
                portrait=self.portrait,
                ready=flow.search_ready,
                states=flow.service_states,
                now=now,
            )
        elif step == Step.PRIORITY:
            self.priority.render(state.language, state.priority, portrait=self.portrait)
        elif step == Step.AGENCIES:
            columns = 2 if self.portrait else (3 if t.large_text else 4)  # large text: wider tiles
            rows = math.ceil(len(kiosk.catalog.agencies) / columns)
            free = self.height() - t.px(440)
            tile_height = max(t.px(150), min(t.px(260), free // rows - t.px(20)))
            unavailable = {
                a.code: wording.agency_reason([flow.state_of(s.code) for s in a.services], now, state.language)
                for a in kiosk.catalog.agencies
                if not flow.agency_available(a.code)
            }
            self.agencies.render(kiosk.catalog, state.language, columns, tile_height, t.px(72), unavailable)
        elif step == Step.SERVICES:
            self.services.render(
                kiosk.catalog.agency(state.agency_code),
                state.language,
                kiosk.online,
                1 if self.portrait else 2,
                flow.agency_availability,
                now,
                flow.service_states,
            )
        elif step in (Step.DETAIL, Step.CONFIRM):
            service = kiosk.catalog.service(state.service_code)
            agency = kiosk.catalog.agency(service.agency_code)
            if step == Step.DETAIL:
                self.detail.render(
                    service,
                    agency,
                    state.language,
                    flow.availability,
                    error_text,
                    kiosk.online,
                    1 if self.portrait else 2,
                    now,
                )
            else:
                self.confirm.render(
                    service, agency, state.language, flow.availability, flow.printer_ok, flow.printer_configured
                )
                self.confirm.render_priority(
                    state.priority, state.language, priority_strip(t.px(48), t.icon_color(), t.px(6))
                )
                self.confirm.render_identity(state.identity, state.enrolled)
        elif step in (Step.IDENTIFY, Step.ENROL):
            ident = flow.identity
            self.face.render(
                mode="enrol" if step == Step.ENROL else "identify",
                camera_ok=ident.camera_ok,
                running=ident.running,
                progress=ident.progress,
                deciding=ident.deciding,
                challenges=self.settings.face.challenges,
                message=state.id_message,
                portrait=self.portrait,
            )
        elif step == Step.SCAN:
            self.scan.render(camera_ok=flow.identity.camera_ok, message=state.id_message, portrait=self.portrait)
        elif step == Step.NIK:
            self.nik.render(
                digits=state.nik_entry,
                message=state.id_message,
                today=now.date(),
                camera_ok=flow.identity.camera_ok,
                portrait=self.portrait,
            )
        elif step == Step.CONSENT:
            self.consent.render(portrait=self.portrait)
        elif step == Step.ISSUING:
            self.issuing.render()
        elif step == Step.PIN:
            tech = flow.tech
            self.pin.render(
                configured=tech.configured, status=tech.pin_status, busy=tech.pin_busy, now=now, portrait=self.portrait
            )
        elif step == Step.SUPERVISOR_PIN:
            sup = flow.supervisor
            self.supervisor_pin.render(
                configured=sup.configured,
                status=sup.pin_status,
                busy=sup.pin_busy,
                now=now,
                portrait=self.portrait,
                badge_refused=sup.badge_refused,
            )
        elif step == Step.SUPERVISOR:
            self.supervisor.render(
                flow.supervisor,
                catalog=kiosk.catalog,
                language=state.language,
                printer_ok=flow.printer_ok,
                sync_status=flow.sync_status,
                locked=flow.locked,
                portrait=self.portrait,
            )
        elif step == Step.DIAGNOSTICS:
            camera = flow.camera
            self.diagnostics.render(
                flow.tech,
                camera_present=camera is not None,
                fps=camera.fps if camera is not None else None,
                now=now,
                portrait=self.portrait,
            )
        elif step == Step.TICKET:
            service = kiosk.catalog.service(state.ticket.service_code)
            self.ticket.render(
                state.ticket,
                service,
                state.language,
                flow.ticket_matrix,
                state.print_state,
                visitor_notice(state.error, state.language, now) if state.error else None,
                self.portrait,
                t.px(420 if self.portrait else 380),
                t.px(240 if self.portrait else 200),
                state.countdown,
            )
        apply_tints(self.stack, t)
        self.state_did_render.emit(state)
        self._restart_when_idle()


def _locked_at_start(kiosk) -> bool:
    """Whether the store holds the out-of-service lock (writer lane, at start-up); a store that
    cannot say is taken as not locked (the sync thread's status says it again)."""
    try:
        return bool(getattr(kiosk, "locked", False))
    except Exception as exc:  # noqa: BLE001 - the lock's read must not stop the kiosk from starting
        log.error("lock state not read at start: %r", exc)
        return False


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
