"""Pieces the identify screens share (face, QR scan, NIK keypad): the ways out to the other two
methods, the words of a failed attempt, and the two-part layout (side by side on a wide screen,
one above the other on a tall one)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.identity import message_for
from ui.screens.common import action_button, show_action
from ui.widgets import RichButton

#: The way to each method, as the button on another method's screen says it (context "Identify").
WAY_TEXT = {
    "face": QT_TRANSLATE_NOOP("Identify", "Use my face"),
    "qr": QT_TRANSLATE_NOOP("Identify", "Scan QR code instead"),
    "nik": QT_TRANSLATE_NOOP("Identify", "Type NIK instead"),
}
WAY_ICON = {"face": "face", "qr": "qr", "nik": "keypad"}


def attempt_text(code: str | None) -> str:
    """The visitor's words for a failed attempt's code (kiosk.identity.message_for), translated;
    "" for no code. Never the code itself, an exception or an errno. (A NIK's refusal takes the
    NIK's parameters: the NIK screen words it with kiosk.nik.)"""
    found = message_for(code)
    if found is None:
        return ""
    context, source = found
    return QCoreApplication.translate(context, source)


def way_button(method: str) -> RichButton:
    """A light button to another way of identifying (its words wrap in large text)."""
    b = action_button()
    b.setProperty("method", method)
    return b


def show_way(b: RichButton, theme, height: int) -> None:
    method = b.property("method")
    show_action(b, QCoreApplication.translate("Identify", WAY_TEXT[method]), WAY_ICON[method], height, theme)


class TwoParts:
    """A screen's two parts, `first` and `second`, side by side on a wide screen (first on the
    left) and one above the other on a tall one; `bottom` under both, always the full width."""

    def __init__(self, widget: QWidget) -> None:
        self.outer = QVBoxLayout(widget)
        self.row = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.outer.addLayout(self.row, 1)
        self.first = QVBoxLayout()
        self.second = QVBoxLayout()
        self.row.addLayout(self.first, 1)
        self.row.addLayout(self.second, 1)
        self.bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.outer.addLayout(self.bottom)
        self._portrait: bool | None = None

    def arrange(self, portrait: bool, theme, *, stretch: tuple[int, int] = (1, 1)) -> bool:
        """Margins and spacing for `theme`; True when the direction changed."""
        self.outer.setContentsMargins(theme.px(48), theme.px(24), theme.px(48), theme.px(12))
        self.outer.setSpacing(theme.px(20))
        self.row.setSpacing(theme.px(20) if portrait else theme.px(40))
        self.first.setSpacing(theme.px(14))
        self.second.setSpacing(theme.px(14))
        self.bottom.setSpacing(theme.px(20))
        self.row.setStretch(0, stretch[0])
        self.row.setStretch(1, stretch[1])
        if portrait == self._portrait:
            return False
        self._portrait = portrait
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        return True
