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

Text must be ASCII (fold it first, see `kiosk.ticket_layout.ascii_fold`): every ESC/POS code
table holds ASCII, so no code table switching is needed; anything else is sent as "?".
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
    return Profile(
        name=name,
        code_table=_first_code_table(data.get("codePages") or {}, caps.get("encodings") or {}),
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
        """ASCII text ("\\n" ends a line); other characters print as "?"."""
        if not text:
            return
        table = self.profile.code_table
        if table is not None and self._code_table != table:
            self._out += SELECT_CODE_TABLE + bytes([table])
            self._code_table = table
        self._out += text.encode("ascii", "replace")

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
