"""What the kiosk says aloud: short, calm prompts for the main steps, and the ticket number in words.

Plain Python, no Qt. The UI picks the words here and hands them to a speaker
(`devices.speech` / `ui.speech`):

    speaker.say(prompt(Step.IDLE, "id"), "id")
    speaker.say(ticket_prompt("A1-007", "Loket 1-5", "id"), "id")

Numbers are written out in words (`number_words`) so every speech engine reads them the same
way: "A1-023" is spoken "A, satu, dua puluh tiga" / "A, one, twenty-three" (the letters and the
kiosk code one by one, then the sequence as a number; commas keep a pause between them, and keep
English engines from reading "A" as the article).

The sentences are English sources marked with QT_TRANSLATE_NOOP("Speech", ...) and translated
through `kiosk.i18n` (assets/i18n/kiosk_id.ts), like every other visitor-facing string.
"""

from __future__ import annotations

import re
from enum import StrEnum

from kiosk.i18n import translator
from kiosk.tr import QT_TRANSLATE_NOOP

CONTEXT = "Speech"


class Step(StrEnum):
    """The steps of a visit that have a spoken prompt."""

    IDLE = "idle"
    AGENCY = "agency"
    SERVICE = "service"
    CONFIRM = "confirm"
    PRINTING = "printing"
    STILL_THERE = "still_there"


PROMPTS: dict[Step, str] = {
    Step.IDLE: QT_TRANSLATE_NOOP("Speech", "Welcome. Touch the screen to take a queue number."),
    Step.AGENCY: QT_TRANSLATE_NOOP("Speech", "Choose the agency you need."),
    Step.SERVICE: QT_TRANSLATE_NOOP("Speech", "Choose the service you need."),
    Step.CONFIRM: QT_TRANSLATE_NOOP("Speech", "Check your choice, then touch Yes to print your number."),
    Step.PRINTING: QT_TRANSLATE_NOOP("Speech", "Printing your ticket. Please wait."),
    Step.STILL_THERE: QT_TRANSLATE_NOOP("Speech", "Are you still there? Touch the screen to continue."),
}

S_SCAN = QT_TRANSLATE_NOOP("Speech", "Hold the QR code from your MPP Digital app under the scanner below the screen.")
S_NIK = QT_TRANSLATE_NOOP("Speech", "Type the sixteen digits of your NIK, as written on your KTP.")
S_CONSENT = QT_TRANSLATE_NOOP(
    "Speech", "Would you like the kiosk to recognise your face next time? It is your choice. Read, then choose."
)


def said(context: str, text: str, language: str) -> str:
    """Any marked source string (`context`, English) in `language`: the identify screens' prompts
    and messages come from kiosk.liveness, kiosk.credential, kiosk.nik and kiosk.identity."""
    return translator(language)(context, text)


S_CONFIRM_SERVICE = QT_TRANSLATE_NOOP("Speech", "{service}. Touch Yes to print your number, or go back.")
S_NUMBER = QT_TRANSLATE_NOOP("Speech", "Your queue number is {number}.")
S_GO_TO = QT_TRANSLATE_NOOP("Speech", "Please go to {counter} and wait for your number to be called.")
S_TAKE_TICKET = QT_TRANSLATE_NOOP("Speech", "Please take your ticket from the printer below the screen.")
S_PRINT_FAILED = QT_TRANSLATE_NOOP(
    "Speech", "Your ticket could not be printed. Please write down your number: {number}."
)
#: Joins a range of counters, "Loket 1-5" -> "Loket 1 to 5" (then in words).
S_RANGE = QT_TRANSLATE_NOOP("Speech", "{first} to {last}")

_ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

MAX_NUMBER = 9999


