"""Browse by agency."""

from __future__ import annotations

from kiosk.catalog import Catalog
from ui import icons
from ui.screens.choice import ChoiceScreen
from ui.widgets import RichButton

#: The tile of an agency none of whose services can be taken now: grey (white text 5.4:1), with the reason.
DIMMED = "#5F6B7A"


class AgencyScreen(ChoiceScreen):
    def __init__(self) -> None:
        super().__init__()
        self._key = None

    def render(
        self,
        catalog: Catalog,
        language: str,
        columns: int,
        tile_height: int,
        icon_size: int = 72,
        unavailable: dict[str, str] | None = None,
    ) -> None:
        """`unavailable`: agency code -> why none of its services can be taken now (its tile is dimmed
        and says so in words; kiosk.flow.Flow.agency_available / service_states)."""
        self.title.setText(self.tr("Which agency do you need?"))
        self.hint.setText(self.tr("Touch one to see its services."))
        unavailable = unavailable or {}
        key = (id(catalog), language, columns, tile_height, icon_size, tuple(sorted(unavailable.items())))
        if key == self._key:
            return
        self._key = key
        tiles = []
        for agency in catalog.agencies:
            tile = RichButton("tile", "tile-title", "tile-sub")
            tile.setMinimumHeight(tile_height)
            reason = unavailable.get(agency.code)
            tile.set_tint(DIMMED if reason else agency.color)  # drawn per look (high contrast overrides it)
            # Under the short name, what one comes for (the full name says the short one again).
            examples = ", ".join(agency.examples(language))
            sub = reason or examples  # a dimmed tile says why in words, not by colour alone
            tile.set_text(agency.short(language), sub)
            tile.setProperty("available", not reason)
            tile.set_picture(icons.pixmap(agency.code, icon_size))
            tiles.append((agency.code, tile))
        self.place(tiles, columns)
