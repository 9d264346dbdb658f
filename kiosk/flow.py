"""The visitor's flow, step by step, without a screen.

`Flow` owns the session and the facts the screens show (today's queue of the chosen service,
the printer's state, the link to central) and runs each step of the walk-in flow: choose,
confirm, issue → print → record. Slow work (the store, the printer) goes through a `Runner`
that the window backs with its threads (`ui/ops.py`) and a test may back with a plain loop.
Whoever shows the flow subscribes with `on_change` and redraws; it never decides anything.

Every command checks the step it belongs to, so a second tap that arrives after the first one
moved the visitor on does nothing (a double tap is one action).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.app import Kiosk
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import KioskError, StoreError
from kiosk.printing import REASON_ADAPTER, PrintOutcome, PrintState, failed
from kiosk.queue import Ticket
from kiosk.session import Session, SessionState, Step

log = logging.getLogger("kiosk.flow")

#: How often the printer is asked how it is: rarely while it is fine, often while it is down,
#: so the warning goes as soon as staff fix it.
PRINTER_POLL_OK_MS = 30_000
PRINTER_POLL_DOWN_MS = 5_000
#: When today's queue could not be read (the store busy): ask again after this long.
RETRY_MS = 2_000


class Runner(Protocol):
    """Runs slow work off the screen's thread and hands the result back on it."""

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        on: str = "writer",
    ) -> None: ...

    def later(self, ms: int, fn: Callable[[], None]) -> None: ...


def qr_matrix(payload: str) -> list[list[bool]]:
    """The ticket's QR code as rows of dark (True) and light modules."""
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


