"""Out of service on purpose: a supervisor took the kiosk out of service (locally or from central).

Shown instead of the idle screen while `Flow.locked`; both languages at once (a visitor has not
chosen one), no buttons: only the supervisor's hidden corner gesture leads on.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import translator
from ui.screens.common import CENTER
from ui.widgets import bilingual, label

TITLE = QT_TRANSLATE_NOOP("Unavailable", "This kiosk is temporarily unavailable")
NEXT = QT_TRANSLATE_NOOP("Unavailable", "Please use another kiosk or ask at the information desk.")
SORRY = QT_TRANSLATE_NOOP("Unavailable", "We apologise for the inconvenience.")


class UnavailableScreen(QWidget):
    """The polite "temporarily unavailable" page, Indonesian first, then English."""

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
        self.sorry_id = label("", "body", align=CENTER)
        self.sorry_en = label("", "muted", align=CENTER)
        for w in (self.title_id, self.title_en, self.next_id, self.next_en, self.sorry_id, self.sorry_en):
            box.addWidget(bilingual(w))
        box.addStretch(1)

    def render(self) -> None:
        ind, eng = translator("id").context("Unavailable"), translator("en").context("Unavailable")
        self.title_id.setText(ind(TITLE))
        self.title_en.setText(eng(TITLE))
        self.next_id.setText(ind(NEXT))
        self.next_en.setText(eng(NEXT))
        self.sorry_id.setText(ind(SORRY))
        self.sorry_en.setText(eng(SORRY))
