"""SyncEngine: one sync round with central (`run_round`), the report of where sync stands, and
the pull cursor's scope. The parts of the round are the mixins of the other modules of
sync/engine/ (see its docstring); the state they share is declared here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from kiosk import commands
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.store import Store
from sync.client import CentralClient
from sync.credentials import Credential, load_credential
from sync.engine.apply import ApplyMixin
from sync.engine.commands import CommandsMixin
from sync.engine.hallqueue import HallQueueMixin
from sync.engine.heartbeat import HeartbeatMixin
from sync.engine.pull import PullMixin
from sync.engine.push import PushMixin
from sync.engine.reports import SyncReport, _Round
from sync.errors import SyncError, SyncNotConfigured, SyncRejected

log = logging.getLogger("sync")

BATCH_ITEMS = 500
BATCH_BYTES = 1024 * 1024
PULL_LIMIT = 100
HEARTBEAT_EVERY = 30.0
#: The hall queue is fetched after every round that pushed, else at most this often (seconds).
HALL_QUEUE_EVERY = 15.0


class SyncEngine(PushMixin, PullMixin, ApplyMixin, CommandsMixin, HallQueueMixin, HeartbeatMixin):
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
