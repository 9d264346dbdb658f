"""The priority chooser: elderly, disability, pregnancy, parent with an infant, or not needed.

Opened from the idle screen or before confirming; the choice goes back to where it was opened.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.priority import PRIORITY_KINDS, Priority
from ui import icons
from ui.screens.common import Scroll, fitting_columns, longest_word_px, text_font
from ui.theme import theme_of
from ui.widgets import RichButton, button, label


def priority_strip(size: int, color: str, gap: int = 8, *, columns: int = 4) -> QPixmap:
    """The four priority icons, each `size` px, in a row (columns=4) or a square (columns=2):
    the picture of every priority entry."""
    rows = (len(PRIORITY_KINDS) + columns - 1) // columns
    out = QPixmap(columns * (size + gap) - gap, rows * (size + gap) - gap)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    for i, kind in enumerate(PRIORITY_KINDS):
        painter.drawPixmap((i % columns) * (size + gap), (i // columns) * (size + gap), icons.pixmap(kind, size, color))
    painter.end()
    return out


class PriorityScreen(QWidget):
    """Emits `chosen(kind)`: a kiosk/priority.py code, or "" for not needed."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 32, 48, 16)
        box.setSpacing(24)
        self.title = label("", "h1")
        self.hint = label("", "body")
        self.heading = QHBoxLayout()  # the title, and on a low screen "Not needed" beside it
        self.heading.addWidget(self.title, 1)
        box.addLayout(self.heading)
        box.addWidget(self.hint)
        # The choices fill the height; where they cannot (large text on a small screen), they scroll
        # rather than push the screen past the window.
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(24)
        box.addWidget(Scroll(holder), 1)
        #: One big button per kind, by its code.
        self.kinds: dict[str, RichButton] = {}
        for i, kind in enumerate(PRIORITY_KINDS):
            tile = RichButton("row", "row-title", "row-sub")
            tile.setCheckable(True)
            tile.clicked.connect(lambda _=False, kind=kind: self.chosen.emit(kind))
            self.kinds[kind] = tile
            self.grid.addWidget(tile, i // 2, i % 2)
        self.not_needed = button("", "secondary")
        self.not_needed.clicked.connect(lambda: self.chosen.emit(""))
        box.addWidget(self.not_needed)
        self._portrait: int | None = None  # the columns laid out
        self._low: bool | None = None  # "Not needed" beside the title

    def render(self, language: str, current: str | None, *, portrait: bool) -> None:
        theme = theme_of(self)
        box = self.layout()
        box.setContentsMargins(theme.px(48), theme.px(28), theme.px(48), theme.px(12))
        box.setSpacing(theme.px(20))
        self.grid.setSpacing(theme.px(20))
        # A landscape screen too low for the choices in two full rows under a title, a hint and a
        # bottom button (1366x768): "Not needed" goes beside the title; in large text the hint goes.
        low = not portrait and theme.scale < 0.9
        if low != self._low:
            self._low = low
            box.removeWidget(self.not_needed)
            self.heading.removeWidget(self.not_needed)
            if low:
                self.heading.addWidget(self.not_needed, 0, Qt.AlignmentFlag.AlignVCenter)
            else:
                box.addWidget(self.not_needed)
        self.heading.setSpacing(theme.px(20))
        self.hint.setVisible(not (low and theme.large_text))
        # Portrait: one above the other; landscape: two by two (one above the other if a title's
        # longest word would not fit beside its icon).
        icon = max(64, theme.px(110))
        titles = [Priority(kind).label(language) for kind in PRIORITY_KINDS]
        needed = longest_word_px(titles, text_font(self.font(), theme.font(34), QFont.Weight.Bold))
        margins = (theme.px(24), theme.px(14))
        chrome = 2 * margins[0] + icon + theme.px(20) + theme.px(18)
        width = self.window().width() - 2 * theme.px(48)
        columns = 1 if portrait else fitting_columns(width, 2, theme.px(20), chrome, max(needed, 8 * theme.font(34)))
        if columns != self._portrait:
            self._portrait = columns
            for i, kind in enumerate(PRIORITY_KINDS):
                self.grid.removeWidget(self.kinds[kind])
                self.grid.addWidget(self.kinds[kind], i // columns, i % columns)
        self.title.setText(self.tr("Priority queue"))
        self.hint.setText(self.tr("Served first at the counter. Touch the one that applies to you."))
        for kind, tile in self.kinds.items():
            chosen = kind == current
            tile.setChecked(chosen)
            tile.set_text(Priority(kind).label(language), self.tr("Chosen \u2713") if chosen else "")
            tile.set_picture(icons.pixmap(kind, icon, theme.colors.accent))
            tile.layout().setContentsMargins(margins[0], margins[1], margins[0], margins[1])
            tile.layout().setSpacing(theme.px(20))
            tile.setMinimumHeight(max(100, theme.px(170 if portrait else 140)))
        self.not_needed.setText(self.tr("Not needed") if current is None else self.tr("No priority after all"))
        self.not_needed.setMinimumHeight(max(90, theme.px(110)))
