"""The keyboard-wedge scanner in the UI: an application event filter that feeds it every key.

A USB scanner that types like a keyboard sends a burst of keys a few milliseconds apart and Enter.
`WedgeFilter` hands each key press to the WedgeScanner (`devices/scanner.py`, `feed(key_text, at)`):
a key it holds back (a possible scan) is swallowed; held keys that turn out to be a person typing
come back from `release(now)` and are typed into the widget that has the focus, in order, before
the next key; a burst that ends in Enter becomes a ScanEvent through the scanner's `on_scan`, and
none of its keys reaches the field. A single-shot timer at the scanner's `deadline()` releases
held keys when nothing follows (a person's key arrives at most ~35 ms late).
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def key_text(event: QKeyEvent) -> str:
    """What the key types as the scanner sees it: Enter as "\\r", other control keys as their
    control character (Tab, Backspace, Escape), modifiers and arrows as ""."""
    if event.key() in _ENTER:
        return "\r"
    return event.text()


class WedgeFilter(QObject):
    """Install on the QApplication: `app.installEventFilter(WedgeFilter(scanner))`.

    `monotonic` is the clock the scanner's timing is measured with (tests inject one)."""

    def __init__(self, scanner, *, monotonic=time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self.monotonic = monotonic
        self._typing = False  # delivering released keys ourselves: let them through
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._passed: tuple[int, QWidget] | None = None  # the last key let through, and where
        self._target: QWidget | None = None  # where the last key went: held keys are typed there
        #: Keys swallowed as part of a scan (tests and logs: never the text itself).
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._typing or event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        ptr = shiboken6.getCppPointer(event)[0]
        last = self._passed
        if last is not None and last[0] == ptr and _is_ancestor(watched, last[1]):
            return False  # the same key propagating to a parent: already fed at its first receiver
        self._passed = None
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False  # a shortcut, not a character
        now = self.monotonic()
        hold = self.scanner.feed(key_text(event), now)
        self._target = watched
        self._type_released(now, watched)
        if hold:
            self.swallowed += 1
            self._arm()
        else:
            self._passed = (ptr, watched)
        return hold

    def _arm(self) -> None:
        deadline = self.scanner.deadline()
        if deadline is None:
            self._timer.stop()
            return
        self._timer.start(max(0, round((deadline - self.monotonic()) * 1000)))

    def flush(self) -> None:
        """Type held keys whose time ran out (the timer fired)."""
        target = self._target if self._target is not None and shiboken6.isValid(self._target) else None
        self._type_released(self.monotonic(), target)
        if self.scanner.holding:
            self._arm()

    def _type_released(self, now: float, target) -> None:
        text = self.scanner.release(now)
        if not text:
            return
        target = target if target is not None else QApplication.focusWidget()
        if target is None:
            return
        self._typing = True
        try:
            for ch in text:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, _key_of(ch), Qt.KeyboardModifier.NoModifier, ch))
        finally:
            self._typing = False


def _key_of(ch: str) -> int:
    """The Qt key code of a typed character (letters as their capital's code, as Qt does)."""
    if ch.isascii() and ch.isalnum():
        return ord(ch.upper())
    if ch == " ":
        return Qt.Key.Key_Space
    return Qt.Key.Key_unknown


def _is_ancestor(widget: QWidget, of: QWidget) -> bool:
    if not shiboken6.isValid(of):
        return False
    parent = of.parentWidget()
    while parent is not None:
        if parent is widget:
            return True
        parent = parent.parentWidget()
    return False
