"""NIK (Nomor Induk Kependudukan): the 16-digit national identity number, checked offline.

Structure, `PPRRDDddmmyySSSS`:

* `PP` province code (`PROVINCES`), `RR` regency/city (01..), `DD` district (01..);
* `ddmmyy` the birth date; women have 40 added to the day (day 41..71 is a woman born on the
  1st..31st). The two-digit year is read as 20yy when 20yy is not after this year, else 19yy;
  a date after `today` is refused (`nik.future_date`). The one person this misreads is someone
  turning 100 later this year (born after today's day and month, 100 years ago): the kiosk reads
  their year as this year and refuses it; they identify by QR or at a counter;
* `SSSS` a serial number, never 0000.

A valid structure says nothing about whether the number was issued: only Dukcapil's registry
knows that. `check_nik` never raises, whatever it is given (a hypothesis test throws arbitrary
strings at it).

Privacy: a NIK never appears in full in a log. `mask` keeps the first 4 digits (province and
regency: where the card was issued, shared by millions) and the last 4 (the serial's tail, enough
for a technician to match a complaint to a log line), and hides the 8 in between: the district and
the birth date. `kiosk.logs.NoPersonalData` masks any run of 16 digits as a safety net; log
`mask(nik)` (or nothing) instead.

Reason codes (stable; `VISITOR_MESSAGES` has the visitor's words for each, translated):

    nik.ok            a valid structure
    nik.empty         nothing entered
    nik.not_digits    something other than the digits 0-9 (spaces are ignored)
    nik.length        not 16 digits
    nik.province      no Indonesian province has that code
    nik.region        regency or district 00
    nik.date          no such birth date (day 00, 32..40, over 71, month 00 or over 12, 31 April, ...)
    nik.future_date   a birth date after today
    nik.serial        serial 0000
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.tr import QT_TRANSLATE_NOOP

NIK_LENGTH = 16
#: Added to the birth day for women.
FEMALE_DAY_OFFSET = 40

#: Province codes (Kemendagri's wilayah codes, Permendagri 72/2019, with the four provinces split
#: from Papua in 2022: Papua Selatan 93, Papua Tengah 94, Papua Pegunungan 95 and Papua Barat Daya
#: 96 by Kepmendagri 100.1.1-6117/2022). A NIK keeps the code it was issued with, and NIKs issued
#: in Papua before the split may carry BPS's older code for Papua, 94; all of 91..96 are accepted,
#: since refusing a real citizen is worse than accepting a mistyped prefix there. List as of 2024.
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

MALE = "male"
FEMALE = "female"

_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit() would let "٣" or "³" through

#: English for technicians and the CLI, per reason code.
REASONS: dict[str, str] = {
    "nik.ok": "valid NIK structure",
    "nik.empty": "no NIK entered",
    "nik.not_digits": "a NIK has only the digits 0-9",
    "nik.length": "a NIK has 16 digits, this has {count}",
    "nik.province": "no province has the code {code}",
    "nik.region": "regency or district code 00",
    "nik.date": "no such birth date in digits 7-12 ({detail})",
    "nik.future_date": "birth date {date} is after today",
    "nik.serial": "serial number 0000",
}

#: The visitor's words per reason code (English source; `kiosk_id.ts` has the Indonesian).
VISITOR_MESSAGES: dict[str, str] = {
    "nik.ok": QT_TRANSLATE_NOOP("Nik", "NIK accepted."),
    "nik.empty": QT_TRANSLATE_NOOP("Nik", "Enter the 16-digit NIK from your KTP."),
    "nik.not_digits": QT_TRANSLATE_NOOP("Nik", "A NIK has numbers only. Check the number on your KTP."),
    "nik.length": QT_TRANSLATE_NOOP("Nik", "A NIK has 16 digits. You entered {count}."),
    "nik.province": QT_TRANSLATE_NOOP(
        "Nik", "The first two digits are not a province code. Check the number on your KTP."
    ),
    "nik.region": QT_TRANSLATE_NOOP("Nik", "Digits 3 to 6 are not a valid region. Check the number on your KTP."),
    "nik.date": QT_TRANSLATE_NOOP("Nik", "Digits 7 to 12 are not a valid birth date. Check the number on your KTP."),
    "nik.future_date": QT_TRANSLATE_NOOP(
        "Nik", "Digits 7 to 12 give a birth date in the future. Check the number on your KTP."
    ),
    "nik.serial": QT_TRANSLATE_NOOP("Nik", "The last four digits cannot be 0000. Check the number on your KTP."),
}


@dataclass(frozen=True)
class NikCheck:
    """What `check_nik` found. `reason` is English (technicians, CLI); `visitor` is the visitor's
    message as an English source string, to translate in context "Nik" and `.format(**params)`.
    `province`, `sex` and `birth_date` are set when the structure got that far (for a valid NIK,
    always). `masked` is safe to log."""

    valid: bool
    reason_code: str
    reason: str
    province: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    masked: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @property
    def visitor(self) -> str:
        return VISITOR_MESSAGES[self.reason_code]

    def visitor_text(self, translate=lambda context, text: text) -> str:
        """The visitor's message through `translate(context, text)` (e.g. `kiosk.i18n.translator("id")`)."""
        return translate("Nik", self.visitor).format(**dict(self.params))


