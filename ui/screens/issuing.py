"""The moment the store writes the ticket."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens.common import CENTER
from ui.widgets import label


class IssuingScreen(QWidget):
    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.text = label("", "h1", align=CENTER)
        box.addWidget(self.text)
        box.addStretch(1)

    def render(self) -> None:
        self.text.setText(self.tr("Making your queue number\u2026"))
