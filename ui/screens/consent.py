"""May we keep your face for next time? Asked once an account QR proved who the visitor is.

What is kept (a face template: numbers computed from the face, not a photo; encrypted on this
kiosk, which tells the MPP central system only that the visitor enrolled), what for, that it is
optional, how to withdraw, and the legal basis (UU PDP No. 27/2022). In the current language;
the header's language button switches. "No, thanks" and "Yes, save my face" are the same size
and look, side by side, neither chosen beforehand; "No" comes first. The words scroll on a short
screen, the answers never do.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui.screens.common import CENTER, action_button, show_action
from ui.screens.confirm import FitScroll
from ui.theme import theme_of
from ui.widgets import label


class ConsentScreen(QWidget):
    """Emits `answered(bool)`: True "Yes, save my face", False "No, thanks"."""

    answered = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.box = QVBoxLayout(self)
        self.title = label("", "h1")
        self.box.addWidget(self.title)
        content = QWidget()
        self.list = QVBoxLayout(content)
        self.list.setContentsMargins(0, 0, 0, 0)
        #: (heading, words) of each part of what the visitor agrees to.
        self.parts = [(label("", "value"), label("", "body")) for _ in range(5)]
        for heading, words in self.parts:
            self.list.addWidget(heading)
            self.list.addWidget(words)
        self.list.addStretch(1)
        self.words = FitScroll(content)
        self.box.addWidget(self.words, 1)
        self.answers = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.no = action_button()
        self.yes = action_button()
        self.no.clicked.connect(lambda: self.answered.emit(False))
        self.yes.clicked.connect(lambda: self.answered.emit(True))
        for b in (self.no, self.yes):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.answers.addWidget(b, 1)
        self.box.addLayout(self.answers)

    def render(self, *, portrait: bool) -> None:
        theme = theme_of(self)
        p = theme.px
        self.box.setContentsMargins(p(56), p(28), p(56), p(12))
        self.box.setSpacing(p(20))
        self.answers.setSpacing(p(32))
        self.list.setSpacing(p(8))
        self.title.setText(self.tr("Save your face for your next visit?"))
        texts = (
            (
                self.tr("What we keep"),
                self.tr(
                    "A face template: numbers computed from your face, not a photo. It is kept encrypted on "
                    "this kiosk; the MPP central system is told only that you enrolled, not the template."
                ),
            ),
            (
                self.tr("What for"),
                self.tr("To recognise you at your next visit, so you do not need the QR code."),
            ),
            (
                self.tr("Your choice"),
                self.tr("Saving your face is optional. You get your queue number either way."),
            ),
            (
                self.tr("Changing your mind"),
                self.tr("Ask a supervisor at the information desk to delete it, at any time."),
            ),
            (
                self.tr("Legal basis"),
                self.tr(
                    "UU PDP No. 27/2022: biometric data is specific personal data. It is kept only with "
                    "your explicit consent."
                ),
            ),
        )
        for i, ((heading, words), (head_text, body_text)) in enumerate(zip(self.parts, texts, strict=True)):
            heading.setText(head_text)
            words.setText(body_text)
            heading.setContentsMargins(0, p(12) if i else 0, 0, 0)
        height = theme.touch(130)
        show_action(self.no, self.tr("No, thanks"), "", height, theme)
        show_action(self.yes, self.tr("Yes, save my face"), "", height, theme)
        for b in (self.no, self.yes):
            b.title.setStyleSheet(f"color: {theme.colors.accent}; font-size: {theme.font(36)}px;")
            b.title.setAlignment(CENTER)
        self.words.updateGeometry()
