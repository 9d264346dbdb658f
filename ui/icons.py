"""The kiosk's SVG icons (assets/icons), drawn in any colour at any size."""

from __future__ import annotations

import atexit
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"


@cache
def pixmap(name: str, size: int, color: str = "#FFFFFF") -> QPixmap:
    """The icon `name` at `size` px in `color`; an empty pixmap if there is no such icon."""
    out = QPixmap(size, size)
    out.fill(Qt.GlobalColor.transparent)
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        return out
    svg = path.read_bytes().replace(b"#FFFFFF", color.encode()).replace(b"#ffffff", color.encode())
    renderer = QSvgRenderer(QByteArray(svg))
    painter = QPainter(out)
    renderer.render(painter)
    painter.end()
    return out


# Cached pixmaps must go while the QApplication still exists, not in the interpreter's last
# clean-up after it (where freeing a QPixmap can crash).
atexit.register(pixmap.cache_clear)


def icon(name: str, size: int, color: str = "#FFFFFF") -> QIcon:
    return QIcon(pixmap(name, size, color))
