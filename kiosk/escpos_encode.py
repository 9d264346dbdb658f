"""A small ESC/POS encoder: the commands a queue ticket needs, with no third-party import.

For what it covers it sends the same bytes as python-escpos' `Escpos` methods (tests/kiosk/
test_ticket_layout.py compares the two on whole tickets, for several printer profiles), so a
printer that worked with python-escpos output works with this. What differs per printer model
(the code table python-escpos selects first, whether the cutter cuts fully or partly) is read
from python-escpos' own `capabilities.json` with `json`, once per process; python-escpos itself
is never imported here (importing it costs 0.1-0.3 s: barcode, yaml, PIL).

    job = EscposJob("TM-T88V")
    job.init()
    job.set(align="center", bold=True)
    job.text("A1-001\\n")
    job.qr("MPPQ1|...", size=6)
    job.cut()
    data = job.output

Code page: before the first text the profile's first code table is selected explicitly (ESC t n,
as python-escpos does: CP437 for most Epson-style profiles), so a printer left on another table by
an earlier program prints the same ticket. Text is encoded in that one code page: ASCII as is,
characters the page holds (e, a with accents, the one-half sign on CP437) as the page's bytes, the
same bytes python-escpos' MagicEncode sends for them; a character the page lacks is folded to
ASCII ("\u2014" -> "-", "\u00e9" -> "e" on a page without it) or sent as "?": the encoder never
switches tables in the middle of a job. Tickets fold their text to ASCII first (see
`kiosk.ticket_layout.ascii_fold`), so they print right even under a wrong profile; the test page
(`kiosk diag --print-test`) prints a code-page line to check the profile against the printer.
"""

from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ESC = b"\x1b"
GS = b"\x1d"

INIT = ESC + b"@"
#: python-escpos' `set(normal_textsize=True)`: ESC ! 0, three times over (kept for identical bytes).
NORMAL_SIZE = (ESC + b"!\x00") * 3
BOLD = {False: ESC + b"E\x00", True: ESC + b"E\x01"}
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}
SELECT_CODE_TABLE = ESC + b"t"
FULL_CUT = GS + b"V\x00"
PART_CUT = GS + b"V\x01"
#: Lines fed before a cut, as python-escpos does (the cutter sits above the print head).
CUT_FEED_LINES = 6

QR_EC_LEVELS = {"L": 0, "M": 1, "Q": 2, "H": 3}
QR_MODELS = {1, 2, 3}  # model 1, model 2, micro QR

DEFAULT_PROFILE = "TM-T88V"


class UnknownProfile(ValueError):
    """The printer profile is not in python-escpos' capabilities.json."""


@dataclass(frozen=True)
class Profile:
    """What the encoder needs to know about one printer model."""

    name: str
    #: The code table python-escpos selects before the first text (ESC t n), or None.
    code_table: int | None
    full_cut: bool
    part_cut: bool
    #: Characters per line in font A, if the profile says.
    columns: int | None
    #: The name of the code page in `code_table` (capabilities.json's, e.g. "CP437"), or None.
    code_page: str | None = None

    def encode(self, text: str) -> bytes:
        """`text` in this profile's code page: what the page lacks folded to ASCII, else "?"."""
        table = _char_map(self.code_page) if self.code_page else {}
        out = bytearray()
        for ch in text:
            if ch < "\x80":
                out += ch.encode("ascii")
            elif ch in table:
                out.append(table[ch])
            else:
                out += (fold_char(ch) or "?").encode("ascii")
        return bytes(out)

    def printable(self, text: str) -> str:
        """`text` as it will print: characters the code page lacks replaced as `encode` does."""
        table = _char_map(self.code_page) if self.code_page else {}
        return "".join(ch if ch < "\x80" or ch in table else (fold_char(ch) or "?") for ch in text)


