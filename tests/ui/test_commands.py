"""A supervisor's remote pause shows on the touch screens: the service's row is dimmed, with the words."""

from __future__ import annotations

import json

import pytest
from uikit import settle

from kiosk import commands
from kiosk.store import Store


def rows(screen) -> dict[str, object]:
    grid = screen.grid
    return {grid.itemAt(i).widget().title.text(): grid.itemAt(i).widget() for i in range(grid.count())}


@pytest.mark.parametrize("language, words", [("id", "Sementara dihentikan"), ("en", "Paused for now")])
def test_paused_service_is_dimmed_with_the_paused_words(qtbot, make_window, settings, language, words):
    w = make_window("portrait")
    store = Store(settings.data_dir / "kiosk.sqlite3", check=False)  # the sync thread's own connection
    try:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO commands (id, kind, args, cursor, received_at) VALUES ('c1', 'pause_service', ?, 1, 'x')",
                (json.dumps({"service": "KTP-EL"}),),
            )
        assert commands.execute_pending(store, settings, w.flow.clock.now)[0].state == "done"
    finally:
        store.close()
    w.on_home()  # back at idle: the states are read again (the sync status does the same)
    settle(qtbot, w)
    assert w.flow.state_of("KTP-EL").kind == "paused"
    w.on_start(language)
    w.on_agency("DUKCAPIL")
    settle(qtbot, w)
    ktp = next(r for name, r in rows(w.services).items() if "KTP" in name)
    assert ktp.property("available") is False and ktp.property("dimmed") is True
    assert words in ktp.sub.text()
    others = [r for name, r in rows(w.services).items() if "KTP" not in name]
    assert others and all(r.property("available") for r in others)
