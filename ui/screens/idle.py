"""The attract screen."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import translator
from ui import icons
from ui.screens.common import CENTER
from ui.theme import PRIMARY
from ui.widgets import button, label

# The idle screen shows both languages at once, so it looks its strings up per language.
IDLE_WELCOME = QT_TRANSLATE_NOOP("Idle", "Welcome")
IDLE_WHAT = QT_TRANSLATE_NOOP("Idle", "Take a queue number here for every service in this hall.")
IDLE_CHOOSE = QT_TRANSLATE_NOOP("Idle", "Touch your language to start")
IDLE_NO_PRINTER = QT_TRANSLATE_NOOP("Idle", "The printer is not working: your number will be shown on the screen.")


class IdleScreen(QWidget):
    """The attract screen: bilingual, two huge language buttons; either one starts.

    Portrait stacks the welcome above the buttons; landscape puts them side by side.
    """

    start = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.main.setContentsMargins(64, 40, 64, 48)
        self.main.setSpacing(40)
        self.welcome = QWidget()
        box = QVBoxLayout(self.welcome)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.picture = QLabel()
        self.picture.setAlignment(CENTER)
        self.welcome_id = label("", "display", align=CENTER)
        self.welcome_en = label("", "h2", align=CENTER)
        self.hall = label("", "h1", align=CENTER)
        self.what_id = label("", "body", align=CENTER)
        self.what_en = label("", "muted", align=CENTER)
        for w in (self.picture, self.welcome_id, self.welcome_en, self.hall):
            box.addWidget(w)
        box.addSpacing(16)
        box.addWidget(self.what_id)
        box.addWidget(self.what_en)
        self.choice = QWidget()
        pick = QVBoxLayout(self.choice)
        pick.setContentsMargins(0, 0, 0, 0)
        pick.setSpacing(16)
        self.choose = label("", "h2", align=CENTER)
        self.choose_en = label("", "body", align=CENTER)
        pick.addWidget(self.choose)
        pick.addWidget(self.choose_en)
        self.buttons = QGridLayout()
        self.buttons.setSpacing(32)
        self.indonesian = button("Bahasa Indonesia", "language")
        self.english = button("English", "language")
        self.indonesian.clicked.connect(lambda: self.start.emit("id"))
        self.english.clicked.connect(lambda: self.start.emit("en"))
        pick.addLayout(self.buttons)
        self.printer = label("", "banner-error", align=CENTER)
        pick.addWidget(self.printer)
        self._portrait: bool | None = None

    def _arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.welcome, self.choice):
            self.main.removeWidget(w)
        for w in (self.indonesian, self.english):
            self.buttons.removeWidget(w)
        for i in range(3):
            self.main.setRowStretch(i, 0)
            self.main.setColumnStretch(i, 0)
        if portrait:  # welcome over the buttons, the buttons side by side
            self.main.addWidget(self.welcome, 1, 0)
            self.main.addWidget(self.choice, 2, 0)
            self.main.setRowStretch(0, 2)
            self.main.setRowStretch(3, 2)
            self.buttons.addWidget(self.indonesian, 0, 0)
            self.buttons.addWidget(self.english, 0, 1)
        else:  # welcome left, the buttons stacked on the right
            self.main.addWidget(self.welcome, 0, 0, Qt.AlignmentFlag.AlignVCenter)
            self.main.addWidget(self.choice, 0, 1, Qt.AlignmentFlag.AlignVCenter)
            self.main.setColumnStretch(0, 1)
            self.main.setColumnStretch(1, 1)
            self.buttons.addWidget(self.indonesian, 0, 0)
            self.buttons.addWidget(self.english, 1, 0)

    def render(self, hall: str, printer_ok: bool = True, portrait: bool = True, icon_size: int = 140) -> None:
        self._arrange(portrait)
        self.picture.setPixmap(icons.pixmap("ticket", icon_size, PRIMARY))
        ind, eng = translator("id").context("Idle"), translator("en").context("Idle")
        self.welcome_id.setText(ind(IDLE_WELCOME))
        self.welcome_en.setText(eng(IDLE_WELCOME))
        self.hall.setText(hall)
        self.what_id.setText(ind(IDLE_WHAT))
        self.what_en.setText(eng(IDLE_WHAT))
        self.choose.setText(ind(IDLE_CHOOSE))
        self.choose_en.setText(eng(IDLE_CHOOSE))
        self.printer.setText(ind(IDLE_NO_PRINTER) + "\n" + eng(IDLE_NO_PRINTER))
        self.printer.setVisible(not printer_ok)
