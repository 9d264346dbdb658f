"""The NIK keypad: 16 digits, shown in groups of four as they are typed, a counter ("12/16"),
"Continue" only at 16 digits, and the refusal's words (kiosk.nik) when the number cannot be right.

The digits live in the session (`state.nik_entry`), never here: every key asks the flow for the
new digits (`entry_changed`), and the screen draws what the flow keeps. When the visitor leaves
the screen the window calls `reset()`, so nothing of the number stays in a widget. A hardware
keyboard's digits, Backspace and Enter work too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.nik import NIK_LENGTH, check_nik
from ui import icons
from ui.screens.common import CENTER, text_font
from ui.screens.confirm import FitScroll
from ui.screens.notice import NoticeCard
from ui.screens.ways import TwoParts, attempt_text, show_way, way_button
from ui.theme import theme_of
from ui.widgets import button, label

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "delete")
#: Where each key sits: (row, column, columns spanned). A phone's pad on a screen with the height
#: for it (the cell left of 0 empty, as on a phone's PIN pad); two rows of six on a short one.
PAD = {k: (i // 3, i % 3, 1) for i, k in enumerate(KEYS[:9])} | {"0": (3, 1, 1), "delete": (3, 2, 1)}
ROWS = {k: (i // 6, i % 6, 1) for i, k in enumerate(KEYS[:10])} | {"delete": (1, 4, 2)}
#: Below this window height the keypad is two rows of six (1366 x 768: four rows do not fit).
SHORT_PX = 900


def grouped(digits: str) -> str:
    """ "3201010101010001" as "3201 0101 0101 0001" (any length)."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def shown(digits: str) -> str:
    """What the display shows: the digits typed, in groups of four, and a mark for each one to come."""
    return grouped(digits + "\u2013" * (NIK_LENGTH - len(digits)))


