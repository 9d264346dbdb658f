"""Start the touch UI: check the screen, show the idle screen at once, load the rest behind it."""

from __future__ import annotations

import ctypes.util
import logging
import os
import sys

from kiosk.config import Settings

#: What Qt's xcb plugin loads, and the Debian package for each (the first three are the ones a
#: fresh machine usually lacks).
log = logging.getLogger("kiosk.ui")

XCB_PACKAGES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def screen_problem() -> str | None:
    """One line saying why Qt cannot open a window here, or None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "kiosk: no screen found (DISPLAY is not set); run it on the kiosk's screen, "
            "or use a command such as 'kiosk --demo ticket KTP-EL' (see 'kiosk --help')"
        )
    missing = [pkg for lib, pkg in XCB_PACKAGES.items() if ctypes.util.find_library(lib) is None]
    if missing:
        names = " ".join(missing)
        return f"kiosk: Qt cannot start on this screen: install {names} (sudo apt-get install {names})"
    return None


def run(settings: Settings) -> int:
    if problem := screen_problem():
        print(problem, file=sys.stderr)
        return 3
    from PySide6.QtWidgets import QApplication

    from kiosk import logs
    from ui.window import KioskWindow, startup_probe

    logs.setup(settings.data_dir)
    log.info("starting: %s, kiosk %s, config %s", settings.hall.name, settings.kiosk.id, settings.source)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MPP Kiosk")
    window = KioskWindow(settings)
    startup_probe(window)
    if settings.kiosk.fullscreen:
        from PySide6.QtCore import Qt

        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        # Kiosks often run X with no window manager to honour "fullscreen": size it ourselves too.
        window.setGeometry(app.primaryScreen().geometry())
        window.showFullScreen()
    else:
        screen = app.primaryScreen().availableGeometry()
        window.resize(min(1600, int(screen.width() * 0.9)), min(1000, int(screen.height() * 0.9)))
        window.show()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window.start_backend)
    code = app.exec()
    window.ops.shutdown()
    if window.kiosk is not None:
        window.kiosk.close()
    return code
