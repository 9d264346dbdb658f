"""Face threshold calibration: genuine and impostor distances over the fixture photos.

    uv run python bench/face_calibration.py [THRESHOLD]

Runs every photo in ../shared/fixtures/faces (`<person>_<n>.jpg`; obama_partial_face is obama)
through the kiosk's own pipeline (`kiosk.face.Pipeline.analyse`: detection, gates, encoding),
then prints the distances of every pair of photos of the same person (genuine) and of different
people (impostor), and the false-accept rate (impostor pairs within the threshold) and the
false-reject rate (genuine pairs beyond it) at THRESHOLD (default: `[face] threshold`'s default)
and at a few others for comparison. Photos the pipeline refuses are listed with their reason.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from devices.camera import fixture_dirs  # noqa: E402
from kiosk.config import FaceSettings  # noqa: E402
from kiosk.face.pipeline import Pipeline  # noqa: E402


def person(stem: str) -> str:
    return stem.split("_partial")[0] if "_partial" in stem else stem.rsplit("_", 1)[0]


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    a = np.array(values)
    return f"n={len(a):3d}  min {a.min():.3f}  median {np.median(a):.3f}  max {a.max():.3f}"


def main(threshold: float) -> None:
    folder = next((d / "faces" for d in fixture_dirs() if (d / "faces").is_dir()), None)
    if folder is None:
        sys.exit("calibration: ../shared/fixtures/faces not found (set KIOSK_FIXTURES)")
    pipeline = Pipeline(threshold=threshold)
    encodings = {}
    for path in sorted(folder.glob("*.jpg")):
        result = pipeline.analyse(cv2.imread(str(path)))
        if result.ok:
            encodings[path.stem] = result.encoding
        else:
            print(f"refused: {path.name}: {result.reason} ({result.faces} faces)")
    genuine, impostor = [], []
    for a, b in itertools.combinations(sorted(encodings), 2):
        d = float(np.linalg.norm(encodings[a] - encodings[b]))
        (genuine if person(a) == person(b) else impostor).append(d)
        print(f"  {'genuine ' if person(a) == person(b) else 'impostor'}  {d:.3f}  {a} / {b}")
    people = sorted({person(s) for s in encodings})
    print(f"\n{len(encodings)} photos of {len(people)} people: {', '.join(people)}")
    print(f"genuine  {summary(genuine)}")
    print(f"impostor {summary(impostor)}")
    for t in sorted({threshold, 0.4, 0.5, 0.6}):
        far = sum(d <= t for d in impostor) / max(1, len(impostor))
        frr = sum(d > t for d in genuine) / max(1, len(genuine))
        mark = "  <- chosen" if t == threshold else ""
        print(
            f"threshold {t:.2f}: false accept {far:6.1%} ({len(impostor)} pairs)  "
            f"false reject {frr:6.1%} ({len(genuine)} pairs){mark}"
        )
    if genuine and impostor:
        print(
            f"margin: {min(impostor) - threshold:.3f} below the nearest impostor, "
            f"{threshold - max(genuine):.3f} above the farthest genuine pair"
        )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else FaceSettings().threshold)
