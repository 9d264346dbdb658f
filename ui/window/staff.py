"""The staff's screens: the technician's PIN and diagnostics, the supervisor's corner gesture, PIN
and actions; the exit to the desktop and the restart a central command asked for."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.session import Step
from ui.screens.supervisor import CornerHold

log = logging.getLogger("kiosk.ui")


class StaffMixin:
    """KioskWindow's technician and supervisor wiring (kiosk/flow/ Technician, Supervisor)."""

    def _connect_technician(self) -> None:
        """The technician's gesture, PIN pad and diagnostics actions (devices: DevicesMixin)."""
        flow, tech = self.flow, self.flow.tech
        self.header.technician_requested.connect(flow.open_technician)
        self.pin.entered.connect(flow.enter_pin)
        self.pin.cancel.connect(flow.leave_technician)
        self.diagnostics.close_clicked.connect(flow.leave_technician)
        self.diagnostics.rerun.connect(tech.run_checks)
        self.diagnostics.check_store.connect(tech.check_store)
        self.diagnostics.print_test.connect(tech.print_test_page)
        self.diagnostics.export.connect(tech.export)
        self.diagnostics.reprint.connect(tech.reprint_last)

    def _connect_supervisor(self) -> None:
        """The corner gesture (idle or out-of-service page only), the PIN pad, the screen's actions."""
        flow, sup = self.flow, self.flow.supervisor
        self.corner = CornerHold(self._corner_page, parent=self)
        QApplication.instance().installEventFilter(self.corner)
        self.corner.held.connect(flow.open_supervisor)
        self.supervisor_pin.entered.connect(sup.enter_pin)
        self.supervisor_pin.cancel.connect(sup.leave)
        s = self.supervisor
        s.close_clicked.connect(sup.leave)
        s.sync_now.connect(sup.sync_now)
        s.out_of_service.connect(sup.set_out_of_service)
        s.pause.connect(sup.set_paused)
        s.reprint.connect(sup.reprint_last)
        s.diagnostics.connect(sup.diagnostics)
        s.exit_confirmed.connect(sup.exit_to_desktop)
        sup.exit_app = lambda: self.quit_app()

    def _corner_page(self) -> QWidget | None:
        if self.flow.step != Step.IDLE or self.flow.kiosk is None:
            return None
        page = self.stack.currentWidget()
        return page if page in (self.idle, self.unavailable) else None

    def quit_app(self) -> None:
        """The supervisor's confirmed "Exit to desktop": the only way out of kiosk mode."""
        if self.lockdown is not None:
            self.lockdown.allow_exit()
        QApplication.quit()

    def _restart_when_idle(self) -> None:
        """A `restart` command was executed (Flow.restart_requested): quit with
        RESTART_EXIT_CODE for the process manager to start the kiosk again, once nobody is
        mid-way: only on the idle (or out-of-service) screen, never while a ticket is being
        issued or shown, nor on the supervisor's or technician's screens."""
        flow = self.flow
        if self.exiting_with is not None or not flow.restart_requested or flow.kiosk is None:
            return
        if flow.step != Step.IDLE:
            return
        from kiosk.commands import RESTART_EXIT_CODE

        log.warning("restart requested by central: quitting with exit code %d", RESTART_EXIT_CODE)
        self.exiting_with = RESTART_EXIT_CODE
        if self.lockdown is not None:
            self.lockdown.allow_exit()
        self.exit_app(RESTART_EXIT_CODE)
