"""The kiosk's log for technicians: DATA_DIR/logs/kiosk.log, rotated, no personal data."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(data_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to a rotating file (5 x 1 MiB); returns its path, or None when the folder is not writable."""
    folder = Path(data_dir) / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "kiosk.log", maxBytes=1 << 20, backupCount=5)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return folder / "kiosk.log"
