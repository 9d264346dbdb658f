"""Draw an ESC/POS file as the paper would look, to check a ticket by eye.

    uv run python tools/escpos_preview.py TICKET.escpos [OUT.png]

Reads the bytes with the independent parser in tests/escpos_reader.py; 512 dots wide (80 mm,
font A 12x24 dots, 42 columns), QR codes redrawn from their payload at 6 dots per module.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from escpos_reader import TextRun, parse  # noqa: E402
from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QImage, QPainter  # noqa: E402

WIDTH, CELL_W, CELL_H, MODULE = 512, 12, 24, 6


def preview(data: bytes, out: Path) -> None:
    import qrcode

    receipt = parse(data)
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    lines: list[list[TextRun]] = [[]]
    for run in receipt.runs:
        lines[-1].append(run)
        lines.append([])
    image = QImage(WIDTH, 4000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    y = 16
    for line in receipt.lines:
        runs = [r for r in receipt.runs if r.text and r.text in line] or [TextRun(line, 1, 1, False, "left")]
        run = runs[0]
        font = QFont("DejaVu Sans Mono")
        font.setPixelSize(CELL_H * run.height - 4)
        font.setBold(run.bold)
        natural = QFontMetrics(font).horizontalAdvance("0")
        font.setStretch(max(1, min(4000, round(100 * CELL_W * run.width / natural))))
        p.setFont(font)
        h = CELL_H * run.height
        width = len(line) * CELL_W * run.width
        x = {"left": 0, "center": (WIDTH - width) // 2, "right": WIDTH - width}[run.align]
        p.drawText(QRect(x, y, WIDTH, h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        y += h
        if line == "" and receipt.qr_codes and y > 400:
            for payload in receipt.qr_codes:
                code = qrcode.QRCode(border=0)
                code.add_data(payload)
                matrix = code.get_matrix()
                side = len(matrix) * MODULE
                ox = (WIDTH - side) // 2
                for r, row in enumerate(matrix):
                    for c, on in enumerate(row):
                        if on:
                            p.fillRect(ox + c * MODULE, y + r * MODULE, MODULE, MODULE, QColor("black"))
                y += side + 8
            receipt.qr_codes = []
    p.end()
    image.copy(0, 0, WIDTH, y + 24).save(str(out))


if __name__ == "__main__":
    src = Path(sys.argv[1])
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else src.with_suffix(".png")
    preview(src.read_bytes(), dst)
    print(dst)
