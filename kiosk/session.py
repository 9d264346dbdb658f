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
}


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

    def start(self, language: str | None = None) -> SessionState:
        return self._go(step=Step.AGENCIES, language=language or self.state.language, error=None)

    def choose_agency(self, code: str) -> SessionState:
        return self._go(step=Step.SERVICES, agency_code=code, service_code=None, error=None)

    def choose_service(self, code: str) -> SessionState:
        return self._go(step=Step.DETAIL, service_code=code, error=None)

    def to_confirm(self) -> SessionState:
        return self._go(step=Step.CONFIRM, error=None)

    def back(self) -> SessionState:
        return self._go(step=_BACK.get(self.state.step, self.state.step), error=None)

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
        """Seconds of inactivity allowed on the current screen."""
        return self.timeouts.ticket_seconds if self.state.step == Step.TICKET else self.timeouts.inactivity_seconds

    def tick(self) -> SessionState:
        """Update the countdown; wipe the session when it runs out. Never while a ticket is being issued."""
        if self.state.step in (Step.IDLE, Step.ISSUING):
            return self.state
        idle = (self.clock.now() - self._last_touch).total_seconds()
        left = self.limit() - idle
        if left <= 0:
            return self.home()
        shown = int(left + 0.999) if left <= self.timeouts.countdown_seconds else None
        if shown != self.state.countdown:
            self.state = replace(self.state, countdown=shown)
        return self.state
