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

from kiosk.session import Step

if TYPE_CHECKING:
    from kiosk.flow.core import Flow

log = logging.getLogger("kiosk.flow")

#: The command id recorded for a pause or lock made at the kiosk (central's commands have theirs).
LOCAL_COMMAND = "local"


class Supervisor:
    """The supervisor's way in and the facts of the supervisor screen."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self._gate = None
        #: The gate's newest status (None until read).
        self.pin_status = None
        #: A PIN or badge is being checked.
        self.pin_busy = False
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

    @property
    def gate(self):
        if self._gate is None:
            from kiosk.pin import supervisor_gate

            self._gate = supervisor_gate(self.flow.settings, self.flow.clock)
        return self._gate

    @gate.setter
    def gate(self, gate) -> None:
        self._gate = gate

    @property
    def configured(self) -> bool:
        return self.gate.pin_hash is not None

    # -- audit ------------------------------------------------------------------------------------
    def audit(self, kind: str, data: dict) -> None:
        """Record `kind` with `data` in the store's audit chain (writer lane), when the store can."""
        flow = self.flow
        store = getattr(flow.kiosk, "store", None)
        add = getattr(store, "add_audit", None)
        if add is None:
            log.info("%s %s (no audit in this store)", kind, data)
            return
        now = flow.clock.now()

        def failed(exc: BaseException) -> None:
            log.error("%s not audited: %r", kind, exc)

        flow.runner.run(lambda: add(kind, data, now), on_success=lambda _: None, on_failure=failed)

    # -- the way in -------------------------------------------------------------------------------
    def open(self) -> None:
        """The hidden corner gesture: the PIN pad, from the idle screen only (also out of service)."""
        flow = self.flow
        if flow.step != Step.IDLE:
            return
        log.info("supervisor: PIN pad opened")
        self.pin_status, self.badge_refused, self.pin_busy = None, None, False
        flow.session.open_supervisor_pin()
        flow._changed()
        gate = self.gate
        flow.runner.run(gate.status, on="devices", on_success=self._status_read, on_failure=self._gate_failed)

    def _status_read(self, status) -> None:
        self.pin_status = status
        if self.flow.step == Step.SUPERVISOR_PIN:
            self.flow._changed()

    def _gate_failed(self, exc: BaseException) -> None:
        log.error("supervisor PIN gate failed: %r", exc)
        self.pin_busy = False
        if self.flow.step == Step.SUPERVISOR_PIN:
            self.flow._changed()

    def enter_pin(self, pin: str) -> None:
        """Check `pin` off the GUI thread; right: the supervisor screen."""
        flow = self.flow
        if flow.step != Step.SUPERVISOR_PIN or self.pin_busy:
            return
        self.pin_busy = True
        self.badge_refused = None
        flow.session.touch()
        flow._changed()
        gate = self.gate
        flow.runner.run(lambda: gate.check(pin), on="devices", on_success=self._checked, on_failure=self._gate_failed)

    def _checked(self, status) -> None:
        self.pin_busy = False
        self.pin_status = status
        self.audit(
            "supervisor.attempt",
            {"method": "pin", "outcome": str(status.outcome), "tries_left": status.tries_left},
        )
        if self.flow.step != Step.SUPERVISOR_PIN:  # wiped or cancelled meanwhile
            return
        if status.ok:
            self._enter()
            return
        self.flow._changed()

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

        flow.runner.run(check, on_success=self._badge_checked, on_failure=self._gate_failed)

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
            paused = tuple(store.paused_services()) if hasattr(store, "paused_services") else ()
            locked = store.lock_state() is not None if hasattr(store, "lock_state") else None
            return {r["service_code"]: r["n"] for r in rows}, paused, locked

        def done(result) -> None:
            self.tickets_today, self.paused, self.store_locked = result
            if self.store_locked is not None:
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
            with store.transaction() as conn:
                if paused:
                    conn.execute(
                        "INSERT OR IGNORE INTO paused_services (service_code, paused_at, command_id) VALUES (?, ?, ?)",
                        (code, stamp, LOCAL_COMMAND),
                    )
                else:
                    conn.execute("DELETE FROM paused_services WHERE service_code = ?", (code,))
                _audit(store, {"action": "pause" if paused else "resume", "service": code}, now)

        self._action(f"pause:{code}", write, code)

    def set_out_of_service(self, locked: bool) -> None:
        """The kiosk-wide lock: the polite "temporarily unavailable" page, no tickets issued."""
        flow = self.flow
        store, now = flow.kiosk.store if flow.kiosk else None, flow.clock.now()
        stamp = now.isoformat(timespec="seconds")

        def write() -> None:
            with store.transaction() as conn:
                if locked:
                    conn.execute(
                        "INSERT OR IGNORE INTO kiosk_lock (id, since, command_id) VALUES (1, ?, ?)",
                        (stamp, LOCAL_COMMAND),
                    )
                else:
                    conn.execute("DELETE FROM kiosk_lock")
                _audit(store, {"action": "lock" if locked else "unlock"}, now)

        self.locked_here = locked  # shown at once; the store is written next (the sync reads it)
        if flow.sync_status is not None and hasattr(flow.sync_status, "locked"):
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
        store, now = getattr(flow.kiosk, "store", None), flow.clock.now()
        if store is None or not hasattr(store, "add_audit"):
            self.exit_app()
            return

        def failed(exc: BaseException) -> None:  # the exit must not depend on the audit
            log.error("exit not audited: %r", exc)
            self.exit_app()

        flow.runner.run(
            lambda: store.add_audit("supervisor.action", {"action": "exit"}, now),
            on_success=lambda _: self.exit_app(),
            on_failure=failed,
        )


def _audit(store, data: dict, at) -> None:
    if hasattr(store, "add_audit"):
        store.add_audit("supervisor.action", data, at)
