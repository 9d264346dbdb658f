"""A service that cannot be taken now looks it, in every look: its row is drawn muted and dashed
(not only its words), and a tint or a look change never wipes that."""

from __future__ import annotations

from datetime import datetime

import pytest
from uikit import settle

from kiosk.clock import ZONES


def fill(widget) -> str:
    """The colour a visitor sees inside the row, away from its text."""
    image = widget.grab().toImage()
    return image.pixelColor(widget.width() - 12, widget.height() // 2).name()


@pytest.mark.parametrize("contrast", [False, True])
def test_closed_services_are_drawn_dimmed(qtbot, make_window, clock, contrast):
    clock.at = datetime(2026, 11, 24, 20, 0, tzinfo=ZONES["WIB"])  # Tuesday evening: Dukcapil closed
    w = make_window("landscape")
    w.on_start("id")
    if contrast:
        w.flow.toggle_high_contrast()
    w.on_agency("DUKCAPIL")
    settle(qtbot, w)
    closed = w.services.grid.itemAt(0).widget()
    assert closed.property("dimmed") is True and "Tutup" in closed.sub.text()
    closed_fill = fill(closed)
    w.on_home()
    clock.at = datetime(2026, 11, 24, 9, 0, tzinfo=ZONES["WIB"])  # the next morning: open
    w.on_start("id")
    if contrast:
        w.flow.toggle_high_contrast()
    w.on_agency("DUKCAPIL")
    settle(qtbot, w)
    open_row = w.services.grid.itemAt(0).widget()
    assert not open_row.property("dimmed")
    assert closed_fill != fill(open_row)
