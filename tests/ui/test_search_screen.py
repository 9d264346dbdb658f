"""Search by need on the touch screen: real taps on our own keys, results at every key press."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from uikit import SCREENSHOTS, SIZES, layout_problems, settle, tap

from kiosk.session import MAX_QUERY, Step

#: What visitors type, and the service that must be among the first three rows.
QUERIES = [
    ("perpanjang paspor", "PASPOR-GANTI"),
    ("paspor hilang", "PASPOR-GANTI"),
    ("akta lahir", "AKTA-LAHIR-MATI"),
    ("SKCK", "SKCK-BARU"),
    ("ktp hilang", "KTP-EL"),
    ("bpjs", "JKN-DAFTAR"),
    ("pasport", "PASPOR-BARU"),
]


def check(qtbot, window, name: str) -> None:
    settle(qtbot, window)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / f"{name}.png"))
    problems = layout_problems(window)
    assert not problems, f"{name}: " + "; ".join(problems)


def open_search(qtbot, w, language: str) -> None:
    settle(qtbot, w)
    if w.session.state.language != language:
        tap(qtbot, w.idle.language_button)
    tap(qtbot, w.idle.search_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.SEARCH and w.stack.currentWidget() is w.search


def type_on_keys(qtbot, w, text: str) -> None:
    """Touch each key of `text` on the on-screen keyboard."""
    keyboard = w.search.keyboard
    for ch in text.lower():
        tap(qtbot, keyboard.space_key if ch == " " else keyboard.keys[ch])
    settle(qtbot, w)  # new rows show once the event loop turns


@pytest.mark.parametrize("language", ["id", "en"])
def test_search_typed_on_the_keys_finds_the_service_in_the_top_three(qtbot, make_window, language):
    w = make_window("portrait")
    open_search(qtbot, w, language)
    for text, code in QUERIES:
        tap(qtbot, w.search.keyboard.clear_key)
        assert w.search.field.text() == ""
        type_on_keys(qtbot, w, text)
        assert w.search.field.text() == text.lower() == w.session.state.query
        rows = w.search.rows()
        assert code in w.search.row_codes[:3], (text, w.search.row_codes)
        row = rows[w.search.row_codes.index(code)]
        assert row.isVisible() and row.title.text() == w.kiosk.catalog.service(code).name(language)
        assert w.kiosk.catalog.agency(w.kiosk.catalog.service(code).agency_code).short(language) in row.sub.text()


def test_search_result_touch_opens_the_service_and_back_returns_to_the_results(qtbot, make_window):
    w = make_window("portrait")
    open_search(qtbot, w, "id")
    type_on_keys(qtbot, w, "skck")
    tap(qtbot, w.search.rows()[0])
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.DETAIL and state.service_code == "SKCK-BARU" and state.agency_code == "POLRI"
    assert w.detail.take_button.isEnabled()
    tap(qtbot, w.footer.back_button)
    assert w.session.state.step == Step.SEARCH and w.search.field.text() == "skck"
    assert w.search.row_codes[0] == "SKCK-BARU"


def test_search_backspace_and_the_length_limit(qtbot, make_window):
    w = make_window("portrait")
    open_search(qtbot, w, "en")
    type_on_keys(qtbot, w, "ktpx")
    tap(qtbot, w.search.keyboard.backspace_key)
    assert w.session.state.query == "ktp" and w.search.row_codes[0] == "KTP-EL"
    tap(qtbot, w.search.keyboard.space_key)
    tap(qtbot, w.search.keyboard.space_key)  # no double spaces
    assert w.session.state.query == "ktp "
    w.flow.search_text("a" * 100)
    assert len(w.session.state.query) == MAX_QUERY and w.search.field.text() == "a" * MAX_QUERY


def test_search_hardware_keyboard_types_into_the_field(qtbot, make_window):
    w = make_window("landscape")
    open_search(qtbot, w, "id")
    qtbot.keyClicks(w.search, "Paspor")
    assert w.search.field.text() == "paspor" and w.search.row_codes[0].startswith("PASPOR")
    qtbot.keyClick(w.search, Qt.Key.Key_Backspace)
    assert w.session.state.query == "paspo"
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    assert w.session.state.query == "" and w.search.field.text() == ""


def test_search_empty_shows_the_needs_and_no_match_offers_the_agencies(qtbot, make_window):
    w = make_window("portrait")
    open_search(qtbot, w, "en")
    needs = w.kiosk.catalog.needs
    assert w.search.row_codes == [n.service_code for n in needs]
    assert [r.title.text() for r in w.search.rows()] == [n.label("en") for n in needs]
    assert not w.search.browse_button.isVisible()
    type_on_keys(qtbot, w, "zzqxv")
    assert w.search.row_codes == [] and "zzqxv" in w.search.message.text()
    assert w.search.browse_button.isVisible()
    tap(qtbot, w.search.browse_button)
    assert w.session.state.step == Step.AGENCIES


def test_need_tile_opens_its_service(qtbot, make_window):
    w = make_window("landscape")
    settle(qtbot, w)
    need = next(n for n in w.kiosk.catalog.needs if n.service_code == "PKB-TAHUNAN")
    tile = w.idle.need_tiles["PKB-TAHUNAN"]
    assert tile.title.text() == need.label("id")
    tap(qtbot, tile)
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.DETAIL and state.service_code == "PKB-TAHUNAN" and state.agency_code == "SAMSAT"
    tap(qtbot, w.footer.back_button)
    assert w.session.state.step == Step.IDLE and w.session.state.service_code is None


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_idle_and_search_screens_fit_every_screen(qtbot, make_window, size, language):
    w = make_window(size)
    if w.session.state.language != language:
        tap(qtbot, w.idle.language_button)
    check(qtbot, w, f"{size}_{language}_20_idle_needs")
    open_search(qtbot, w, language)
    check(qtbot, w, f"{size}_{language}_21_search_empty")
    type_on_keys(qtbot, w, "paspor")
    check(qtbot, w, f"{size}_{language}_22_search_results")
    type_on_keys(qtbot, w, "qqq")
    check(qtbot, w, f"{size}_{language}_23_search_no_match")
    tap(qtbot, w.search.browse_button)
    check(qtbot, w, f"{size}_{language}_24_agencies")
    keys = [k for k in w.search.keyboard.findChildren(type(w.search.keyboard.space_key))]
    assert all(k.accessibleName() for k in keys)


@pytest.mark.parametrize("size", list(SIZES))
def test_idle_closed_hall_says_calmly_when_it_opens(qtbot, make_window, clock, size):
    from datetime import datetime

    from kiosk import wording
    from kiosk.clock import ZONES
    from kiosk.flow import STATES_EVERY_SECONDS

    wib = ZONES["WIB"]
    clock.at = datetime(2026, 11, 24, 20, 0, tzinfo=wib)  # Tuesday evening: every service is closed
    w = make_window(size)
    settle(qtbot, w)
    assert w.flow.hall_closed_until == datetime(2026, 11, 25, 8, 0, tzinfo=wib)
    notice = w.idle.notice
    assert notice.isVisible() and notice.text() == "Mal Pelayanan Publik sedang tutup. Buka besok 08.00."
    assert not w.idle.printer.isVisible()  # the printer works: no second notice
    # Every need says why it cannot be taken now, in words, in place of its agency.
    for code, tile in w.idle.need_tiles.items():
        state = w.flow.state_of(code)
        assert tile.sub.text() == wording.state_reason(state.kind, state.until, clock.at, "id") != ""
        assert "besok 08.00" in tile.sub.text()
    check(qtbot, w, f"{size}_id_25_idle_hall_closed")
    tap(qtbot, w.idle.language_button)
    settle(qtbot, w)
    assert notice.text() == "The hall is closed now. It opens tomorrow 08:00."
    check(qtbot, w, f"{size}_en_25_idle_hall_closed")
    # The next morning the hall opens: the notice goes once the states are read again.
    clock.at = datetime(2026, 11, 25, 8, 0, tzinfo=wib)
    clock.advance(seconds=STATES_EVERY_SECONDS)
    w.on_tick()
    settle(qtbot, w)
    assert w.flow.hall_closed_until is None and not notice.isVisible()
