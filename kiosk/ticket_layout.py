"""The printed queue ticket, as ESC/POS bytes: text as text, the number in large type.

Built once here with kiosk.escpos_encode (the same bytes python-escpos' Dummy printer gives, without
importing python-escpos); printer adapters only move the bytes. Font A: `columns` characters per
line (42 on 80 mm paper, 32 on 58 mm).
"""

from __future__ import annotations

import textwrap
import unicodedata

from kiosk import wording
from kiosk.catalog import Agency, Service
from kiosk.clock import hall_time_label
from kiosk.config import Settings
from kiosk.escpos_encode import EscposJob
from kiosk.i18n import translator
from kiosk.priority import CTX as PRIORITY_CTX
from kiosk.priority import T_PRIORITY, Priority
from kiosk.queue import Ticket
from kiosk.tr import QT_TRANSLATE_NOOP

CTX = "Ticket"
T_TITLE = QT_TRANSLATE_NOOP("Ticket", "PUBLIC SERVICE MALL")
T_NUMBER = QT_TRANSLATE_NOOP("Ticket", "QUEUE NUMBER")
# The wait, the people ahead and the place are said as the screens say them (kiosk.wording): an
# uncertain wait (this kiosk's own estimate, many people ahead) is a range, not a footnote.
T_WAIT = QT_TRANSLATE_NOOP("Ticket", "Estimated wait: {wait}")
T_COUNTER = QT_TRANSLATE_NOOP("Ticket", "Go to: {place}")
T_BRING = QT_TRANSLATE_NOOP("Ticket", "Please have ready:")
T_KEEP = QT_TRANSLATE_NOOP("Ticket", "Keep this ticket and wait for your number to be called.")
T_ISSUED = QT_TRANSLATE_NOOP("Ticket", "Issued")

#: GS B n: white on black (python-escpos' `set(invert=True)`), for the priority marker line.
INVERT_ON = b"\x1dB\x01"
INVERT_OFF = b"\x1dB\x00"

#: The largest character magnification for the queue number (ESC/POS allows 8).
NUMBER_MAGNIFICATION = 4

