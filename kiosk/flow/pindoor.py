"""A staff screen's way in: a PIN pad behind a hidden gesture, checked off the GUI thread.

The technician (diagnostics) and the supervisor each have one, with a gate of their own
(`kiosk.pin.Gate`: argon2, five wrong tries lock it, the lock persisted). The pad opens from the
idle screen only, so a visitor mid-way is never taken out of their flow; the gate's status (tries
left, locked until) and each check run on the devices pool (argon2 is slow by design); an answer
that arrives after the pad was left (wiped, cancelled) lets nobody in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.session import Step

if TYPE_CHECKING:
    from kiosk.flow.core import Flow

log = logging.getLogger("kiosk.flow")


class PinDoor:
    """Subclasses set `name` and `pin_step`, and define `make_gate`, `show_pad` and `admit`;
    `attempted(status)` sees every check's answer (e.g. to audit it)."""

    name = "staff"
    pin_step: Step

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self._gate = None
        #: The gate's newest status (None until read): tries left, locked until.
        self.pin_status = None
        #: A PIN is being checked (the pad waits; a second Enter does nothing).
        self.pin_busy = False

    # -- what a subclass says ----------------------------------------------------------------------
    def make_gate(self):
        raise NotImplementedError

    def show_pad(self) -> None:
        """Put the session on the pad's step."""
        raise NotImplementedError

    def admit(self) -> None:
        """The PIN (or another proof) was right: open the staff screen."""
        raise NotImplementedError

    def attempted(self, status) -> None:
        """Every check's answer, right or wrong (nothing by default)."""

    # -- the gate ----------------------------------------------------------------------------------
    @property
    def gate(self):
        if self._gate is None:
            self._gate = self.make_gate()
        return self._gate

    @gate.setter
    def gate(self, gate) -> None:
        self._gate = gate

    @property
    def configured(self) -> bool:
        return self.gate.pin_hash is not None

    # -- the pad -----------------------------------------------------------------------------------
    def open_pad(self) -> bool:
        """The hidden gesture: the PIN pad, from the idle screen only; False when not opened."""
        flow = self.flow
        if flow.step != Step.IDLE:
            return False
        log.info("%s: PIN pad opened", self.name)
        self.pin_status, self.pin_busy = None, False
        self.show_pad()
        flow._changed()
        gate = self.gate
        flow.runner.run(gate.status, on="devices", on_success=self._status_read, on_failure=self.gate_failed)
        return True

    def _status_read(self, status) -> None:
        self.pin_status = status
        if self.flow.step == self.pin_step:
            self.flow._changed()

    def gate_failed(self, exc: BaseException) -> None:
        log.error("%s PIN gate failed: %r", self.name, exc)
        self.pin_busy = False
        if self.flow.step == self.pin_step:
            self.flow._changed()

    def enter_pin(self, pin: str) -> None:
        """Check `pin` off the GUI thread; right: `admit`, wrong: tries left or locked."""
        flow = self.flow
        if flow.step != self.pin_step or self.pin_busy:
            return
        self.pin_busy = True
        self.before_check()
        flow.session.touch()
        flow._changed()
        gate = self.gate
        flow.runner.run(lambda: gate.check(pin), on="devices", on_success=self._checked, on_failure=self.gate_failed)

    def before_check(self) -> None:
        """Called as a check starts (e.g. to forget an earlier refusal)."""

    def _checked(self, status) -> None:
        self.pin_busy = False
        self.pin_status = status
        self.attempted(status)
        if self.flow.step != self.pin_step:  # wiped or cancelled while argon2 ran
            return
        if status.ok:
            self.admit()
            return
        self.flow._changed()
