"""Small building blocks shared by the screens.

Rules every screen follows (the tests check them on every screen, in every look):
- every button has an accessible name in the current language: `button()` names it after its text,
  `RichButton.set_text` after its title and subtitle; a button with an icon only needs `setAccessibleName`;
- a tile in its own colour (an agency's) gets it with `RichButton.set_tint(color)`, never with its own
  stylesheet: the window draws tints per look (high contrast replaces them, `apply_tints`);
- a widget that shows both languages on purpose (the idle screen, the language button) says so with
  `bilingual(widget)`; the language check of the screenshot tests skips it and its children.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.theme import theme_of

#: A hyphen between letters ("KTP-el", "old-age") and a slash before a word ("Baru/Perubahan"):
#: Qt's line breaking (Unicode UAX #14) may break after either when the line is full, which
#: splits a word ("KTP-" / "el"). Shown as a non-breaking hyphen, and with a word joiner after
#: the slash, the word stays whole and moves to the next line instead.
_LETTER_HYPHEN = re.compile(r"(?<=\w)-(?=[^\W\d_])")
_SLASH_IN_WORD = re.compile(r"(?<=\S)/(?=\S)")


def unbreakable(text: str) -> str:
    """`text` as a wrapped label shows it: no line break inside a hyphenated or slashed word."""
    return _SLASH_IN_WORD.sub("/\u2060", _LETTER_HYPHEN.sub("\u2011", text))


class Label(QLabel):
    """A label that never breaks a line inside a word (see `unbreakable`).

    `text()` returns what was set (tests and screens compare it); Qt draws and reads out the
    unbreakable form (`QLabel.text(label)`)."""

    _source = ""

    def setText(self, text: str) -> None:  # noqa: N802
        self._source = text
        super().setText(unbreakable(text) if self.wordWrap() else text)

    def text(self) -> str:
        return self._source

    def setWordWrap(self, on: bool) -> None:  # noqa: N802
        super().setWordWrap(on)
        self.setText(self._source)


def label(text: str = "", role: str = "body", *, wrap: bool = True, align=None) -> QLabel:
    w = Label()
    w.setWordWrap(wrap)
    w.setText(text)
    w.setProperty("role", role)
    if align is not None:
        w.setAlignment(align)
    return w


class Button(QPushButton):
    """A push button whose accessible name follows its text unless one was set on purpose."""

    _named = False

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        if not self._named:
            super().setAccessibleName(text.replace("\n", " "))

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        self._named = bool(name)
        super().setAccessibleName(name or self.text().replace("\n", " "))


def button(text: str, role: str = "secondary") -> QPushButton:
    b = Button()
    b.setText(text)
    b.setProperty("role", role)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def bilingual(widget: QWidget, on: bool = True) -> QWidget:
    """Mark `widget` (and what it holds) as showing both languages by design."""
    widget.setProperty("bilingual", on)
    return widget


def is_bilingual(widget: QWidget) -> bool:
    """Whether `widget` or one of its parents is marked bilingual."""
    while widget is not None:
        if widget.property("bilingual"):
            return True
        widget = widget.parentWidget()
    return False


def apply_tints(root: QWidget, theme) -> None:
    """Draw every tinted tile under `root` in `theme`'s way (its own colour, or high contrast)."""
    for tile in root.findChildren(RichButton):
        tile.apply_tint(theme)


class RichButton(QPushButton):
    """A large touch target with a title and a subtitle (QPushButton has no word wrap of its own)."""

    def __init__(self, role: str, title_role: str, sub_role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tint: str | None = None
        self._tint_style: str | None = None
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 16, 24, 16)
        row.setSpacing(20)
        self.picture = QLabel()
        self.picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.picture.setStyleSheet("background: transparent;")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.picture.hide()
        row.addWidget(self.picture)
        box = QVBoxLayout()
        box.setSpacing(6)
        row.addLayout(box, 1)
        self.title = label("", title_role)
        self.sub = label("", sub_role)
        for w in (self.title, self.sub):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(w)
        box.addStretch(1)

    def set_picture(self, pixmap) -> None:
        """An icon to the left of the text."""
        self.picture.setPixmap(pixmap)
        self.picture.setVisible(not pixmap.isNull())

    def set_text(self, title: str, sub: str) -> None:
        self.title.setText(title)
        self.sub.setText(sub)
        self.sub.setVisible(bool(sub))
        self.setAccessibleName(f"{title}. {sub}" if sub else title)

    def set_dimmed(self, dimmed: bool) -> None:
        """Cannot be taken now (closed, full, needs the link): drawn muted by the theme, in every
        look; the reason goes in the subtitle, in words, not by colour alone."""
        if bool(self.property("dimmed")) == dimmed:
            return
        self.setProperty("dimmed", dimmed)
        for w in (self, self.title, self.sub):
            w.style().unpolish(w)
            w.style().polish(w)

    def set_tint(self, color: str) -> None:
        """Draw this tile in its own colour (an agency's); applied per look by the window."""
        self.tint = color
        self.apply_tint(theme_of(self))

    def apply_tint(self, theme) -> None:
        style = theme.tint_style(self.tint) if self.tint else ""
        if style != self._tint_style:
            self._tint_style = style
            self.setStyleSheet(style)

    def sizeHint(self) -> QSize:  # let the layout give us the space, the labels wrap inside
        return QSize(200, self.minimumHeight())

    # As tall as its wrapped title and subtitle need at the width it gets (large text, a narrow
    # column): never cut off; a list of tiles scrolls instead.
    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(self.minimumHeight(), self.layout().totalHeightForWidth(width))


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(32, 24, 32, 24)
        self.box.setSpacing(12)


class QrView(QWidget):
    """Draws a QR matrix (rows of booleans) crisp at any size, quiet zone included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = []
        self._image: QImage | None = None
        self.setMinimumSize(200, 200)

    def set_matrix(self, matrix: list[list[bool]]) -> None:
        self.matrix = matrix
        n = len(matrix)
        if n:
            pixels = bytes(0 if on else 255 for row in matrix for on in row)
            self._image = QImage(pixels, n, n, n, QImage.Format.Format_Grayscale8).copy()
        else:
            self._image = None
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if self._image is not None:
            n = self._image.width()
            cell = min(self.width(), self.height()) // n
            x, y = (self.width() - cell * n) // 2, (self.height() - cell * n) // 2
            p.drawImage(QRect(x, y, cell * n, cell * n), self._image)  # nearest-neighbour: sharp modules
        p.end()