class Flow:
    """One visitor at a time, from the attract screen to the ticket in their hand."""

    def __init__(self, settings: Settings, clock: Clock, runner: Runner) -> None:
        self.settings = settings
        self.clock = clock
        self.runner = runner
        self.session = Session(clock, settings.timeouts, settings.kiosk.language)
        self.kiosk: Kiosk | None = None
        #: Why the kiosk cannot work at all (its store or catalog), for the technician.
        self.fault: str | None = None
        #: Today's queue of the chosen service (None while it is being read).
        self.availability = None
        #: Today's queue of each service of the chosen agency.
        self.agency_availability: dict = {}
        self.ticket_matrix: list[list[bool]] = []
        self.printer_ok = True
        self.printer_health = None  # the newest DeviceHealth, for the heartbeat
        self.printer_poll_ms = PRINTER_POLL_OK_MS
        self.sync_status = None  # the sync thread's last SyncStatus; None: not started (yet)
        self._printer_facts = 0  # printer facts asked for or seen, numbered in order
        self._printer_fact_applied = 0  # the newest fact shown; older answers are dropped
        #: Called after every change worth a redraw.
        self.on_change: Callable[[], None] = lambda: None

    @property
    def state(self) -> SessionState:
        return self.session.state

    @property
    def step(self) -> Step:
        return self.session.state.step

    def _changed(self) -> None:
        self.on_change()

    # -- start-up -----------------------------------------------------------------------------
    def backend_ready(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self._changed()

    def backend_failed(self, message: str) -> None:
        self.fault = message
        self._changed()

    # -- the printer ---------------------------------------------------------------------------
    def check_printer(self) -> None:
        """Ask the printer how it is (printer thread); visitors are told before they confirm."""
        kiosk = self.kiosk
        token = self._next_printer_fact()
        if kiosk is None or kiosk.printer is None:
            self._printer_answered(token, None)
            return
        self.runner.run(
            kiosk.printer.health,
            on="printer",
            on_success=lambda health: self._printer_answered(token, health),
            on_failure=lambda exc: log.error("printer health check failed: %r", exc),
        )

    @property
    def printer_configured(self) -> bool:
        """False when the kiosk has no printer on purpose (`[printer] kind = "none"`)."""
        return self.settings.printer.kind != "none"

    def _next_printer_fact(self) -> int:
        self._printer_facts += 1
        return self._printer_facts

    def _printer_answered(self, token: int, health) -> None:
        from devices.health import Status

        if health is None:  # no printer on purpose: nothing to warn about, tickets show on screen
            self._set_printer_ok(token, not self.printer_configured, "none configured")
            return
        if token > self._printer_fact_applied:
            self.printer_health = health
        self._set_printer_ok(token, health.status != Status.ERROR, health.reason)  # "near end" still prints

    def _set_printer_ok(self, token: int, ok: bool, reason: str) -> None:
        """Apply a printer fact unless a newer one (a later check or print outcome) was applied."""
        if token <= self._printer_fact_applied:
            return
        self._printer_fact_applied = token
        self.printer_poll_ms = PRINTER_POLL_OK_MS if ok else PRINTER_POLL_DOWN_MS
        if ok != self.printer_ok:
            log.info("printer %s: %s", "ok" if ok else "down", reason)
            self.printer_ok = ok
            self._changed()

    def device_report(self) -> list[dict]:
        """The devices for the heartbeat (read on the sync thread: a frozen snapshot)."""
        health = self.printer_health
        return [health.to_json()] if health is not None else []

    # -- central ---------------------------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self.kiosk is not None and self.kiosk.online

    @property
    def offline_mark(self) -> bool:
        """The quiet header mark: a sync thread runs and its last round did not reach central."""
        return self.sync_status is not None and not self.sync_status.online

    def sync_changed(self, status) -> None:
        """The sync thread's news: the offline mark, and a newer catalog from central."""
        before = self.sync_status
        self.sync_status = status
        if before is None or before.state != status.state:
            log.info("sync %s (backlog %d): %s", status.state, status.backlog, status.last_error or "ok")
        if status.catalog_version is not None and (before is None or before.catalog_version != status.catalog_version):
            kiosk = self.kiosk
            self.runner.run(kiosk.reload_catalog, on_success=lambda _: self.catalog_reloaded())
        if before is None or before.online != status.online:
            self._changed()

    def catalog_reloaded(self) -> None:
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
        self._reload_step_facts()
        self._changed()

    def _reload_step_facts(self) -> None:
        if self.step == Step.SERVICES:
            self.load_agency_availability()
        elif self.step in (Step.DETAIL, Step.CONFIRM):
            self.load_availability()

    # -- the visitor's steps -----------------------------------------------------------------------
    def touch(self) -> bool:
        """Any touch keeps the session alive; True if a countdown was showing (now gone)."""
        had_countdown = self.session.state.countdown is not None
        self.session.touch()
        return had_countdown

    def start(self, language: str | None = None) -> None:
        if self.kiosk is None or self.step != Step.IDLE:  # still opening the store, or a second tap
            return
        self.session.start(language)
        self._changed()

    def switch_language(self, language: str | None = None) -> None:
        other = "en" if self.session.state.language == "id" else "id"
        self.session.set_language(language or other)
        self._changed()

    def choose_agency(self, code: str) -> None:
        if self.kiosk is None or self.step not in (Step.IDLE, Step.AGENCIES):
            return
        self.session.choose_agency(code)
        self.load_agency_availability()
        self._changed()

    def choose_service(self, code: str) -> None:
        if self.kiosk is None or self.step not in (Step.IDLE, Step.AGENCIES, Step.SERVICES):
            return
        if self.session.state.agency_code is None or self.step != Step.SERVICES:
            # straight from a need or a search: the service's agency is the way back
            self.session.choose_agency(self.kiosk.catalog.service(code).agency_code)
        self.session.choose_service(code)
        self.load_availability()
        self._changed()

    def take(self) -> None:
        if self.step != Step.DETAIL:
            return
        self.session.to_confirm()
        self._changed()

    def back(self) -> None:
        self.session.back()
        self._reload_step_facts()
        self._changed()

    def home(self) -> None:
        self.session.home()
        self._changed()

    def tick(self) -> tuple[SessionState, SessionState]:
        """The clock moved: (before, after); the caller redraws what changed."""
        before = self.session.state
        return before, self.session.tick()

    # -- issue → print → record ----------------------------------------------------------------------
    def confirm(self) -> None:
        kiosk, state = self.kiosk, self.session.state
        if state.step != Step.CONFIRM or kiosk is None:  # a second tap while the first one works
            return
        self.session.issuing()
        self._changed()
        hall = self.settings.hall.code

        def issue() -> tuple[Ticket, list[list[bool]]]:
            ticket = kiosk.issue_ticket(state.service_code, language=state.language)
            return ticket, qr_matrix(ticket.qr_payload(hall))

        self.runner.run(issue, on_success=self._issued, on_failure=self._issue_failed)

    def _issued(self, result: tuple[Ticket, list[list[bool]]]) -> None:
        ticket, self.ticket_matrix = result
        log.info("ticket %s issued for %s", ticket.number, ticket.service_code)
        self.session.issued(ticket)
        self._changed()
        kiosk = self.kiosk

        def adapter_failed(exc: BaseException) -> None:  # send_ticket never raises; if it ever does,
            log.error("printing ticket %s failed: %r", ticket.number, exc)  # "printing…" still ends
            self._printed(ticket, failed("printer", REASON_ADAPTER, "adapter"))

        self.runner.run(
            lambda: kiosk.send_ticket(ticket),
            on="printer",
            on_success=lambda outcome: self._printed(ticket, outcome),
            on_failure=adapter_failed,
        )

    def _printed(self, ticket: Ticket, outcome: PrintOutcome) -> None:
        kiosk = self.kiosk

        def not_recorded(exc: BaseException) -> None:  # settled by reconcile() at the next start
            log.error("print outcome of ticket %s not recorded: %s", ticket.number, exc)

        self.runner.run(lambda: kiosk.record_print(ticket, outcome), on_success=lambda _: None, on_failure=not_recorded)
        if outcome.error:
            log.warning("ticket %s not printed: %s", ticket.number, outcome.error.message)
        # The outcome is the newest fact about the printer: a failed print marks it down at once
        # (the next visitor is warned), and checks that started before it cannot undo that.
        ok = outcome.state != PrintState.FAILED
        self._set_printer_ok(self._next_printer_fact(), ok, outcome.error.message if outcome.error else "printed")
        state = self.session.state
        if state.step == Step.TICKET and state.ticket is not None and state.ticket.id == ticket.id:
            self.session.print_finished(outcome.error)
            self._changed()

    def _issue_failed(self, exc: BaseException) -> None:
        error = exc if isinstance(exc, KioskError) else KioskError()
        if isinstance(exc, StoreError) or not isinstance(exc, KioskError):
            log.error("issuing failed: %s", exc, exc_info=exc)
        self.session.issue_failed(error)
        self.load_availability()
        self._changed()

    # -- today's queue -----------------------------------------------------------------------------
    def load_agency_availability(self) -> None:
        """Today's queue for each of the agency's services, read by the writer thread."""
        self.agency_availability = {}
        code, kiosk = self.session.state.agency_code, self.kiosk
        services = kiosk.catalog.agency(code).services

        def done(found: dict) -> None:
            if self.session.state.agency_code == code:
                self.agency_availability = found
                self._changed()

        self.runner.run(lambda: {s.code: kiosk.queue.availability(s) for s in services}, on_success=done)

    def load_availability(self) -> None:
        self.availability = None
        code, kiosk = self.session.state.service_code, self.kiosk
        if code is None or kiosk is None:
            return
        service = kiosk.catalog.service(code)

        def done(availability) -> None:
            if self.session.state.service_code == code:
                self.availability = availability
                self._changed()

        def retry() -> None:
            if self.session.state.service_code == code:
                self.load_availability()

        def not_read(exc: BaseException) -> None:  # e.g. the store is busy: ask again shortly
            log.warning("queue state for %s not read: %s", code, exc)
            self.runner.later(RETRY_MS, retry)

        self.runner.run(lambda: kiosk.queue.availability(service), on_success=done, on_failure=not_read)
