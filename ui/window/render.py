"""Drawing: each step's page, the header and the footer (KioskWindow.render), and the page host."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import wording
from kiosk.session import SessionState, Step
from ui.errors import visitor_message, visitor_notice
from ui.screens.priority import priority_strip
from ui.widgets import apply_tints

#: The technician's steps: staff screens with their own Cancel/Close (no visitor footer).
_TECHNICIAN = (Step.PIN, Step.DIAGNOSTICS, Step.SUPERVISOR_PIN, Step.SUPERVISOR)
#: The steps whose footer has Back (identify: back to the service, the attempt forgotten).
_BACK_STEPS = (
    Step.AGENCIES,
    Step.SERVICES,
    Step.DETAIL,
    Step.SEARCH,
    Step.PRIORITY,
    Step.IDENTIFY,
    Step.SCAN,
    Step.NIK,
)


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


class RenderMixin:
    """KioskWindow's drawing: the page for the flow's step, its header and footer."""

    def _render_footer(self, state: SessionState) -> None:
        step = state.step
        # The ticket screen has its own "Done" and a quiet countdown: no footer bar over it.
        # On the idle screen the strip stays, empty: see Footer.
        # The technician's screens have their own Cancel/Close: the strip only for the countdown.
        technician = step in _TECHNICIAN
        shown = step not in (Step.ISSUING, Step.TICKET) and (not technician or state.countdown is not None)
        self.footer.setVisible(shown)
        self.footer.render(
            show_home=step != Step.IDLE and not technician,
            show_back=step in _BACK_STEPS,
            countdown=state.countdown,
            done=step == Step.TICKET,
        )

    def render(self) -> None:
        flow = self.flow
        state: SessionState = flow.state
        self._apply_language(state.language)
        self._apply_theme()
        if self.printer_timer.interval() != flow.printer_poll_ms:
            self.printer_timer.setInterval(flow.printer_poll_ms)
        t = self.theme
        kiosk = flow.kiosk
        step = state.step if kiosk is not None else Step.IDLE
        if flow.fault is not None:
            self.stack.setCurrentWidget(self.fault_screen)
            self._page_shown(self.fault_screen, state)
            self.header.render(
                self.settings.hall.name,
                self._clock_text(),
                state.language,
                show_language=False,
                large_text=state.large_text,
                high_contrast=state.high_contrast,
                both_languages=True,
            )
            self.footer.setVisible(False)
            self.fault_screen.render(flow.fault_code)
            return
        # Swap the page before showing header and footer, so the old page never sits above a footer.
        page = self.unavailable if step == Step.IDLE and flow.locked and kiosk is not None else self.screens[step]
        self.stack.setCurrentWidget(page)
        self._page_shown(page, state)
        if step != Step.PIN:
            self.pin.reset()  # typed digits never outlive the PIN pad
        if step != Step.SUPERVISOR_PIN:
            self.supervisor_pin.reset()
        if step != Step.SUPERVISOR:
            self.supervisor.confirm_card.hide()
        if step == Step.DIAGNOSTICS and flow.camera is not None:
            self.preview.start(flow.camera)
        elif step != Step.DIAGNOSTICS and self.preview.running:
            self.preview.stop()
        if step != Step.NIK:
            self.nik.reset()  # the NIK's digits never outlive the keypad
        if step in (Step.IDENTIFY, Step.ENROL) and flow.camera is not None and flow.identity.camera_ok:
            self.face_preview.start(flow.camera)
        elif self.face_preview.running and (step not in (Step.IDENTIFY, Step.ENROL) or flow.camera is None):
            self.face_preview.stop()
        self.header.render(
            self.settings.hall.name,
            self._clock_text(),
            state.language,
            show_language=step not in (Step.IDLE, Step.ISSUING),
            offline=flow.offline_mark,
            large_text=state.large_text,
            high_contrast=state.high_contrast,
            both_languages=step == Step.IDLE,
        )
        self._render_footer(state)
        now = self.clock.now().astimezone(self.settings.tz)
        error_text = visitor_message(state.error, state.language, now) if state.error else None
        if page is self.unavailable:
            self.unavailable.render()
        elif step == Step.IDLE:
            closed = flow.hall_closed_until
            self.idle.render(
                self.settings.hall.name,
                not flow.printer_down or kiosk is None,
                self.portrait,
                kiosk.catalog if kiosk is not None else None,
                state.language,
                priority=state.priority,
                states=flow.service_states,
                now=now,
                notice=wording.hall_closed(closed, now, state.language) if closed is not None else None,
            )
        elif step == Step.SEARCH:
            self.search.render(
                kiosk.catalog,
                state.query,
                flow.search_hits,
                state.language,
                portrait=self.portrait,
                ready=flow.search_ready,
                states=flow.service_states,
                now=now,
            )
        elif step == Step.PRIORITY:
            self.priority.render(state.language, state.priority, portrait=self.portrait)
        elif step == Step.AGENCIES:
            columns = 2 if self.portrait else (3 if t.large_text else 4)  # large text: wider tiles
            rows = math.ceil(len(kiosk.catalog.agencies) / columns)
            free = self.height() - t.px(440)
            tile_height = max(t.px(150), min(t.px(260), free // rows - t.px(20)))
            unavailable = {
                a.code: wording.agency_reason([flow.state_of(s.code) for s in a.services], now, state.language)
                for a in kiosk.catalog.agencies
                if not flow.agency_available(a.code)
            }
            self.agencies.render(kiosk.catalog, state.language, columns, tile_height, t.px(72), unavailable)
        elif step == Step.SERVICES:
            self.services.render(
                kiosk.catalog.agency(state.agency_code),
                state.language,
                kiosk.online,
                1 if self.portrait else 2,
                flow.agency_availability,
                now,
                flow.service_states,
            )
        elif step in (Step.DETAIL, Step.CONFIRM):
            service = kiosk.catalog.service(state.service_code)
            agency = kiosk.catalog.agency(service.agency_code)
            if step == Step.DETAIL:
                self.detail.render(
                    service,
                    agency,
                    state.language,
                    flow.availability,
                    error_text,
                    kiosk.online,
                    1 if self.portrait else 2,
                    now,
                )
            else:
                self.confirm.render(
                    service, agency, state.language, flow.availability, flow.printer_ok, flow.printer_configured
                )
                self.confirm.render_priority(
                    state.priority, state.language, priority_strip(t.px(48), t.icon_color(), t.px(6))
                )
                self.confirm.render_identity(state.identity, state.enrolled)
        elif step in (Step.IDENTIFY, Step.ENROL):
            ident = flow.identity
            self.face.render(
                mode="enrol" if step == Step.ENROL else "identify",
                camera_ok=ident.camera_ok,
                running=ident.running,
                progress=ident.progress,
                deciding=ident.deciding,
                challenges=self.settings.face.challenges,
                message=state.id_message,
                portrait=self.portrait,
            )
        elif step == Step.SCAN:
            self.scan.render(camera_ok=flow.identity.camera_ok, message=state.id_message, portrait=self.portrait)
        elif step == Step.NIK:
            self.nik.render(
                digits=state.nik_entry,
                message=state.id_message,
                today=now.date(),
                camera_ok=flow.identity.camera_ok,
                portrait=self.portrait,
            )
        elif step == Step.CONSENT:
            self.consent.render(portrait=self.portrait)
        elif step == Step.ISSUING:
            self.issuing.render()
        elif step == Step.PIN:
            tech = flow.tech
            self.pin.render(
                configured=tech.configured, status=tech.pin_status, busy=tech.pin_busy, now=now, portrait=self.portrait
            )
        elif step == Step.SUPERVISOR_PIN:
            sup = flow.supervisor
            self.supervisor_pin.render(
                configured=sup.configured,
                status=sup.pin_status,
                busy=sup.pin_busy,
                now=now,
                portrait=self.portrait,
                badge_refused=sup.badge_refused,
            )
        elif step == Step.SUPERVISOR:
            self.supervisor.render(
                flow.supervisor,
                catalog=kiosk.catalog,
                language=state.language,
                printer_ok=flow.printer_ok,
                sync_status=flow.sync_status,
                locked=flow.locked,
                portrait=self.portrait,
            )
        elif step == Step.DIAGNOSTICS:
            camera = flow.camera
            self.diagnostics.render(
                flow.tech,
                camera_present=camera is not None,
                fps=camera.fps if camera is not None else None,
                now=now,
                portrait=self.portrait,
            )
        elif step == Step.TICKET:
            service = kiosk.catalog.service(state.ticket.service_code)
            self.ticket.render(
                state.ticket,
                service,
                state.language,
                flow.ticket_matrix,
                state.print_state,
                visitor_notice(state.error, state.language, now) if state.error else None,
                self.portrait,
                t.px(420 if self.portrait else 380),
                t.px(240 if self.portrait else 200),
                state.countdown,
            )
        apply_tints(self.stack, t)
        self.state_did_render.emit(state)
        self._restart_when_idle()
