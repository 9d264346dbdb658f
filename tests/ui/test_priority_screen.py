"""Priority tickets through the touch flow: chosen with icons, shown, printed, stored and sent."""

from __future__ import annotations

import json

import pytest
from escpos_reader import parse
from uikit import SCREENSHOTS, SIZES, layout_problems, pass_identity, settle, tap

from kiosk.priority import PRIORITY_KINDS
from kiosk.session import PrintState, Step


def check(qtbot, window, name: str) -> None:
    settle(qtbot, window)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / f"{name}.png"))
    problems = layout_problems(window)
    assert not problems, f"{name}: " + "; ".join(problems)


def test_priority_ticket_from_the_idle_screen_is_marked_everywhere(qtbot, make_window):
    w = make_window("portrait")
    settle(qtbot, w)
    tap(qtbot, w.idle.priority_button)
    assert w.session.state.step == Step.PRIORITY
    assert set(w.priority.kinds) == set(PRIORITY_KINDS)
    tap(qtbot, w.priority.kinds["elderly"])
    state = w.session.state
    assert state.step == Step.IDLE and state.priority == "elderly"
    assert "Lansia" in w.idle.priority_button.title.text()

    tap(qtbot, w.idle.need_tiles["PKB-TAHUNAN"])
    settle(qtbot, w)
    tap(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    assert w.session.state.step == Step.CONFIRM
    assert w.confirm.priority.title.text() == "Antrean prioritas: Lansia (60 tahun ke atas)"
    tap(qtbot, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    ticket = w.session.state.ticket
    assert ticket.priority == "elderly" and "-P" in ticket.number

    row = w.kiosk.store.conn.execute("SELECT priority, printer_output FROM tickets").fetchone()
    assert row[0] == "elderly"
    with open(row[1], "rb") as fh:
        receipt = parse(fh.read())
    assert any("PRIORITAS: LANSIA" in line for line in receipt.lines), receipt.lines
    payloads = [json.loads(p) for (p,) in w.kiosk.store.conn.execute("SELECT payload FROM outbox")]
    assert any(p.get("number") == ticket.number and p.get("priority") == "elderly" for p in payloads)

    tap(qtbot, w.ticket.done_button)
    assert w.session.state.step == Step.IDLE and w.session.state.priority is None  # wiped with the session


def test_priority_chosen_on_the_confirm_screen_and_taken_back(qtbot, make_window):
    w = make_window("portrait")
    settle(qtbot, w)
    tap(qtbot, w.idle.language_button)
    settle(qtbot, w)
    tap(qtbot, w.idle.need_tiles["PKB-TAHUNAN"])
    settle(qtbot, w)
    tap(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    assert w.confirm.priority.title.text() == "I am entitled to priority"
    tap(qtbot, w.confirm.priority)
    assert w.session.state.step == Step.PRIORITY
    check(qtbot, w, "portrait_en_30_priority")
    tap(qtbot, w.priority.kinds["pregnant"])
    assert w.session.state.step == Step.CONFIRM and w.session.state.priority == "pregnant"
    assert w.confirm.priority.title.text() == "Priority queue: Pregnant woman"
    check(qtbot, w, "portrait_en_31_confirm_priority")
    tap(qtbot, w.confirm.priority)
    tap(qtbot, w.priority.not_needed)
    assert w.session.state.step == Step.CONFIRM and w.session.state.priority is None
    tap(qtbot, w.confirm.yes)
    qtbot.waitUntil(lambda: w.session.state.step == Step.TICKET, timeout=10000)
    settle(qtbot, w)
    assert w.kiosk.store.conn.execute("SELECT priority FROM tickets").fetchone() == (None,)


def test_priority_back_returns_without_a_choice(qtbot, make_window):
    w = make_window("portrait")
    settle(qtbot, w)
    tap(qtbot, w.idle.priority_button)
    tap(qtbot, w.footer.back_button)
    assert w.session.state.step == Step.IDLE and w.session.state.priority is None


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_priority_screens_fit_every_screen(qtbot, make_window, size, language):
    w = make_window(size)
    settle(qtbot, w)
    if w.session.state.language != language:
        tap(qtbot, w.idle.language_button)
        settle(qtbot, w)
    tap(qtbot, w.idle.priority_button)
    check(qtbot, w, f"{size}_{language}_32_priority")
    tap(qtbot, w.priority.kinds["infant"])
    settle(qtbot, w)
    check(qtbot, w, f"{size}_{language}_33_idle_priority_chosen")
    tap(qtbot, w.idle.need_tiles["PKB-TAHUNAN"])
    settle(qtbot, w)
    tap(qtbot, w.detail.take_button)
    pass_identity(qtbot, w)
    check(qtbot, w, f"{size}_{language}_34_confirm_priority")
