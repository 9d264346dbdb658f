"""The kiosk window: hosts the pages, forwards touches to the flow, redraws when it changes.

Drawing, start-up, devices and the staff's screens live beside it (ui/window/render.py,
backend.py, devices.py, staff.py), mixed into this one class."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk import i18n
from kiosk.app import Kiosk, build
from kiosk.clock import Clock, SystemClock
from kiosk.config import Settings
from kiosk.flow import Flow
from kiosk.i18n import qm_path
from kiosk.session import Session, SessionState, Step
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
from ui.screens.supervisor import SupervisorPinScreen, SupervisorScreen
from ui.screens.unavailable import UnavailableScreen
from ui.theme import Theme
from ui.window.backend import BackendMixin
from ui.window.devices import DevicesMixin
from ui.window.render import PageHost, RenderMixin
from ui.window.staff import StaffMixin

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
#: A screen ignores taps for this long after it appears (or its look changes), so the second tap
#: of a double tap, or a finger still on the glass, never presses what now sits under it.
TOUCH_GUARD_MS = 450


class KioskWindow(BackendMixin, DevicesMixin, StaffMixin, RenderMixin, QWidget):
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
        self._connect_devices()
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

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802
        if self.lockdown is not None and not self.lockdown.may_close():
            event.ignore()  # Alt+F4 or a close request in kiosk mode: only the supervisor's exit
            return
        # The translator is installed on the whole application: a closed window takes its
        # language with it, or the next window would start in this one's language.
        QApplication.instance().removeTranslator(self._translator)
        self._translator_language = "en"
        super().closeEvent(event)

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
