"""Small building blocks shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


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
