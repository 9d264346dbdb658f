"""The shape of the agency and service lists: a title, a hint, big buttons in a grid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ui.screens.common import Scroll, clear
from ui.widgets import RichButton, label


class ChoiceScreen(QWidget):
    """A title, a hint, and big buttons in a grid that scrolls by finger if it must."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(40, 32, 40, 8)
        box.setSpacing(20)
        self.title = label("", "h1")
        self.hint = label("", "muted")
        box.addWidget(self.title)
        box.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        holder = QWidget()
        holder.setLayout(self.grid)
        box.addWidget(Scroll(holder), 1)

    def place(self, buttons: list[tuple[str, RichButton]], columns: int) -> None:
        """Replace the grid's buttons; each emits `chosen(code)` when touched."""
        clear(self.grid)
        for i, (code, b) in enumerate(buttons):
            b.clicked.connect(lambda _=False, code=code: self.chosen.emit(code))
            self.grid.addWidget(b, i // columns, i % columns)
        for c in range(max(columns, 4)):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        rows = (len(buttons) + columns - 1) // columns
        for r in range(rows + 2):
            self.grid.setRowStretch(r, 1 if r == rows else 0)  # spare height goes below the buttons
