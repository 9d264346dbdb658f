"""The technician's PIN pad, behind the hidden gesture (a 3-second press on the hall's name).

Digits stay in this widget (never in the session state, never logged); "OK" hands them to the
flow, which checks them off the GUI thread. Masked as dots; wrong: how many tries are left;
locked: for how many minutes. Without a PIN configured it says so and only offers Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.pin import PIN_DIGITS
from ui.theme import theme_of
from ui.widgets import button, label

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok")


class PinScreen(QWidget):
    """Emits `entered(pin)` on OK and `cancel()`."""

    entered = Signal(str)
    cancel = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.digits = ""
        self.box = QBoxLayoutHolder(self)
        self.title = label("", "h1")
        self.hint = label("", "body")
        self.dots = label("", "display", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        self.message = label("", "banner-error")
        self.message.hide()
        self.cancel_button = button("", "secondary")
        self.cancel_button.clicked.connect(self.cancel)
        pad = QWidget()
        self.grid = QGridLayout(pad)
        self.grid.setContentsMargins(0, 0, 0, 0)
        #: The keypad's buttons by key ("0".."9", "clear", "ok").
        self.keys = {}
        for i, key in enumerate(KEYS):
            b = button(key, "primary" if key == "ok" else "secondary")
            b.clicked.connect(lambda _=False, key=key: self.press(key))
            self.keys[key] = b
            self.grid.addWidget(b, i // 3, i % 3)
        self.pad = pad
        self.box.side.addWidget(self.title)
        self.box.side.addWidget(self.hint)
        self.box.side.addWidget(self.dots)
        self.box.side.addWidget(self.message)
        self.box.side.addStretch(1)
        self.box.side.addWidget(self.cancel_button)
        self.box.main.addWidget(pad)
        self._busy = False

    def press(self, key: str) -> None:
        if self._busy:
            return
        if key == "clear":
            self.digits = self.digits[:-1]
        elif key == "ok":
            if self.digits:
                pin, self.digits = self.digits, ""
                self.entered.emit(pin)
        elif len(self.digits) < PIN_DIGITS[1]:
            self.digits += key
        self._show_dots()

    def _show_dots(self) -> None:
        self.dots.setText("\u25cf " * len(self.digits) if self.digits else "\u25cb")
        self.dots.setAccessibleName(self.tr("{n} digits entered").format(n=len(self.digits)))

    def reset(self) -> None:
        """Forget what was typed (the screen was left or the PIN was sent)."""
        self.digits = ""
        self._show_dots()

    def render(self, *, configured: bool, status, busy: bool, now, portrait: bool) -> None:
        """`status`: the gate's kiosk.pin.GateStatus (None while it is read)."""
        theme = theme_of(self)
        self._busy = busy
        self.box.arrange(portrait, theme)
        key_side = theme.touch(150 if portrait else 120)
        self.grid.setSpacing(theme.px(16))
        for b in self.keys.values():
            b.setMinimumSize(key_side, key_side)
        self.title.setText(self.tr("Technician"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setMinimumHeight(theme.touch(110))
        locked = status is not None and status.locked_until is not None
        self.keys["clear"].setText(self.tr("Delete"))
        self.keys["ok"].setText(self.tr("OK"))
        self.keys["clear"].setAccessibleName(self.tr("Delete the last digit"))
        self.keys["ok"].setAccessibleName(self.tr("Enter the PIN"))
        self.pad.setVisible(configured)
        self.dots.setVisible(configured)
        for b in self.keys.values():
            b.setEnabled(configured and not locked and not busy)
        if not configured:
            self.hint.setText(
                self.tr("No technician PIN is set on this kiosk. Run \u201ckiosk diag\u201d in a shell instead.")
            )
        elif busy:
            self.hint.setText(self.tr("Checking\u2026"))
        else:
            self.hint.setText(self.tr("Enter the technician PIN."))
        message = ""
        if configured and status is not None:
            if locked:
                message = self.tr("Locked for {n} min after too many wrong PINs.").format(n=status.locked_minutes(now))
            elif status.outcome == "wrong":
                message = self.tr("Wrong PIN. {n} tries left.").format(n=status.tries_left)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self._show_dots()


class QBoxLayoutHolder:
    """The screen's two parts: the words and Cancel (`side`), the keypad (`main`); side by side
    in landscape, one above the other in portrait."""

    def __init__(self, widget: QWidget) -> None:
        self.outer = QVBoxLayout(widget)
        self.row = QHBoxLayout()
        self.outer.addLayout(self.row, 1)
        self.side = QVBoxLayout()
        self.main = QVBoxLayout()
        self.row.addLayout(self.side, 1)
        self.row.addLayout(self.main, 1)
        self._portrait: bool | None = None

    def arrange(self, portrait: bool, theme) -> None:
        self.outer.setContentsMargins(theme.px(48), theme.px(32), theme.px(48), theme.px(24))
        self.row.setSpacing(theme.px(48))
        self.side.setSpacing(theme.px(20))
        if portrait == self._portrait:
            return
        self._portrait = portrait
        self.row.setDirection(QHBoxLayout.Direction.TopToBottom if portrait else QHBoxLayout.Direction.LeftToRight)
