"""The kiosk window (ui/window/core.py): hosts the pages, forwards touches to the flow, redraws when it changes.

One module per concern, all mixed into `KioskWindow` (one object, the names the tests use):

    core.py     the window: pages, signals, the touch guard, the flow's steps, language and theme
    render.py   drawing each step (and `PageHost`, which shows one page at a time)
    backend.py  start-up: the store and catalog opened off the GUI thread, then printer and sync
    devices.py  camera, scanner and speaker: start, health polling, previews, stop and shutdown
    staff.py    the technician's and the supervisor's wiring, the exit and the restart when idle
    probe.py    `startup_probe` (bench/startup.py)
"""

from ui.window.core import TOUCH_GUARD_MS, KioskWindow
from ui.window.devices import DEVICE_HEALTH_MS
from ui.window.probe import startup_probe
from ui.window.render import PageHost

__all__ = ["DEVICE_HEALTH_MS", "TOUCH_GUARD_MS", "KioskWindow", "PageHost", "startup_probe"]
