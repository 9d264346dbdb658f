"""The last question before the number is made."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.catalog import Agency, Service
from kiosk.queue import Availability
from ui.screens.common import CENTER, wait_text
from ui.widgets import button, label


class ConfirmScreen(QWidget):
    confirm = Signal()
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(64, 48, 64, 24)
        box.setSpacing(28)
        box.addStretch(1)
        self.question = label("", "h2", align=CENTER)
        self.service = label("", "display", align=CENTER)
        self.agency = label("", "body", align=CENTER)
        self.wait = label("", "h2", align=CENTER)
        for w in (self.question, self.service, self.agency, self.wait):
            box.addWidget(w)
        box.addStretch(1)
        self.printer = label("", "banner-error", align=CENTER)
        box.addWidget(self.printer)
        self.yes = button("", "primary")
        self.yes.clicked.connect(self.confirm)
        box.addWidget(self.yes)
        self.no = button("", "secondary")
        self.no.clicked.connect(self.back)
        box.addWidget(self.no)
        box.addStretch(1)

    def render(
        self,
        service: Service,
        agency: Agency,
        language: str,
        availability: Availability | None,
        printer_ok: bool = True,
    ) -> None:
        self.printer.setText(self.tr("The printer is not working: your number will be shown on the screen."))
        self.printer.setVisible(not printer_ok)
        self.question.setText(self.tr("Print a queue number for:"))
        self.service.setText(service.name(language))
        self.agency.setText(agency.name(language))
        if availability is not None:
            self.wait.setText(
                self.tr("Estimated wait: {wait}").format(wait=wait_text(availability.estimated_wait_minutes))
            )
        self.wait.setVisible(availability is not None)
        self.yes.setText(self.tr("Yes, print my number"))
        self.no.setText(self.tr("No, go back"))
