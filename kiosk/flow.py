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
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kiosk.app import Kiosk
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import KioskError, StoreError
from kiosk.logs import DeviceStateLog
from kiosk.printing import REASON_ADAPTER, PrintOutcome, PrintState, failed
from kiosk.priority import parse_priority
from kiosk.queue import Ticket
from kiosk.session import PrintState as ScreenPrint
from kiosk.session import Session, SessionState, Step
from kiosk.wording import CLOSED, FULL, LEASE_USED, ONLINE_ONLY_OFFLINE, OPEN

log = logging.getLogger("kiosk.flow")

#: How often the printer is asked how it is: rarely while it is fine, often while it is down,
#: so the warning goes as soon as staff fix it.
PRINTER_POLL_OK_MS = 30_000
PRINTER_POLL_DOWN_MS = 5_000
#: When today's queue could not be read (the store busy): ask again after this long.
RETRY_MS = 2_000
#: How many search results the search screen shows.
SEARCH_LIMIT = 8
#: How often today's state of every service (open, closed, full...) is read again while idle.
STATES_EVERY_SECONDS = 30


@dataclass(frozen=True)
class ServiceState:
    """Whether a service can be taken now, and if not why: `kind` is one of kiosk.wording's OPEN,
    CLOSED, FULL, LEASE_USED, ONLINE_ONLY_OFFLINE; `until` is when it opens (closed) or has new
    numbers (full), when known. Words for it: `kiosk.wording.state_reason(kind, until, now, language)`."""

    kind: str = OPEN
    until: datetime | None = None

    @property
    def available(self) -> bool:
        return self.kind == OPEN


def service_state(service, availability, *, online: bool) -> ServiceState:
    """A service's state from today's queue (None: not read yet, shown as open) and the link."""
    if availability is not None and not availability.open:  # closed says more than "offline"
        return ServiceState(CLOSED, availability.opens_at)
    if not service.offline and not online:
        return ServiceState(ONLINE_ONLY_OFFLINE)
    if availability is None:
        return ServiceState(OPEN)
    if availability.lease_used:
        return ServiceState(LEASE_USED)
    if availability.quota_left <= 0:
        return ServiceState(FULL, availability.opens_at)
    return ServiceState(OPEN)


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


