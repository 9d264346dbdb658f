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
from datetime import datetime
from typing import Any, Protocol

from kiosk.app import Kiosk
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import KioskError, StoreError
from kiosk.flow.identity import IdentityFlow
from kiosk.flow.states import ServiceState, service_state
from kiosk.flow.supervisor import Supervisor
from kiosk.flow.technician import Technician
from kiosk.identity import needs_identity
from kiosk.logs import DeviceStateLog
from kiosk.printing import REASON_ADAPTER, PrintOutcome, PrintState, failed
from kiosk.priority import parse_priority
from kiosk.queue import Ticket
from kiosk.session import PrintState as ScreenPrint
from kiosk.session import Session, SessionState, Step
from kiosk.wording import CLOSED

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
        #: The supervisor's way in and screen (kiosk/flow/supervisor.py).
        self.supervisor = Supervisor(self)
        #: The identify steps (kiosk/flow/identity.py) for services that need identity.
        self.identity = IdentityFlow(self)
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
        self.identity.left()
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
            state.id_message,
            getattr(self.identity.progress, "prompt", None),
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
        silent += (Step.SUPERVISOR_PIN, Step.SUPERVISOR)
        if kiosk is None or state.step in silent:
            return None
        if state.step in (Step.IDENTIFY, Step.SCAN, Step.NIK, Step.CONSENT, Step.ENROL):
            return self._identity_prompt(state)
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

    def _identity_prompt(self, state: SessionState) -> str | None:
        """The identify steps' spoken words: a failure's message, else the challenge (face) or the step's prompt."""
        from kiosk import speech_text as say
        from kiosk.identity import message_for

        language = state.language
        message = message_for(state.id_message)
        if message is not None and not (state.id_message or "").startswith("nik."):
            return say.said(*message, language)
        if state.id_message:  # a NIK refusal: its words need the NIK's parameters (on screen)
            return None
        if state.step in (Step.IDENTIFY, Step.ENROL):
            progress = self.identity.progress
            return say.said("Liveness", progress.prompt, language) if progress is not None else None
        words = {Step.SCAN: say.S_SCAN, Step.NIK: say.S_NIK, Step.CONSENT: say.S_CONSENT}
        return say.said("Speech", words[state.step], language)

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

    # -- the audit chain ------------------------------------------------------------------------
    def audit(self, kind: str, data: dict) -> None:
        """Record `kind` with `data` in the store's audit chain (kiosk/audit.py), on the writer
        lane: supervisor attempts and actions, identity decisions. Never a PIN, a NIK in full, a
        QR text or a template: callers pass only what may be kept."""
        if self.kiosk is None:  # no store yet (still opening): nothing to chain it to
            log.info("%s %s (not audited: no store yet)", kind, data)
            return
        add = self.kiosk.store.add_audit
        now = self.clock.now()

        def failed(exc: BaseException) -> None:
            log.error("%s not audited: %r", kind, exc)

        self.runner.run(lambda: add(kind, data, now), on_success=lambda _: None, on_failure=failed)

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

    def open_supervisor(self) -> None:
        self.supervisor.open()

    def scanned(self, event) -> None:
        """A scan from any scanner: a QR credential on an identify step, else the technician's scan test."""
        self.tech.scanned(event)
        self.supervisor.scanned(event)
        self.identity.scanned(event.text)

    # -- central ---------------------------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self.kiosk is not None and self.kiosk.online

    @property
    def offline_mark(self) -> bool:
        """The quiet header mark: a sync thread runs and its last round did not reach central."""
        return self.sync_status is not None and not self.sync_status.online

    @property
    def locked(self) -> bool:
        """A supervisor took the kiosk out of service (remote command `lock`, kiosk/commands.py),
        as the sync thread last read it; issuing is refused meanwhile (KioskLocked)."""
        if self.sync_status is None:  # no sync thread (yet): what the supervisor set here
            return self.supervisor.locked_here
        return self.sync_status.locked

    @property
    def restart_requested(self) -> bool:
        """A `restart` command was executed: the touch UI quits with kiosk.commands.RESTART_EXIT_CODE."""
        return self.sync_status is not None and self.sync_status.restart_requested

    def sync_changed(self, status) -> None:
        """The sync thread's news: the offline mark, and a newer catalog from central."""
        before = self.sync_status
        self.sync_status = status
        if before is None or before.state != status.state:
            log.info("sync %s (backlog %d): %s", status.state, status.backlog, status.last_error or "ok")
        if status.catalog_version is not None and (before is None or before.catalog_version != status.catalog_version):
            kiosk = self.kiosk
            self.runner.run(kiosk.reload_catalog, on_success=lambda _: self.catalog_reloaded())
        supervised = ("online", "locked", "paused", "restart_requested")  # paused: the service states change
        if before is None or any(getattr(before, k) != getattr(status, k) for k in supervised):
            self.load_service_states()
            self._reload_step_facts()  # a visitor on a service list or detail sees the pause at once
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
        """"Take a number": to confirm, or first to identify when the service needs identity and
        the visitor has not proven who they are in this session yet."""
        if self.step != Step.DETAIL or self.kiosk is None:
            return
        service = self.kiosk.catalog.service(self.state.service_code)
        if needs_identity(service) and self.state.identity is None:
            self.identity.begin(service)
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
        if after.step != before.step:
            self.identity.left()  # the timeout wiped the session: stop the face check
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
            ticket = kiosk.issue_ticket(
                state.service_code, language=state.language, priority=state.priority, identity=state.identity
            )
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
