"""A calm notice card: what happened and what to do next, amber for a fault, blue-grey for
information. Never the red banner: the visitor has done nothing wrong and still has a way on."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout

from ui.theme import theme_of
from ui.widgets import label

#: Background and border per tone; the text stays ink-dark (contrast well above 7:1).
TONES = {
    "warning": ("#FFF3D6", "#B26A00"),
    "info": ("#E8EEF6", "#0A4F96"),
}
#: In high contrast: white text on black, the border in the look's yellow (every tone).
HIGH_CONTRAST_TONE = ("#000000", "#FFE000", "#FFFFFF")


class NoticeCard(QFrame):
    """A title line and a body; `show_notice(title, body, tone)` fills it, `clear()` hides it."""

    def __init__(self, *, title_role: str = "h2", body_role: str = "body") -> None:
        super().__init__()
        self.setObjectName("Notice")
        box = QVBoxLayout(self)
        box.setContentsMargins(32, 20, 32, 20)
        box.setSpacing(8)
        self.title = label("", title_role)
        self.body = label("", body_role)
        box.addWidget(self.title)
        box.addWidget(self.body)
        self._tone = None
        self.set_tone("warning")
        self.hide()

    def set_tone(self, tone: str) -> None:
        """Draw the card in `tone` ("warning" amber, "info" blue-grey), in the look it is shown in."""
        theme = theme_of(self)
        key = (tone, theme)
        if key == self._tone:
            return
        self._tone = key
        bg, border = TONES.get(tone, TONES["warning"])
        ink = "#0E1A2B"
        if theme.high_contrast:
            bg, border, ink = HIGH_CONTRAST_TONE
        p = theme.px
        self.layout().setContentsMargins(p(32), p(18), p(32), p(18))
        self.setStyleSheet(
            f"QFrame#Notice {{ background: {bg}; border: {p(3)}px solid {border};"
            f" border-left-width: {p(12)}px; border-radius: {p(16)}px; }}"
            f" QFrame#Notice QLabel {{ background: transparent; color: {ink}; }}"
        )

    def show_notice(self, title: str, body: str = "", tone: str = "warning") -> None:
        self.set_tone(tone)
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.setVisible(bool(title or body))

    def clear(self) -> None:
        self.hide()

    def text(self) -> str:
        """Everything the card says, as one string."""
        return " ".join(t for t in (self.title.text(), self.body.text()) if t and not self.isHidden())
