"""python-escpos, for the USB and serial transports only: imported lazily (it costs 0.1-0.3 s:
barcode, yaml, PIL) and without temp-folder litter.

Tickets are encoded by kiosk.escpos_encode, which never imports python-escpos; only the USB and
serial printer adapters (devices/printer_escpos.py) need it, when they open the printer.
"""

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
