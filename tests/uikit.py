"""UI test helpers: screenshot folder, settling, and layout checks a person would make by eye."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[1]
#: Where the flow tests save a PNG of every screen (README: "Screenshots").
SCREENSHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", ROOT / "screenshots"))
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def settle(qtbot, window: KioskWindow) -> None:
    """Let pending background work land and layouts finish."""
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=10000)
    for _ in range(3):
        QApplication.processEvents()


def visible_widgets(window: QWidget, kind) -> list:
    return [w for w in window.findChildren(kind) if w.isVisibleTo(window) and w.window() is window]


def layout_problems(window: KioskWindow) -> list[str]:
    """Text that does not fit its box, boxes outside the window, small text, small touch targets."""
    problems = []
    frame = window.rect()
    expected = getattr(window, "expected_size", None)
    if expected and (window.width(), window.height()) != expected:
        problems.append(f"the window grew to {window.width()}x{window.height()}: its content does not fit {expected}")
    for lab in visible_widgets(window, QLabel):
        if not lab.text() or lab.width() == 0:
            continue
        rect = lab.rect().translated(lab.mapTo(window, lab.rect().topLeft()))
        if not frame.contains(rect):
            # Inside a scroll area, a row may sit below the fold: allowed, the list scrolls.
            if not _in_scroll_area(lab):
                problems.append(f"outside the window: {lab.text()!r} at {rect}")
        if lab.wordWrap():
            if lab.heightForWidth(lab.width()) > lab.height() + 2:
                problems.append(
                    f"cut off: {lab.text()!r} needs {lab.heightForWidth(lab.width())} px, has {lab.height()}"
                )
        elif lab.sizeHint().width() > lab.width() + 2:
            problems.append(f"cut off: {lab.text()!r} needs {lab.sizeHint().width()} px wide, has {lab.width()}")
        px = lab.font().pixelSize()
        if 0 < px < 24:
            problems.append(f"text smaller than 24 px ({px}): {lab.text()!r}")
    for b in visible_widgets(window, QAbstractButton):
        if b.height() < 90 or b.width() < 90:
            problems.append(f"touch target {b.width()}x{b.height()} < 90 px: {b.accessibleName() or b.text()!r}")
    return problems


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False
