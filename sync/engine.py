"""One sync round with central: push the outbox, pull central's changes, send a heartbeat.

    push       pending outbox rows in kiosk sequence order, in batches of at most
               `batch_items` rows and `batch_bytes` bytes of JSON (before gzip); after each
               answer the acknowledged rows are marked in ONE transaction (`conflict` counts as
               acknowledged and is logged; an item central left out keeps its attempt and error)
    pull       pages of changes after the stored cursor; each page is applied in one
               transaction together with its new cursor, so the cursor moves only with what it
               covers. A catalog version is checked with the kiosk's own loader before it is
               accepted and refused (logged, recorded, cursor still moves) when it does not
               load; commands are stored as pending (a command sent again is kept once); quota leases
               (`lease`) are added to the kiosk's leases, and an ask to give numbers back is
               answered there and then with a `lease.return` outbox row (README, "Hall-wide
               quotas"); the hall's public keys (`keys`) and revoked credentials
               (`revocations`) for signed QR credentials are stored (kiosk/credential.py); the
               hall's configuration (`config`) is checked with the kiosk's rules and stored as
               DATA_DIR/central-config.json (kiosk/central_config.py), or refused whole
    commands   after the pull, the pending commands are executed in cursor order, each in one
               transaction (kiosk/commands.py), then each outcome is acknowledged to central
               (POST /commands/{id}/ack) and marked acknowledged after central answered: an
               outcome not acknowledged (link down, kill -9) is sent at the next round, and the
               command is never run again. A `refresh_catalog` command makes the round pull the
               changes again from the start, for central's current catalog only
    hall queue central's merged queue of the hall (docs/sync-api.md, Hall queue), stored as the
               kiosk's hall state (sync_state, kiosk/queue.py) for its people-ahead and wait
               counts: after a round that pushed something, else every `hall_queue_every`
               seconds; a failure here is logged and the last state kept (it ages, and the
               kiosk says its counts are its own estimate)
    audit      the audit chain's events after the last one central took (kiosk/audit.py), in
               batches, to POST /audit/push, after the outbox push; the position is kept in
               sync_state (`audit_pushed_seq`) and moves only over what central acknowledged.
               A central without the route (404: an older one) is asked again an hour later;
               one that refuses a batch (400/413/422) is logged, and the round goes on
    heartbeat  backlog, oldest unsent age, last good sync, app version, kiosk time; central's
               clock skew is recorded (every `heartbeat_every` seconds, after a failed round,
               and when asked)

The engine works on its own SQLite connection (a second `Store` on the kiosk's file), never on
the touch UI's writer connection, and holds the write lock only for short transactions: no
network call is made inside one. Every round returns a frozen `SyncReport`; a failure is in the
report (`error_code`), and what was done before it stays done.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kiosk import commands
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import CatalogError, KioskError
from kiosk.queue import encode_hall_state
from kiosk.store import Store
from sync import catalog as catalogs
from sync.client import Ack, CentralClient, Change, PushReply
from sync.credentials import Credential, load_credential
from sync.errors import SyncError, SyncLocalError, SyncMalformedReply, SyncNotConfigured, SyncRejected

log = logging.getLogger("sync")

BATCH_ITEMS = 500
BATCH_BYTES = 1024 * 1024
PULL_LIMIT = 100
#: Pages pulled in one round at most (a central that always says "more" cannot hold the round).
MAX_PAGES = 50
HEARTBEAT_EVERY = 30.0
#: The hall queue is fetched after every round that pushed, else at most this often (seconds).
HALL_QUEUE_EVERY = 15.0
NOT_ACKED = "not acknowledged by central"
#: HTTP statuses with which central refuses a push for its content (it stored nothing of it).
CONTENT_REFUSED = (400, 413, 422)
#: Items set aside in one round before the round stops: beyond it central refuses everything.
MAX_REJECTED = 20
#: A heartbeat's devices: at most this many, each field at most this long.
MAX_DEVICES = 32
DEVICE_FIELDS = {"name": 80, "kind": 20, "status": 20, "reason": 200}
#: A central without the audit route (404) is asked again after this many seconds.
AUDIT_RETRY_SECONDS = 3600.0
#: A lease entry's numbers (quota, grant, ask) are at most this (a day's numbers of a letter).
MAX_LEASE = 9999
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SERVICE = re.compile(r"[A-Z0-9-]{2,16}")


@dataclass(frozen=True)
class SyncReport:
    """What one round did; `ok` is False when it stopped at an error (`error_code`, `error`)."""

    ok: bool
    pushed: int
    pulled: int
    backlog: int
    oldest_unsent_age_seconds: int | None
    clock_skew_seconds: float | None
    error_code: str | None = None
    error: str | None = None
    #: Central's own code for the failure (auth.revoked, request.too_large, ...).
    server_code: str | None = None
    conflicts: int = 0
    #: Items central refused (400/413/422) this round, set aside; and how many wait set aside.
    rejected: int = 0
    set_aside: int = 0
    gaps: tuple[tuple[int, int], ...] = ()
    commands: int = 0
    #: The catalog version from central in force after the round, and whether this round changed it.
    catalog_version: int | None = None
    catalog_changed: bool = False
    catalogs_refused: int = 0
    last_sync_at: str | None = None
    #: Audit events central acknowledged this round (they are not outbox rows: not in `pushed`).
    audit_pushed: int = 0
    #: Commands executed this round, and command outcomes central acknowledged this round.
    commands_executed: int = 0
    commands_acked: int = 0
    #: A supervisor's remote commands in force (kiosk/commands.py): the kiosk is locked (out of
    #: service), these services are paused; None: not known (the store could not be read).
    locked: bool | None = None
    paused: tuple[str, ...] | None = None
    #: A `restart` command was executed since this engine started: the touch UI restarts.
    restart_requested: bool = False

    def to_dict(self) -> dict:
        """The report as plain JSON values."""
        out = asdict(self)
        out["gaps"] = [list(g) for g in self.gaps]
        return out


@dataclass
class _Round:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: int = 0
    gaps: tuple[tuple[int, int], ...] = ()
    commands: int = 0
    catalog_changed: bool = False
    catalogs_refused: int = 0
    audit_pushed: int = 0
    commands_executed: int = 0
    commands_acked: int = 0


class SyncEngine:
    """Runs sync rounds for one kiosk; use from one thread at a time."""

    hall_queue_every = HALL_QUEUE_EVERY
    _last_hall_queue: float | None = None  # time.monotonic() of the last hall queue stored
    _hall_queue_error: str | None = None  # the last failure logged (logged once until it changes)
    _audit_unsupported_at: float | None = None  # time.monotonic() of central's 404 on /audit/push
    _restarts_at_start: int | None = None  # sync_state `restart_requests` when this engine began

    def __init__(
        self,
        settings: Settings,
        store: Store,
        client: CentralClient,
        clock: Clock,
        *,
        credential: Callable[[Settings], Credential] = load_credential,
        devices: Callable[[], list[dict]] | None = None,
        batch_items: int = BATCH_ITEMS,
        batch_bytes: int = BATCH_BYTES,
        pull_limit: int = PULL_LIMIT,
        heartbeat_every: float = HEARTBEAT_EVERY,
    ) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.clock = clock
        self.credential = credential
        self.devices = devices
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes
        self.pull_limit = pull_limit
        self.heartbeat_every = heartbeat_every
        self._last_heartbeat: float | None = None
        self._last_ok = False

    @classmethod
    def open(cls, settings: Settings, clock: Clock, **options) -> SyncEngine:
        """An engine on a connection of its own to the kiosk's store; raises StoreError, or
        SyncNotConfigured when no central URL is set."""
        if not settings.central.url:
            raise SyncNotConfigured()
        store = Store(settings.data_dir / "kiosk.sqlite3", check=False)  # the kiosk checked it at start
        return cls(settings, store, CentralClient(settings.central.url), clock, **options)

    def close(self) -> None:
        """Close the connection and the HTTP client."""
        self.client.close()
        self.store.close()

    # --- a round -------------------------------------------------------------------------------

    def run_round(
        self, *, should_stop: Callable[[], bool] = lambda: False, heartbeat: bool = False, retry_rejected: bool = False
    ) -> SyncReport:
        """Push, pull, heartbeat; never raises a KioskError (it is in the report). With
        `retry_rejected`, the items central refused before are offered again (the first round
        of a kiosk process, and `kiosk sync --once`: the kiosk or central may have been fixed)."""
        done = _Round()
        try:
            if self._restarts_at_start is None:
                self._restarts_at_start = self._restart_requests()
            if retry_rejected and (n := self.store.retry_set_aside()):
                log.info("%d outbox item(s) central refused before are offered again", n)
            cred = self.credential(self.settings)
            self.client.credential = cred.bearer
            self._check_scope(cred)
            self._push(done, should_stop)
            if not should_stop():
                self._push_audit(done, should_stop)
            if not should_stop():
                self._pull(done, should_stop)
            if not should_stop():
                self._commands(done)
            if not should_stop() and self._hall_queue_due(done):
                self._hall_queue()
            if not should_stop() and (heartbeat or not self._last_ok or self._heartbeat_due()):
                try:
                    self._heartbeat()
                except SyncRejected as exc:  # our heartbeat's fault, not the link's: push and pull got through
                    log.error("heartbeat rejected by central (%s): %s", exc.server_code, exc.message)
            if not should_stop():  # a round cut short by stop() is not a whole sync
                self.store.set_sync_state(
                    {"last_sync_at": self._stamp(), "last_error": None, "last_error_code": None, "last_error_at": None},
                    self.clock.now(),
                )
            report = self.report(done)
        except KioskError as exc:
            self._last_ok = False
            return self._failed(done, exc)
        self._last_ok = True
        return report

    def report(self, done: _Round | None = None, *, error: KioskError | None = None) -> SyncReport:
        """The state of sync as the store holds it, with what a round did."""
        done = done or _Round()
        backlog, age = self.backlog()
        state = self.store.sync_state()
        skew = state.get("clock_skew_seconds")
        version = self.store.query("SELECT max(version) AS v FROM central_catalog WHERE state = 'accepted'")[0]["v"]
        locked, paused = commands.supervisor_facts(self.store)
        started = self._restarts_at_start
        return SyncReport(
            ok=error is None,
            pushed=done.pushed,
            pulled=done.pulled,
            backlog=backlog,
            oldest_unsent_age_seconds=age,
            clock_skew_seconds=float(skew) if skew is not None else None,
            error_code=error.code if error else None,
            error=error.message if error else None,
            server_code=error.server_code if isinstance(error, SyncError) else None,
            conflicts=done.conflicts,
            rejected=done.rejected,
            set_aside=self.store.outbox_set_aside(),
            gaps=done.gaps,
            commands=done.commands,
            catalog_version=version,
            catalog_changed=done.catalog_changed,
            catalogs_refused=done.catalogs_refused,
            last_sync_at=state.get("last_sync_at"),
            audit_pushed=done.audit_pushed,
            commands_executed=done.commands_executed,
            commands_acked=done.commands_acked,
            locked=locked,
            paused=paused,
            restart_requested=started is not None and self._restart_requests() > started,
        )

    def backlog(self) -> tuple[int, int | None]:
        """Outbox rows central has not acknowledged, and the age of the oldest in seconds."""
        count, oldest = self.store.outbox_backlog()
        if oldest is None:
            return count, None
        age = (self.clock.now() - datetime.fromisoformat(oldest)).total_seconds()
        return count, max(0, int(age))

    def _failed(self, done: _Round, exc: KioskError) -> SyncReport:
        level = logging.WARNING if isinstance(exc, SyncError) else logging.ERROR
        log.log(level, "sync round failed (%s): %s", exc.code, exc.message)
        try:
            self.store.set_sync_state(
                {"last_error": exc.message, "last_error_code": exc.code, "last_error_at": self._stamp()},
                self.clock.now(),
            )
            return self.report(done, error=exc)
        except KioskError as store_exc:  # the store itself fails: say what sync knows
            log.error("sync state not stored: %s", store_exc.message)
            return SyncReport(
                ok=False,
                pushed=done.pushed,
                pulled=done.pulled,
                backlog=-1,
                oldest_unsent_age_seconds=None,
                clock_skew_seconds=None,
                error_code=exc.code,
                error=exc.message,
                server_code=exc.server_code if isinstance(exc, SyncError) else None,
            )

    def _stamp(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")

    def _check_scope(self, cred: Credential) -> None:
        """A pull cursor belongs to one central and one kiosk: start again at 0 on another."""
        scope = f"{self.client.url}|{cred.kiosk_id}"
        state = self.store.sync_state()
        if state.get("cursor_scope") != scope:
            if "cursor_scope" in state:
                log.warning("central or kiosk changed (%s -> %s): pulling from the start", state["cursor_scope"], scope)
            with self.store.transaction() as conn:
                self.store.set_sync_state(
                    {
                        "cursor_scope": scope,
                        "pull_cursor": 0,
                        "credential_fingerprint": cred.fingerprint,
                        "audit_pushed_seq": 0,  # another central holds none of the chain
                    },
                    self.clock.now(),
                )
                # Leases are the old central's: none is left to issue until the new one grants.
                # `used` stays, so tickets already issued under them still count against it.
                conn.execute("UPDATE leases SET granted = 0, returned = 0, hall_full = 0")
        elif state.get("credential_fingerprint") != cred.fingerprint:
            self.store.set_sync_state({"credential_fingerprint": cred.fingerprint}, self.clock.now())

    # --- push ----------------------------------------------------------------------------------

    def _push(self, done: _Round, should_stop: Callable[[], bool]) -> None:
        after = 0
        while not should_stop():
            rows = self.store.outbox_batch(after_seq=after, limit=self.batch_items)
            if not rows:
                return
            batch = self._batch(rows)
            if not self._send(batch, done):
                return  # central is not taking everything: do not run ahead of it this round
            after = batch[-1][0]["seq"]

    def _send(self, batch: list[tuple[dict, bytes]], done: _Round) -> bool:
        """Push `batch` (rows with their JSON) and mark central's answer; False when central left
        some out. A batch central refuses for its content (400, 413, 422: it changed nothing) is
        split in halves to find the items it refuses; each such item is set aside (`rejected`,
        with central's message) instead of being sent again unchanged, and the rest go on."""
        sent = [row for row, _ in batch]
        try:
            reply = self.client.push(b'{"items":[' + b",".join(part for _, part in batch) + b"]}")
            acked, missing = self._match(reply, sent)
        except SyncRejected as exc:
            if exc.params.get("status") not in CONTENT_REFUSED:
                self._note_failure(sent, exc)
                raise
            if len(batch) > 1:
                half = len(batch) // 2
                return self._send(batch[:half], done) and self._send(batch[half:], done)
            self._set_aside(sent[0], exc, done)
            return True
        except SyncError as exc:
            self._note_failure(sent, exc)
            raise
        self.store.mark_outbox(
            [(a.id, a.status) for a in acked], [(row["id"], NOT_ACKED) for row in missing], self.clock.now()
        )
        done.pushed += len(acked)
        conflicts = [a for a in acked if a.status == "conflict"]
        for a in conflicts:
            log.warning("central holds a different payload for outbox item %s (seq %d): conflict", a.id, a.seq)
        done.conflicts += len(conflicts)
        if reply.gaps:
            log.warning("central misses sequence ranges of this kiosk: %s", reply.gaps)
            done.gaps = reply.gaps
        if missing:
            log.warning("central left %d of %d pushed items unacknowledged; retried later", len(missing), len(sent))
        return not missing

    def _set_aside(self, row: dict, exc: SyncRejected, done: _Round) -> None:
        log.error(
            "central refuses outbox item %s (seq %d, %s): %s; set aside, sent again at the next start or "
            "'kiosk sync --once'",
            row["id"],
            row["seq"],
            row["kind"],
            exc.message,
        )
        self.store.mark_outbox([], [], self.clock.now(), rejected=[(row["id"], f"{exc.code}: {exc.message}")])
        done.rejected += 1
        if done.rejected >= MAX_REJECTED:  # central refuses everything: something bigger is wrong
            raise SyncRejected(
                what="push",
                status=exc.params.get("status"),
                server_code=exc.server_code or "-",
                detail=f"{done.rejected} items refused in one round, the last: {exc.params.get('detail')}",
            )

    def _batch(self, rows: list[dict]) -> list[tuple[dict, bytes]]:
        """The leading rows that fit one request (at least one), each with its JSON."""
        batch: list[tuple[dict, bytes]] = []
        size = len(b'{"items":[]}')
        for row in rows:
            try:
                payload = json.loads(row["payload"])
            except ValueError as exc:
                raise SyncLocalError(detail=f"outbox item {row['id']} (seq {row['seq']}) is not JSON: {exc}") from exc
            item = {
                "id": row["id"],
                "seq": row["seq"],
                "kind": row["kind"],
                "created_at": row["created_at"],
                "payload": payload,
            }
            part = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
            if batch and size + len(part) + 1 > self.batch_bytes:
                break
            batch.append((row, part))
            size += len(part) + 1
        return batch

    def _match(self, reply: PushReply, sent: list[dict]) -> tuple[list[Ack], list[dict]]:
        """The acks of what was sent, and the rows left out; an ack of anything else makes
        the whole answer untrustworthy (SyncMalformedReply, nothing marked)."""
        by_id = {row["id"]: row for row in sent}
        acked: dict[str, Ack] = {}
        for ack in reply.acks:
            row = by_id.get(ack.id)
            if row is None:
                raise SyncMalformedReply(what="push", detail=f"acks: an ack for item {ack.id!r}, which was not sent")
            if ack.seq != row["seq"]:
                raise SyncMalformedReply(
                    what="push", detail=f"acks: item {ack.id} has seq {row['seq']}, the ack says {ack.seq}"
                )
            if ack.id in acked and acked[ack.id].status != ack.status:
                raise SyncMalformedReply(what="push", detail=f"acks: item {ack.id} acknowledged twice, differently")
            acked[ack.id] = ack
        return [acked[r["id"]] for r in sent if r["id"] in acked], [r for r in sent if r["id"] not in acked]

    def _note_failure(self, sent: list[dict], exc: SyncError) -> None:
        try:
            self.store.mark_outbox([], [(row["id"], f"{exc.code}: {exc.message}") for row in sent], self.clock.now())
        except KioskError as store_exc:
            log.error("outbox attempts not recorded: %s", store_exc.message)

    # --- audit ---------------------------------------------------------------------------------

    def _push_audit(self, done: _Round, should_stop: Callable[[], bool]) -> None:
        """The audit events central has not acknowledged, in chain order (see the module
        docstring); the acknowledged leading events move `audit_pushed_seq` in one transaction."""
        if self._audit_unsupported_at is not None:
            if time.monotonic() - self._audit_unsupported_at < AUDIT_RETRY_SECONDS:
                return
            self._audit_unsupported_at = None
        while not should_stop():
            after = int(self.store.sync_state().get("audit_pushed_seq", 0))
            rows = self.store.query(
                "SELECT seq, id, at, kind, data, outbox_id, prev_hash, hash FROM audit WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                [after, self.batch_items],
            )
            if not rows:
                return
            parts: list[bytes] = []
            size = len(b'{"events":[]}')
            for row in rows:
                part = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
                if parts and size + len(part) + 1 > self.batch_bytes:
                    break
                parts.append(part)
                size += len(part) + 1
            sent = rows[: len(parts)]
            try:
                acks = dict(self.client.push_audit(b'{"events":[' + b",".join(parts) + b"]}"))
            except SyncRejected as exc:
                status = exc.params.get("status")
                if status == 404:
                    log.info("central takes no audit events (an older central): the chain stays on the kiosk")
                    self._audit_unsupported_at = time.monotonic()
                    return
                if status in CONTENT_REFUSED:
                    log.error("central refuses audit events after seq %d: %s; sent next round", after, exc.message)
                    return
                raise
            last = after
            for row in sent:
                if row["seq"] not in acks:
                    break
                last = row["seq"]
                if acks[row["seq"]] == "conflict":
                    log.warning(
                        "central holds a different audit event at seq %d: this kiosk's chain changed after it was sent",
                        row["seq"],
                    )
            if last > after:
                self.store.set_sync_state({"audit_pushed_seq": last}, self.clock.now())
                done.audit_pushed += sum(1 for row in sent if row["seq"] <= last)
            if last < sent[-1]["seq"]:
                log.warning("central left audit events after seq %d unacknowledged; sent again later", last)
                return

    # --- pull ----------------------------------------------------------------------------------

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
        elif change.kind == "command":
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

    # --- commands -----------------------------------------------------------------------------

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

    # --- hall queue ---------------------------------------------------------------------------

    def _hall_queue_due(self, done: _Round) -> bool:
        last = self._last_hall_queue
        return done.pushed > 0 or last is None or time.monotonic() - last >= self.hall_queue_every

    def _hall_queue(self) -> None:
        """Fetch central's merged hall queue and store it as the hall state, in one transaction.
        Advisory: a failure (an older central without the route, a malformed answer, the link
        dropping just now) is logged once and changes nothing; the state kept ages."""
        try:
            reply = self.client.hall_queue(self.settings.hall.code)
        except SyncError as exc:
            if exc.message != self._hall_queue_error:
                log.warning("hall queue not updated (%s): %s", exc.code, exc.message)
            self._hall_queue_error = exc.message
            return
        received = self.clock.now()
        values = encode_hall_state(
            hall_code=reply.hall_code,
            day=reply.day,
            as_of=reply.as_of,
            received_at=received,
            counted_seq=reply.counted_seq,
            letters=[
                {
                    "prefix": q.prefix,
                    "counters": q.counters,
                    "own": q.own_tickets,
                    "calls": list(q.call_in_seconds),
                    "free": list(q.free_in_seconds),
                }
                | (
                    {
                        "own_priority": q.own_priority_tickets,
                        "priority_calls": list(q.priority_call_in_seconds),
                        "priority_free": list(q.priority_free_in_seconds),
                    }
                    if q.own_priority_tickets is not None
                    else {}
                )
                for q in reply.letters
            ],
        )
        self.store.set_sync_state(values, received)
        self._last_hall_queue = time.monotonic()
        if self._hall_queue_error is not None:
            log.info("hall queue updated again")
            self._hall_queue_error = None

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

    # --- heartbeat -----------------------------------------------------------------------------

    def _heartbeat_due(self) -> bool:
        return self._last_heartbeat is None or time.monotonic() - self._last_heartbeat >= self.heartbeat_every

    def _heartbeat(self) -> None:
        backlog, age = self.backlog()
        devices: list[dict] = []
        if self.devices is not None:
            try:
                devices = [_device(d) for d in list(self.devices())[:MAX_DEVICES]]
            except Exception:  # noqa: BLE001 - a device report must not stop sync
                log.exception("device health for the heartbeat failed")
                devices = []
        body = {
            "kiosk_time": self.clock.now().isoformat(),
            "app_version": self.client.version,
            "backlog": backlog,
            "oldest_unsent_age_seconds": age or 0,
            "last_sync_at": self._stamp(),  # push and pull of this round got through
            "devices": devices,
        }
        reply = self.client.heartbeat(body)
        self._last_heartbeat = time.monotonic()
        if abs(reply.clock_skew_seconds) > 60:
            log.warning("kiosk clock is %+.0f s off central's", reply.clock_skew_seconds)
        self.store.set_sync_state(
            {"clock_skew_seconds": reply.clock_skew_seconds, "last_heartbeat_at": self._stamp()}, self.clock.now()
        )


def _entries(change: Change, key: str, parse: Callable[[Any], tuple | None]) -> list[tuple]:
    """The entries of a pulled change's list `key`, each parsed by `parse` (None: not what the
    contract says). A change without the list, or a malformed entry, is logged and skipped: the
    rest of the page still applies."""
    entries = change.data.get(key)
    if not isinstance(entries, list):
        log.error("%s change at cursor %d without a list of %s: skipped", key, change.cursor, key)
        return []
    parsed = []
    for pos, entry in enumerate(entries):
        value = parse(entry)
        if value is None:
            log.error("%s change at cursor %d: entry %d is malformed: skipped", key, change.cursor, pos)
        else:
            parsed.append(value)
    return parsed


def _lease_entry(entry: object) -> tuple[str, str, int, int, int, bool] | None:
    """(day, service code, quota, grant, ask, full) of a lease change's entry, or None when it
    is not one (docs/sync-api.md, Leases)."""
    if not isinstance(entry, dict):
        return None
    day, code, full = entry.get("day"), entry.get("service_code"), entry.get("full", False)
    numbers = [entry.get(key, 0) for key in ("quota", "grant", "ask")]
    if not (isinstance(day, str) and _DAY.fullmatch(day) and isinstance(code, str) and _SERVICE.fullmatch(code)):
        return None
    if not isinstance(full, bool) or any(isinstance(n, bool) or not isinstance(n, int) for n in numbers):
        return None
    quota, grant, ask = numbers
    if not (0 <= quota <= MAX_LEASE and 0 <= grant <= MAX_LEASE and 0 <= ask <= MAX_LEASE):
        return None
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return day, code, quota, grant, ask, full


_KEY_ID = re.compile(r"[A-Za-z0-9-]{1,16}")
_B64URL = re.compile(r"[A-Za-z0-9_-]{1,200}")


def _instant(value: object) -> bool:
    """An ISO-8601 time with its offset (or None: no bound)."""
    if value is None:
        return True
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).utcoffset() is not None
    except ValueError:
        return False


