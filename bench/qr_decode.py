"""QR and barcode decoding of 640x480 camera frames: zxing-cpp, pyzbar and OpenCV side by side.

    uv run python bench/qr_decode.py [ROUNDS]

The frames (tests/devices/fake_scanner.py draws them): a ticket QR (the kiosk's own
"MPPQ1|..." payload, drawn by `qrcode`), a small QR, a Code 128 and an EAN-13 (drawn by
zxing-cpp's writer), each pasted on a plain background and on three photos from
../shared/fixtures/faces (people, a chandelier, curtains: real clutter), straight, tilted
8 and -15 degrees, blurred and noised like a cheap webcam: 48 frames with a code. Plus 4
frames of the photos with no code at all, which is what a camera scanner sees most of the
time. Each backend decodes every frame ROUNDS times (default 5), interleaved so machine
noise hits all alike; grayscale conversion is part of the time (as in `devices.decode`).

Prints, per backend and kind of frame: median ms per frame, the ratio to the fastest,
and the read rate (right text found / frames). Then the backend `devices.decode` should
put first: the fastest whose QR read rate is the best any backend reached.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices import decode as dec  # noqa: E402
from tests.devices.fake_scanner import background, camera_frame, code_image  # noqa: E402

PHOTOS = ("two_people.jpg", "biden_1.jpg", "kit_harington_1.jpg")
CODES = [
    ("QR", "QRCODE", "MPPQ1|BDG|2026-11-24|A1-023|9f86d081884c7d65", 4, 200),
    ("QR", "QRCODE", "MPPQ1|DEMO|A1-001", 3, 120),
    ("1D", "CODE128", "A1-023-BDG", 2, 420),
    ("1D", "EAN13", "8992761002015", 2, 300),
]
VARIANTS = [
    dict(angle=0.0, at=(0.5, 0.5)),
    dict(angle=8.0, at=(0.45, 0.55), blur=3, noise=3.0),
    dict(angle=-15.0, at=(0.55, 0.45), blur=5, noise=6.0),
]


def frames():
    """(kind, expected text or None, frame) for every frame of the bench."""
    backs = [None] + [background(p) for p in PHOTOS]
    out = []
    for kind, symbology, text, module, width in CODES:
        img = code_image(text, symbology, module_px=module)
        for back in backs:
            for i, v in enumerate(VARIANTS):
                out.append((kind, text, camera_frame(img, back=back, width_px=width, seed=i, **v)))
    for back in backs:
        out.append(("none", None, back if back is not None else background()))
    return out


def main(rounds: int = 5) -> int:
    names = dec.available()
    if not names:
        print("no decoder available")
        return 1
    data = frames()
    times: dict[tuple[str, str], list[float]] = {}
    reads: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    for kind, _, _ in data:
        counts[kind] = counts.get(kind, 0) + 1
    for name in names:  # warm up (first-call costs: imports, detector set-up)
        dec.decode(data[0][2], backend=name)
    for r in range(rounds):
        for kind, text, frame in data:
            for name in names:
                t0 = time.perf_counter()
                found = dec.decode(frame, backend=name)
                times.setdefault((name, kind), []).append((time.perf_counter() - t0) * 1000)
                if r == 0:
                    hit = any(d.text == text for d in found) if text else not found
                    reads[(name, kind)] = reads.get((name, kind), 0) + hit

    print(f"QR/barcode decode of 640x480 frames, {rounds} rounds, {len(data)} frames ({counts})")
    print(f"{'backend':<10} {'frames':<6} {'median ms':>9} {'ratio':>6} {'read':>9}")
    for kind in ("QR", "1D", "none"):
        medians = {n: statistics.median(times[(n, kind)]) for n in names}
        best = min(medians.values())
        for n in names:
            label = "no false" if kind == "none" else "read"
            print(
                f"{n:<10} {kind:<6} {medians[n]:>9.2f} {medians[n] / best:>5.1f}x "
                f"{reads[(n, kind)]:>3}/{counts[kind]:<3} {label}"
            )
    overall = {n: statistics.median([t for (m, _), ts in times.items() if m == n for t in ts]) for n in names}
    best_qr = max(reads[(n, "QR")] for n in names)
    reliable = [n for n in names if reads[(n, "QR")] == best_qr]
    pick = min(reliable, key=overall.get)
    print("overall median ms: " + ", ".join(f"{n} {overall[n]:.2f}" for n in names))
    print(f"fastest that reads every QR the best backend reads: {pick} (devices.decode uses {dec.active_backend()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
