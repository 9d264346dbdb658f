"""The printed ticket, read back by an independent ESC/POS parser (tests/escpos_reader.py)."""

from __future__ import annotations

from escpos_reader import parse


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
    assert "NOMOR ANTRIAN" in receipt.lines
    assert "Di depan Anda: 0 orang" in text
    assert "Dicetak 24-11-2026 09:00 WIB" in text
    service = kiosk.catalog.service("SKCK-BARU")
    for doc in service.documents:
        assert any(doc.id[:30] in line for line in receipt.lines), doc.id


def test_print_ticket_escpos_in_english(kiosk):
    _, receipt = printed(kiosk, "SKCK-BARU", language="en")
    text = "\n".join(receipt.lines)
    assert "QUEUE NUMBER" in receipt.lines and "People ahead of you: 0" in text
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
