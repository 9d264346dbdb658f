"""Tests for tests/escpos_reader.py. Byte strings are built by hand from the ESC/POS reference."""

from __future__ import annotations

import os

try:  # tests/ is on sys.path when it is not a package (pytest's default "prepend" import mode)
    from escpos_reader import Receipt, TextRun, parse
except ImportError:  # tests/ became a package
    from tests.escpos_reader import Receipt, TextRun, parse

ESC = b"\x1b"
GS = b"\x1d"
LF = b"\n"
INIT = ESC + b"@"


def _run(receipt: Receipt, text: str) -> TextRun:
    matches = [r for r in receipt.runs if r.text == text]
    assert len(matches) == 1, f"{text!r} not exactly once in {receipt.runs}"
    return matches[0]


def _qr(payload: bytes, size: int = 6) -> bytes:
    """Native QR: model 2, module size, EC level L, store (fn 80), print (fn 81)."""

    def fn(body: bytes) -> bytes:
        return GS + b"(k" + len(body).to_bytes(2, "little") + body

    return fn(b"1A2\x00") + fn(b"1C" + bytes([size])) + fn(b"1E0") + fn(b"1P0" + payload) + fn(b"1Q0")


def test_parse_gs_size_as_width_and_height() -> None:
    r = parse(INIT + GS + b"!\x33" + b"A1-023" + LF + GS + b"!\x00" + b"small" + LF)
    assert _run(r, "A1-023") == TextRun("A1-023", width=4, height=4, bold=False, align="left")
    assert _run(r, "small") == TextRun("small", width=1, height=1, bold=False, align="left")
    assert r.lines == ["A1-023", "small"]
    assert r.unknown == []


def test_parse_gs_size_nibbles_independently() -> None:
    r = parse(GS + b"!\x70" + b"wide" + LF + GS + b"!\x07" + b"tall" + LF)
    assert (_run(r, "wide").width, _run(r, "wide").height) == (8, 1)
    assert (_run(r, "tall").width, _run(r, "tall").height) == (1, 8)


def test_parse_esc_bang_double_width_height() -> None:
    r = parse(INIT + ESC + b"!\x30" + b"BIG" + LF + ESC + b"!\x08" + b"bold" + LF + ESC + b"!\x00" + b"x\n")
    assert _run(r, "BIG") == TextRun("BIG", width=2, height=2, bold=False, align="left")
    assert _run(r, "bold") == TextRun("bold", width=1, height=1, bold=True, align="left")
    assert _run(r, "x") == TextRun("x", width=1, height=1, bold=False, align="left")


def test_parse_esc_bang_resets_gs_size() -> None:
    r = parse(GS + b"!\x33" + b"big" + LF + ESC + b"!\x00" + b"normal" + LF)
    assert (_run(r, "normal").width, _run(r, "normal").height) == (1, 1)


def test_parse_bold_with_esc_e() -> None:
    r = parse(b"plain " + ESC + b"E\x01" + b"strong" + ESC + b"E\x00" + b" plain" + LF)
    assert [(run.text, run.bold) for run in r.runs] == [
        ("plain ", False),
        ("strong", True),
        (" plain", False),
    ]
    assert r.lines == ["plain strong plain"]


def test_parse_alignment() -> None:
    data = (
        ESC
        + b"a\x01"
        + b"mid"
        + LF
        + ESC
        + b"a\x02"
        + b"end"
        + LF
        + ESC
        + b"a\x00"
        + b"start"
        + LF
        + ESC
        + b"a1"
        + b"mid2"
        + LF  # ASCII '1'/'2'/'0' forms
        + ESC
        + b"a2"
        + b"end2"
        + LF
        + INIT
        + b"after-init"
        + LF
    )
    r = parse(data)
    assert [(run.text, run.align) for run in r.runs] == [
        ("mid", "center"),
        ("end", "right"),
        ("start", "left"),
        ("mid2", "center"),
        ("end2", "right"),
        ("after-init", "left"),
    ]


def test_merge_runs_within_line_only() -> None:
    # Style commands that change nothing must not split a run; a LF always does.
    r = parse(b"Antrian " + ESC + b"!\x00" + b"A1" + LF + b"next" + LF + LF + b"last" + b"\r\n")
    assert [run.text for run in r.runs] == ["Antrian A1", "next", "last"]
    assert r.lines == ["Antrian A1", "next", "", "last"]


def test_parse_native_qr_with_long_payload() -> None:
    payload = ("MPP1|T|" + "x" * 280 + "0123456789abc")[:300]
    assert len(payload) == 300
    store = b"1P0" + payload.encode()
    assert len(store) > 255  # pL/pH both non-zero
    r = parse(INIT + b"before" + LF + _qr(payload.encode()) + b"after" + LF)
    assert r.qr_codes == [payload]
    assert r.lines == ["before", "after"]
    assert r.unknown == []


def test_ignore_qr_stored_but_not_printed() -> None:
    store_only = GS + b"(k" + (3 + 4).to_bytes(2, "little") + b"1P0" + b"abcd"
    r = parse(store_only + b"text" + LF)
    assert r.qr_codes == []
    assert r.lines == ["text"]


def test_parse_barcodes_both_formats() -> None:
    data = (
        GS
        + b"h\x40"
        + GS
        + b"w\x03"
        + GS
        + b"H\x02"
        + GS
        + b"f\x00"
        + GS
        + b"k\x04"
        + b"A1-023"
        + b"\x00"  # CODE39, NUL-terminated
        + GS
        + b"kI"
        + bytes([8])
        + b"{B123456"  # CODE128 (m=73), length byte
        + b"done"
        + LF
    )
    r = parse(data)
    assert r.barcodes == ["A1-023", "{B123456"]
    assert r.lines == ["done"]
    assert r.unknown == []


