"""Pieces several screens share: the scrolling list, the wait wording, card grids."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QScroller, QWidget

from kiosk.catalog import Service
from kiosk.queue import is_kiosk_estimate
from ui.widgets import label

CENTER = Qt.AlignmentFlag.AlignCenter


def clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            clear(item.layout())


def wait_text(minutes: int) -> str:
    if minutes <= 0:
        text = QCoreApplication.translate("Screens", "A counter is free now")
    else:
        text = QCoreApplication.translate("Screens", "About {m} min").format(m=minutes)
    if is_kiosk_estimate(minutes):  # part of a hall queue, but offline or stale: say whose count it is
        return QCoreApplication.translate("Screens", "{wait} (this kiosk's estimate)").format(wait=text)
    return text


def identity_text(service: Service) -> str:
    if service.identity == "nik":
        return QCoreApplication.translate("Screens", "Bring your KTP: your NIK is checked at the counter.")
    if service.identity == "face":
        return QCoreApplication.translate("Screens", "Your identity is checked by face at the counter.")
    if service.identity == "qr":
        return QCoreApplication.translate("Screens", "Bring the QR code of your online booking.")
    return ""


# The idle screen shows both languages at once, so it looks its strings up per language.


class Scroll(QScrollArea):
    """A vertical list that scrolls: it asks for little height, so a long list never grows the window."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setWidget(content)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A finger drags the list (kinetic scrolling), as on a phone; a tap still presses a button.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 200)


def info_row(title: str, value: str) -> QWidget:
    w = QWidget()
    row = QHBoxLayout(w)
    row.setContentsMargins(0, 0, 0, 0)
    left = label(title, "muted")
    right = label(value, "value", wrap=True)
    right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(left, 1)
    row.addWidget(right, 1)
    return w


class CardGrid(QWidget):
    """Lays cards side by side (landscape) or stacked (portrait)."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(20)

    def show_cards(self, cards: list[QWidget], columns: int) -> None:
        clear(self.grid)
        for i, card in enumerate(cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        rows = (len(cards) + columns - 1) // columns
        for r in range(3):
            self.grid.setRowStretch(r, 1 if r == rows else 0)  # spare height goes below the cards
