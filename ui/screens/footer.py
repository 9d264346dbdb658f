"""The bar across the bottom: back, start over / done, and the countdown before the wipe."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui import icons
from ui.screens.common import CENTER
from ui.theme import Theme, theme_of
from ui.widgets import button, label


class Footer(QWidget):
    back = Signal()
    home = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(32, 8, 32, 24)
        box.setSpacing(12)
        # A full-width bar, hard to miss, while the session is about to be wiped.
        self.countdown = label("", "countdown", align=CENTER)
        box.addWidget(self.countdown)
        row = QHBoxLayout()
        box.addLayout(row)
        self.back_button = button("", "secondary")
        self.home_button = button("", "secondary")
        self._icons_for: Theme | None = None
        self.back_button.clicked.connect(self.back)
        # Hidden, they keep their place: the strip is the same on every screen (on the idle screen
        # too, empty), so nothing a visitor presses on one screen sits where Back or Start over
        # appears on the next.
        for b in (self.back_button, self.home_button):
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            b.setSizePolicy(policy)
        self.home_button.clicked.connect(self.home)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.home_button)

    def render(self, *, show_back: bool, countdown: int | None, done: bool = False, show_home: bool = True) -> None:
        theme = theme_of(self)
        if theme != self._icons_for:
            self._icons_for = theme
            self.back_button.setIcon(icons.icon("back", theme.px(64), theme.colors.accent))
            self.home_button.setIcon(icons.icon("home", theme.px(64), theme.colors.accent))
        self.back_button.setText(self.tr("Back"))
        self.back_button.setVisible(show_back)
        self.home_button.setText(self.tr("Done") if done else self.tr("Start over"))
        self.home_button.setVisible(show_home)
        self.countdown.setVisible(countdown is not None)
        if countdown is not None:
            self.countdown.setText(self.tr("Back to start in {s} s. Touch the screen to stay.").format(s=countdown))