def test_skip_raster_image_without_desync() -> None:
    # Image data deliberately full of bytes that would look like commands / text / newlines.
    width_bytes, height = 3, 4
    raster = (ESC + GS + LF + b"A\x00\xff") * 2
    assert len(raster) == width_bytes * height
    gs_v0 = GS + b"v0\x00" + bytes([width_bytes, 0, height, 0]) + raster
    r = parse(b"top" + LF + gs_v0 + b"bottom" + LF)
    assert r.images == 1
    assert r.lines == ["top", "bottom"]
    assert r.unknown == []


def test_skip_large_raster_image() -> None:
    width_bytes, height = 72, 300  # 21,600 bytes; xH/yH non-zero
    header = GS + b"v0\x30" + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
    r = parse(header + bytes([0x1D]) * (width_bytes * height) + b"ok" + LF)
    assert (r.images, r.lines, r.unknown) == (1, ["ok"], [])


def test_skip_column_and_graphics_images() -> None:
    stripe = ESC + b"*\x21" + (2).to_bytes(2, "little") + b"\x0a\x1b\x1d\x00\x41\x42"  # 24-dot: 3*n bytes
    column_image = ESC + b"3\x10" + stripe + LF + stripe + LF + ESC + b"2"
    graphics_body = b"0p" + b"01" + b"\x01\x01" + b"1" + (8).to_bytes(2, "little") + (2).to_bytes(2, "little")
    graphics_body += b"\x0a\x1b"
    graphics = GS + b"(L" + len(graphics_body).to_bytes(2, "little") + graphics_body + GS + b"(L\x02\x0002"
    r = parse(b"a" + LF + column_image + b"b" + LF + graphics + b"c" + LF)
    assert r.images == 2
    assert r.lines == ["a", "b", "c"]
    assert r.unknown == []


def test_count_cuts() -> None:
    data = (
        b"one"
        + LF
        + GS
        + b"V\x00"
        + b"two"
        + LF
        + GS
        + b"V\x01"
        + b"three"
        + LF
        + GS
        + b"V0"
        + b"four"
        + LF
        + GS
        + b"VA"
        + b"\x03"  # function B: n is a feed amount, not text
        + b"five"
        + LF
        + GS
        + b"VB"
        + b"\x41"
    )
    r = parse(data)
    assert r.cuts == 5
    assert r.lines == ["one", "two", "three", "four", "five"]
    assert r.unknown == []


def test_ignore_misc_ticket_commands() -> None:
    data = (
        INIT
        + ESC
        + b"t\x00"
        + ESC
        + b"M\x01"
        + ESC
        + b"G\x01"
        + ESC
        + b"{\x00"
        + ESC
        + b"-\x01"
        + GS
        + b"B\x01"
        + ESC
        + b"3\x30"
        + ESC
        + b"2"
        + b"\tkiosk"
        + LF
        + ESC
        + b"d\x03"
        + ESC
        + b"J\x10"
        + ESC
        + b"p\x00\x19\xfa"  # drawer kick
        + b"\x10\x04\x01"  # DLE EOT 1
        + b"no-lf"
        + ESC
        + b"d\x02"  # feed ends the line
        + b"tail"  # unterminated text is still reported
    )
    r = parse(data)
    assert r.lines == ["\tkiosk", "no-lf", "tail"]
    assert r.unknown == []


def test_decode_high_bytes_as_latin1() -> None:
    r = parse(b"caf\xe9 \xb0" + LF)
    assert r.lines == ["caf\u00e9 \u00b0"]


def test_record_unknown_sequence_and_continue() -> None:
    r = parse(ESC + b"Z" + b"abc" + LF + GS + b"\x7f" + b"def" + LF + b"\x07" + b"g" + LF)
    assert r.unknown == [ESC + b"Z", GS + b"\x7f", b"\x07"]
    assert r.lines == ["abc", "def", "g"]


def test_parse_truncated_stream_records_unknown() -> None:
    cut_qr = GS + b"(k" + (303).to_bytes(2, "little") + b"1P0" + b"only-a-few-bytes"
    r = parse(b"ok" + LF + cut_qr)
    assert r.lines == ["ok"]
    assert r.qr_codes == []
    assert r.unknown == [cut_qr]

    for tail in (
        ESC,
        GS + b"!",
        GS + b"v0\x00\x10\x00\x10\x00" + b"\x00" * 5,
        GS + b"k\x04ABC",
        GS + b"VA",
        ESC + b"*\x00\x05\x00\x01",
    ):
        r = parse(b"text" + tail)
        assert r.lines == ["text"], tail
        assert r.unknown == [tail], tail


def test_crosscheck_python_escpos_output(tmp_path_factory) -> None:
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp_path_factory.mktemp("escpos-caps")))
    from escpos.printer import Dummy

    p = Dummy(profile="TM-T88V")
    p.hw("INIT")
    p.set(align="center", custom_size=True, width=4, height=4)
    p.text("A1-023\n")
    p.set(normal_textsize=True)
    p.text("Pelayanan KTP-el\n")
    p.qr("MPP1|T|abc-123", native=True, size=6)
    p.cut()

    r = parse(p.output)
    assert "A1-023" in r.lines
    big = _run(r, "A1-023")
    assert (big.width, big.height, big.align) == (4, 4, "center")
    assert "Pelayanan KTP-el" in r.lines
    assert r.qr_codes == ["MPP1|T|abc-123"]
    assert r.cuts == 1
    assert r.unknown == []
