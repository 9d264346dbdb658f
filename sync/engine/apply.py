"""One applier per kind of pulled change (catalog, command, lease, keys, revocations, config),
each run inside the pull page's transaction (sync/engine/pull.py); the entries of a lease,
keys or revocations change are checked in sync/engine/entries.py."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3

from sync import catalog as catalogs
from sync.client import Change
from sync.engine.entries import _entries, _key_entry, _lease_entry, _revocation_entry
from sync.engine.reports import _Round
from sync.errors import SyncLocalError

log = logging.getLogger("sync")


class ApplyMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

    def _apply_catalog(self, conn: sqlite3.Connection, change: Change, staged, done: _Round, now: str) -> None:
        """A catalog version from central, staged (checked) before the page's transaction: put in
        force, or refused (logged, recorded, audited) when it does not load or is not newer."""
        path, refusal = staged
        text = change.data.get("toml")
        text = text if isinstance(text, str) else json.dumps(change.data)[:1000]
        newest = conn.execute("SELECT max(version) FROM central_catalog WHERE state = 'accepted'").fetchone()[0]
        if refusal is None and newest is not None and change.version <= newest:
            refusal = f"catalog version {change.version} is not newer than version {newest} in force"
        known = conn.execute("SELECT 1 FROM central_catalog WHERE version = ?", (change.version,)).fetchone()
        if refusal is not None:
            log.error("catalog version %d from central refused: %s", change.version, refusal)
            done.catalogs_refused += 1
            if not known:
                conn.execute(
                    "INSERT INTO central_catalog (version, cursor, received_at, sha256, toml, state, error) "
                    "VALUES (?, ?, ?, ?, ?, 'refused', ?)",
                    (change.version, change.cursor, now, _sha256(text), text, refusal),
                )
                self.store.add_audit(
                    "config.catalog_refused",
                    {"version": change.version, "sha256": _sha256(text), "reason": refusal[:500], "by": "central"},
                    self.clock.now(),
                )
            return
        # Put in force before the commit: if the commit fails, the cursor did not move and
        # the same version comes again, so the file is never behind what the store says.
        try:
            catalogs.install(path, self.settings.data_dir)
        except OSError as exc:  # the transaction rolls back: the same version comes again
            raise SyncLocalError(detail=f"catalog version {change.version} not installed: {exc}") from exc
        conn.execute(
            "INSERT OR REPLACE INTO central_catalog (version, cursor, received_at, sha256, toml, state, error) "
            "VALUES (?, ?, ?, ?, ?, 'accepted', NULL)",
            (change.version, change.cursor, now, _sha256(text), text),
        )
        self.store.add_audit(
            "config.catalog_applied",
            {"version": change.version, "sha256": _sha256(text), "cursor": change.cursor, "by": "central"},
            self.clock.now(),
        )
        log.info("catalog version %d from central accepted", change.version)
        done.catalog_changed = True

    def _apply_command(self, conn: sqlite3.Connection, change: Change, done: _Round, now: str) -> None:
        """A command from central, stored as pending (a command sent again is kept once), or as
        refused when it is malformed; executed after the pull (sync/engine/commands.py)."""
        d = change.data
        cid, kind, args = d.get("id"), d.get("kind"), d.get("args", {})
        if not (isinstance(cid, str) and 0 < len(cid) <= 64 and cid.isprintable()):
            log.error("command at cursor %d from central without a usable id: skipped", change.cursor)
            return
        ok = isinstance(kind, str) and 0 < len(kind) <= 64 and kind.isprintable() and isinstance(args, dict)
        added = conn.execute(
            "INSERT OR IGNORE INTO commands (id, kind, args, cursor, received_at, state, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                kind if ok else str(kind)[:64],
                json.dumps(args if ok else d, ensure_ascii=False)[:100_000],
                change.cursor,
                now,
                "pending" if ok else "refused",
                None if ok else "malformed command: expected kind (text) and args (an object)",
            ),
        ).rowcount
        done.commands += added
        if added:
            self.store.add_audit(
                "command.received",
                {"id": cid, "kind": str(kind)[:64], "accepted": ok, "by": "central"},
                self.clock.now(),
            )

    def _apply_lease(self, change: Change) -> None:
        """Central's lease news, inside the pull page's transaction (with the cursor): each entry's
        `grant` is added to the kiosk's lease of the service on the day, its `quota` and `full`
        recorded; an `ask` is answered at once: what is unused of the lease, up to the ask, is
        given back (the lease lowered and a `lease.return` outbox row, in this same transaction,
        so a kill -9 can neither lose a return nor send one twice). An entry that is not what
        the contract says is logged and skipped: a skipped grant only means fewer numbers."""
        conn = self.store.conn
        stamp = self._stamp()
        for day, code, quota, grant, ask, full in _entries(change, "leases", _lease_entry):
            conn.execute(
                "INSERT INTO leases (day, service_code, granted, returned, used, quota, hall_full, cursor, updated_at) "
                "VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?) ON CONFLICT (day, service_code) DO UPDATE SET "
                "granted = granted + excluded.granted, quota = excluded.quota, hall_full = excluded.hall_full, "
                "cursor = excluded.cursor, updated_at = excluded.updated_at",
                (day, code, grant, quota, int(full), change.cursor, stamp),
            )
            if grant:
                log.info("lease of %s on %s: %d more number(s) from central", code, day, grant)
            if ask:
                unused = conn.execute(
                    "SELECT max(0, granted - returned - used) FROM leases WHERE day = ? AND service_code = ?",
                    (day, code),
                ).fetchone()[0]
                amount = min(ask, unused)
                conn.execute(
                    "UPDATE leases SET returned = returned + ? WHERE day = ? AND service_code = ?", (amount, day, code)
                )
                self.store.add_outbox(
                    "lease.return",
                    {"day": day, "service_code": code, "amount": amount, "asked": ask},
                    self.clock.now(),
                )
                log.info("lease of %s on %s: central asked for %d number(s) back, %d given", code, day, ask, amount)

    def _apply_keys(self, change: Change) -> None:
        """The hall's public keys for signed QR credentials (kiosk/credential.py), inside the pull
        page's transaction: each entry is stored or replaces the one under its id (a revoked key
        stays revoked). An entry that is not what the contract says is logged and skipped: a
        skipped key only means fewer credentials accepted."""
        conn = self.store.conn
        for key_id, public_key, valid_from, valid_until, revoked in _entries(change, "keys", _key_entry):
            conn.execute(
                "INSERT INTO credential_keys "
                "(key_id, public_key, valid_from, valid_until, revoked, cursor, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key, "
                "valid_from = excluded.valid_from, valid_until = excluded.valid_until, "
                "revoked = max(credential_keys.revoked, excluded.revoked), cursor = excluded.cursor, "
                "updated_at = excluded.updated_at",
                (key_id, public_key, valid_from, valid_until, int(revoked), change.cursor, self._stamp()),
            )
            self.store.add_audit(
                "config.credential_key",
                {"key_id": key_id, "public_key": public_key, "revoked": revoked, "by": "central"},
                self.clock.now(),
            )
            log.info("credential key %s from central%s", key_id, " (revoked)" if revoked else "")

    def _apply_revocations(self, change: Change) -> None:
        """Credentials central revoked (by nonce, or a subject's issued up to a time), inside the
        pull page's transaction; a malformed entry is logged and skipped."""
        conn = self.store.conn
        revocations = _entries(change, "revocations", _revocation_entry)
        for rev in revocations:
            conn.execute(
                "INSERT INTO credential_revocations (nonce, subject, issued_before, cursor, received_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (*rev, change.cursor, self._stamp()),
            )
        if revocations:
            self.store.add_audit(
                "config.credential_revocations", {"count": len(revocations), "by": "central"}, self.clock.now()
            )
        log.info("%d credential revocation(s) from central", len(revocations))

    def _apply_config(self, change: Change) -> None:
        """The hall's configuration from central {"version", "settings"} (kiosk/central_config.py),
        inside the pull page's transaction: every key checked with the kiosk's own rules, and the
        merge with the local settings with the checks across keys; one key refused refuses the
        whole version (logged, audited, `config_refused` in sync_state) and the version in force
        stays. An accepted one is written to DATA_DIR/central-config.json before the commit (a
        failed commit brings the same version again): the supervisor's PIN gate reads it at once,
        the other settings take effect at the next start."""
        from kiosk import central_config

        data = change.data
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            log.error("config change at cursor %d from central without a usable version: skipped", change.cursor)
            return
        values, problems = central_config.check(data.get("settings"))
        in_force = central_config.version_in_force(self.settings.data_dir)
        if not problems and in_force is not None and version <= in_force:
            problems = [f"config version {version} is not newer than version {in_force} in force"]
        if not problems:
            local = central_config.merge(self.settings, dict(self.settings.central_overridden))
            if problem := central_config.cross_problem(central_config.merge(local, values)):
                problems = [problem]
        if problems:
            reason = "; ".join(problems)[:500]
            log.error("config version %d from central refused: %s", version, reason)
            self.store.set_sync_state({"config_refused": f"{version}: {reason}"}, self.clock.now())
            self.store.add_audit(
                "config.central_refused", {"version": version, "reason": reason, "by": "central"}, self.clock.now()
            )
            return
        try:
            central_config.write(self.settings.data_dir, version, values, self._stamp())
        except OSError as exc:  # the transaction rolls back: the same version comes again
            raise SyncLocalError(detail=f"config version {version} not stored: {exc}") from exc
        self.store.set_sync_state({"config_version": version, "config_refused": None}, self.clock.now())
        self.store.add_audit(
            "config.central_applied",
            {"version": version, "keys": sorted(values), "cursor": change.cursor, "by": "central"},
            self.clock.now(),
        )
        log.info("config version %d from central accepted (%s)", version, ", ".join(sorted(values)) or "no keys")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
