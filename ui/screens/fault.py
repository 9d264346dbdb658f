"""Out of service: the kiosk cannot work at all (its store or catalog cannot be opened)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import translator
from ui.screens.common import CENTER
from ui.widgets import label

FAULT_TITLE = QT_TRANSLATE_NOOP("Idle", "This kiosk is out of service")
FAULT_NEXT = QT_TRANSLATE_NOOP("Idle", "Please use another kiosk or ask at the information desk.")
FAULT_CODE = QT_TRANSLATE_NOOP("Idle", "For the technician")


class FaultScreen(QWidget):
    """Shown when the kiosk cannot work at all (its store or catalog cannot be opened)."""

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(64, 48, 64, 64)
        box.setSpacing(24)
        box.addStretch(1)
        self.title_id = label("", "display", align=CENTER)
        self.title_en = label("", "h2", align=CENTER)
        self.next_id = label("", "body", align=CENTER)
        self.next_en = label("", "muted", align=CENTER)
        self.reason = label("", "muted", align=CENTER)
        for w in (self.title_id, self.title_en, self.next_id, self.next_en):
            box.addWidget(w)
        box.addStretch(1)
        box.addWidget(self.reason)

    def render(self, code: str | None) -> None:
        """`code`: the fault's stable code (e.g. store.damaged) for the technician; the full reason
        (paths, SQLite's words) is in the log and on stderr, never on the screen."""
        ind, eng = translator("id").context("Idle"), translator("en").context("Idle")
        self.title_id.setText(ind(FAULT_TITLE))
        self.title_en.setText(eng(FAULT_TITLE))
        self.next_id.setText(ind(FAULT_NEXT))
        self.next_en.setText(eng(FAULT_NEXT))
        self.reason.setText(f"{ind(FAULT_CODE)} / {eng(FAULT_CODE)}: {code or 'kiosk.error'}")