def _key_entry(entry: object) -> tuple[str, str, str | None, str | None, bool] | None:
    """(key id, public key, valid from, valid until, revoked) of a `keys` entry, or None
    (docs/sync-api.md, Keys and revocations)."""
    if not isinstance(entry, dict):
        return None
    key_id, public_key, revoked = entry.get("key_id"), entry.get("public_key"), entry.get("revoked", False)
    valid_from, valid_until = entry.get("valid_from"), entry.get("valid_until")
    if not (isinstance(key_id, str) and _KEY_ID.fullmatch(key_id)):
        return None
    if not (isinstance(public_key, str) and len(public_key) == 43 and _B64URL.fullmatch(public_key)):
        return None  # 32 bytes, base64url without padding
    if not isinstance(revoked, bool) or not _instant(valid_from) or not _instant(valid_until):
        return None
    return key_id, public_key, valid_from, valid_until, revoked


def _revocation_entry(entry: object) -> tuple[str | None, str | None, str | None] | None:
    """(nonce, subject, issued before) of a `revocations` entry, or None: exactly one of a
    nonce (base64url) or a subject (1..48 printable characters)."""
    if not isinstance(entry, dict):
        return None
    nonce, subject, before = entry.get("nonce"), entry.get("subject"), entry.get("issued_before")
    if nonce is not None:
        if subject is not None or not (isinstance(nonce, str) and _B64URL.fullmatch(nonce)):
            return None
        return nonce, None, None
    if not (isinstance(subject, str) and 0 < len(subject) <= 48 and subject.isprintable()) or not _instant(before):
        return None
    return None, subject, before


def _device(entry) -> dict:
    """One device for the heartbeat (a dict, or a DeviceHealth: its `to_json()`), bounded as
    central reads it (name, kind, status, reason)."""
    if hasattr(entry, "to_json"):
        entry = entry.to_json()
    out = {}
    for key, limit in DEVICE_FIELDS.items():
        value = entry.get(key)
        if value is not None:
            out[key] = str(value)[:limit]
    return out


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
