"""The pull of a sync round: pages of changes after the stored cursor, each page applied in one
transaction together with its new cursor; a catalog is staged (checked) before, outside any
transaction. Each change goes to the applier of its kind (sync/engine/apply.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.errors import CatalogError
from sync import catalog as catalogs
from sync.client import Change
from sync.engine.reports import _Round

log = logging.getLogger("sync")

#: Pages pulled in one round at most (a central that always says "more" cannot hold the round).
MAX_PAGES = 50


class PullMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

    def _pull(self, done: _Round, should_stop: Callable[[], bool]) -> None:
        for _ in range(MAX_PAGES):
            cursor = int(self.store.sync_state().get("pull_cursor", 0))
            page = self.client.pull(cursor, self.pull_limit)
            staged = {c.cursor: self._stage_catalog(c, done) for c in page.changes if c.kind == "catalog"}
            try:
                with self.store.transaction():
                    # Another process (a technician's `kiosk sync --once`) may have applied
                    # part of this page meanwhile: apply only what lies beyond its cursor.
                    current = int(self.store.sync_state().get("pull_cursor", 0))
                    for change in page.changes:
                        if change.cursor > current:
                            self._apply(change, staged.get(change.cursor), done)
                            done.pulled += 1
                    self.store.set_sync_state({"pull_cursor": max(current, page.cursor)}, self.clock.now())
            finally:
                for path, _ in staged.values():
                    if path is not None:
                        catalogs.discard(path)  # installed ones were renamed away already
            if not page.more or should_stop():
                return
        log.warning("central still has more changes after %d pages; the next round goes on", MAX_PAGES)

    def _stage_catalog(self, change: Change, done: _Round):
        """(staged file or None, refusal or None) for a catalog change; checked outside any
        transaction, since loading a catalog takes a while."""
        text = change.data.get("toml")
        if not isinstance(text, str):
            return None, "data.toml: expected the catalog text"
        try:
            path, _ = catalogs.stage(self.settings.data_dir, text, change.version)
        except CatalogError as exc:
            return None, exc.message
        return path, None

    def _apply(self, change: Change, staged, done: _Round) -> None:
        conn = self.store.conn
        now = self._stamp()
        if change.kind == "catalog":
            self._apply_catalog(conn, change, staged, done, now)
        elif change.kind == "command":
            self._apply_command(conn, change, done, now)
        elif change.kind == "lease":
            self._apply_lease(change)
        elif change.kind == "keys":
            self._apply_keys(change)
        elif change.kind == "revocations":
            self._apply_revocations(change)
        elif change.kind == "config":
            self._apply_config(change)
        else:
            log.info(
                "change of kind %r at cursor %d is not handled by this kiosk version: skipped",
                change.kind,
                change.cursor,
            )