def number_words(n: int, language: str) -> str:
    """`n` (0..9999) in words: 11 -> "sebelas" / "eleven", 2026 -> "dua ribu dua puluh enam" /
    "two thousand and twenty-six". Any language other than "id" gets English."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"number_words: expected 0..{MAX_NUMBER}, got {n}")
    return _indonesian(n) if language == "id" else _english(n)


def _indonesian(n: int) -> str:
    if n < 10:
        return _ID_DIGITS[n]
    parts: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        parts.append("seribu" if thousands == 1 else f"{_ID_DIGITS[thousands]} ribu")
    if hundreds:
        parts.append("seratus" if hundreds == 1 else f"{_ID_DIGITS[hundreds]} ratus")
    if rest:
        tens, ones = divmod(rest, 10)
        if rest < 10:
            parts.append(_ID_DIGITS[rest])
        elif rest == 10:
            parts.append("sepuluh")
        elif rest == 11:
            parts.append("sebelas")
        elif rest < 20:
            parts.append(f"{_ID_DIGITS[ones]} belas")
        else:
            parts.append(f"{_ID_DIGITS[tens]} puluh" + (f" {_ID_DIGITS[ones]}" if ones else ""))
    return " ".join(parts)


def _english(n: int) -> str:
    if n < 10:
        return _EN_DIGITS[n]
    parts: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        parts.append(f"{_EN_DIGITS[thousands]} thousand")
    if hundreds:
        parts.append(f"{_EN_DIGITS[hundreds]} hundred")
    if rest:
        if parts:
            parts.append("and")
        tens, ones = divmod(rest, 10)
        if rest < 10:
            parts.append(_EN_DIGITS[rest])
        elif rest < 20:
            parts.append(_EN_TEENS[ones])
        else:
            parts.append(_EN_TENS[tens] + (f"-{_EN_DIGITS[ones]}" if ones else ""))
    return " ".join(parts)


_TICKET = re.compile(r"([A-Z0-9]+)-(\d{1,4})")


def ticket_number_words(number: str, language: str) -> str:
    """A ticket number as a speech engine should read it: "A1-007" -> "A, satu, tujuh" /
    "A, one, seven". Letters and the kiosk code one character at a time, the sequence as a
    number. Anything that is not a ticket number is spelled out character by character."""
    match = _TICKET.fullmatch(number.strip().upper())
    if match is None:
        return ", ".join(_char_words(ch, language) for ch in number if ch.isalnum())
    head, seq = match.groups()
    return ", ".join([*(_char_words(ch, language) for ch in head), number_words(int(seq), language)])


def _char_words(ch: str, language: str) -> str:
    return number_words(int(ch), language) if ch.isdigit() else ch.upper()


_RANGE = re.compile(r"\b(\d{1,4})\s*[-\u2013]\s*(\d{1,4})\b")
_DIGITS = re.compile(r"\b\d{1,4}\b")


def speakable(text: str, language: str) -> str:
    """Free text (a counter name such as "Loket 1-5") with its numbers in words and its ranges
    said as ranges: "Loket satu sampai lima" / "Loket one to five"."""
    tr = translator(language)

    def in_words(match: re.Match[str]) -> str:
        return number_words(int(match[0]), language)

    def as_range(match: re.Match[str]) -> str:
        return tr(CONTEXT, S_RANGE).format(first=match[1], last=match[2])

    return _DIGITS.sub(in_words, _RANGE.sub(as_range, text))


def prompt(step: Step | str, language: str) -> str:
    """The spoken prompt for `step` in `language` ("id" or "en")."""
    return translator(language)(CONTEXT, PROMPTS[Step(step)])


def confirm_prompt(service: str, language: str) -> str:
    """The confirm step with the service's name (as the screen shows it, in `language`)."""
    return translator(language)(CONTEXT, S_CONFIRM_SERVICE).format(service=speakable(service, language))


def ticket_prompt(number: str, counter: str, language: str, *, printed: bool = True) -> str:
    """The ticket read aloud: "Nomor antrean Anda A, satu, tujuh. ... Silakan menuju Loket
    satu sampai lima ...". `counter` is the service's counter group ("" to leave it out); `printed=False`
    when the ticket could not be printed: the visitor is asked to write the number down, and
    hears it twice."""
    tr = translator(language)
    spoken = ticket_number_words(number, language)
    parts = [tr(CONTEXT, S_NUMBER).format(number=spoken)]
    if printed:
        parts.append(tr(CONTEXT, S_TAKE_TICKET))
    else:
        parts.append(tr(CONTEXT, S_PRINT_FAILED).format(number=spoken))
    if counter.strip():
        parts.append(tr(CONTEXT, S_GO_TO).format(counter=speakable(counter, language)))
    return " ".join(parts)
