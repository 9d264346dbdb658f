"""States up front: a closed, full, used-up or offline-only service shows before the last step."""

from __future__ import annotations

from datetime import datetime

import pytest
from uikit import SCREENSHOTS, layout_problems, pass_identity, settle

from kiosk.clock import ZONES
from kiosk.flow import STATES_EVERY_SECONDS

WIB = ZONES["WIB"]


def shoot(window, name: str) -> None:
    settle_problems = layout_problems(window)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / f"{name}.png"))
    assert not settle_problems, f"{name}: " + "; ".join(settle_problems)


def rows(screen) -> dict[str, object]:
    grid = screen.grid
    return {grid.itemAt(i).widget().title.text(): grid.itemAt(i).widget() for i in range(grid.count())}


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_closed_hall_shows_on_agencies_and_services_with_when_it_opens(qtbot, make_window, clock, size):
    clock.at = datetime(2026, 11, 24, 20, 0, tzinfo=WIB)  # Tuesday evening: everything closed
    w = make_window(size)
    settle(qtbot, w)
    assert w.flow.hall_closed_until == datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    assert all(not st.available for st in w.flow.service_states.values())
    w.on_start("id")
    settle(qtbot, w)
    tiles = [w.agencies.grid.itemAt(i).widget() for i in range(w.agencies.grid.count())]
    assert tiles and all(t.property("available") is False for t in tiles)
    assert all(t.sub.text() == "Buka besok 08.00" for t in tiles)  # the reason in words
    shoot(w, f"{size}_id_30_agencies_hall_closed")
    w.on_agency("DUKCAPIL")
    settle(qtbot, w)
    ktp = next(r for name, r in rows(w.services).items() if "KTP" in name)
    assert ktp.property("available") is False and "Tutup \u00b7 buka besok 08.00" in ktp.sub.text()
    shoot(w, f"{size}_id_31_services_closed")


def test_full_and_offline_only_services_are_dimmed_with_the_reason(qtbot, make_window):
    w = make_window("portrait")
    service = w.kiosk.catalog.service("KTP-EL")
    for _ in range(service.daily_quota):
        w.kiosk.issue_ticket("KTP-EL")
    w.on_home()  # back at idle: the states are read again
    settle(qtbot, w)
    assert w.flow.state_of("KTP-EL").kind == "full"
    assert w.flow.hall_closed_until is None
    w.on_start("en")
    w.on_agency("DUKCAPIL")
    settle(qtbot, w)
    ktp = next(r for name, r in rows(w.services).items() if "KTP" in name)
    assert ktp.property("available") is False and "Full for today" in ktp.sub.text()
    shoot(w, "portrait_en_32_services_full")
    online_only = next(s for s in w.kiosk.catalog.services() if not s.offline)
    assert w.flow.state_of(online_only.code).kind == "online_only_offline"
    w.on_home()
    w.on_start("id")
    w.on_agency(online_only.agency_code)
    settle(qtbot, w)
    row = rows(w.services)[online_only.name("id")]
    assert row.property("available") is False and "Tidak tersedia saat kios offline" in row.sub.text()


def test_states_are_read_again_on_the_timer(qtbot, make_window, clock):
    clock.at = datetime(2026, 11, 24, 7, 59, 50, tzinfo=WIB)  # ten seconds before opening
    w = make_window("portrait")
    settle(qtbot, w)
    assert w.flow.state_of("KTP-EL").kind == "closed"
    assert w.flow.hall_closed_until == datetime(2026, 11, 24, 8, 0, tzinfo=WIB)
    clock.advance(seconds=STATES_EVERY_SECONDS)
    w.on_tick()
    settle(qtbot, w)
    assert w.flow.state_of("KTP-EL").available and w.flow.hall_closed_until is None


def test_ticket_screen_stays_twice_as_long_when_not_printed(qtbot, make_window, clock):
    w = make_window("portrait")
    w.kiosk.printer.paper = False
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state.value == "failed", timeout=10000)
    settle(qtbot, w)
    limit = w.settings.timeouts.ticket_seconds
    assert w.session.limit() == 2 * limit
    clock.advance(seconds=2 * limit - 5)
    w.on_tick()
    assert w.session.state.step == "ticket"
    assert not w.footer.isVisible() and "5 detik" in w.ticket.countdown.text()  # quiet, on the page
    clock.advance(seconds=6)
    w.on_tick()
    assert w.session.state.step == "idle"


@pytest.mark.parametrize(("size", "language", "large"), [("portrait", "id", False), ("small", "en", True)])
def test_priority_ticket_screen_shows_the_marker_by_the_number(qtbot, make_window, size, language, large):
    """A priority ticket says so on the screen as on paper, by the number, whole and fitting."""
    from kiosk.priority import Priority
    from kiosk.session import PrintState

    w = make_window(size)
    w.on_start(language)
    w.session.set_look(large_text=large, high_contrast=False)
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    w.flow.open_priority()  # the confirm screen's priority row
    w.flow.choose_priority("elderly")
    settle(qtbot, w)
    w.resize(*w.expected_size)  # the priority chooser is checked in test_priority_screen.py
    settle(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    ticket = w.session.state.ticket
    assert ticket.priority == "elderly" and w.ticket.number.text() == ticket.number
    label = Priority.ELDERLY.label(language)
    expected = {"id": f"Antrean prioritas: {label}", "en": f"Priority queue: {label}"}[language]
    assert w.ticket.marker.isVisible() and w.ticket.marker.text() == expected
    if language == "id":
        assert expected == "Antrean prioritas: Lansia (60 tahun ke atas)"
    number, marker = w.ticket.number.geometry(), w.ticket.marker.geometry()
    assert 0 <= marker.top() - number.bottom() < 40, "the marker sits right under the number"
    # The whole number, as large as its room allows: wider than a third of its column.
    fitted = w.ticket.number.fitted_px()
    width = w.ticket.number.fontMetrics().horizontalAdvance(ticket.number) * fitted / w.ticket.number.font().pixelSize()
    assert w.ticket.number.width() / 3 < width <= w.ticket.number.width()
    shoot(w, f"{size}_{language}_35_ticket_priority")
    w.on_home()
    w.on_start(language)
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    assert w.session.state.ticket.priority is None and not w.ticket.marker.isVisible()
