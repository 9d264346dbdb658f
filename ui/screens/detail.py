"""One service: what to bring, today's queue, and the button that takes a number."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import wording
from kiosk.catalog import Agency, Service
from kiosk.flow import service_state
from kiosk.queue import Availability
from ui.errors import state_message
from ui.screens.common import CardGrid, Scroll, identity_text, info_row
from ui.screens.notice import NoticeCard
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
        self.notice = NoticeCard(title_role="body")
        self.error = self.notice.title  # the reason, in words (tests read it here)
        box.addWidget(self.notice)
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
        now: datetime | None = None,
    ) -> None:
        self.title.setText(service.name(language))
        self.agency.setText(agency.name(language))
        # What blocks a ticket comes from the service and today's queue; the last attempt's error
        # (error_text) is shown, but a visitor may try again unless the queue itself says no.
        state = service_state(service, availability, online=online)
        blocked = state_message(service, state, language, now)
        problem = error_text or blocked
        self.notice.show_notice(problem or "", "", "warning")
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
            if availability.open:
                wait = wording.wait(
                    availability.estimated_wait_minutes, language, people_ahead=availability.people_ahead
                )
            else:
                wait = "\u2013"
            info.box.addWidget(info_row(self.tr("Estimated wait"), wait))
            info.box.addWidget(
                info_row(self.tr("Numbers left today"), f"{availability.quota_left} / {service.daily_quota}")
            )
        info.box.addWidget(info_row(self.tr("Counter"), wording.counter_place(service, language)))
        info.box.addStretch(1)
        self.body.show_cards([docs, info], columns)
