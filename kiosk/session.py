"""The visitor session: which screen, which choices, and the inactivity timeout.

Plain Python, driven by an injected clock, rendered by `ui/`. Every command
returns the new frozen `SessionState`; `tick()` wipes the session back to
IDLE when the visitor has walked away.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.clock import Clock
from kiosk.config import TimeoutSettings
from kiosk.errors import KioskError
from kiosk.queue import Ticket


class Step(StrEnum):
    """Which screen the visitor is on."""

    IDLE = "idle"
    AGENCIES = "agencies"
    SERVICES = "services"
    DETAIL = "detail"
    CONFIRM = "confirm"
    ISSUING = "issuing"
    TICKET = "ticket"
    #: Typing what one needs on the on-screen keyboard; results update at every key.
    SEARCH = "search"
    #: Choosing a priority kind (elderly, disability, pregnant, infant): from IDLE or CONFIRM.
    PRIORITY = "priority"
    #: Staff only, behind a hidden gesture: the PIN pad, then the technician's diagnostics.
    PIN = "pin"
    DIAGNOSTICS = "diagnostics"
    #: Staff only, behind another hidden gesture (a 3 s press in a left corner of the idle screen):
    #: the supervisor's PIN pad (or a supervisor badge QR), then the supervisor screen.
    SUPERVISOR_PIN = "supervisor_pin"
    SUPERVISOR = "supervisor"
    #: Identity, for a service that needs it (kiosk/identity.py), between DETAIL and CONFIRM:
    #: the face check (camera preview, liveness challenge), a QR scan, or the NIK keypad; the
    #: visitor can switch between them at any time.
    IDENTIFY = "identify"
    SCAN = "scan"
    NIK = "nik"
    #: After an account QR: may we keep your face for next time? Then ENROL captures it.
    CONSENT = "consent"
    ENROL = "enrol"


#: The steps that hold identity data being collected (wiped when the visitor leaves them).
IDENTITY_STEPS = frozenset({Step.IDENTIFY, Step.SCAN, Step.NIK, Step.CONSENT, Step.ENROL})
#: The identify steps of each method.
METHOD_STEPS = {"face": Step.IDENTIFY, "qr": Step.SCAN, "nik": Step.NIK}


class PrintState(StrEnum):
    """Where the ticket's printing stands."""

    NONE = "none"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


_BACK = {
    Step.AGENCIES: Step.IDLE,
    Step.SERVICES: Step.AGENCIES,
    Step.DETAIL: Step.SERVICES,
    Step.CONFIRM: Step.DETAIL,
    Step.SEARCH: Step.IDLE,
}

#: The longest search query kept (the field shows it on one line).
MAX_QUERY = 60


@dataclass(frozen=True)
class SessionState:
    """What the screens render: a frozen snapshot of the visitor's session."""

    step: Step = Step.IDLE
    language: str = "id"
    agency_code: str | None = None
    service_code: str | None = None
    ticket: Ticket | None = None
    print_state: PrintState = PrintState.NONE
    error: KioskError | None = None
    countdown: int | None = None  # seconds left before the wipe, shown near the end only
    # The look the visitor chose (only how screens are drawn; a new visitor starts in the normal look).
    large_text: bool = False
    high_contrast: bool = False
    #: What the visitor typed on the search screen (kept when they come back to it).
    query: str = ""
    #: Where the service was chosen when not from its agency's list (IDLE: a need; SEARCH): the way back.
    origin: Step | None = None
    #: The priority kind the visitor is entitled to (kiosk/priority.py codes); None: a normal ticket.
    priority: str | None = None
    #: The step the priority chooser returns to.
    priority_from: Step | None = None
    #: Who the visitor proved to be (kiosk.identity.Identity), kept until the session is wiped.
    identity: object | None = None
    #: Why the last identity attempt failed: a stable code the identify screens word
    #: (a liveness or face outcome code, a credential reason code, a NIK reason code).
    id_message: str | None = None
    #: The digits typed on the NIK keypad so far (wiped with the session).
    nik_entry: str = ""
    #: An account QR's subject the visitor may enrol their face under (CONSENT, ENROL).
    enrol_subject: str | None = None
    #: The face enrolment was saved (the confirm screen thanks the visitor once).
    enrolled: bool = False

    def __repr__(self) -> str:  # the NIK being typed never reaches a log through a repr
        return f"SessionState(step={self.step!s}, service={self.service_code}, identity={self.identity!r})"


