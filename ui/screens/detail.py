"""One service: what to bring, today's queue, and the button that takes a number."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.catalog import Agency, Service
from kiosk.errors import LeaseUsed, NeedsOnline, QuotaFull, ServiceClosed
from kiosk.queue import Availability
from ui.errors import visitor_message
from ui.screens.common import CardGrid, Scroll, identity_text, info_row, wait_text
from ui.widgets import Card, button, label


class DetailScreen(QWidget):
    take = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(40, 32, 40, 8)
        box.setSpacing(20)
        self.title = label("", "h1")
        self.agency = label("", "muted")
        box.addWidget(self.title)
        box.addWidget(self.agency)
        self.error = label("", "banner-error")
        box.addWidget(self.error)
        self.body = CardGrid()
        box.addWidget(Scroll(self.body), 1)  # a long document list scrolls rather than being cut
        self.take_button = button("", "primary")
        self.take_button.clicked.connect(self.take)
        box.addWidget(self.take_button)

    def render(
        self,
        service: Service,
        agency: Agency,
        language: str,
        availability: Availability | None,
        error_text: str | None,
        online: bool,
        columns: int,
    ) -> None:
        self.title.setText(service.name(language))
        self.agency.setText(agency.name(language))
        # What blocks a ticket comes from the service and today's queue; the last attempt's error
        # (error_text) is shown, but a visitor may try again unless the queue itself says no.
        name = service.name(language)
        blocked = None
        if not service.offline and not online:
            blocked = visitor_message(NeedsOnline(service=name))
        elif availability is not None and not availability.open:
            blocked = visitor_message(ServiceClosed(service=name, opens_at=availability.opens_at or "-"))
        elif availability is not None and availability.lease_used:
            blocked = visitor_message(LeaseUsed(service=name, quota=service.daily_quota, opens_at="-"))
        elif availability is not None and availability.quota_left <= 0:
            blocked = visitor_message(
                QuotaFull(service=name, quota=service.daily_quota, opens_at=availability.opens_at or "-")
            )
        problem = error_text or blocked
        self.error.setVisible(bool(problem))
        self.error.setText(problem or "")
        self.take_button.setText(self.tr("Take a queue number"))
        self.take_button.setEnabled(availability is not None and blocked is None)
        docs = Card()
        docs.box.addWidget(label(self.tr("Have these ready"), "h2"))
        for d in service.documents:
            docs.box.addWidget(label("\u2610  " + d(language), "body"))
        if note := identity_text(service):
            docs.box.addWidget(label(note, "muted"))
        docs.box.addStretch(1)
        info = Card()
        info.box.addWidget(label(self.tr("Today"), "h2"))
        if availability is None:
            info.box.addWidget(label(self.tr("Checking the queue\u2026"), "muted"))
        else:
            info.box.addWidget(info_row(self.tr("People waiting"), str(availability.people_ahead)))
            wait = wait_text(availability.estimated_wait_minutes) if availability.open else "\u2013"
            info.box.addWidget(info_row(self.tr("Estimated wait"), wait))
            info.box.addWidget(
                info_row(self.tr("Numbers left today"), f"{availability.quota_left} / {service.daily_quota}")
            )
        info.box.addWidget(info_row(self.tr("Counter"), service.counter_group))
        info.box.addStretch(1)
        self.body.show_cards([docs, info], columns)
