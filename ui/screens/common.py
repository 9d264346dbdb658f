"""Pieces several screens share: the scrolling list, card grids. (The wait and other words: kiosk.wording.)"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QScroller, QWidget

from kiosk.catalog import Service
from ui import icons
from ui.widgets import RichButton, button, label, unbreakable

CENTER = Qt.AlignmentFlag.AlignCenter


def clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            clear(item.layout())


def staff_title_bar(screen, close_signal) -> QHBoxLayout:
    """A staff screen's top row: its title (`screen.title`) and a Close button
    (`screen.close_button`, emitting `close_signal`)."""
    top = QHBoxLayout()
    screen.title = label("", "h2")
    screen.close_button = button("", "primary")
    screen.close_button.clicked.connect(close_signal)
    top.addWidget(screen.title, 1)
    top.addWidget(screen.close_button)
    return top


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


def longest_word_px(texts: Iterable[str], font: QFont) -> int:
    """The width of the widest word of `texts` in `font` (a wrapped label breaks between words
    only while its widest word fits: narrower, it breaks inside one)."""
    metrics = QFontMetrics(font)
    words = (word for text in texts for word in unbreakable(text).split())
    return max((metrics.horizontalAdvance(word) for word in words), default=0)


def text_font(base: QFont, px: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """`base`'s family at `px` px and `weight` (to measure text in a look before it is drawn)."""
    font = QFont(base)
    font.setPixelSize(px)
    font.setWeight(weight)
    return font


def fitting_columns(width: int, most: int, spacing: int, chrome: int, needed: int) -> int:
    """How many columns (at most `most`) a grid `width` px wide can have so that each cell, less
    `chrome` px (margins, border, icon), leaves `needed` px for its text; at least one."""
    for columns in range(most, 1, -1):
        if (width - spacing * (columns - 1)) / columns - chrome >= needed:
            return columns
    return 1


def action_button() -> RichButton:
    """A light button whose words wrap (search, browse): in large text on a small screen it grows
    a line taller instead of cutting its words off. Filled by `show_action`."""
    b = RichButton("secondary", "value", "muted")
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.layout().itemAt(1).layout().insertStretch(0, 1)  # the words centred in the height
    b.picture.setAlignment(Qt.AlignmentFlag.AlignVCenter)
    return b


def show_action(b: RichButton, text: str, icon: str, height: int, theme) -> None:
    """An `action_button`'s words (in the look's accent, as a light button's), icon and least height."""
    b.set_text(text, "")
    b.title.setStyleSheet(f"color: {theme.colors.accent};")
    b.set_picture(icons.pixmap(icon, max(40, theme.px(56)), theme.colors.accent) if icon else QPixmap())
    b.layout().setContentsMargins(theme.px(28), theme.px(12), theme.px(28), theme.px(12))
    b.layout().setSpacing(theme.px(16))
    b.setMinimumHeight(height)


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