def normalize(text: object) -> str:
    """`text` without whitespace (a NIK is often written in groups: "3201 0101 ...")."""
    return "".join(str(text).split()) if text is not None else ""


def _fail(reason_code: str, digits: str = "", **params: object) -> NikCheck:
    shown = {k: str(v) for k, v in params.items()}
    return NikCheck(
        False,
        reason_code,
        REASONS[reason_code].format(**shown),
        masked=mask(digits),
        params=tuple(sorted((k, v) for k, v in shown.items() if k == "count")),
    )


def birth_year(yy: int, today: dt.date) -> int:
    """The four-digit year of two-digit `yy`: 20yy unless that is after this year, else 19yy."""
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def check_nik(text: object, today: dt.date) -> NikCheck:
    """Check the structure of the NIK in `text` (whitespace ignored) as of `today`; never raises."""
    nik = normalize(text)
    if not nik:
        return _fail("nik.empty")
    if not set(nik) <= _DIGITS:
        return _fail("nik.not_digits")
    if len(nik) != NIK_LENGTH:
        return _fail("nik.length", nik, count=len(nik))
    province = PROVINCES.get(nik[0:2])
    if province is None:
        return _fail("nik.province", nik, code=nik[0:2])
    if nik[2:4] == "00" or nik[4:6] == "00":
        return _fail("nik.region", nik)
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = FEMALE if day > FEMALE_DAY_OFFSET else MALE
    if sex == FEMALE:
        day -= FEMALE_DAY_OFFSET
    year = birth_year(yy, today)
    try:
        born = dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            detail = f"month {month:02d}"
        elif int(nik[6:8]) in (0, *range(32, 41)) or int(nik[6:8]) > 71:
            detail = f"day {nik[6:8]} (01..31 for men, 41..71 for women)"
        else:
            detail = f"{month:02d}/{year} has no day {day}"
        return _fail("nik.date", nik, detail=detail)
    if born > today:
        return _fail("nik.future_date", nik, date=born.isoformat())
    if nik[12:16] == "0000":
        return _fail("nik.serial", nik)
    return NikCheck(True, "nik.ok", REASONS["nik.ok"], province, sex, born, mask(nik))


def mask(nik: object) -> str:
    """`nik` safe for a log: "3201********0001" (first 4 and last 4 digits). Anything that is not
    exactly 16 digits (after removing whitespace) is starred out entirely, one star a character
    (up to 16), so a mistyped NIK does not leak either."""
    text = normalize(nik)
    if len(text) == NIK_LENGTH and set(text) <= _DIGITS:
        return text[:4] + "*" * 8 + text[12:]
    return "*" * min(len(text), NIK_LENGTH)
