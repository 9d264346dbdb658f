"""The visitor's number, its QR code and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.catalog import Service
from kiosk.queue import Ticket
from kiosk.session import PrintState
from ui.screens.common import CENTER, wait_text
from ui.widgets import QrView, label


class TicketScreen(QWidget):
    """The number, its QR code and what to do next; side by side in landscape, stacked in portrait."""

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.main.setContentsMargins(48, 24, 48, 8)
        self.main.setSpacing(16)
        self.caption = label("", "h2", align=CENTER)
        self.number = label("", "number", wrap=False, align=CENTER)
        self.service = label("", "h2", align=CENTER)
        self.head = QWidget()
        head = QVBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        for w in (self.caption, self.number, self.service):
            head.addWidget(w)
        self.qr = QrView()
        self.ahead = label("", "h2")
        self.wait = label("", "body")
        self.counter = label("", "body")
        self.docs = label("", "muted")
        self.facts_widget = QWidget()
        facts = QVBoxLayout(self.facts_widget)
        facts.setContentsMargins(0, 0, 0, 0)
        for w in (self.ahead, self.wait, self.counter, self.docs):
            facts.addWidget(w)
        self.status = label("", "banner-ok")
        self._portrait: bool | None = None

    def _arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.head, self.qr, self.facts_widget, self.status):
            self.main.removeWidget(w)
        for r in range(6):
            self.main.setRowStretch(r, 0)
        if portrait:
            self.main.addWidget(self.head, 0, 0)
            self.main.addWidget(self.qr, 1, 0, Qt.AlignmentFlag.AlignHCenter)
            self.main.addWidget(self.facts_widget, 2, 0)
            self.main.setRowStretch(3, 1)
            self.main.addWidget(self.status, 4, 0)
        else:
            self.main.addWidget(self.head, 0, 0)
            self.main.addWidget(self.facts_widget, 1, 0)
            self.main.addWidget(self.qr, 0, 1, 2, 1, Qt.AlignmentFlag.AlignCenter)
            self.main.setRowStretch(2, 1)
            self.main.addWidget(self.status, 3, 0, 1, 2)

    def render(
        self,
        ticket: Ticket,
        service: Service,
        language: str,
        matrix,
        print_state: PrintState,
        error_text: str | None,
        portrait: bool,
        qr_side: int,
    ) -> None:
        self._arrange(portrait)
        self.caption.setText(self.tr("Your queue number"))
        self.number.setText(ticket.number)
        self.number.setAccessibleName(ticket.number)
        self.service.setText(service.name(language))
        self.qr.set_matrix(matrix)
        self.qr.setFixedSize(qr_side, qr_side)
        self.ahead.setText(self.tr("People ahead of you: {n}").format(n=ticket.people_ahead))
        self.wait.setText(self.tr("Estimated wait: {wait}").format(wait=wait_text(ticket.estimated_wait_minutes)))
        self.counter.setText(self.tr("Counter: {group}").format(group=service.counter_group))
        docs = ", ".join(d(language) for d in service.documents)
        self.docs.setText(self.tr("Have ready: {docs}").format(docs=docs) if docs else "")
        if print_state == PrintState.PRINTING:
            self.status.setProperty("role", "banner-ok")
            self.status.setText(self.tr("Printing your ticket\u2026"))
        elif print_state == PrintState.PRINTED:
            self.status.setProperty("role", "banner-ok")
            self.status.setText(self.tr("Please take your ticket from the printer below the screen."))
        else:
            self.status.setProperty("role", "banner-error")
            self.status.setText(error_text or "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
