"""Small building blocks shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def label(text: str = "", role: str = "body", *, wrap: bool = True, align=None) -> QLabel:
    w = QLabel(text)
    w.setProperty("role", role)
    w.setWordWrap(wrap)
    if align is not None:
        w.setAlignment(align)
    return w


def button(text: str, role: str = "secondary") -> QPushButton:
    b = QPushButton(text)
    b.setProperty("role", role)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


class RichButton(QPushButton):
    """A large touch target with a title and a subtitle (QPushButton has no word wrap of its own)."""

    def __init__(self, role: str, title_role: str, sub_role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 16, 24, 16)
        box.setSpacing(6)
        self.title = label("", title_role)
        self.sub = label("", sub_role)
        for w in (self.title, self.sub):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(w)
        box.addStretch(1)

    def set_text(self, title: str, sub: str) -> None:
        self.title.setText(title)
        self.sub.setText(sub)
        self.sub.setVisible(bool(sub))
        self.setAccessibleName(f"{title}. {sub}")

    def sizeHint(self) -> QSize:  # let the layout give us the space, the labels wrap inside
        return QSize(200, self.minimumHeight())


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(32, 24, 32, 24)
        self.box.setSpacing(12)


class QrView(QWidget):
    """Draws a QR matrix (rows of booleans) crisp at any size, with its quiet zone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = []
        self.setMinimumSize(200, 200)

    def set_matrix(self, matrix: list[list[bool]]) -> None:
        self.matrix = matrix
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        side = min(self.width(), self.height())
        p.fillRect(0, 0, self.width(), self.height(), QColor("white"))
        if not self.matrix:
            return
        n = len(self.matrix)
        cell = side // n
        ox = (self.width() - cell * n) // 2
        oy = (self.height() - cell * n) // 2
        for y, row in enumerate(self.matrix):
            for x, on in enumerate(row):
                if on:
                    p.fillRect(ox + x * cell, oy + y * cell, cell, cell, QColor("black"))
        p.end()
