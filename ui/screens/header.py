"""The bar across the top: the hall, the clock, the quiet offline mark, the language and the looks.

The two look toggles (large text, high contrast) are on every screen, the idle one too; there,
before a visitor chose a language, they speak both languages. One row when everything fits the
width, else the buttons go to a second row.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QSizePolicy

from kiosk.i18n import translator
from ui import icons
from ui.theme import Theme, theme_of
from ui.widgets import bilingual, button, label

LARGE_TEXT = QT_TRANSLATE_NOOP("Header", "Large text")
HIGH_CONTRAST = QT_TRANSLATE_NOOP("Header", "High contrast")
LARGE_TEXT_WHAT = QT_TRANSLATE_NOOP("Header", "Makes all text larger. Your choices stay.")
HIGH_CONTRAST_WHAT = QT_TRANSLATE_NOOP("Header", "Black, white and yellow, easier to see. Your choices stay.")
LANGUAGE_WHAT = QT_TRANSLATE_NOOP("Header", "Changes the language. Your choices stay.")
#: The technician's hidden way in: the hall's name held down this long (a citizen taps, never holds 3 s).
HOLD_MS = 3000


class Header(QFrame):
    language_clicked = Signal()
    large_text_clicked = Signal()
    contrast_clicked = Signal()
    #: The hall's name was held down for HOLD_MS: the technician's PIN pad (kiosk/flow.py decides).
    technician_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Header")
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(32, 10, 32, 10)
        self.box.setSpacing(12)
        self.top = top = QHBoxLayout()
        self.brand = label("MPP", "brand", wrap=False)
        self.hall = label("", "brand")  # a long hall name wraps (between words) rather than squeezing the buttons
        self.clock = label("", "clock", wrap=False)
        # Quiet: tickets still work offline; the mark is for the curious and for staff.
        self.offline = label("", "clock", wrap=False)
        self.offline.setVisible(False)
        top.addWidget(self.brand)
        top.addSpacing(16)
        top.addWidget(self.hall, 1)
        top.addWidget(self.offline)
        top.addSpacing(24)
        top.addWidget(self.clock)
        self.tools = QHBoxLayout()
        self.tools.setSpacing(16)
        self.tools.addStretch(1)
        # The button names the other language, in that language, so a visitor can read it.
        self.language = bilingual(button("", "header"))
        self.language.clicked.connect(self.language_clicked)
        self.large_text = button("", "toggle")
        self.large_text.setCheckable(True)
        self.large_text.clicked.connect(self.large_text_clicked)
        self.contrast = button("", "toggle")
        self.contrast.setCheckable(True)
        self.contrast.clicked.connect(self.contrast_clicked)
        for b in (self.language, self.large_text, self.contrast):
            # Never narrower than their words.
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.tools.addWidget(b)
        self.box.addLayout(top, 1)
        self.box.addLayout(self.tools)
        self._icons_for: Theme | None = None
        self.hold_ms = HOLD_MS
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self.technician_requested)
        for w in (self.brand, self.hall):
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A press on the hall's name starts the hold; release, leaving it or a cancel stops it."""
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._hold.start(self.hold_ms)
        elif kind in (
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
            QEvent.Type.Leave,
            QEvent.Type.Hide,
        ):
            self._hold.stop()
        return False

    def render(
        self,
        hall: str,
        clock: str,
        language: str,
        show_language: bool,
        offline: bool = False,
        *,
        large_text: bool = False,
        high_contrast: bool = False,
        both_languages: bool = False,
    ) -> None:
        """`both_languages`: the idle screen, where no language was chosen yet: the toggles speak both."""
        self.hall.setText(hall)
        self.clock.setText(clock)
        self.offline.setText("\u25cb " + self.tr("Offline"))
        self.offline.setAccessibleName(self.tr("Offline: tickets still work"))
        self.offline.setVisible(offline)
        self.language.setText("English" if language == "id" else "Bahasa Indonesia")
        self.language.setAccessibleDescription(translator(language).context("Header")(LANGUAGE_WHAT))
        self.language.setVisible(show_language)
        for b, text, what, on in (
            (self.large_text, LARGE_TEXT, LARGE_TEXT_WHAT, large_text),
            (self.contrast, HIGH_CONTRAST, HIGH_CONTRAST_WHAT, high_contrast),
        ):
            bilingual(b, both_languages)
            if both_languages:
                ind, eng = translator("id").context("Header"), translator("en").context("Header")
                b.setText(f"{ind(text)}\n{eng(text)}")
                b.setAccessibleName(f"{ind(text)} / {eng(text)}")
                b.setAccessibleDescription(f"{ind(what)} / {eng(what)}")
            else:
                tr = translator(language).context("Header")
                b.setText(tr(text))
                b.setAccessibleName(tr(text))
                b.setAccessibleDescription(tr(what))
            b.setChecked(on)
        self._set_icons(theme_of(self))
        self._arrange()

    def _set_icons(self, theme: Theme) -> None:
        if theme == self._icons_for:
            return
        self._icons_for = theme
        size, accent = theme.px(64), theme.colors.accent
        checked = theme.colors.bg if theme.high_contrast else "#FFFFFF"
        self.language.setIcon(icons.icon("language", size, accent))
        for b, name in ((self.large_text, "text-size"), (self.contrast, "contrast")):
            icon = QIcon()
            icon.addPixmap(icons.pixmap(name, size, accent), QIcon.Mode.Normal, QIcon.State.Off)
            icon.addPixmap(icons.pixmap(name, size, checked), QIcon.Mode.Normal, QIcon.State.On)
            b.setIcon(icon)

    def _arrange(self) -> None:
        """One row when the hall, the clock and the buttons fit side by side; else two: the hall, the
        clock and the language above, the look toggles below."""
        # "MPP" before a hall whose name says it already ("MPP Kota Demo") is noise.
        self.brand.setVisible(not self.hall.text().upper().startswith("MPP"))
        for w in (self.brand, self.hall, self.clock, self.offline, self.language, self.large_text, self.contrast):
            w.ensurePolished()
        texts = [w for w in (self.brand, self.hall, self.offline, self.clock) if w.isVisibleTo(self)]
        buttons = [b for b in (self.language, self.large_text, self.contrast) if b.isVisibleTo(self)]
        margins = self.box.contentsMargins()
        needed = (
            sum(_text_width(w) + 24 for w in texts)
            + sum(b.sizeHint().width() + self.tools.spacing() for b in buttons)
            + margins.left()
            + margins.right()
            + self.box.spacing()
        )
        one_row = needed + 24 <= self.width()
        direction = QBoxLayout.Direction.LeftToRight if one_row else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            if one_row:
                self.top.removeWidget(self.language)
                self.tools.insertWidget(1, self.language)
            else:
                self.tools.removeWidget(self.language)
                self.top.addWidget(self.language)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange()


def _text_width(w) -> int:
    """The width a header text needs: the hall's name may wrap between words (its longest word)."""
    metrics = w.fontMetrics()
    if w is not None and w.wordWrap() and w.text().split():
        return max(metrics.horizontalAdvance(word) for word in w.text().split())
    return metrics.horizontalAdvance(w.text())
