"""python-escpos, imported lazily (it costs ~0.2 s) and without temp-folder litter."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path


@cache
def escpos_printer_module():
    """`escpos.printer`, with its capabilities cache in one fixed folder."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        folder = Path(tempfile.gettempdir()) / f"mpp-kiosk-escpos-{os.getuid()}"
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)
    Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
    import escpos.printer

    return escpos.printer
