"""The bar across the top: the hall, the clock, the quiet offline mark, the language."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout

from ui import icons
from ui.theme import PRIMARY
from ui.widgets import button, label


class Header(QFrame):
    language_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Header")
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 14, 32, 14)
        self.brand = label("MPP", "brand", wrap=False)
        self.hall = label("", "brand", wrap=False)
        self.clock = label("", "clock", wrap=False)
        # Quiet: tickets still work offline; the mark is for the curious and for staff.
        self.offline = label("", "clock", wrap=False)
        self.offline.setVisible(False)
        self.language = button("", "header")
        self.language.setIcon(icons.icon("language", 64, PRIMARY))
        self.language.clicked.connect(self.language_clicked)
        row.addWidget(self.brand)
        row.addSpacing(16)
        row.addWidget(self.hall, 1)
        row.addWidget(self.offline)
        row.addSpacing(24)
        row.addWidget(self.clock)
        row.addSpacing(24)
        row.addWidget(self.language)

    def render(self, hall: str, clock: str, language: str, show_language: bool, offline: bool = False) -> None:
        self.hall.setText(hall)
        self.clock.setText(clock)
        self.offline.setText("\u25cb " + self.tr("Offline"))
        self.offline.setAccessibleName(self.tr("Offline: tickets still work"))
        self.offline.setVisible(offline)
        # The button names the other language, in that language, so a visitor can read it.
        self.language.setText("English" if language == "id" else "Bahasa Indonesia")
        self.language.setVisible(show_language)
