"""Latency from the confirm tap to the ESC/POS bytes handed to the printer, through the real window.

    uv run python bench/confirm_to_print.py [RUNS]

Offscreen Qt, the demo settings, a real SQLite store (WAL, synchronous=FULL) in a temp folder, and
the simulated file printer; the tap is a real mouse click on the confirm button. Prints the median
and the 90th percentile. Target (issue #2): median <= 100 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from devices.printer_file import FilePrinter  # noqa: E402
from kiosk.app import build  # noqa: E402
from kiosk.config import load  # noqa: E402
from kiosk.session import Step  # noqa: E402
from ui.window import KioskWindow  # noqa: E402


class StampingPrinter(FilePrinter):
    """The simulated printer, noting when the bytes arrive."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.sent_at: list[float] = []

    def send(self, data: bytes, *, job: str):
        self.sent_at.append(time.perf_counter())
        return super().send(data, job=job)


def wait(app: QApplication, pred, limit: float = 10.0) -> None:
    end = time.perf_counter() + limit
    while not pred():
        app.processEvents()
        if time.perf_counter() > end:
            raise SystemExit("timed out")
        time.sleep(0.0005)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = load(None, demo=True, data_dir=Path(tmp))
        printer = StampingPrinter(Path(tmp) / "prints")
        window = KioskWindow(settings, kiosk_factory=lambda s, clock: build(s, clock=clock, printer=printer))
        window.resize(1080, 1920)
        window.show()
        window.start_backend()
        wait(app, lambda: window.kiosk is not None)
        codes = [s.code for s in window.kiosk.catalog.services() if s.offline][:6]
        latencies = []
        for i in range(runs + 3):
            window.session.start("id")
            window.on_agency(window.kiosk.catalog.service(codes[i % len(codes)]).agency_code)
            window.on_service(codes[i % len(codes)])
            wait(app, lambda: window.availability is not None)
            window.on_take()
            assert window.session.state.step == Step.CONFIRM
            app.processEvents()
            sent = len(printer.sent_at)
            tap = time.perf_counter()
            QTest.mouseClick(window.confirm.yes, Qt.MouseButton.LeftButton)
            wait(app, lambda sent=sent: len(printer.sent_at) > sent)
            if i >= 3:  # the first taps warm python-escpos and the QR encoder up
                latencies.append(printer.sent_at[-1] - tap)
            wait(app, lambda: window.ops.pending == 0)
            window.on_home()
        window.ops.shutdown()
        window.kiosk.close()
    latencies.sort()
    med = statistics.median(latencies)
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(
        f"confirm tap -> ESC/POS bytes at the printer: median {med * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms ({len(latencies)} tickets)"
    )
    print(f"target: median <= 100 ms -> {'PASS' if med <= 0.1 else 'FAIL'}")


if __name__ == "__main__":
    main()
