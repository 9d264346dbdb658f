"""The on-screen keyboard of the search screen: digits, QWERTY letters, space, backspace, clear.

We draw our own keys (no system input method): big, named for screen readers, and they never take
the focus, so a hardware keyboard keeps typing into the search field as well.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from ui import icons
from ui.theme import theme_of
from ui.widgets import button

#: The rows of character keys, as printed on them; a key types its character in lower case.
ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
COLUMNS = 10
#: The smallest key, in px, whatever the screen (the kiosk's touch target).
MIN_KEY_PX = 90
#: The columns of the space bar; "Clear all" takes the rest of the bottom row (its words fit in
#: large text), "Delete" the rest of the last row of letters.
SPACE_COLUMNS = 6
#: The gap between keys, in px at a 1080 px short side, and never less than this anywhere.
KEY_GAP_PX = 8
MIN_KEY_GAP_PX = 6


class Keyboard(QWidget):
    """Emits `typed(character)`, `backspace()` and `cleared()`; it keeps no text of its own."""

    typed = Signal(str)
    backspace = Signal()
    cleared = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        #: The character keys by the character they type ("a", "1", "-").
        self.keys: dict[str, QPushButton] = {}
        for r, row in enumerate(ROWS):
            for c, printed in enumerate(row):
                ch = printed.lower()
                key = self._key(printed)
                key.setAccessibleName(printed)
                key.clicked.connect(lambda _=False, ch=ch: self.typed.emit(ch))
                self.keys[ch] = key
                self.grid.addWidget(key, r, c)
        # A wide backspace after the last letters; space and clear share the bottom row.
        wide = COLUMNS - len(ROWS[-1])
        self.backspace_key = self._key("")
        self.backspace_key.setAutoRepeat(True)
        self.backspace_key.clicked.connect(self.backspace)
        self.grid.addWidget(self.backspace_key, len(ROWS) - 1, len(ROWS[-1]), 1, wide)
        self.space_key = self._key("")
        self.space_key.clicked.connect(lambda: self.typed.emit(" "))
        self.grid.addWidget(self.space_key, len(ROWS), 0, 1, SPACE_COLUMNS)
        self.clear_key = self._key("")
        self.clear_key.clicked.connect(self.cleared)
        self.grid.addWidget(self.clear_key, len(ROWS), SPACE_COLUMNS, 1, COLUMNS - SPACE_COLUMNS)
        for c in range(COLUMNS):
            self.grid.setColumnStretch(c, 1)
        self._look = None

    def _key(self, text: str) -> QPushButton:
        key = button(text, "secondary")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setMinimumSize(MIN_KEY_PX, MIN_KEY_PX)
        # Ten keys must fit a row: no padding, and the height is the keyboard's, not the stylesheet's.
        key.setStyleSheet("QPushButton { padding: 0px; min-width: 0px; min-height: 0px; }")
        return key

    @staticmethod
    def gap(theme) -> int:
        """The space between two keys in `theme`."""
        return max(MIN_KEY_GAP_PX, theme.px(KEY_GAP_PX))

    @classmethod
    def narrowest(cls, theme) -> int:
        """The least width ten keys of MIN_KEY_PX and their gaps take in `theme`."""
        return COLUMNS * MIN_KEY_PX + (COLUMNS - 1) * cls.gap(theme)

    def render(self, key_height: int, *, digits: bool = True) -> None:
        """Name the keys in the current language; every key `key_height` px tall (at least 90) and
        at least 90 px wide: the keyboard never gets narrower than ten such keys (`narrowest`).
        `digits` False leaves the row of digits out, where the screen has no height for five rows
        of keys (large text on a small screen; services are found by words, and a hardware
        keyboard still types digits)."""
        for ch in ROWS[0]:
            self.keys[ch.lower()].setVisible(digits)
        self.backspace_key.setText(self.tr("Delete"))
        self.backspace_key.setAccessibleName(self.tr("Delete one letter"))
        self.space_key.setText(self.tr("Space"))
        self.clear_key.setText(self.tr("Clear all"))
        theme = theme_of(self)
        self.backspace_key.setIcon(icons.icon("back", 64, theme.icon_color()))
        self.backspace_key.setIconSize(QSize(theme.px(48), theme.px(48)))
        height = max(MIN_KEY_PX, key_height)
        look = (height, theme)
        if look != self._look:
            self._look = look
            # The characters large (elderly eyes); the words of the wide keys at the buttons' size.
            letters = f"QPushButton {{ padding: 0px; min-width: 0px; min-height: 0px; font-size: {theme.font(40)}px; }}"
            for key in self.keys.values():
                key.setStyleSheet(letters)
            for key in self.findChildren(QPushButton):
                key.setFixedHeight(height)
            self.grid.setSpacing(self.gap(theme))
            self.setMinimumWidth(self.narrowest(theme))