def ticket_done(state: SessionState) -> bool:
    """The ticket's printing has ended, well or not: its number can be read aloud."""
    return state.print_state in (ScreenPrint.PRINTED, ScreenPrint.FAILED)


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
        #: Why the kiosk cannot work at all (its store or catalog), for the technician's log.
        self.fault: str | None = None
        #: The stable code of that fault (KioskError.code), the only part shown on screen.
        self.fault_code: str | None = None
        #: Today's queue of every service, read together (None until first read).
        self.today: dict | None = None
        #: Today's state of every service: service code -> ServiceState (empty until first read).
        self.service_states: dict[str, ServiceState] = {}
        self._states_read_at: datetime | None = None
        #: Today's queue of the chosen service (None while it is being read).
        self.availability = None
        #: Today's queue of each service of the chosen agency.
        self.agency_availability: dict = {}
        self.ticket_matrix: list[list[bool]] = []
        self.printer_ok = True
        self.printer_health = None  # the newest DeviceHealth, for the heartbeat
        #: Writes one log line when a device's state changes (printer here, the others by the window).
        self.device_states = DeviceStateLog(history=settings.data_dir / "health-history.jsonl")
        self.printer_poll_ms = PRINTER_POLL_OK_MS
        self.sync_status = None  # the sync thread's last SyncStatus; None: not started (yet)
        self._printer_facts = 0  # printer facts asked for or seen, numbered in order
        self._printer_fact_applied = 0  # the newest fact shown; older answers are dropped
        #: The search index (kiosk/search.py) of `_search_catalog`; built off the GUI thread.
        self._search = None
        self._search_catalog = None
        #: The hits for the session's query, best first (each with `.service` and `.score`).
        self.search_hits: tuple = ()
        #: Called after every change worth a redraw.
        self.on_change: Callable[[], None] = lambda: None
        #: Says a prompt aloud: `speak(text, language)` never blocks (a Speaker's `say`), and
        #: `hush()` stops what is being said (the visitor left). Silent until the window sets them.
        self.speak: Callable[[str, str], None] = lambda text, language: None
        self.hush: Callable[[], None] = lambda: None
        self._announced: tuple | None = None
        #: The technician's way in and screen (kiosk/pin.py, kiosk/diag.py): see "technician" below.
        self.tech = Technician(self)
        #: The camera and scanner objects (devices/), made and started by the window off the first paint.
        self.camera = None
        self.scanner = None
        #: The newest health of the camera, the scanner and the speaker, read on the devices pool
        #: every few seconds (a tuple, replaced whole: the sync thread reads it for the heartbeat).
        self.device_health: tuple = ()

    @property
    def state(self) -> SessionState:
        return self.session.state

    @property
    def step(self) -> Step:
        return self.session.state.step

    def _changed(self) -> None:
        self.on_change()
        self.announce()

    # -- spoken prompts ----------------------------------------------------------------------------
    def announce(self) -> None:
        """Say the prompt of the step the visitor has just reached, once (a redraw on the same
        step says nothing again; a language switch says it again in the new language)."""
        state = self.session.state
        ticket = state.ticket
        key = (
            state.step,
            state.language,
            state.service_code,
            ticket.id if ticket else None,
            state.print_state,
            state.countdown is not None,
        )
        if key == self._announced:
            return
        before, self._announced = self._announced, key
        text = self._prompt(state)
        if text:
            self.speak(text, state.language)
        elif before is not None and before[0] != state.step and state.step == Step.IDLE:
            self.hush()  # the visit ended: do not finish its sentence to the next visitor

    def _prompt(self, state: SessionState) -> str | None:
        from kiosk import speech_text as say

        language, kiosk = state.language, self.kiosk
        if state.countdown is not None:
            return say.prompt(say.Step.STILL_THERE, language)
        silent = (Step.IDLE, Step.ISSUING, Step.SEARCH, Step.PRIORITY, Step.PIN, Step.DIAGNOSTICS)
        if kiosk is None or state.step in silent:
            return None
        if state.step == Step.AGENCIES:
            return say.prompt(say.Step.AGENCY, language)
        if state.step == Step.SERVICES:
            return say.prompt(say.Step.SERVICE, language)
        if state.step == Step.DETAIL:
            return kiosk.catalog.service(state.service_code).name(language)
        if state.step == Step.CONFIRM:
            return say.confirm_prompt(kiosk.catalog.service(state.service_code).name(language), language)
        if state.step == Step.TICKET and ticket_done(state):
            service = kiosk.catalog.service(state.ticket.service_code)
            return say.ticket_prompt(
                state.ticket.number,
                service.counter_name(language),
                language,
                printed=state.print_state == ScreenPrint.PRINTED,
            )
        return None

    # -- start-up -----------------------------------------------------------------------------
    def backend_ready(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self._build_search()
        self._changed()
        self.load_service_states()

    def _build_search(self) -> None:
        """Index the catalog for search once, off the GUI thread (again after a catalog reload)."""
        kiosk = self.kiosk
        catalog = kiosk.catalog

        def build():
            from kiosk.search import Search

            return Search(catalog)

        def built(index) -> None:
            if kiosk.catalog is not catalog:  # a newer catalog arrived meanwhile: its own build follows
                return
            self._search, self._search_catalog = index, catalog
            if self.step == Step.SEARCH:
                self._run_search()
                self._changed()

        self.runner.run(
            build, on="devices", on_success=built, on_failure=lambda exc: log.error("search index not built: %r", exc)
        )

    def backend_failed(self, message: str, code: str | None = None) -> None:
        self.fault = message
        self.fault_code = code
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
            self.device_states.note(health)
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

    @property
    def printer_down(self) -> bool:
        """A printer is configured and does not work now: warn (a kiosk without one never warns)."""
        return self.printer_configured and not self.printer_ok

    @property
    def prints(self) -> bool:
        """Whether the next ticket is expected on paper (else it is shown on screen only)."""
        return self.printer_configured and self.printer_ok

    def device_report(self) -> list[dict]:
        """The devices for the heartbeat (read on the sync thread: a frozen snapshot)."""
        health = self.printer_health
        return ([health.to_json()] if health is not None else []) + [h.to_json() for h in self.device_health]

    # -- the technician (see Technician) ----------------------------------------------------------
    def open_technician(self) -> None:
        self.tech.open()

    def enter_pin(self, pin: str) -> None:
        self.tech.enter_pin(pin)

    def leave_technician(self) -> None:
        self.tech.leave()

    def scanned(self, event) -> None:
        self.tech.scanned(event)

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
            self.load_service_states()
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
        self._build_search()
        self._run_search()
        self._reload_step_facts()
        self.load_service_states()
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
        """Browse by agency: from the idle screen, or the search screen's way out."""
        if self.kiosk is None or self.step not in (Step.IDLE, Step.SEARCH):  # still opening, or a second tap
            return
        self.session.start(language)
        self._changed()

    def switch_language(self, language: str | None = None) -> None:
        other = "en" if self.session.state.language == "id" else "id"
        self.session.set_language(language or other)
        self._run_search()
        self._changed()

    def toggle_large_text(self) -> None:
        """Large text on or off, on any screen; the visitor's progress stays."""
        self.session.set_look(large_text=not self.session.state.large_text)
        self._changed()

    def toggle_high_contrast(self) -> None:
        """High contrast on or off, on any screen; the visitor's progress stays."""
        self.session.set_look(high_contrast=not self.session.state.high_contrast)
        self._changed()

    # -- search ------------------------------------------------------------------------------------
    def open_search(self) -> None:
        if self.kiosk is None or self.step != Step.IDLE:
            return
        self.session.open_search()
        self._run_search()
        self._changed()

    def search_text(self, text: str) -> None:
        """The visitor's query changed (a key on the screen or a hardware keyboard): new results at once."""
        if self.step != Step.SEARCH or text == self.state.query:
            return
        self.session.set_query(text)
        self._run_search()
        self._changed()

    @property
    def search_ready(self) -> bool:
        """Whether the search index of the current catalog is built (results can be shown)."""
        return self.kiosk is not None and self._search is not None and self._search_catalog is self.kiosk.catalog

    def _run_search(self) -> None:
        """The query's hits, on the calling (GUI) thread: the index answers in a few milliseconds."""
        query = self.state.query.strip()
        if not query or not self.search_ready:
            self.search_hits = ()
            return
        self.search_hits = tuple(self._search.search(query, self.state.language, limit=SEARCH_LIMIT))

    # -- priority ----------------------------------------------------------------------------------
    def open_priority(self) -> None:
        """The priority chooser, from the idle screen or before confirming."""
        if self.kiosk is None or self.step not in (Step.IDLE, Step.CONFIRM):
            return
        self.session.open_priority()
        self._changed()

    def choose_priority(self, kind: str | None) -> None:
        """`kind` a kiosk/priority.py code, or None (not needed); back to where the chooser was opened."""
        if self.step != Step.PRIORITY:
            return
        chosen = parse_priority(kind)
        self.session.set_priority(chosen.value if chosen is not None else None)
        self._changed()

    # -- browsing ----------------------------------------------------------------------------------
    def choose_agency(self, code: str) -> None:
        if self.kiosk is None or self.step not in (Step.IDLE, Step.AGENCIES):
            return
        self.session.choose_agency(code)
        self.load_agency_availability()
        self._changed()

    def choose_service(self, code: str) -> None:
        """A service from its agency's list, or straight from a need (IDLE) or a search hit (SEARCH)."""
        if self.kiosk is None or self.step not in (Step.IDLE, Step.SEARCH, Step.SERVICES):
            return
        if self.step == Step.SERVICES:
            self.session.choose_service(code)
        else:  # Back returns to the need or the search results
            service = self.kiosk.catalog.service(code)
            self.session.choose_service(service.code, agency_code=service.agency_code, origin=self.step)
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
        self.load_service_states()

    def tick(self) -> tuple[SessionState, SessionState]:
        """The clock moved: (before, after); the caller redraws what changed. Back at idle (the
        session timed out) and every STATES_EVERY_SECONDS, today's service states are read again."""
        before = self.session.state
        after = self.session.tick()
        read_at = self._states_read_at
        stale = read_at is not None and (self.clock.now() - read_at).total_seconds() >= STATES_EVERY_SECONDS
        if (before.step != Step.IDLE and after.step == Step.IDLE) or stale:
            self.load_service_states()
        if after != before:
            self.announce()
        return before, after

    # -- today's state of every service ------------------------------------------------------------
    def load_service_states(self) -> None:
        """Read today's queue of every service at once (writer thread) and decide each one's state."""
        kiosk = self.kiosk
        if kiosk is None:
            return
        self._states_read_at = self.clock.now()  # also while the read runs: one at a time per period
        services = kiosk.catalog.services()

        def read() -> dict:
            return {s.code: kiosk.queue.availability(s) for s in services}

        def done(today: dict) -> None:
            self.today = today
            states = self.states_from(today)
            if states != self.service_states:
                self.service_states = states
                self._changed()

        def not_read(exc: BaseException) -> None:  # e.g. the store is busy: the next tick tries again
            log.warning("today's service states not read: %s", exc)

        self.runner.run(read, on_success=done, on_failure=not_read)

    def states_from(self, today: dict) -> dict[str, ServiceState]:
        """Each service's state from today's queues and the link to central now."""
        online = self.online
        return {s.code: service_state(s, today.get(s.code), online=online) for s in self.kiosk.catalog.services()}

    def state_of(self, code: str) -> ServiceState:
        """One service's state (OPEN until the first read)."""
        return self.service_states.get(code, ServiceState())

    def agency_available(self, code: str) -> bool:
        """False when none of the agency's services can be taken now (its tile is dimmed)."""
        services = self.kiosk.catalog.agency(code).services
        return any(self.state_of(s.code).available for s in services)

    @property
    def hall_closed_until(self) -> datetime | None:
        """When every service is closed: the earliest opening (the idle screen's calm banner,
        words: `kiosk.wording.hall_closed(until, now, language)`); None while anything is open
        or the states are not read yet, or when no opening is known."""
        states = self.service_states
        if not states or any(st.kind != CLOSED for st in states.values()):
            return None
        openings = [st.until for st in states.values() if st.until is not None]
        return min(openings) if openings else None

    # -- issue → print → record ----------------------------------------------------------------------
    def confirm(self) -> None:
        kiosk, state = self.kiosk, self.session.state
        if state.step != Step.CONFIRM or kiosk is None:  # a second tap while the first one works
            return
        self.session.issuing()
        self._changed()
        hall = self.settings.hall.code

        def issue() -> tuple[Ticket, list[list[bool]]]:
            ticket = kiosk.issue_ticket(state.service_code, language=state.language, priority=state.priority)
            return ticket, qr_matrix(ticket.qr_payload(hall))

        self.runner.run(issue, on_success=self._issued, on_failure=self._issue_failed)

    def _issued(self, result: tuple[Ticket, list[list[bool]]]) -> None:
        ticket, self.ticket_matrix = result
        log.info("ticket %s issued for %s", ticket.number, ticket.service_code)
        self.session.issued(ticket)
        self._changed()
        self.load_service_states()  # the quota moved
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


# -- technician ------------------------------------------------------------------------------------


class Technician:
    """The technician's part of the flow: the PIN pad behind a hidden gesture, then diagnostics.

    The PIN is checked by a `kiosk.pin.Gate` on the devices pool (argon2 is slow by design); the
    checks (`kiosk.diag.run_checks`), the store check, the test page, the export and the reprint
    run there too, and their results are facts the diagnostics screen renders. Scans (any
    scanner) arrive with `scanned`; only the diagnostics screen shows them (visitor screens
    ignore them, logged)."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self._gate = None
        #: The gate's newest status (None until read): tries left, locked until.
        self.pin_status = None
        #: A PIN is being checked (the pad waits; a second Enter does nothing).
        self.pin_busy = False
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

    @property
    def gate(self):
        if self._gate is None:
            from kiosk.pin import technician_gate

            self._gate = technician_gate(self.flow.settings, self.flow.clock)
        return self._gate

    @gate.setter
    def gate(self, gate) -> None:
        self._gate = gate

    @property
    def configured(self) -> bool:
        return self.gate.pin_hash is not None

    # -- the way in -------------------------------------------------------------------------------
    def open(self) -> None:
        """The hidden gesture: the PIN pad (from the idle screen only; a visitor mid-way is never
        taken out of their flow)."""
        flow = self.flow
        if flow.step != Step.IDLE:
            return
        log.info("technician: PIN pad opened")
        self.pin_status = None
        flow.session.open_pin()
        flow._changed()
        gate = self.gate
        flow.runner.run(gate.status, on="devices", on_success=self._status_read, on_failure=self._gate_failed)

    def _status_read(self, status) -> None:
        self.pin_status = status
        if self.flow.step == Step.PIN:
            self.flow._changed()

    def _gate_failed(self, exc: BaseException) -> None:
        log.error("technician PIN gate failed: %r", exc)
        self.pin_busy = False
        if self.flow.step == Step.PIN:
            self.flow._changed()

    def enter_pin(self, pin: str) -> None:
        """Check `pin` off the GUI thread; right: the diagnostics, wrong: tries left or locked."""
        flow = self.flow
        if flow.step != Step.PIN or self.pin_busy:
            return
        self.pin_busy = True
        flow.session.touch()
        flow._changed()
        gate = self.gate
        flow.runner.run(lambda: gate.check(pin), on="devices", on_success=self._checked, on_failure=self._gate_failed)

    def _checked(self, status) -> None:
        flow = self.flow
        self.pin_busy = False
        self.pin_status = status
        if flow.step != Step.PIN:  # wiped or cancelled while argon2 ran
            return
        if status.ok:
            flow.session.open_diagnostics()
            self.report, self.results, self.last_scan = None, {}, None
            flow._changed()
            self.run_checks()
            return
        flow._changed()

    def leave(self) -> None:
        """Cancel (PIN pad) or Close (diagnostics): back to the idle screen, nothing kept."""
        flow = self.flow
        if flow.step not in (Step.PIN, Step.DIAGNOSTICS):
            return
        log.info("technician: left %s", flow.step)
        self.report, self.results, self.last_scan = None, {}, None
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