_FOLD = {"\u2013": "-", "\u2014": "-", "\u00b1": "+/-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def ascii_fold(text: str) -> str:
    """Printable on every ESC/POS code page: dashes and accents folded to ASCII."""
    text = "".join(_FOLD.get(ch, ch) for ch in text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def number_magnification(number: str, columns: int) -> int:
    """The largest magnification (at most NUMBER_MAGNIFICATION) at which `number` fits one line."""
    for n in range(NUMBER_MAGNIFICATION, 1, -1):
        if len(number) * n <= columns:
            return n
    return 1


def priority_marker(kind: Priority, language: str) -> str:
    """The priority marker's text in `language`: "PRIORITAS: LANSIA", "PRIORITY: ELDERLY"."""
    tr = translator(language).context(PRIORITY_CTX)
    return f"{tr(T_PRIORITY)}: {kind.short_label(language)}"


def priority_line(p: EscposJob, kind: Priority, language: str, cols: int) -> None:
    """The marker in bold white on black, centred, padded to a whole band and wrapped to `cols`."""
    p.set(align="center", bold=True)
    for part in textwrap.wrap(ascii_fold(priority_marker(kind, language)), cols - 2) or [""]:
        p.raw(INVERT_ON)
        p.text(f" {part} ")
        p.raw(INVERT_OFF)
        p.text("\n")


def wait_line(ticket: Ticket, language: str) -> str:
    """The wait as the ticket screen says it: "No wait", or "Estimated wait: about 10-20 min"."""
    minutes = ticket.estimated_wait_minutes
    text = wording.wait(minutes, language, people_ahead=ticket.people_ahead)
    return text if minutes <= 0 else translator(language).context(CTX)(T_WAIT).format(wait=text)


#: The mark on a reprinted ticket (both languages: staff hand it to whoever lost theirs).
COPY_MARK = "COPY / SALINAN"


def render_ticket(ticket: Ticket, service: Service, agency: Agency, settings: Settings, *, copy: bool = False) -> bytes:
    """The ticket's ESC/POS bytes, in the ticket's language; `copy` marks a reprint (COPY_MARK in
    white on black above the title and again above the QR code)."""
    lang = ticket.language
    tr = translator(lang).context(CTX)
    cols = settings.printer.columns
    p = EscposJob(settings.printer.profile)

    def line(text: str = "", **style) -> None:
        p.set(**style) if style else None
        for part in textwrap.wrap(ascii_fold(text), cols) or [""]:
            p.text(part + "\n")

    number = ascii_fold(ticket.number)
    big = number_magnification(number, cols)
    p.init()
    if copy:
        copy_line(p, cols)
    line(tr(T_TITLE), align="center", bold=True)
    line(settings.hall.name, align="center", bold=False)
    line(agency.name(lang), align="center")
    line("-" * cols)
    line(tr(T_NUMBER), align="center", bold=True)
    p.set(size=(big, big), bold=True, align="center")
    p.text(number + "\n")
    p.set(size=(1, 1), bold=True, align="center")
    if ticket.priority is not None:
        priority_line(p, Priority(ticket.priority), lang, cols)
        p.set(bold=True)
    line(service.name(lang))
    line(f"{tr(T_ISSUED)} {hall_time_label(ticket.issued.astimezone(settings.tz))}", align="center", bold=False)
    line("-" * cols)
    line(wording.people_ahead(ticket.people_ahead, lang), align="left", bold=True)
    line(wait_line(ticket, lang), bold=False)
    line(tr(T_COUNTER).format(place=wording.counter_place(service, lang)))
    if service.documents:
        line()
        line(tr(T_BRING), bold=True)
        p.set(bold=False)
        for doc in service.documents:
            for i, part in enumerate(textwrap.wrap(ascii_fold(doc(lang)), cols - 2)):
                p.text(("- " if i == 0 else "  ") + part + "\n")
    line()
    if copy:
        copy_line(p, cols)
    p.set(align="center")
    p.qr(ticket.qr_payload(settings.hall.code), size=6)
    line(ticket.id[:8].upper(), align="center")
    line(tr(T_KEEP), align="center")
    p.cut()
    return p.output


def copy_line(p: EscposJob, cols: int) -> None:
    """COPY_MARK centred, bold, white on black."""
    p.set(align="center", bold=True)
    p.raw(INVERT_ON)
    p.text(f" {COPY_MARK} "[:cols])
    p.raw(INVERT_OFF)
    p.text("\n")


#: The test page's code-page line: Indonesian text with what a wrong code page garbles.
CODE_PAGE_LINE = "Rp 10.000 \u2014 Jl. Merdeka No. 5, caf\u00e9, \u00bd"
#: The test page's barcode (Code 128) and the start of its QR code's text.
TEST_BARCODE = "MPP-TEST-0123"
TEST_QR_PREFIX = "MPPTEST"


def ruler(columns: int) -> str:
    """A width ruler of exactly `columns` characters: "0....5....10...15..." (a number where it fits)."""
    out = ["."] * columns
    for at in range(0, columns, 5):
        mark = str(at)
        if at + len(mark) <= columns and all(c == "." for c in out[at : at + len(mark)]):
            out[at : at + len(mark)] = mark
    return "".join(out)


def render_test_page(settings: Settings, *, now) -> bytes:
    """The technician's test page (`kiosk diag --print-test`): who and when, the width ruler to the
    configured column count, the code-page line, a Code 128 barcode, a QR code, then a cut.

    If the ruler wraps or stops short, `[printer] columns` is wrong; if "caf\u00e9, \u00bd" prints as
    other signs, `[printer] profile` does not match the printer's code page."""
    cols = settings.printer.columns
    p = EscposJob(settings.printer.profile)
    stamp = hall_time_label(now.astimezone(settings.tz))
    p.init()
    p.set(align="center", bold=True)
    p.text("MPP KIOSK - TEST PAGE\n")
    p.set(bold=False)
    for text in (settings.hall.name, f"kiosk {settings.kiosk.id} ({settings.hall.code})", stamp):
        for part in textwrap.wrap(ascii_fold(text), cols) or [""]:
            p.text(part + "\n")
    p.set(align="left")
    for part in textwrap.wrap(f"{p.profile.name} / {p.profile.code_page or '-'} / {cols} columns", cols):
        p.text(ascii_fold(part) + "\n")
    p.text(ruler(cols) + "\n")
    p.text("-" * cols + "\n")
    for part in textwrap.wrap(CODE_PAGE_LINE, cols) or [""]:
        p.text(part + "\n")
    p.text("\n")
    p.set(align="center")
    p.barcode(TEST_BARCODE)
    p.text("\n")
    p.qr(f"{TEST_QR_PREFIX}|{settings.hall.code}|{settings.kiosk.id}|{now.isoformat(timespec='seconds')}", size=6)
    p.text("END OF TEST PAGE\n")
    p.cut()
    return p.output
