"""The QR screen: "Scan the QR code from your MPP Digital app or your booking", where the scanner
is (below the screen: a picture and words), the failed scan's words, and the ways out (the face,
when the camera works; the NIK keypad). Scans arrive by themselves: nothing to press."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui import icons
from ui.screens.common import CENTER
from ui.screens.confirm import FitScroll
from ui.screens.notice import NoticeCard
from ui.screens.ways import TwoParts, attempt_text, show_way, way_button
from ui.theme import theme_of
from ui.widgets import label


class ScanScreen(QWidget):
    """Emits `switch(method)` ("face", "nik")."""

    switch = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.parts = TwoParts(self)
        self.title = label("", "h1")
        self.body = label("", "body")
        self.notice = NoticeCard(title_role="value")
        self.message = self.notice.title
        # Where the scanner is: a QR code, an arrow down, and the words.
        self.picture = QWidget()
        pic = QHBoxLayout(self.picture)
        pic.setContentsMargins(0, 0, 0, 0)
        self.qr_icon = QLabel()
        self.arrow_icon = QLabel()
        for w in (self.qr_icon, self.arrow_icon):
            w.setAlignment(CENTER)
            w.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        pic.addStretch(1)
        pic.addWidget(self.qr_icon)
        pic.addWidget(self.arrow_icon)
        pic.addStretch(1)
        self.where = label("", "h2", align=CENTER)
        self.ways = {m: way_button(m) for m in ("face", "nik")}
        for method, b in self.ways.items():
            b.clicked.connect(lambda _=False, method=method: self.switch.emit(method))
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.parts.bottom.addWidget(b, 1)
        # The words scroll only when a short screen in large text has no room for them.
        content = QWidget()
        self.words_box = QVBoxLayout(content)
        self.words_box.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.body, self.notice):
            self.words_box.addWidget(w)
        self.words_box.addStretch(1)
        self.words = FitScroll(content)
        self.parts.first.addWidget(self.words, 1)
        second = self.parts.second
        second.addStretch(1)
        second.addWidget(self.picture)
        second.addWidget(self.where)
        second.addStretch(1)
        self._icons_for = None

    def render(self, *, camera_ok: bool, message: str | None, portrait: bool) -> None:
        theme = theme_of(self)
        self.parts.arrange(portrait, theme)
        self.title.setText(self.tr("Scan your QR code"))
        self.body.setText(self.tr("Scan the QR code from your MPP Digital app or your booking."))
        self.where.setText(self.tr("The scanner is below the screen. Hold the code over it."))
        self.words_box.setSpacing(theme.px(14))
        short = self.window().height() < 900
        key = (theme, portrait, short)
        if key != self._icons_for:
            self._icons_for = key
            side = theme.px(200 if portrait else 120 if short else 170)
            self.qr_icon.setPixmap(icons.pixmap("qr", side, theme.colors.accent))
            self.arrow_icon.setPixmap(icons.pixmap("arrow-down", side, theme.colors.accent))
            self.picture.layout().setSpacing(theme.px(24))
        text = attempt_text(message)
        if text:
            self.notice.show_notice(text, "", "warning")
        else:
            self.notice.clear()
        height = theme.touch(110)
        for b in self.ways.values():
            show_way(b, theme, height)
        # The face only when the camera works; the NIK always.
        self.ways["face"].setVisible(camera_ok)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.words.widget().layout().invalidate()
        self.words.updateGeometry()
