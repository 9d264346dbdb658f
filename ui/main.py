"""Start the touch UI: check the screen, show the idle screen at once, load the rest behind it."""

from __future__ import annotations

import logging
import os
import sys

from kiosk.config import Settings

log = logging.getLogger("kiosk.ui")

#: What Qt's xcb plugin loads (by soname), and the Debian package for each (the first three are the
#: ones a fresh machine usually lacks).
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _loadable(soname: str) -> bool:
    """Whether the dynamic loader finds `soname`, as it will for Qt (a dlopen: no ldconfig/gcc runs,
    unlike ctypes.util.find_library, which cost ~50 ms for these nine)."""
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


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
    missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if not _loadable(lib)]
    if missing:
        names = " ".join(missing)
        return f"kiosk: Qt cannot start on this screen: install {names} (sudo apt-get install {names})"
    return None


#: The kiosk screens the UI is laid out for (portrait is the usual hall kiosk).
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


def demo_size(available: tuple[int, int], *, landscape: bool = False) -> tuple[int, int]:
    """The demo window: a kiosk screen (portrait 1080x1920, or landscape), scaled down uniformly
    (same aspect ratio) when the desktop's available area is smaller; never scaled up."""
    width, height = LANDSCAPE if landscape else PORTRAIT
    factor = min(1.0, available[0] / width, available[1] / height)
    return max(1, int(width * factor)), max(1, int(height * factor))


def run(settings: Settings, *, landscape: bool = False) -> int:
    """Open the touch UI; returns the exit code (3: no screen). Not fullscreen (`--demo`): a window
    of the kiosk's shape, portrait or `landscape`, fitted to the desktop.

    Before the idle screen's first paint the GUI thread only imports Qt and the window, and builds
    and shows it. The log file is opened on the writer thread; the store and catalog load there next
    (`start_backend`, queued behind it), while the GUI thread paints.
    """
    if problem := screen_problem():
        print(problem, file=sys.stderr)
        return 3
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.window import KioskWindow, startup_probe

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MPP Kiosk")
    window = KioskWindow(settings)
    window.ops.run(lambda: _start_log(settings), on_success=lambda _: None)
    startup_probe(window)
    if settings.kiosk.fullscreen:
        from ui.lockdown import Lockdown

        # Kiosk mode: frameless, on top, fullscreen (sized to the screen too: kiosks often run X
        # with no window manager to honour "fullscreen"), the system's ways out swallowed, the
        # cursor hidden on a touch screen; the supervisor's "Exit to desktop" is the way out.
        window.lockdown = Lockdown(window)
        window.lockdown.install(window, hide_cursor=settings.kiosk.hide_cursor and not settings.demo)
    else:
        screen = app.primaryScreen().availableGeometry()
        frame = 48  # the window manager's title bar and borders
        window.resize(*demo_size((screen.width(), screen.height() - frame), landscape=landscape))
        window.show()
    QTimer.singleShot(0, window.start_backend)
    # A signal quits even in kiosk mode (Qt 6's quit() asks the windows to close first).
    why = _quit_on_signals(app, before=lambda: window.lockdown is not None and window.lockdown.allow_exit())
    code = app.exec()
    if window.lockdown is not None:
        window.lockdown.allow_exit()  # quitting (the exit, a signal): the window may close now
    window.shutdown()
    if window.kiosk is not None:
        window.kiosk.close()
    from kiosk import logs
    from kiosk.commands import RESTART_EXIT_CODE

    # A `restart` command ends the loop with RESTART_EXIT_CODE (KioskWindow._restart_when_idle):
    # the process exits with it, for systemd or a supervisor loop to start the kiosk again.
    restart = code == RESTART_EXIT_CODE and window.exiting_with == RESTART_EXIT_CODE
    logs.stopped("touch UI", why[0] if why else "restart requested" if restart else "window closed")
    return code


def _quit_on_signals(app, before=lambda: None) -> list[str]:
    """SIGTERM (a service manager stopping the kiosk) and SIGINT quit the Qt app cleanly, so the
    shutdown below runs (sync stopped, store closed, "stopped" logged). Python runs signal
    handlers only between bytecodes, so a timer lets it in while Qt's loop waits. Returns the
    list the signal's name is put in."""
    import signal

    from PySide6.QtCore import QTimer

    why: list[str] = []

    def quit_app(signum, _frame) -> None:
        why.append(signal.Signals(signum).name)
        before()
        app.quit()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, quit_app)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)
    return why


def _start_log(settings: Settings) -> None:
    """The technicians' log file (writer thread: a folder and a file to open, off the GUI thread)."""
    from kiosk import logs

    logs.setup(settings.data_dir, tz=settings.tz)
    logs.started(settings, "touch UI")
