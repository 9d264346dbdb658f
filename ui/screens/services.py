"""One agency's services, each with today's state."""

from __future__ import annotations

from kiosk.catalog import Agency
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
    ) -> None:
        """`availability` (service code -> today's queue) arrives from the store a moment later."""
        self.title.setText(agency.name(language))
        self.hint.setText(self.tr("Choose the service you came for."))
        rows = []
        for service in agency.services:
            row = RichButton("row", "row-title", "row-sub")
            row.setMinimumHeight(140)
            notes = [service.counter_group]
            today = (availability or {}).get(service.code)
            if not service.offline and not online:
                notes.append(self.tr("needs the online link (down now)"))
            elif today is not None and not today.open:
                notes.append(self.tr("closed now"))
            elif today is not None and today.lease_used:
                notes.append(self.tr("none left at this kiosk"))
            elif today is not None and today.quota_left <= 0:
                notes.append(self.tr("full for today"))
            elif today is not None and today.estimated_wait_minutes <= 0:
                notes.append(self.tr("no wait now"))
            elif today is not None:
                notes.append(self.tr("about {m} min wait").format(m=today.estimated_wait_minutes))
            if service.identity != "none" and (service.offline or online):
                notes.append(
                    {"nik": self.tr("bring your KTP"), "face": self.tr("face check"), "qr": self.tr("booking QR code")}[
                        service.identity
                    ]
                )
            row.set_text(service.name(language), "  \u00b7  ".join(notes))
            rows.append((service.code, row))
        self.place(rows, columns)
