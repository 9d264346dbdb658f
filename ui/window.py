"""The kiosk window: renders the session state, forwards touches, runs slow work through Ops."""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk import i18n
from kiosk.app import Kiosk, build
from kiosk.clock import Clock, SystemClock
from kiosk.config import Settings
from kiosk.errors import KioskError, StoreError
from kiosk.i18n import qm_path
from kiosk.printing import REASON_ADAPTER, PrintOutcome, PrintState, failed
from kiosk.queue import Ticket
from kiosk.session import Session, SessionState, Step
from ui.errors import visitor_message
from ui.ops import Ops
from ui.screens import (
    AgencyScreen,
    ConfirmScreen,
    DetailScreen,
    FaultScreen,
    Footer,
    Header,
    IdleScreen,
    IssuingScreen,
    ServiceScreen,
    TicketScreen,
)
from ui.theme import Theme

log = logging.getLogger("kiosk.ui")

_TOUCHES = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)


def qr_matrix(payload: str) -> list[list[bool]]:
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


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
    """One window; `state_did_render` fires after every redraw (tests and benchmarks wait on it)."""

    state_did_render = Signal(object)
    backend_did_start = Signal()
    #: The sync thread's status changed (emitted on that thread, delivered on the GUI thread).
    sync_did_change = Signal(object)

    def __init__(self, settings: Settings, *, clock: Clock | None = None, kiosk_factory=build) -> None:
        super().__init__()
        self.setObjectName("Root")
        self.setWindowTitle("MPP Kiosk")
        self.settings = settings
        self.clock = clock or SystemClock(settings.tz)
        self.session = Session(self.clock, settings.timeouts, settings.kiosk.language)
        self.kiosk: Kiosk | None = None
        self._kiosk_factory = kiosk_factory
        self.availability = None
        self.agency_availability: dict = {}
        self.ticket_matrix: list[list[bool]] = []
        self.ops = Ops(self)
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
        self.fault_screen = FaultScreen()
        self.fault: str | None = None  # why the kiosk cannot work at all, for the technician
        self.printer_ok = True
        self._printer_last_health = None
        self.sync_status = None  # the sync thread's last SyncStatus; None: not started (yet)
        self._printer_facts = 0  # printer facts asked for or seen, numbered in order
        self._printer_fact_applied = 0  # the newest fact shown; older answers are dropped
        self.screens = {
            Step.IDLE: self.idle,
            Step.AGENCIES: self.agencies,
            Step.SERVICES: self.services,
            Step.DETAIL: self.detail,
            Step.CONFIRM: self.confirm,
            Step.ISSUING: self.issuing,
            Step.TICKET: self.ticket,
        }
        self.stack.setCurrentWidget(self.idle)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.header)
        box.addWidget(self.stack, 1)
        box.addWidget(self.footer)

        self.idle.start.connect(self.on_start)
        self.header.language_clicked.connect(self.on_switch_language)
        self.agencies.chosen.connect(self.on_agency)
        self.services.chosen.connect(self.on_service)
        self.detail.take.connect(self.on_take)
        self.confirm.confirm.connect(self.on_confirm)
        self.confirm.back.connect(self.on_back)
        self.footer.back.connect(self.on_back)
        self.footer.home.connect(self.on_home)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.on_tick)
        self.timer.start()
        self.printer_timer = QTimer(self)
        self.printer_timer.setInterval(30_000)
        self.printer_timer.timeout.connect(self.check_printer)
        QApplication.instance().installEventFilter(self)
        i18n.warm_up()  # the ticket layout translates on worker threads
        self._apply_language(self.session.state.language)
        self._apply_theme()
        self.render()

    # -- start-up -----------------------------------------------------------------------------
    def start_backend(self) -> None:
        """Open the store and load the catalog off the GUI thread; then warm the printer code up."""
        self.ops.run(
            lambda: self._kiosk_factory(self.settings, clock=self.clock),
            on_success=self._backend_ready,
            on_failure=self._backend_failed,
        )

    def _backend_ready(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        log.info("ready: store %s, %d services", kiosk.store.path, len(kiosk.catalog.services()))
        self.render()
        self.backend_did_start.emit()
        if self.settings.printer.kind in ("usb", "serial"):  # python-escpos moves their bytes: load it now
            from kiosk.escposlib import escpos_printer_module

            self.ops.run(escpos_printer_module, on_success=lambda _: None, on="printer")
        self.check_printer()
        self.printer_timer.start()
        self.sync_did_change.connect(self._sync_changed)
        # Started off the GUI thread: it imports the HTTP client and opens a store connection.
        self.ops.run(
            lambda: kiosk.start_sync(on_state=self.sync_did_change.emit, devices=self._device_report),
            on="devices",
            on_success=lambda worker: log.info("sync: %s", "started" if worker else "no central configured"),
            on_failure=lambda exc: log.error("sync not started: %r", exc),
        )

    def _device_report(self) -> list[dict]:
        """The devices for the heartbeat (read on the sync thread: a frozen snapshot)."""
        health = self._printer_last_health
        return [health.to_json()] if health is not None else []

    def _sync_changed(self, status) -> None:
        """The sync thread's news: the quiet offline mark, and a newer catalog from central."""
        before = self.sync_status
        self.sync_status = status
        if before is None or before.state != status.state:
            log.info("sync %s (backlog %d): %s", status.state, status.backlog, status.last_error or "ok")
        if status.catalog_version is not None and (before is None or before.catalog_version != status.catalog_version):
            kiosk = self.kiosk
            self.ops.run(kiosk.reload_catalog, on_success=lambda _: self._catalog_reloaded())
        if before is None or before.online != status.online:
            self.render()

    def _catalog_reloaded(self) -> None:
        """A new catalog shows without a restart; a visitor mid-way keeps their screen if their
        agency and service still exist, else starts over."""
        state, catalog = self.session.state, self.kiosk.catalog
        known = {s.code for s in catalog.services()}
        agencies = {a.code for a in catalog.agencies}
        if (state.service_code and state.service_code not in known) or (
            state.agency_code and state.agency_code not in agencies
        ):
            if state.step not in (Step.ISSUING, Step.TICKET):
                self.session.home()
        if self.session.state.step == Step.SERVICES:
            self._load_agency_availability()
        elif self.session.state.step in (Step.DETAIL, Step.CONFIRM):
            self._load_availability()
        self.render()

    def _backend_failed(self, exc: BaseException) -> None:
        """No store or no catalog: an honest out-of-service screen, the reason for the technician."""
        message = exc.message if isinstance(exc, KioskError) else repr(exc)
        print(f"kiosk: out of service: {message}", file=sys.stderr)
        log.error("out of service: %s", message)
        self.fault = message
        self.render()

    def check_printer(self) -> None:
        """Ask the printer how it is (printer thread); visitors are told before they confirm."""
        kiosk = self.kiosk
        token = self._next_printer_fact()
        if kiosk is None or kiosk.printer is None:
            self._printer_health(token, None)
            return
        self.ops.run(
            kiosk.printer.health,
            on="printer",
            on_success=lambda health: self._printer_health(token, health),
            on_failure=lambda exc: log.error("printer health check failed: %r", exc),
        )

    def _next_printer_fact(self) -> int:
        self._printer_facts += 1
        return self._printer_facts

    def _printer_health(self, token: int, health) -> None:
        from devices.health import Status

        ok = health is not None and health.status != Status.ERROR  # "near end" still prints
        if token > self._printer_fact_applied:
            self._printer_last_health = health
        self._set_printer_ok(token, ok, health.reason if health else "none configured")

    def _set_printer_ok(self, token: int, ok: bool, reason: str) -> None:
        """Apply a printer fact unless a newer one (a later check or print outcome) was applied."""
        if token <= self._printer_fact_applied:
            return
        self._printer_fact_applied = token
        # While the printer is down, look again often, so the warning goes as soon as it is fixed.
        self.printer_timer.setInterval(30_000 if ok else 5_000)
        if ok != self.printer_ok:
            log.info("printer %s: %s", "ok" if ok else "down", reason)
            self.printer_ok = ok
            self.render()

    # -- touches -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _TOUCHES:
            had_countdown = self.session.state.countdown is not None
            self.session.touch()
            if had_countdown:
                self.render()
        return False

    def on_start(self, language: str) -> None:
        if self.kiosk is None:  # still opening the store (a fraction of a second after start)
            return
        self.session.start(language)
        self.render()

    def on_switch_language(self) -> None:
        self.session.set_language("en" if self.session.state.language == "id" else "id")
        self.render()

    def on_agency(self, code: str) -> None:
        self.session.choose_agency(code)
        self._load_agency_availability()
        self.render()

    def _load_agency_availability(self) -> None:
        """Today's queue for each of the agency's services, read by the writer thread."""
        self.agency_availability = {}
        code, kiosk = self.session.state.agency_code, self.kiosk
        services = kiosk.catalog.agency(code).services

        def done(found: dict) -> None:
            if self.session.state.agency_code == code:
                self.agency_availability = found
                self.render()

        self.ops.run(lambda: {s.code: kiosk.queue.availability(s) for s in services}, on_success=done)

    def on_service(self, code: str) -> None:
        self.session.choose_service(code)
        self._load_availability()
        self.render()

    def on_take(self) -> None:
        self.session.to_confirm()
        self.render()

    def on_back(self) -> None:
        self.session.back()
        if self.session.state.step == Step.DETAIL:
            self._load_availability()
        elif self.session.state.step == Step.SERVICES:
            self._load_agency_availability()
        self.render()

    def on_home(self) -> None:
        self.session.home()
        self.render()

    def on_confirm(self) -> None:
        kiosk, state = self.kiosk, self.session.state
        if state.step != Step.CONFIRM or kiosk is None:  # a second tap while the first one works
            return
        self.session.issuing()
        self.render()
        hall = self.settings.hall.code

        def issue() -> tuple[Ticket, list[list[bool]]]:
            ticket = kiosk.issue_ticket(state.service_code, language=state.language)
            return ticket, qr_matrix(ticket.qr_payload(hall))

        self.ops.run(issue, on_success=self._issued, on_failure=self._issue_failed)

    def _issued(self, result: tuple[Ticket, list[list[bool]]]) -> None:
        ticket, self.ticket_matrix = result
        log.info("ticket %s issued for %s", ticket.number, ticket.service_code)
        self.session.issued(ticket)
        self.render()
        kiosk = self.kiosk

        def adapter_failed(exc: BaseException) -> None:  # send_ticket never raises; if it ever does,
            log.error("printing ticket %s failed: %r", ticket.number, exc)  # "printing…" still ends
            self._printed(ticket, failed("printer", REASON_ADAPTER, "adapter"))

        self.ops.run(
            lambda: kiosk.send_ticket(ticket),
            on="printer",
            on_success=lambda outcome: self._printed(ticket, outcome),
            on_failure=adapter_failed,
        )

    def _printed(self, ticket: Ticket, outcome: PrintOutcome) -> None:
        kiosk = self.kiosk

        def not_recorded(exc: BaseException) -> None:  # settled by reconcile() at the next start
            log.error("print outcome of ticket %s not recorded: %s", ticket.number, exc)

        self.ops.run(lambda: kiosk.record_print(ticket, outcome), on_success=lambda _: None, on_failure=not_recorded)
        if outcome.error:
            log.warning("ticket %s not printed: %s", ticket.number, outcome.error.message)
        # The outcome is the newest fact about the printer: a failed print marks it down at once
        # (the next visitor is warned), and checks that started before it cannot undo that.
        ok = outcome.state != PrintState.FAILED
        self._set_printer_ok(self._next_printer_fact(), ok, outcome.error.message if outcome.error else "printed")
        state = self.session.state
        if state.step == Step.TICKET and state.ticket is not None and state.ticket.id == ticket.id:
            self.session.print_finished(outcome.error)
            self.render()

    def _issue_failed(self, exc: BaseException) -> None:
        error = exc if isinstance(exc, KioskError) else KioskError()
        if isinstance(exc, StoreError) or not isinstance(exc, KioskError):
            log.error("issuing failed: %s", exc, exc_info=exc)
        self.session.issue_failed(error)
        self._load_availability()
        self.render()

    def _load_availability(self) -> None:
        self.availability = None
        code, kiosk = self.session.state.service_code, self.kiosk
        if code is None or kiosk is None:
            return
        service = kiosk.catalog.service(code)

        def done(availability) -> None:
            if self.session.state.service_code == code:
                self.availability = availability
                self.render()

        def retry() -> None:
            if self.session.state.service_code == code:
                self._load_availability()

        def failed(exc: BaseException) -> None:  # e.g. the store is busy: ask again shortly
            log.warning("queue state for %s not read: %s", code, exc)
            QTimer.singleShot(2000, retry)

        self.ops.run(lambda: kiosk.queue.availability(service), on_success=done, on_failure=failed)

    def on_tick(self) -> None:
        before = self.session.state
        after = self.session.tick()
        self.header.clock.setText(self._clock_text())
        if replace(after, countdown=None) != replace(before, countdown=None):
            self.render()
        elif after.countdown != before.countdown:  # only the countdown moved: leave the page alone
            self._render_footer(after)

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
        theme = Theme.for_size(self.width(), self.height())
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
        self.footer.setVisible(step not in (Step.IDLE, Step.ISSUING))
        self.footer.render(
            show_back=step in (Step.AGENCIES, Step.SERVICES, Step.DETAIL),
            countdown=state.countdown,
            done=step == Step.TICKET,
        )

    def render(self) -> None:
        state: SessionState = self.session.state
        self._apply_language(state.language)
        t = self.theme
        kiosk = self.kiosk
        step = state.step if kiosk is not None else Step.IDLE
        if self.fault is not None:
            self.stack.setCurrentWidget(self.fault_screen)
            self.header.render(self.settings.hall.name, self._clock_text(), state.language, show_language=False)
            self.footer.setVisible(False)
            self.fault_screen.render(self.fault)
            return
        # Swap the page before showing header and footer, so the old page never sits above a footer.
        self.stack.setCurrentWidget(self.screens[step])
        self.header.render(
            self.settings.hall.name,
            self._clock_text(),
            state.language,
            show_language=step not in (Step.IDLE, Step.ISSUING),
            offline=self.sync_status is not None and not self.sync_status.online,
        )
        self._render_footer(state)
        error_text = visitor_message(state.error) if state.error else None
        if step == Step.IDLE:
            self.idle.render(self.settings.hall.name, self.printer_ok or kiosk is None, self.portrait, t.px(140))
        elif step == Step.AGENCIES:
            columns = 2 if self.portrait else 4
            rows = math.ceil(len(kiosk.catalog.agencies) / columns)
            free = self.height() - t.px(440)
            tile_height = max(t.px(150), min(t.px(260), free // rows - t.px(20)))
            self.agencies.render(kiosk.catalog, state.language, columns, tile_height, t.px(72))
        elif step == Step.SERVICES:
            self.services.render(
                kiosk.catalog.agency(state.agency_code),
                state.language,
                kiosk.online,
                1 if self.portrait else 2,
                self.agency_availability,
            )
        elif step in (Step.DETAIL, Step.CONFIRM):
            service = kiosk.catalog.service(state.service_code)
            agency = kiosk.catalog.agency(service.agency_code)
            if step == Step.DETAIL:
                self.detail.render(
                    service,
                    agency,
                    state.language,
                    self.availability,
                    error_text,
                    kiosk.online,
                    1 if self.portrait else 2,
                )
            else:
                self.confirm.render(service, agency, state.language, self.availability, self.printer_ok)
        elif step == Step.ISSUING:
            self.issuing.render()
        elif step == Step.TICKET:
            service = kiosk.catalog.service(state.ticket.service_code)
            self.ticket.render(
                state.ticket,
                service,
                state.language,
                self.ticket_matrix,
                state.print_state,
                error_text,
                self.portrait,
                t.px(420 if self.portrait else 380),
            )
        self.state_did_render.emit(state)


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