_FOLD = {"\u2013": "-", "\u2014": "-", "\u00b1": "+/-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def fold_char(ch: str) -> str:
    """One character folded to ASCII: dashes and quotes by table, accents dropped; "" when none."""
    if ch in _FOLD:
        return _FOLD[ch]
    import unicodedata

    return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")


@cache
def _char_map(page: str) -> dict[str, int]:
    """The code page's upper half (0x80-0xFF) as character -> byte, from capabilities.json's
    encoding entry: its Python codec, or its character table ("data")."""
    encoding = (capabilities().get("encodings") or {}).get(page) or {}
    out: dict[str, int] = {}
    if "python_encode" in encoding:
        try:
            decoded = bytes(range(0x80, 0x100)).decode(encoding["python_encode"], errors="replace")
        except LookupError:
            return {}
        chars = list(decoded)
    elif "data" in encoding:
        chars = list("".join(encoding["data"]))[-128:] if encoding["data"] else []
    else:
        return {}
    for i, ch in enumerate(chars):
        if ch not in ("\ufffd", " ") and ch >= "\x80":
            out.setdefault(ch, 0x80 + i)
    return out


def capabilities_path() -> Path:
    """python-escpos' printer database, found as python-escpos finds it, without importing it."""
    if env := os.environ.get("ESCPOS_CAPABILITIES_FILE"):  # python-escpos honours it too
        return Path(env)
    from importlib.util import find_spec

    spec = find_spec("escpos")  # a top-level package: located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("python-escpos' capabilities.json not found (is python-escpos installed?)")
    return Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"


@cache
def capabilities() -> dict:
    """The whole printer database (profiles and encodings), read once per process."""
    with open(capabilities_path(), encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The profile `name` from capabilities.json; raises UnknownProfile."""
    caps = capabilities()
    data = caps["profiles"].get(name)
    if data is None:
        raise UnknownProfile(f"unknown printer profile {name!r} (see python-escpos' capabilities.json)")
    features = data.get("features") or {}
    font_a = (data.get("fonts") or {}).get("0") or {}
    code_pages = data.get("codePages") or {}
    code_table = _first_code_table(code_pages, caps.get("encodings") or {})
    return Profile(
        name=name,
        code_table=code_table,
        code_page=code_pages.get(str(code_table)) if code_table is not None else None,
        full_cut=bool(features.get("paperFullCut")),
        part_cut=bool(features.get("paperPartCut")),
        columns=font_a.get("columns"),
    )


def _first_code_table(code_pages: dict[str, str], encodings: dict[str, dict]) -> int | None:
    """The code table python-escpos' MagicEncode switches to for the first (ASCII) character.

    It tries the profile's code pages ordered by their slot as a *string* ("0" < "11" < "2"), a
    name listed under two slots keeping the later slot, and takes the first one it can load: one
    with a character table, or with a Python codec that exists.
    """
    slots = {page: slot for slot, page in code_pages.items()}
    for page, slot in sorted(slots.items(), key=lambda item: item[1]):
        encoding = encodings.get(page)
        if encoding is None:
            continue
        if "data" in encoding:
            return int(slot)
        if "python_encode" in encoding:
            try:
                codecs.lookup(encoding["python_encode"])
            except LookupError:
                continue
            return int(slot)
    return None


class EscposJob:
    """One print job built in memory; `output` is the bytes to send."""

    def __init__(self, profile: str | Profile = DEFAULT_PROFILE) -> None:
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self._out = bytearray()
        self._code_table: int | None = None  # the table the printer has selected, as far as we know

    @property
    def output(self) -> bytes:
        return bytes(self._out)

    def raw(self, data: bytes) -> None:
        """Append bytes as they are."""
        self._out += data

    def init(self) -> None:
        """ESC @: clear the buffer and reset every mode (the printer is back on code table 0)."""
        self._out += INIT
        if self._code_table is not None:
            self._code_table = 0

    def set(self, *, align: str | None = None, bold: bool | None = None, size: tuple[int, int] | None = None) -> None:
        """Change only what is given: `size` is (width, height), each 1-8; (1, 1) is normal text."""
        if size is not None:
            width, height = size
            if not (1 <= width <= 8 and 1 <= height <= 8):
                raise ValueError(f"character size must be 1-8 x 1-8, not {width} x {height}")
            if (width, height) == (1, 1):
                self._out += NORMAL_SIZE
            else:
                self._out += GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])
        if bold is not None:
            self._out += BOLD[bool(bold)]
        if align is not None:
            self._out += ALIGN[align]

    def text(self, text: str) -> None:
        """Text in the profile's code page ("\\n" ends a line); see the module docstring."""
        if not text:
            return
        table = self.profile.code_table
        if table is not None and self._code_table != table:
            self._out += SELECT_CODE_TABLE + bytes([table])
            self._code_table = table
        self._out += self.profile.encode(text)

    def qr(self, payload: str, *, size: int = 3, ec: str = "L", model: int = 2) -> None:
        """A QR code drawn by the printer (GS ( k): `size` is the module size in dots, 1-16."""
        if ec not in QR_EC_LEVELS or model not in QR_MODELS or not 1 <= size <= 16:
            raise ValueError(f"bad QR settings: size {size}, error correction {ec!r}, model {model}")
        if not payload:
            return
        self._qr_function(65, bytes([48 + model, 0]))  # select the model
        self._qr_function(67, bytes([size]))  # module size
        self._qr_function(69, bytes([48 + QR_EC_LEVELS[ec]]))  # error correction level
        self._qr_function(80, b"0" + payload.encode("utf-8"))  # store the data
        self._qr_function(81, b"0")  # print the stored symbol

    def _qr_function(self, fn: int, params: bytes) -> None:
        length = len(params) + 2  # cn and fn
        if length > 0xFFFF:
            raise ValueError("QR payload too long")
        self._out += GS + b"(k" + length.to_bytes(2, "little") + b"1" + bytes([fn]) + params

    def barcode(self, code: str, *, height: int = 64, width: int = 2) -> None:
        """A Code 128 barcode (code set B) drawn by the printer, its text printed below it:
        GS h height, GS w module width, GS H 2 (text below), GS f 0 (font A), GS k 73 n {B data."""
        data = b"{B" + code.encode("ascii")
        if not code or len(data) > 255 or any(not 32 <= b < 127 for b in code.encode("ascii", "replace")):
            raise ValueError(f"Code 128 takes 1-253 printable ASCII characters, not {code!r}")
        if not (1 <= height <= 255 and 2 <= width <= 6):
            raise ValueError(f"bad barcode size: height {height}, width {width}")
        self._out += GS + b"h" + bytes([height]) + GS + b"w" + bytes([width]) + GS + b"H\x02" + GS + b"f\x00"
        self._out += GS + b"k" + bytes([73, len(data)]) + data

    def feed(self, lines: int) -> None:
        """ESC d n: print what is buffered and feed `lines` lines."""
        if not 0 <= lines <= 255:
            raise ValueError("feed 0-255 lines")
        self._out += ESC + b"d" + bytes([lines])

    def cut(self, *, partial: bool = False) -> None:
        """Feed past the cutter and cut: fully (or partly), whichever the printer can do."""
        self.feed(CUT_FEED_LINES)
        p = self.profile
        first, second = (PART_CUT, FULL_CUT) if partial else (FULL_CUT, PART_CUT)
        can_first, can_second = (p.part_cut, p.full_cut) if partial else (p.full_cut, p.part_cut)
        if can_first:
            self._out += first
        elif can_second:
            self._out += second
