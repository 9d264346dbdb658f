"""Read back an ESC/POS byte stream so tests can assert on what a ticket would look like.

Written from the Epson ESC/POS command reference, independently of python-escpos (stdlib only),
so that it can be used to check the bytes python-escpos (or anything else) produced.

Usage::

    receipt = parse(printer.output)
    assert "A1-023" in receipt.lines
    assert receipt.qr_codes == ["MPP1|T|abc-123"]

Model / leniency notes:

* Text is bytes 0x20..0xFF, decoded as latin-1 (never fails); HT is kept as ``"\\t"``.
* LF ends a line and always yields an entry in ``lines`` (an empty string for a blank line), except
  for a line that only held ``ESC *`` image stripes. ``ESC d``/``ESC J``/FF/cuts/``ESC @`` and the end of
  the stream end a line only if text is pending, so text not followed by LF is never silently dropped.
  A lone CR is ignored (CR LF therefore counts as one line end).
* ``ESC @`` resets width/height/bold/alignment.
* ``cuts`` counts ``GS V`` (and the obsolete ``ESC i`` / ``ESC m``).
* ``images`` counts ``GS v 0`` images, ``ESC *`` images (consecutive stripes separated only by
  LF / line-spacing commands count once), ``GS ( L``/``GS 8 L`` *print* functions (fn 2/50, 69, 85),
  ``GS /`` and ``FS p``. python-escpos splits images taller than ``fragment_height`` into several
  commands; each fragment counts.
* Anything unrecognised goes to ``unknown``: for an unknown ``ESC``/``GS``/``FS``/``DLE`` sequence the
  2-byte prefix is stored and parsing resumes right after it; a stray control byte is stored alone;
  a command cut off by the end of the stream is stored from its first byte to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Receipt", "TextRun", "parse"]

ESC = 0x1B
GS = 0x1D
FS = 0x1C
DLE = 0x10
HT = 0x09
LF = 0x0A
FF = 0x0C
CR = 0x0D
CAN = 0x18

_ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}

# Commands with a fixed number of parameter bytes that need no further interpretation here.
_ESC_FIXED = {
    ord(" "): 1,  # right-side character spacing
    ord("$"): 2,  # absolute print position
    ord("%"): 1,  # user-defined character set on/off
    ord("-"): 1,  # underline
    ord("2"): 0,  # default line spacing
    ord("3"): 1,  # line spacing n
    ord("="): 1,  # select peripheral device
    ord("?"): 1,  # cancel user-defined character
    ord("G"): 1,  # double-strike
    ord("L"): 0,  # page mode
    ord("M"): 1,  # character font
    ord("R"): 1,  # international character set
    ord("S"): 0,  # standard mode
    ord("T"): 1,  # print direction in page mode
    ord("U"): 1,  # unidirectional printing
    ord("V"): 1,  # 90 degree rotation
    ord("W"): 8,  # print area in page mode
    ord("\\"): 2,  # relative print position
    ord("c"): 2,  # ESC c 3 n / ESC c 4 n / ESC c 5 n (paper sensors, panel buttons)
    ord("e"): 1,  # reverse feed n lines
    ord("p"): 3,  # cash drawer pulse: m t1 t2
    ord("r"): 1,  # print colour
    ord("t"): 1,  # code page
    ord("{"): 1,  # upside-down
}
_GS_FIXED = {
    ord("$"): 2,  # absolute vertical position (page mode)
    ord("B"): 1,  # reverse (white on black)
    ord("H"): 1,  # barcode HRI position
    ord("I"): 1,  # transmit printer ID
    ord("L"): 2,  # left margin
    ord("P"): 2,  # motion units
    ord("T"): 1,  # print position to beginning of line
    ord("W"): 2,  # print area width
    ord("\\"): 2,  # relative vertical position (page mode)
    ord("a"): 1,  # automatic status back
    ord("b"): 1,  # smoothing
    ord("f"): 1,  # barcode HRI font
    ord("h"): 1,  # barcode height
    ord("r"): 1,  # transmit status
    ord("w"): 1,  # barcode module width
}
_FS_FIXED = {
    ord("!"): 1,  # kanji print mode
    ord("&"): 0,  # kanji mode on
    ord("-"): 1,  # kanji underline
    ord("."): 0,  # kanji mode off
    ord("C"): 1,  # kanji code system
}
# Line-spacing commands that may sit between ESC * stripes of one image.
_LINE_SPACING = {(ESC, ord("2")), (ESC, ord("3"))}
# GS ( L / GS 8 L functions that put graphics on paper.
_GRAPHICS_PRINT_FN = {2, 50, 69, 85}


@dataclass(frozen=True)
class TextRun:
    text: str
    width: int
    height: int
    bold: bool
    align: str


@dataclass
class Receipt:
    runs: list[TextRun] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    cuts: int = 0
    images: int = 0
    unknown: list[bytes] = field(default_factory=list)


class _Truncated(Exception):
    """A command needs more bytes than the stream has."""


def _decode_payload(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.pos = 0
        self.out = Receipt()
        self._reset_style()
        self._line: list[tuple[tuple[int, int, bool, str], list[str]]] = []
        self._line_has_graphics = False
        self._in_column_image = False
        self._qr_stored: bytes | None = None

    # -- state helpers -------------------------------------------------------------------------

    def _reset_style(self) -> None:
        self.width = 1
        self.height = 1
        self.bold = False
        self.align = "left"

    def _style(self) -> tuple[int, int, bool, str]:
        return (self.width, self.height, self.bold, self.align)

    def _add_text(self, text: str) -> None:
        style = self._style()
        if self._line and self._line[-1][0] == style:
            self._line[-1][1].append(text)
        else:
            self._line.append((style, [text]))

    def _end_line(self, *, force: bool) -> None:
        if self._line:
            parts = []
            for (width, height, bold, align), chunks in self._line:
                text = "".join(chunks)
                parts.append(text)
                self.out.runs.append(TextRun(text, width, height, bold, align))
            self.out.lines.append("".join(parts))
        elif force and not self._line_has_graphics:
            self.out.lines.append("")
        self._line = []
        self._line_has_graphics = False

    def _need(self, n: int) -> bytes:
        """Return the n bytes following the cursor (without consuming them)."""
        end = self.pos + n
        if end > len(self.data):
            raise _Truncated
        return self.data[self.pos : end]

    def _byte(self, offset: int) -> int:
        idx = self.pos + offset
        if idx >= len(self.data):
            raise _Truncated
        return self.data[idx]

    def _bad(self, length: int) -> None:
        """Record `length` bytes at the cursor as unknown and skip them."""
        self.out.unknown.append(self.data[self.pos : self.pos + length])
        self.pos += length

    # -- main loop -----------------------------------------------------------------------------

    def run(self) -> Receipt:
        data = self.data
        while self.pos < len(data):
            b = data[self.pos]
            if b >= 0x20:
                start = self.pos
                while self.pos < len(data) and data[self.pos] >= 0x20:
                    self.pos += 1
                self._in_column_image = False
                self._add_text(data[start : self.pos].decode("latin-1"))
                continue
            if b == LF:
                self.pos += 1
                self._end_line(force=True)
                continue
            if b == CR or b == CAN:
                self.pos += 1
                continue
            if b == HT:
                self.pos += 1
                self._in_column_image = False
                self._add_text("\t")
                continue
            if b == FF:
                self.pos += 1
                self._end_line(force=False)
                continue
            if b in (ESC, GS, FS, DLE):
                start = self.pos
                try:
                    cmd = (b, self._byte(1))
                    handler = {ESC: self._esc, GS: self._gs, FS: self._fs, DLE: self._dle}[b]
                    handled = handler(cmd[1])
                except _Truncated:
                    self.out.unknown.append(data[start:])
                    self.pos = len(data)
                    break
                if not handled:
                    self.pos = start
                    self._bad(2)
                if cmd != (ESC, ord("*")) and cmd not in _LINE_SPACING:
                    self._in_column_image = False
                continue
            self._bad(1)  # stray control byte
        self._end_line(force=False)
        return self.out

    # -- ESC -----------------------------------------------------------------------------------

    def _esc(self, c: int) -> bool:
        if c in _ESC_FIXED:
            self._need(2 + _ESC_FIXED[c])
            self.pos += 2 + _ESC_FIXED[c]
            return True
        if c == ord("@"):
            self.pos += 2
            self._end_line(force=False)
            self._reset_style()
            return True
        if c in (ord("i"), ord("m")):  # obsolete full / partial cut
            self.pos += 2
            self._end_line(force=False)
            self.out.cuts += 1
            return True
        if c in (ord("!"), ord("E"), ord("a"), ord("d"), ord("J")):
            n = self._byte(2)
            self.pos += 3
            if c == ord("!"):
                self.width = 2 if n & 0x20 else 1
                self.height = 2 if n & 0x10 else 1
                self.bold = bool(n & 0x08)
            elif c == ord("E"):
                self.bold = bool(n & 0x01)
            elif c == ord("a"):
                self.align = _ALIGN.get(n, self.align)
            else:  # ESC d n / ESC J n: print and feed
                self._end_line(force=False)
            return True
        if c == ord("*"):
            m = self._byte(2)
            n = self._byte(3) + self._byte(4) * 256
            if m in (0, 1):
                size = n
            elif m in (32, 33):
                size = 3 * n
            else:
                self._bad(3)
                return True
            self._need(5 + size)
            self.pos += 5 + size
            if not self._in_column_image:
                self.out.images += 1
            self._in_column_image = True
            self._line_has_graphics = True
            return True
        if c == ord("D"):  # horizontal tab stops, NUL-terminated
            end = self.data.find(b"\x00", self.pos + 2)
            if end < 0:
                raise _Truncated
            self.pos = end + 1
            return True
        if c == ord("&"):  # define user-defined characters: y c1 c2 [x d1..d(y*x)]...
            y, c1, c2 = self._byte(2), self._byte(3), self._byte(4)
            off = 5
            for _ in range(max(0, c2 - c1 + 1)):
                x = self._byte(off)
                off += 1 + y * x
            self._need(off)
            self.pos += off
            return True
        if c == ord("("):  # ESC ( fn pL pH ...
            self._skip_long(prefix=3, len_bytes=2)
            return True
        return False

    # -- GS ------------------------------------------------------------------------------------

    def _gs(self, c: int) -> bool:
        if c in _GS_FIXED:
            self._need(2 + _GS_FIXED[c])
            self.pos += 2 + _GS_FIXED[c]
            return True
        if c == ord("!"):
            n = self._byte(2)
            self.pos += 3
            self.width = ((n >> 4) & 0x07) + 1
            self.height = (n & 0x07) + 1
            return True
        if c == ord("V"):
            m = self._byte(2)
            if m in (0, 1, 48, 49):
                self.pos += 3
            elif m in (65, 66, 97, 98, 103, 104):
                self._need(4)
                self.pos += 4
            else:
                self._bad(3)
                return True
            self._end_line(force=False)
            self.out.cuts += 1
            return True
        if c == ord("v"):
            if self._byte(2) != ord("0"):
                return False
            m = self._byte(3)
            if m not in (0, 1, 2, 3, 48, 49, 50, 51):
                self._bad(4)
                return True
            head = self._need(8)
            size = (head[4] + head[5] * 256) * (head[6] + head[7] * 256)
            self._need(8 + size)
            self.pos += 8 + size
            self._end_line(force=False)
            self.out.images += 1
            return True
        if c == ord("k"):
            return self._barcode()
        if c == ord("("):
            sub = self._byte(2)
            payload = self._skip_long(prefix=3, len_bytes=2)
            if sub == ord("k"):
                self._two_d_code(payload)
            elif sub == ord("L"):
                self._graphics(payload)
            return True
        if c == ord("8"):  # GS 8 L p1 p2 p3 p4 m fn ...: GS ( L with a 32-bit length
            if self._byte(2) != ord("L"):
                return False
            self._graphics(self._skip_long(prefix=3, len_bytes=4))
            return True
        if c == ord("*"):  # define downloaded bit image: x y d1..d(x*y*8)
            x, y = self._byte(2), self._byte(3)
            self._need(4 + x * y * 8)
            self.pos += 4 + x * y * 8
            return True
        if c == ord("/"):  # print downloaded bit image
            self._need(3)
            self.pos += 3
            self._end_line(force=False)
            self.out.images += 1
            return True
        return False

    def _skip_long(self, *, prefix: int, len_bytes: int) -> bytes:
        """Skip `prefix` bytes + a little-endian length + that many bytes; return the payload."""
        raw_len = self._need(prefix + len_bytes)[prefix:]
        length = int.from_bytes(raw_len, "little")
        start = self.pos + prefix + len_bytes
        self._need(prefix + len_bytes + length)
        self.pos = start + length
        return self.data[start : start + length]

    def _two_d_code(self, payload: bytes) -> None:
        if len(payload) < 2:
            return
        cn, fn = payload[0], payload[1]
        if cn != 49:  # PDF417, MaxiCode, DataBar, Aztec, DataMatrix...: well-formed, not tracked
            return
        if fn == 80 and len(payload) >= 3:  # store: cn fn m d1..dk
            self._qr_stored = payload[3:]
        elif fn == 81 and self._qr_stored is not None:  # print the stored symbol
            self._end_line(force=False)
            self.out.qr_codes.append(_decode_payload(self._qr_stored))

    def _graphics(self, payload: bytes) -> None:
        if len(payload) >= 2 and payload[1] in _GRAPHICS_PRINT_FN:
            self._end_line(force=False)
            self.out.images += 1

    def _barcode(self) -> bool:
        m = self._byte(2)
        if 0 <= m <= 6:  # GS k m d1..dk NUL
            end = self.data.find(b"\x00", self.pos + 3)
            if end < 0:
                raise _Truncated
            payload = self.data[self.pos + 3 : end]
            self.pos = end + 1
        elif 65 <= m <= 73:  # GS k m n d1..dn
            n = self._byte(3)
            payload = self._need(4 + n)[4:]
            self.pos += 4 + n
        else:
            self._bad(3)
            return True
        self._end_line(force=False)
        self.out.barcodes.append(payload.decode("latin-1"))
        return True

    # -- FS / DLE ------------------------------------------------------------------------------

    def _fs(self, c: int) -> bool:
        if c in _FS_FIXED:
            self._need(2 + _FS_FIXED[c])
            self.pos += 2 + _FS_FIXED[c]
            return True
        if c == ord("p"):  # print NV bit image n m
            self._need(4)
            self.pos += 4
            self._end_line(force=False)
            self.out.images += 1
            return True
        if c == ord("("):
            self._skip_long(prefix=3, len_bytes=2)
            return True
        return False

    def _dle(self, c: int) -> bool:
        if c in (0x04, 0x05):  # DLE EOT n (status), DLE ENQ n (real-time request)
            self._need(3)
            self.pos += 3
            return True
        if c == 0x14:  # DLE DC4 fn ...
            fn = self._byte(2)
            if fn in (1, 2, 3, 7):
                size = 5
            elif fn == 8:
                size = 10
            else:
                return False
            self._need(size)
            self.pos += size
            return True
        return False


def parse(data: bytes) -> Receipt:
    """Parse an ESC/POS byte stream. Never raises on malformed input; see ``Receipt.unknown``."""
    return _Parser(data).run()
