"""Decoding QR codes and barcodes from camera frames with each backend, and the fallback."""

from __future__ import annotations

import numpy as np
import pytest

from devices import decode as dec
from tests.devices.fake_scanner import background, camera_frame, code_image

TICKET = "MPPQ1|BDG|2026-11-24|A1-023|9f86d081884c7d65"


def frames():
    yield "QRCODE", TICKET, camera_frame(code_image(TICKET), width_px=200)
    yield "CODE128", "A1-023-BDG", camera_frame(code_image("A1-023-BDG", "CODE128", module_px=2), width_px=440)
    yield "EAN13", "8992761002015", camera_frame(code_image("8992761002015", "EAN13", module_px=2), width_px=300)


@pytest.mark.parametrize("backend", ["zxing-cpp", "pyzbar"])
@pytest.mark.parametrize(("symbology", "text", "frame"), list(frames()), ids=["qr", "code128", "ean13"])
def test_decode_reads_each_symbology(backend, symbology, text, frame):
    assert dec.decode(frame, backend=backend) == [dec.Decoded(text, symbology)]


def test_decode_opencv_reads_qr():
    frame = camera_frame(code_image(TICKET), width_px=200)
    assert dec.decode(frame, backend="opencv") == [dec.Decoded(TICKET, "QRCODE")]


def test_decode_qr_on_a_photo_tilted_blurred_and_noisy():
    frame = camera_frame(
        code_image(TICKET), back=background("two_people.jpg"), width_px=200, angle=-15, blur=3, noise=5
    )
    assert dec.decode(frame) == [dec.Decoded(TICKET, "QRCODE")]
    assert dec.decode(background("two_people.jpg")) == []


def test_decode_non_ascii_qr_and_grayscale_input():
    text = "Nomor antrean: A1-023 ✓ Kantor Imigrasi Kelas I — Bandung"
    frame = camera_frame(code_image(text), width_px=260)
    assert [d.text for d in dec.decode(frame[:, :, 0])] == [text]


def test_decode_two_codes_in_one_frame():
    frame = camera_frame(code_image("LEFT-1"), width_px=150, at=(0.25, 0.5))
    frame = camera_frame(code_image("RIGHT-2"), back=frame, width_px=150, at=(0.75, 0.5))
    assert sorted(d.text for d in dec.decode(frame)) == ["LEFT-1", "RIGHT-2"]


@pytest.mark.parametrize(
    "image",
    [np.zeros((0, 0), np.uint8), np.zeros((480, 640), np.uint8), np.zeros(10, np.uint8), "not an image", None],
)
def test_decode_broken_or_empty_frames_give_nothing(image):
    assert dec.decode(image) == []


def test_decode_prefers_the_fastest_backend_and_falls_back_without_libzbar(monkeypatch):
    assert dec.active_backend() == "zxing-cpp"

    def missing():
        raise ImportError("Unable to find zbar shared library")

    dec.reader.cache_clear()
    try:
        monkeypatch.setitem(dec._LOADERS, "zxing-cpp", missing)
        monkeypatch.setitem(dec._LOADERS, "pyzbar", missing)
        assert dec.available() == ["opencv"] and dec.active_backend() == "opencv"
        frame = camera_frame(code_image(TICKET), width_px=200)
        assert dec.decode(frame) == [dec.Decoded(TICKET, "QRCODE")]
        assert dec.decode(frame, backend="pyzbar") == []  # asked for, but not here
    finally:
        dec.reader.cache_clear()
    monkeypatch.undo()
    assert dec.active_backend() == "zxing-cpp"


def test_decode_backend_error_gives_nothing(monkeypatch):
    def broken(_image):
        raise RuntimeError("decoder crashed")

    dec.reader.cache_clear()
    monkeypatch.setitem(dec._LOADERS, "zxing-cpp", lambda: broken)
    try:
        assert dec.decode(np.full((48, 64), 255, np.uint8)) == []
    finally:
        monkeypatch.undo()
        dec.reader.cache_clear()
