"""One agency's services, each with today's state: the wait, or why it cannot be taken now."""

from __future__ import annotations

from datetime import datetime

from kiosk import wording
from kiosk.catalog import Agency
from kiosk.flow import ServiceState, service_state
from kiosk.queue import Availability
from ui.screens.choice import ChoiceScreen
from ui.widgets import RichButton


class ServiceScreen(ChoiceScreen):
    def render(
        self,
        agency: Agency,
        language: str,
        online: bool,
        columns: int = 1,
        availability: dict[str, Availability] | None = None,
        now: datetime | None = None,
        states: dict[str, ServiceState] | None = None,
    ) -> None:
        """`availability` (service code -> today's queue) arrives from the store a moment later;
        until then `states` (the flow's service_states) says which services cannot be taken."""
        self.title.setText(agency.name(language))
        self.hint.setText(self.tr("Choose the service you came for."))
        rows = []
        for service in agency.services:
            row = RichButton("row", "row-title", "row-sub")
            row.setMinimumHeight(140)
            notes = [wording.counter_name(service, language)]
            today = (availability or {}).get(service.code)
            if today is not None:
                state = service_state(service, today, online=online)
            else:
                state = (states or {}).get(service.code) or service_state(service, None, online=online)
            if not state.available:
                notes.append(wording.state_reason(state.kind, state.until, now or datetime.now(), language))
            elif today is not None:
                notes.append(wording.wait(today.estimated_wait_minutes, language, people_ahead=today.people_ahead))
            if service.identity != "none" and state.available:
                notes.append(
                    {"nik": self.tr("bring your KTP"), "face": self.tr("face check"), "qr": self.tr("booking QR code")}[
                        service.identity
                    ]
                )
            row.set_text(service.name(language), "  \u00b7  ".join(notes))
            row.set_dimmed(not state.available)  # a dashed, muted row (ui/theme.py), in every look
            row.setProperty("available", state.available)
            rows.append((service.code, row))
        self.place(rows, columns)
