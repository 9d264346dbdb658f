"""Browse by agency."""

from __future__ import annotations

from kiosk.catalog import Catalog
from ui import icons
from ui.screens.choice import ChoiceScreen
from ui.widgets import RichButton


class AgencyScreen(ChoiceScreen):
    def __init__(self) -> None:
        super().__init__()
        self._key = None

    def render(self, catalog: Catalog, language: str, columns: int, tile_height: int, icon_size: int = 72) -> None:
        self.title.setText(self.tr("Which agency do you need?"))
        self.hint.setText(self.tr("Touch one to see its services."))
        key = (id(catalog), language, columns, tile_height, icon_size)
        if key == self._key:
            return
        self._key = key
        tiles = []
        for agency in catalog.agencies:
            tile = RichButton("tile", "tile-title", "tile-sub")
            tile.setMinimumHeight(tile_height)
            tile.setStyleSheet(
                f"QPushButton {{ background: {agency.color}; border: none; }}"
                f"QPushButton:pressed {{ background: #0E1A2B; }}"
            )
            tile.set_text(agency.short(language), agency.name(language))
            tile.set_picture(icons.pixmap(agency.code, icon_size))
            tiles.append((agency.code, tile))
        self.place(tiles, columns)
