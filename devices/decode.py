"""QR and barcode decoding of camera frames, with three interchangeable backends.

`decode(image) -> list[Decoded]` reads every QR code and barcode in a numpy BGR or
grayscale image with the first backend of `PREFERENCE` that can run here:

* "zxing-cpp": QR, Code 128, EAN-13/8, UPC, Code 39/93, ITF, DataMatrix, PDF417, Aztec;
  in bench/qr_decode.py the fastest together with pyzbar and the best reader of
  small, tilted and cluttered codes, so it goes first.
* "pyzbar": QR and 1-D barcodes through libzbar (`apt-get install libzbar0`); used when
  zxing-cpp cannot be imported. When libzbar is missing it is skipped by itself.
* "opencv": OpenCV's QRCodeDetector (QR only) plus its BarcodeDetector (EAN/UPC, Code 128,
  Code 39) where the build has it; always there, the slowest.

The bench numbers that set this order are in the README (Scanner). `active_backend()` names
the backend in use (diagnostics show it); `decode(image, backend="pyzbar")` picks one.
Symbology names follow devices.scanner ("QRCODE", "CODE128", "EAN13", ... or "unknown").
Nothing here imports Qt; each backend is imported on first use, not at import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from devices.scanner import UNKNOWN, parse_aim

log = logging.getLogger(__name__)

#: Backends in the order `decode` tries them (fastest reliable first; see bench/qr_decode.py).
PREFERENCE = ("zxing-cpp", "pyzbar", "opencv")


@dataclass(frozen=True)
class Decoded:
    """One code found in an image: its text and symbology."""

    text: str
    symbology: str


def gray(image: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit grayscale copy (or the image itself when it already is one)."""
    if image.ndim == 3:
        import cv2

        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code)
    return np.ascontiguousarray(image, dtype=np.uint8)


# --- the backends: each a function image(gray) -> list[Decoded], or None when it cannot run ----


_ZXING_NAMES = {
    "QRCode": "QRCODE",
    "MicroQRCode": "QRCODE",
    "Code128": "CODE128",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "Code39": "CODE39",
    "Code93": "CODE93",
    "ITF": "I25",
    "Codabar": "CODABAR",
    "DataMatrix": "DATAMATRIX",
    "PDF417": "PDF417",
    "Aztec": "AZTEC",
    "DataBar": "DATABAR",
}


def _zxing() -> Callable[[np.ndarray], list[Decoded]]:
    import zxingcpp

    def read(image: np.ndarray) -> list[Decoded]:
        found = []
        for code in zxingcpp.read_barcodes(image):
            name = getattr(code.format, "name", str(code.format))
            symbology = _ZXING_NAMES.get(name) or parse_aim(code.symbology_identifier + " ")[0]
            found.append(Decoded(code.text, symbology))
        return found

    return read


def _pyzbar() -> Callable[[np.ndarray], list[Decoded]]:
    from pyzbar import pyzbar  # ImportError when libzbar is missing

    def read(image: np.ndarray) -> list[Decoded]:
        # pyzbar's names are ours ("QRCODE", "CODE128", "EAN13", ...)
        return [Decoded(c.data.decode("utf-8", errors="replace"), c.type or UNKNOWN) for c in pyzbar.decode(image)]

    return read


def _opencv() -> Callable[[np.ndarray], list[Decoded]]:
    import cv2

    qr = cv2.QRCodeDetector()
    bars = cv2.barcode.BarcodeDetector() if hasattr(cv2, "barcode") else None

    def read(image: np.ndarray) -> list[Decoded]:
        found = []
        ok, texts, _points, _ = qr.detectAndDecodeMulti(image)
        if ok:
            found += [Decoded(t, "QRCODE") for t in texts if t]
        if bars is not None:
            ok, texts, types, _ = bars.detectAndDecodeWithType(image)
            if ok:
                names = {"EAN_13": "EAN13", "EAN_8": "EAN8", "UPC_A": "UPCA", "UPC_E": "UPCE", "CODE_128": "CODE128"}
                found += [Decoded(t, names.get(k, k or UNKNOWN)) for t, k in zip(texts, types, strict=False) if t]
        return found

    return read


_LOADERS: dict[str, Callable[[], Callable[[np.ndarray], list[Decoded]]]] = {
    "zxing-cpp": _zxing,
    "pyzbar": _pyzbar,
    "opencv": _opencv,
}


@cache
def reader(name: str) -> Callable[[np.ndarray], list[Decoded]] | None:
    """Backend `name`'s read function, or None when it cannot run here (logged once)."""
    try:
        return _LOADERS[name]()
    except Exception as exc:  # ImportError, OSError: a missing library
        log.warning("decode: %s unavailable: %s", name, exc)
        return None


def available() -> list[str]:
    """The backends that can run here, in preference order."""
    return [name for name in PREFERENCE if reader(name) is not None]


def active_backend() -> str:
    """The backend `decode` uses ("none" when none can run)."""
    names = available()
    return names[0] if names else "none"


def decode(image: np.ndarray, *, backend: str | None = None) -> list[Decoded]:
    """Every code in `image` (BGR or gray numpy array), each once, in the order found.
    A broken frame (empty, wrong dtype) or a backend error gives []."""
    name = backend or active_backend()
    read = reader(name) if name in _LOADERS else None
    if read is None or not isinstance(image, np.ndarray) or image.size == 0 or image.ndim not in (2, 3):
        return []
    try:
        found = read(gray(image))
    except Exception as exc:  # a decoder must not take the camera thread down
        log.warning("decode: %s failed: %s", name, exc)
        return []
    unique: dict[tuple[str, str], Decoded] = {}
    for code in found:
        unique.setdefault((code.text, code.symbology), code)
    return list(unique.values())
