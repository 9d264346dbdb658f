"""The printed ticket, read back by an independent ESC/POS parser (tests/escpos_reader.py), and
byte for byte the same as python-escpos' Dummy printer renders it (the layout's former code)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from escpos_reader import parse

from kiosk import escpos_encode, wording
from kiosk.clock import hall_time_label
from kiosk.escposlib import escpos_printer_module
from kiosk.i18n import translator
from kiosk.ticket_layout import (
    CTX,
    T_BRING,
    T_COUNTER,
    T_ISSUED,
    T_KEEP,
    T_NUMBER,
    T_TITLE,
    ascii_fold,
    number_magnification,
    render_ticket,
    wait_line,
)

ROOT = Path(__file__).resolve().parents[2]


def render_ticket_with_python_escpos(ticket, service, agency, settings) -> bytes:
    """The layout as it was written against python-escpos' Dummy printer: the oracle.

    Changes from the old code: the number's size, which was always 4 x 4, comes from
    number_magnification() (a 9-character number did not fit 32 columns at 4x); the wait, the
    people ahead and the counter are worded as the screens word them (kiosk.wording).
    """
    lang = ticket.language
    tr = translator(lang).context(CTX)
    cols = settings.printer.columns
    p = escpos_printer_module().Dummy(profile=settings.printer.profile)

    def line(text: str = "", **style) -> None:
        p.set(**style) if style else None
        for part in textwrap.wrap(ascii_fold(text), cols) or [""]:
            p.text(part + "\n")

    big = number_magnification(ascii_fold(ticket.number), cols)
    p.hw("INIT")
    line(tr(T_TITLE), align="center", bold=True)
    line(settings.hall.name, align="center", bold=False)
    line(agency.name(lang), align="center")
    line("-" * cols)
    line(tr(T_NUMBER), align="center", bold=True)
    p.set(align="center", bold=True, custom_size=True, width=big, height=big)
    p.text(ascii_fold(ticket.number) + "\n")
    p.set(normal_textsize=True, align="center", bold=True)
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
    p.set(align="center")
    p.qr(ticket.qr_payload(settings.hall.code), native=True, size=6)
    line(ticket.id[:8].upper(), align="center")
    line(tr(T_KEEP), align="center")
    p.cut()
    return bytes(p.output)


def both(kiosk, ticket, *, profile="TM-T88V", columns=42, service=None):
    settings = kiosk.settings
    settings = replace(settings, printer=replace(settings.printer, profile=profile, columns=columns))
    service = service or kiosk.catalog.service(ticket.service_code)
    agency = kiosk.catalog.agency(service.agency_code)
    return (
        render_ticket(ticket, service, agency, settings),
        render_ticket_with_python_escpos(ticket, service, agency, settings),
    )


def all_profiles() -> list[str]:
    return sorted(escpos_encode.capabilities()["profiles"])


def printed(kiosk, code, language="id"):
    ticket = kiosk.issue_ticket(code, language=language)
    outcome = kiosk.print_ticket(ticket)
    assert outcome.printed and outcome.error is None
    with open(outcome.output, "rb") as fh:
        return ticket, parse(fh.read())


def test_print_ticket_escpos_has_number_service_and_qr(kiosk):
    ticket, receipt = printed(kiosk, "KTP-EL")
    assert receipt.unknown == [] and receipt.cuts == 1 and receipt.images == 0
    big = [r for r in receipt.runs if r.text == "A1-001"]
    assert big and big[0].width == 4 and big[0].height == 4 and big[0].align == "center"
    assert "Perekaman & Cetak KTP-el" in receipt.lines
    assert receipt.qr_codes == [f"MPPQ1|TEST|2026-11-24|A1-001|{ticket.id}".replace("TEST", kiosk.settings.hall.code)]


def test_print_ticket_escpos_has_hall_wait_documents_in_indonesian(kiosk):
    _, receipt = printed(kiosk, "SKCK-BARU")
    text = "\n".join(receipt.lines)
    assert kiosk.settings.hall.name in receipt.lines
    assert "NOMOR ANTREAN" in receipt.lines
    assert wording.people_ahead(0, "id") in text and "Tanpa antre" in text
    assert "Menuju: Loket" in text  # the counters and where they are, as on the screen
    assert "Dicetak 24-11-2026 09:00 WIB" in text
    service = kiosk.catalog.service("SKCK-BARU")
    for doc in service.documents:
        assert any(doc.id[:30] in line for line in receipt.lines), doc.id


def test_print_ticket_escpos_in_english(kiosk):
    _, receipt = printed(kiosk, "SKCK-BARU", language="en")
    text = "\n".join(receipt.lines)
    assert "QUEUE NUMBER" in receipt.lines and "No one ahead of you" in text and "No wait" in text
    assert "Loket" not in text and "Go to: Counters" in text  # the counter in English too
    assert kiosk.catalog.service("SKCK-BARU").name.en in receipt.lines


def test_print_ticket_lines_fit_the_paper(kiosk):
    _, receipt = printed(kiosk, "JKN-UBAH-DATA")
    for run in receipt.runs:
        assert len(run.text) * run.width <= kiosk.settings.printer.columns, run


def test_print_ticket_out_of_paper_keeps_ticket(kiosk):
    kiosk.printer.paper = False
    ticket = kiosk.issue_ticket("KTP-EL")
    outcome = kiosk.print_ticket(ticket)
    assert not outcome.printed and outcome.error.code == "device.printer"
    assert "out of paper" in outcome.error.message
    row = kiosk.store.conn.execute("SELECT number, printed_at, print_error FROM tickets").fetchone()
    assert row == ("A1-001", None, outcome.error.message)


@pytest.mark.parametrize("profile", ["TM-T88V", "default", "TM-T20II", "POS-5890", "TM-U220B"])
@pytest.mark.parametrize("columns", [32, 42, 48])
@pytest.mark.parametrize("language", ["id", "en"])
def test_render_ticket_bytes_equal_python_escpos(kiosk, profile, columns, language):
    ticket = kiosk.issue_ticket("SKCK-BARU", language=language)
    waiting = replace(ticket, number="B1-123", people_ahead=7, estimated_wait_minutes=25)
    long_number = replace(ticket, number="AB12-9999")
    for t in (ticket, waiting, long_number):
        ours, theirs = both(kiosk, t, profile=profile, columns=columns)
        assert ours == theirs


def test_render_ticket_bytes_equal_python_escpos_for_every_service(kiosk):
    for service in kiosk.catalog.services():
        if not service.offline:
            continue
        ticket = kiosk.issue_ticket(service.code, language="en" if service.code < "M" else "id")
        for columns in (32, 42):
            ours, theirs = both(kiosk, ticket, columns=columns)
            assert ours == theirs, service.code
    no_documents = replace(kiosk.catalog.service("KTP-EL"), documents=())
    ours, theirs = both(kiosk, ticket, service=no_documents)
    assert ours == theirs


def test_render_ticket_bytes_equal_python_escpos_for_every_profile(kiosk):
    ticket = kiosk.issue_ticket("KTP-EL")
    profiles = all_profiles()
    assert len(profiles) > 10
    for profile in profiles:
        ours, theirs = both(kiosk, ticket, profile=profile)
        assert ours == theirs, profile


def test_render_ticket_cuts_as_the_profile_can(kiosk):
    ticket = kiosk.issue_ticket("KTP-EL")
    full, _ = both(kiosk, ticket, profile="TM-T88V")
    part_only, _ = both(kiosk, ticket, profile="TM-U220B")
    no_cutter, _ = both(kiosk, ticket, profile="POS-5890")
    assert full.endswith(b"\x1bd\x06\x1dV\x00")
    assert part_only.endswith(b"\x1bd\x06\x1dV\x01")
    assert no_cutter.endswith(b"\x1bd\x06")
    assert [parse(data).cuts for data in (full, part_only, no_cutter)] == [1, 1, 0]


def test_render_ticket_unknown_profile_is_refused_by_name(kiosk):
    ticket = kiosk.issue_ticket("KTP-EL")
    with pytest.raises(escpos_encode.UnknownProfile, match="TM-NOPE"):
        both(kiosk, ticket, profile="TM-NOPE")


@pytest.mark.parametrize(
    ("number", "columns", "size"),
    [("A1-001", 32, 4), ("AB12-9999", 32, 3), ("AB12-9999", 42, 4), ("A12-9999", 32, 4), ("AB12-9999", 18, 2)],
)
def test_render_ticket_number_fits_the_paper(kiosk, number, columns, size):
    ticket = replace(kiosk.issue_ticket("KTP-EL"), number=number)
    ours, _ = both(kiosk, ticket, columns=columns)
    receipt = parse(ours)
    assert receipt.unknown == []
    big = [r for r in receipt.runs if r.text == number]
    assert len(big) == 1 and (big[0].width, big[0].height) == (size, size)
    for run in receipt.runs:
        assert len(run.text) * run.width <= columns, run


def test_render_ticket_imports_no_python_escpos():
    code = (
        "import sys\n"
        "from kiosk import ticket_layout, escpos_encode\n"
        "escpos_encode.EscposJob('TM-T88V').cut()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('escpos', 'PySide6', 'yaml', 'PIL')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


#: Indonesian text with what a code page decides: accents and the one-half sign (the test page's line,
#: with the em dash folded as the encoder folds it on every page).
CODE_PAGE_TEXT = "Rp 10.000 - Jl. Merdeka No. 5, caf\u00e9, \u00bd\nJalan Cik Di Tiro, Rp 25.000,-\n"


def test_code_page_text_bytes_equal_python_escpos_for_every_profile_that_has_the_characters():
    """The code page is selected explicitly (ESC t n, the profile's first table) and text in it is
    encoded as python-escpos' MagicEncode encodes it, for every profile whose page holds the text."""
    compared = 0
    for profile in all_profiles():
        ours = escpos_encode.EscposJob(profile)
        if ours.profile.printable(CODE_PAGE_TEXT) != CODE_PAGE_TEXT:
            continue  # a page without these characters: ours folds them, python-escpos switches tables
        theirs = escpos_printer_module().Dummy(profile=profile)
        ours.init()
        ours.text(CODE_PAGE_TEXT)
        theirs.hw("INIT")
        theirs.text(CODE_PAGE_TEXT)
        assert ours.output == bytes(theirs.output), profile
        assert ours.output.startswith(b"\x1b@\x1bt" + bytes([ours.profile.code_table])), profile
        compared += 1
    assert compared > 10


def test_code_page_text_folds_what_the_page_lacks():
    job = escpos_encode.EscposJob("TM-T88V")
    job.text("Rp 10.000 \u2014 caf\u00e9 \u00bd \u4e2d")
    assert job.output == b"\x1bt\x00Rp 10.000 - caf\x82 \xab ?"


def test_render_ticket_copy_is_marked_and_otherwise_the_same(kiosk):
    from kiosk.ticket_layout import COPY_MARK

    ticket = kiosk.issue_ticket("KTP-EL")
    original, oracle = both(kiosk, ticket)
    assert original == oracle  # the copy mark is off by default: the oracle still holds
    copy = parse(kiosk.render_ticket(ticket, copy=True))
    assert copy.lines.count(f" {COPY_MARK} ") == 2
    assert [line for line in copy.lines if COPY_MARK not in line] == parse(original).lines
