"""The supervisor's part of the flow: a PIN pad (or a signed badge QR) behind a hidden gesture,
then the supervisor screen: health, today's tickets per service, the sync backlog and "sync now",
pause/resume a service, out of service, reprint, the technician's diagnostics, exit to the desktop.

The PIN is checked by its own `kiosk.pin.Gate` (kiosk.pin.supervisor_gate: five wrong tries lock
it, persisted); a badge QR is checked with `kiosk.credential.check(..., kinds=["badge"])` on the
writer lane (it reads the store's keys). Every attempt is audited (`supervisor.attempt`, never the
PIN or the QR text) when the store can (`add_audit`). Pausing a service and the out-of-service
lock write the same tables as central's remote commands (kiosk/commands.py), here with the
command id `local`, audited as `supervisor.action`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from kiosk.flow.pindoor import PinDoor
from kiosk.session import Step

if TYPE_CHECKING:
    from kiosk.flow.core import Flow

log = logging.getLogger("kiosk.flow")

#: The command id recorded for a pause or lock made at the kiosk (central's commands have theirs).
LOCAL_COMMAND = "local"


class Supervisor(PinDoor):
    """The supervisor's way in (kiosk/flow/pindoor.py, plus a badge QR) and the facts of the
    supervisor screen."""

    name = "supervisor"
    pin_step = Step.SUPERVISOR_PIN

    def __init__(self, flow: Flow) -> None:
        super().__init__(flow)
        #: The last badge refusal's reason code (None: none refused since the pad opened).
        self.badge_refused: str | None = None
        #: Today's tickets per service code (None until read).
        self.tickets_today: dict[str, int] | None = None
        #: The services paused in the store, and whether the kiosk is locked there (None: not read).
        self.paused: tuple[str, ...] = ()
        self.store_locked: bool | None = None
        #: Out of service set here, for a kiosk without a sync thread (Flow.locked uses it then).
        self.locked_here = False
        #: Actions running now, and each one's last result: name -> (ok, detail).
        self.busy: set[str] = set()
        self.results: dict[str, tuple[bool, str]] = {}
        #: Called by "Exit to desktop" once confirmed (the window quits the application).
        self.exit_app = lambda: None

    def make_gate(self):
        from kiosk.pin import supervisor_gate

        return supervisor_gate(self.flow.settings, self.flow.clock)

    def audit(self, kind: str, data: dict) -> None:
        self.flow.audit(kind, data)

    # -- the way in -------------------------------------------------------------------------------
    def open(self) -> None:
        """The hidden corner gesture: the PIN pad, from the idle screen only (also out of service)."""
        if self.flow.step == Step.IDLE:
            self.badge_refused = None
        self.open_pad()

    def show_pad(self) -> None:
        self.flow.session.open_supervisor_pin()

    def before_check(self) -> None:
        self.badge_refused = None

    def attempted(self, status) -> None:
        self.audit(
            "supervisor.attempt",
            {"method": "pin", "outcome": str(status.outcome), "tries_left": status.tries_left},
        )

    def admit(self) -> None:
        self._enter()

    def scanned(self, event) -> None:
        """A scan while the supervisor's PIN pad shows: a signed supervisor badge QR lets in."""
        flow = self.flow
        if flow.step != Step.SUPERVISOR_PIN or self.pin_busy or flow.kiosk is None:
            return
        store, now, demo, text = flow.kiosk.store, flow.clock.now(), flow.settings.demo, event.text
        self.pin_busy = True
        flow.session.touch()
        flow._changed()

        def check():
            from kiosk.credential import check

            return check(store, text, now, demo=demo, kinds=["badge"])

        flow.runner.run(check, on_success=self._badge_checked, on_failure=self.gate_failed)

    def _badge_checked(self, verdict) -> None:
        self.pin_busy = False
        data = {"method": "badge", "outcome": "ok" if verdict.valid else "refused", "reason": verdict.reason_code}
        if verdict.subject and verdict.valid:
            data["subject"] = verdict.subject
        self.audit("supervisor.attempt", data)
        if self.flow.step != Step.SUPERVISOR_PIN:
            return
        if verdict.valid:
            self._enter()
            return
        self.badge_refused = verdict.reason_code
        self.flow._changed()

    def _enter(self) -> None:
        log.info("supervisor: screen opened")
        self.results, self.busy = {}, set()
        self.flow.session.open_supervisor()
        self.flow._changed()
        self.refresh()

    def leave(self) -> None:
        """Cancel (PIN pad) or Close (supervisor screen): back to the idle (or out-of-service) screen."""
        flow = self.flow
        if flow.step not in (Step.SUPERVISOR_PIN, Step.SUPERVISOR):
            return
        log.info("supervisor: left %s", flow.step)
        self.results = {}
        flow.home()

    def back_from_diagnostics(self) -> None:
        """The diagnostics opened from the supervisor screen were closed: the supervisor screen
        again (its facts read anew), not the idle screen."""
        log.info("supervisor: back from diagnostics")
        self.flow.session.open_supervisor()
        self.flow._changed()
        self.refresh()

    # -- the supervisor screen ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Read today's tickets per service and the pause/lock facts from the store (writer lane)."""
        flow = self.flow
        kiosk = flow.kiosk
        if kiosk is None:
            return
        store = kiosk.store
        day = flow.clock.now().astimezone(flow.settings.tz).date().isoformat()

        def read():
            rows = store.query(
                "SELECT service_code, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY service_code", [day]
            )
            paused = tuple(store.paused_services())
            locked = store.lock_state() is not None
            return {r["service_code"]: r["n"] for r in rows}, paused, locked

        def done(result) -> None:
            self.tickets_today, self.paused, self.store_locked = result
            self.locked_here = self.store_locked
            if flow.step == Step.SUPERVISOR:
                flow._changed()

        def failed(exc: BaseException) -> None:
            log.warning("supervisor facts not read: %s", exc)

        flow.runner.run(read, on_success=done, on_failure=failed)

    def _action(self, name: str, fn, detail: str) -> None:
        flow = self.flow
        if flow.step != Step.SUPERVISOR or name in self.busy or flow.kiosk is None:
            return
        self.busy.add(name)
        flow.session.touch()
        flow._changed()

        def ok(_) -> None:
            self.busy.discard(name)
            self.results[name] = (True, detail)
            flow.kiosk.nudge_sync()
            self.refresh()
            flow.load_service_states()
            flow._changed()

        def failed(exc: BaseException) -> None:
            self.busy.discard(name)
            log.error("supervisor %s failed: %r", name, exc)
            self.results[name] = (False, getattr(exc, "message", type(exc).__name__))
            flow._changed()

        flow.runner.run(fn, on_success=ok, on_failure=failed)

    def sync_now(self) -> None:
        """Ask the sync thread for a round now."""
        flow = self.flow
        if flow.step != Step.SUPERVISOR or flow.kiosk is None:
            return
        flow.session.touch()
        flow.kiosk.nudge_sync()
        self.results["sync"] = (True, "")
        self.audit("supervisor.action", {"action": "sync_now"})
        flow._changed()

    def set_paused(self, code: str, paused: bool) -> None:
        """Pause (no tickets) or resume one service at this kiosk, as central's commands do."""
        store, now = self.flow.kiosk.store if self.flow.kiosk else None, self.flow.clock.now()
        stamp = now.isoformat(timespec="seconds")

        def write() -> None:
            from kiosk.commands import set_paused

            with store.transaction():
                set_paused(store, code, paused, stamp=stamp, by=LOCAL_COMMAND)
                _audit(store, {"action": "pause" if paused else "resume", "service": code}, now)

        self._action(f"pause:{code}", write, code)

    def set_out_of_service(self, locked: bool) -> None:
        """The kiosk-wide lock: the polite "temporarily unavailable" page, no tickets issued."""
        flow = self.flow
        store, now = flow.kiosk.store if flow.kiosk else None, flow.clock.now()
        stamp = now.isoformat(timespec="seconds")

        def write() -> None:
            from kiosk.commands import set_locked

            with store.transaction():
                set_locked(store, locked, stamp=stamp, by=LOCAL_COMMAND)
                _audit(store, {"action": "lock" if locked else "unlock"}, now)

        self.locked_here = locked  # shown at once; the store is written next (the sync reads it)
        if flow.sync_status is not None:
            flow.sync_status = replace(flow.sync_status, locked=locked)
        self._action("lock", write, "on" if locked else "off")

    @property
    def can_reprint(self) -> bool:
        return self.flow.tech.can_reprint

    def reprint_last(self) -> None:
        flow = self.flow
        if flow.step != Step.SUPERVISOR or not self.can_reprint or "reprint" in self.busy:
            return
        kiosk = flow.kiosk
        from kiosk.flow.technician import _outcome

        self.busy.add("reprint")
        flow.session.touch()
        flow._changed()

        def done(result) -> None:
            self.busy.discard("reprint")
            self.results["reprint"] = _outcome(result)
            flow._changed()

        def failed(exc: BaseException) -> None:
            self.busy.discard("reprint")
            self.results["reprint"] = (False, getattr(exc, "message", type(exc).__name__))
            flow._changed()

        flow.runner.run(lambda: kiosk.reprint_last(by="supervisor"), on="writer", on_success=done, on_failure=failed)

    def diagnostics(self) -> None:
        """The technician's diagnostics screen (its Close leads back to the supervisor screen)."""
        flow = self.flow
        if flow.step != Step.SUPERVISOR:
            return
        tech = flow.tech
        flow.session.open_diagnostics()
        tech.report, tech.results, tech.last_scan = None, {}, None
        tech.from_supervisor = True
        flow._changed()
        tech.run_checks()

    def exit_to_desktop(self) -> None:
        """Confirmed by the supervisor: the application quits (the only way out of kiosk mode)."""
        if self.flow.step != Step.SUPERVISOR:
            return
        log.warning("supervisor: exit to the desktop")
        flow = self.flow
        if flow.kiosk is None:
            self.exit_app()
            return
        store, now = flow.kiosk.store, flow.clock.now()

        def failed(exc: BaseException) -> None:  # the exit must not depend on the audit
            log.error("exit not audited: %r", exc)
            self.exit_app()

        flow.runner.run(
            lambda: store.add_audit("supervisor.action", {"action": "exit"}, now),
            on_success=lambda _: self.exit_app(),
            on_failure=failed,
        )


def _audit(store, data: dict, at) -> None:
    store.add_audit("supervisor.action", data, at)
