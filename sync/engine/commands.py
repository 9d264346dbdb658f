"""The commands part of a sync round: the pending commands executed (kiosk/commands.py), every
outcome acknowledged to central, and a `refresh_catalog` command's catalog refetch."""

from __future__ import annotations

import logging

from kiosk import commands
from sync import catalog as catalogs
from sync.engine.apply import _sha256
from sync.engine.pull import MAX_PAGES
from sync.engine.reports import _Round
from sync.errors import SyncLocalError, SyncRejected

log = logging.getLogger("sync")


class CommandsMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

    def _restart_requests(self) -> int:
        return int(self.store.sync_state().get("restart_requests", 0))

    def _commands(self, done: _Round) -> None:
        """Execute the pending commands (kiosk/commands.py), then acknowledge every outcome central
        has not taken yet, one request each, outside any transaction."""
        done.commands_executed += len(commands.execute_pending(self.store, self.settings, self.clock.now))
        if self.store.sync_state().get("catalog_refetch"):
            self._refetch_catalog(done)
        for row in commands.unacked(self.store):
            state = commands.ack_state(row["state"])
            try:
                self.client.ack_command(row["id"], state, row["detail"] or "")
            except SyncRejected as exc:
                # 4xx: central will never take this answer (a command it does not know, from a
                # central this kiosk left): stop sending it. An unreachable central raises on.
                log.error("central refuses the outcome of command %s (%s): %s", row["id"], row["kind"], exc.message)
            commands.mark_acked(self.store, row["id"], self.clock.now())
            done.commands_acked += 1

    def _refetch_catalog(self, done: _Round) -> None:
        """A `refresh_catalog` command: pull the changes again from the start (only reading them)
        up to the stored cursor, and put central's newest catalog among them in force again,
        checked like any catalog. Nothing else of those changes is applied twice."""
        upto = int(self.store.sync_state().get("pull_cursor", 0))
        cursor, latest = 0, None
        for _ in range(MAX_PAGES):
            page = self.client.pull(cursor, self.pull_limit)
            for change in page.changes:
                if change.kind == "catalog" and change.cursor <= upto:
                    latest = change
            if not page.more or page.cursor >= upto or page.cursor <= cursor:
                break
            cursor = page.cursor
        staged = self._stage_catalog(latest, done) if latest is not None else (None, None)
        path, refusal = staged
        try:
            with self.store.transaction() as conn:
                self.store.set_sync_state({"catalog_refetch": None}, self.clock.now())
                if latest is None:
                    log.warning("catalog refresh: central holds no catalog for this kiosk's hall")
                    return
                newest = conn.execute("SELECT max(version) FROM central_catalog WHERE state = 'accepted'").fetchone()[0]
                if refusal is None and newest is not None and latest.version < newest:
                    refusal = f"catalog version {latest.version} is older than version {newest} in force"
                if refusal is not None:
                    # counted in `catalogs_refused` when it first came: only logged here
                    log.error("catalog refresh: version %d from central refused: %s", latest.version, refusal)
                    return
                text = latest.data["toml"]
                try:
                    catalogs.install(path, self.settings.data_dir)
                except OSError as exc:
                    raise SyncLocalError(detail=f"catalog version {latest.version} not installed: {exc}") from exc
                path = None
                conn.execute(
                    "INSERT OR REPLACE INTO central_catalog (version, cursor, received_at, sha256, toml, state, error) "
                    "VALUES (?, ?, ?, ?, ?, 'accepted', NULL)",
                    (latest.version, latest.cursor, self._stamp(), _sha256(text), text),
                )
                self.store.add_audit(
                    "config.catalog_applied",
                    {"version": latest.version, "sha256": _sha256(text), "cursor": latest.cursor, "by": "command"},
                    self.clock.now(),
                )
                log.info("catalog refresh: version %d from central in force again", latest.version)
                done.catalog_changed = True
        finally:
            if path is not None:
                catalogs.discard(path)