class NikScreen(QWidget):
    """Emits `entry_changed(digits)` (the whole entry after a key), `submit()` and `switch(method)`.
    (A hardware keyboard's Delete or Escape clears the whole entry.)"""

    entry_changed = Signal(str)
    submit = Signal()
    switch = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        #: The digits as the flow last drew them (state.nik_entry); "" after reset().
        self.digits = ""
        self.parts = TwoParts(self)
        self.title = label("", "h1")
        self.hint = label("", "body")
        self.display = label("", "display", wrap=False, align=CENTER)
        self.display.setObjectName("NikDisplay")
        self.counter = label("", "value", wrap=False, align=Qt.AlignmentFlag.AlignRight)
        self.notice = NoticeCard(title_role="value")
        self.message = self.notice.title
        pad = QWidget()
        self.grid = QGridLayout(pad)
        self.grid.setContentsMargins(0, 0, 0, 0)
        #: The keypad's buttons by key ("0".."9", "delete").
        self.keys = {}
        for key in KEYS:
            b = button(key if key.isdigit() else "", "secondary")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _=False, key=key: self.press(key))
            if key == "delete":
                b.setAutoRepeat(True)
            self.keys[key] = b
        self.pad = pad
        self._places = None
        self.ok = button("", "primary")
        self.ok.clicked.connect(self._submit)
        self.ways = {m: way_button(m) for m in ("qr", "face")}
        for method, b in self.ways.items():
            b.clicked.connect(lambda _=False, method=method: self.switch.emit(method))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # The words and the number scroll only when a short screen in large text has no room for them.
        content = QWidget()
        self.words_box = QVBoxLayout(content)
        self.words_box.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.hint, self.display, self.counter, self.notice):
            self.words_box.addWidget(w)
        self.words_box.addStretch(1)
        self.words = FitScroll(content)
        self.parts.first.addWidget(self.words, 1)
        self.parts.second.addWidget(pad, 1)
        self.parts.second.addWidget(self.ok)
        self._portrait: bool | None = None

    # -- keys ---------------------------------------------------------------------------------------
    def press(self, key: str) -> None:
        if key == "delete":
            self.entry_changed.emit(self.digits[:-1])
        elif key == "clear":  # a hardware keyboard's Delete or Escape
            self.entry_changed.emit("")
        elif key.isdigit() and len(self.digits) < NIK_LENGTH:
            self.entry_changed.emit(self.digits + key)

    def _submit(self) -> None:
        if len(self.digits) == NIK_LENGTH:
            self.submit.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key, text = event.key(), event.text()
        if text and len(text) == 1 and text in "0123456789":
            self.press(text)
        elif key == Qt.Key.Key_Backspace:
            self.press("delete")
        elif key == Qt.Key.Key_Delete or key == Qt.Key.Key_Escape:
            self.press("clear")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # a hardware keyboard types here

    def reset(self) -> None:
        """Forget the digits drawn (the visitor left the screen)."""
        if self.digits or self.display.text() != shown(""):
            self.digits = ""
            self.display.setText(shown(""))
            self.counter.setText("")
            self.notice.clear()

    # -- drawing ------------------------------------------------------------------------------------
    def _arrange(self, portrait: bool, theme) -> None:
        changed = self.parts.arrange(portrait, theme, stretch=(0, 1) if portrait else (1, 1))
        self.grid.setSpacing(theme.px(14))
        self.words_box.setSpacing(theme.px(10))
        places = ROWS if self.window().height() < SHORT_PX else PAD
        if places is not self._places:
            self._places = places
            for b in self.keys.values():
                self.grid.removeWidget(b)
            for key, (row, column, span) in places.items():
                self.grid.addWidget(self.keys[key], row, column, 1, span)
            for c in range(6):
                self.grid.setColumnStretch(c, 1 if c < (6 if places is ROWS else 3) else 0)
        if changed:
            first, bottom = self.parts.first, self.parts.bottom
            for b in self.ways.values():
                first.removeWidget(b)
                bottom.removeWidget(b)
            # Tall: the ways out across the bottom. Wide: under the words, the keypad has the height.
            for b in self.ways.values():
                if portrait:
                    bottom.addWidget(b, 1)
                else:
                    first.addWidget(b)

    def _fit_display(self, theme, portrait: bool) -> None:
        """The number in the display's large type, smaller when a narrow column cannot hold it."""
        win = self.window()
        room = win.width() - 2 * theme.px(48)
        if not portrait:
            room = (room - theme.px(40)) // 2
        px = theme.font(64)
        font = text_font(self.display.font(), px, QFont.Weight.ExtraBold)
        while px > 32 and QFontMetrics(font).horizontalAdvance(shown(NIK_LENGTH * "0")) > room - theme.px(8):
            px -= 2
            font = text_font(self.display.font(), px, QFont.Weight.ExtraBold)
        self.display.setStyleSheet(f"font-size: {px}px; font-weight: 800;")

    def render(self, *, digits: str, message: str | None, today, camera_ok: bool, portrait: bool) -> None:
        """`digits` state.nik_entry; `message` state.id_message (a "nik.*" code: refused); `today`
        the hall's date (a birth date after it is refused)."""
        theme = theme_of(self)
        self._arrange(portrait, theme)
        self.digits = digits
        self.title.setText(self.tr("Type your NIK"))
        self.hint.setText(self.tr("The 16-digit number on your KTP-el."))
        self.display.setText(shown(digits))
        self._fit_display(theme, portrait)
        self.display.setAccessibleName(self.tr("{n} of 16 digits typed").format(n=len(digits)))
        self.counter.setText(f"{len(digits)}/{NIK_LENGTH}")
        self.counter.setAccessibleName(self.display.accessibleName())
        # A refused NIK in kiosk.nik's words (they take its parameters); a QR scanned here and refused
        # in the credential's.
        if message and message.startswith("nik."):
            result = check_nik(digits, today)
            words = "" if result.valid else result.visitor_text(QCoreApplication.translate)
        else:
            words = attempt_text(message)
        if words:
            self.notice.show_notice(words, "", "warning")
        else:
            self.notice.clear()
        key_height = theme.touch(130 if portrait else 100)
        for key, b in self.keys.items():
            b.setMinimumSize(theme.touch(90), key_height)
            size = theme.font(44) if key.isdigit() else theme.font(32)
            b.setStyleSheet(f"QPushButton {{ font-size: {size}px; padding: 0px; min-width: 0px; }}")
        self.keys["delete"].setText(self.tr("Delete"))
        self.keys["delete"].setIcon(icons.icon("back", theme.px(64), theme.icon_color()))
        self.keys["delete"].setAccessibleName(self.tr("Delete the last digit"))
        self.ok.setText(self.tr("Continue"))
        self.ok.setEnabled(len(digits) == NIK_LENGTH)
        self.ok.setMinimumHeight(theme.touch(120))
        for b in self.ways.values():
            show_way(b, theme, theme.touch(110))
        self.ways["face"].setVisible(camera_ok)