class Session:
    """One visitor at a time: their choices, and the timeout that wipes them."""

    def __init__(self, clock: Clock, timeouts: TimeoutSettings, language: str = "id") -> None:
        self.clock = clock
        self.timeouts = timeouts
        self.default_language = language
        self.state = SessionState(language=language)
        self._last_touch = clock.now()

    # -- commands ---------------------------------------------------------------------------
    def _go(self, **changes) -> SessionState:
        self._last_touch = self.clock.now()
        self.state = replace(self.state, countdown=None, **changes)
        return self.state

    def touch(self) -> SessionState:
        """Any touch keeps the session alive."""
        return self._go()

    def set_language(self, language: str) -> SessionState:
        return self._go(language=language)

    def set_look(self, *, large_text: bool | None = None, high_contrast: bool | None = None) -> SessionState:
        """Change how the screens are drawn; the visitor's step and choices stay."""
        state = self.state
        return self._go(
            large_text=state.large_text if large_text is None else large_text,
            high_contrast=state.high_contrast if high_contrast is None else high_contrast,
        )

    def start(self, language: str | None = None) -> SessionState:
        return self._go(step=Step.AGENCIES, language=language or self.state.language, error=None)

    def choose_agency(self, code: str) -> SessionState:
        return self._go(step=Step.SERVICES, agency_code=code, service_code=None, error=None)

    def choose_service(self, code: str, *, agency_code: str | None = None, origin: Step | None = None) -> SessionState:
        """The service's detail; `origin` (IDLE: a need, SEARCH) is where Back leads, with its agency."""
        agency = agency_code or self.state.agency_code
        return self._go(step=Step.DETAIL, service_code=code, agency_code=agency, origin=origin, error=None)

    def open_search(self) -> SessionState:
        return self._go(step=Step.SEARCH, error=None)

    def set_query(self, text: str) -> SessionState:
        return self._go(query=text[:MAX_QUERY])

    def open_priority(self) -> SessionState:
        """The priority chooser, returning to the current step (IDLE or CONFIRM) once chosen."""
        return self._go(step=Step.PRIORITY, priority_from=self.state.step, error=None)

    def set_priority(self, kind: str | None) -> SessionState:
        """The priority kind chosen (None: not needed); back to where the chooser was opened."""
        return self._go(step=self.state.priority_from or Step.IDLE, priority=kind, priority_from=None)

    def to_confirm(self) -> SessionState:
        return self._go(step=Step.CONFIRM, error=None)

    def open_pin(self) -> SessionState:
        """The technician's PIN pad (from the idle screen's hidden gesture)."""
        return self._go(step=Step.PIN, error=None)

    def open_diagnostics(self) -> SessionState:
        """The PIN was right: the diagnostics screen (left with home(), or wiped by the timeout)."""
        return self._go(step=Step.DIAGNOSTICS, error=None)

    def open_supervisor_pin(self) -> SessionState:
        """The supervisor's PIN pad (from the idle screen's corner gesture)."""
        return self._go(step=Step.SUPERVISOR_PIN, error=None)

    def open_supervisor(self) -> SessionState:
        """The PIN or badge was right: the supervisor screen (left with home(), or wiped by the timeout)."""
        return self._go(step=Step.SUPERVISOR, error=None)

    # -- identity ----------------------------------------------------------------------------
    def identify(self, method: str) -> SessionState:
        """The identify step of `method` (face, qr, nik); a switch forgets the last failure."""
        return self._go(step=METHOD_STEPS[method], id_message=None, error=None)

    def identity_failed(self, code: str) -> SessionState:
        return self._go(id_message=code)

    def set_nik_entry(self, digits: str) -> SessionState:
        return self._go(nik_entry=digits[:16], id_message=None)

    def identified(self, identity, *, enrol_subject: str | None = None) -> SessionState:
        """Proven: on to confirm, or first the offer to enrol the face (CONSENT) when `enrol_subject`."""
        step = Step.CONSENT if enrol_subject else Step.CONFIRM
        return self._go(step=step, identity=identity, id_message=None, nik_entry="", enrol_subject=enrol_subject)

    def enrol(self) -> SessionState:
        return self._go(step=Step.ENROL, id_message=None)

    def enrol_done(self, saved: bool) -> SessionState:
        return self._go(step=Step.CONFIRM, enrol_subject=None, enrolled=saved, id_message=None)

    def back(self) -> SessionState:
        state = self.state
        if state.step in (Step.CONSENT, Step.ENROL):  # no thanks: the ticket without enrolling
            return self.enrol_done(False)
        if state.step in (Step.IDENTIFY, Step.SCAN, Step.NIK):  # nothing of the attempt is kept
            return self._go(step=Step.DETAIL, id_message=None, nik_entry="", error=None)
        if state.step == Step.PRIORITY:
            return self._go(step=state.priority_from or Step.IDLE, priority_from=None, error=None)
        if state.step == Step.DETAIL and state.origin is not None:  # came from a need or a search
            return self._go(step=state.origin, service_code=None, agency_code=None, origin=None, error=None)
        return self._go(step=_BACK.get(state.step, state.step), error=None)

    def issuing(self) -> SessionState:
        return self._go(step=Step.ISSUING, error=None)

    def issue_failed(self, error: KioskError) -> SessionState:
        """The ticket was refused (quota, hours...): back to the service with the reason."""
        return self._go(step=Step.DETAIL, error=error)

    def issued(self, ticket: Ticket) -> SessionState:
        return self._go(step=Step.TICKET, ticket=ticket, print_state=PrintState.PRINTING)

    def print_finished(self, error: KioskError | None) -> SessionState:
        self.state = replace(self.state, print_state=PrintState.FAILED if error else PrintState.PRINTED, error=error)
        return self.state

    def home(self) -> SessionState:
        """Wipe everything the visitor chose; back to the attract screen in the kiosk's language."""
        self._last_touch = self.clock.now()
        self.state = SessionState(language=self.default_language)
        return self.state

    # -- time -------------------------------------------------------------------------------
    def limit(self) -> int:
        """Seconds of inactivity allowed on the current screen. A ticket that did not print stays
        twice as long: the visitor copies the number by hand or takes a photo of it."""
        if self.state.step != Step.TICKET:
            return self.timeouts.inactivity_seconds
        if self.state.print_state == PrintState.FAILED:
            return 2 * self.timeouts.ticket_seconds
        return self.timeouts.ticket_seconds

    def tick(self) -> SessionState:
        """Update the countdown; wipe the session when it runs out. Never while a ticket is being issued,
        nor on an untouched idle screen (a choice made there, a language or a priority, is wiped)."""
        if self.state.step == Step.ISSUING:
            return self.state
        if self.state.step == Step.IDLE and replace(self.state, countdown=None) == SessionState(
            language=self.default_language
        ):
            return self.state
        idle = (self.clock.now() - self._last_touch).total_seconds()
        left = self.limit() - idle
        if left <= 0:
            return self.home()
        shown = int(left + 0.999) if left <= self.timeouts.countdown_seconds else None
        if shown != self.state.countdown:
            self.state = replace(self.state, countdown=shown)
        return self.state
