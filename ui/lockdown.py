"""Kiosk mode's lockdown: the window fullscreen, frameless and on top; what Qt can intercept of
the system's ways out does nothing; no context menus, tooltips or "what's this"; the cursor hidden
on a touch screen. The supervisor's "Exit to desktop" is the only way out (`allow_exit`).

Applied by ui/main.py when `[kiosk] fullscreen = true` (never with --demo's window). Shortcuts the
window system keeps for itself (a VT switch, the compositor's own keys) are out of Qt's reach:
the kiosk's session (README, "Kiosk mode") should not bind them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("kiosk.ui")

#: Events swallowed everywhere: they would show something a visitor must not see.
SWALLOWED = frozenset(
    {
        QEvent.Type.ContextMenu,
        QEvent.Type.ToolTip,
        QEvent.Type.WhatsThis,
        QEvent.Type.QueryWhatsThis,
        QEvent.Type.StatusTip,
    }
)
_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut)
#: Keys that do nothing alone, whatever the modifiers.
BLOCKED_KEYS = frozenset(
    {
        Qt.Key.Key_F11,
        Qt.Key.Key_Escape,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Menu,
        Qt.Key.Key_Context1,
        Qt.Key.Key_Help,
    }
)
#: Keys that do nothing with Ctrl (quit, close, new window, print...).
BLOCKED_CTRL = frozenset({Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_N, Qt.Key.Key_P, Qt.Key.Key_T, Qt.Key.Key_R})
#: Keys that do nothing with Alt (close, switch windows, the window menu).
BLOCKED_ALT = frozenset({Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Space, Qt.Key.Key_Escape})


def blocked_key(key: int, modifiers) -> bool:
    """Whether a key press is one of the system's ways out that Qt can intercept."""
    mods = Qt.KeyboardModifier(int(modifiers.value if hasattr(modifiers, "value") else modifiers))
    if key in BLOCKED_KEYS or mods & Qt.KeyboardModifier.MetaModifier:
        return True
    if mods & Qt.KeyboardModifier.AltModifier and (key in BLOCKED_ALT or Qt.Key.Key_F1 <= key <= Qt.Key.Key_F12):
        return True
    if mods & Qt.KeyboardModifier.ControlModifier and (
        key in BLOCKED_CTRL or mods & Qt.KeyboardModifier.AltModifier  # Ctrl+Alt+anything (e.g. F1..F12)
    ):
        return True
    return False


class Lockdown(QObject):
    """The application-wide event filter of kiosk mode, and whether the window may close."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.exit_requested = False
        self.cursor_hidden = False
        self.swallowed = 0  # events swallowed so far (for tests and the log)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in SWALLOWED:
            self.swallowed += 1
            return True
        if kind in _KEYS and hasattr(event, "key") and blocked_key(event.key(), event.modifiers()):
            self.swallowed += 1
            event.accept()
            return True
        return False

    def allow_exit(self) -> None:
        """The supervisor confirmed "Exit to desktop": the window may close now."""
        log.warning("lockdown: exit to the desktop allowed")
        self.exit_requested = True

    def may_close(self) -> bool:
        """A close (Alt+F4 through the window system, a close request) is refused in kiosk mode
        unless the supervisor's exit asked for it (or the app is quitting: SIGTERM, the exit)."""
        return self.exit_requested

    def install(self, window: QWidget, *, hide_cursor: bool, fullscreen: bool = True) -> None:
        """Apply kiosk mode to `window`: flags, fullscreen, the filter, the cursor."""
        app = QApplication.instance()
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        app.installEventFilter(self)
        if hide_cursor and not self.cursor_hidden:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self.cursor_hidden = True
        if fullscreen:
            window.setGeometry(app.primaryScreen().geometry())
            window.showFullScreen()

    def remove(self) -> None:
        """Undo the filter and the cursor (the window is gone, or a test ends)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.cursor_hidden:
            QApplication.restoreOverrideCursor()
            self.cursor_hidden = False
