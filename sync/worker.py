"""The sync thread: rounds with central in the background, its state through a plain callback.

    worker = SyncWorker(lambda: SyncEngine.open(settings, clock), on_state=print)
    worker.start()
    worker.nudge()      # a ticket was issued: sync now (when online)
    worker.status       # the latest SyncStatus (frozen), readable from any thread
    worker.stop()       # returns within the HTTP timeout of a request in flight

No Qt: the touch UI re-emits `on_state` as a signal. `on_state(SyncStatus)` is called on the
sync thread whenever the status changes, never while a lock is held.

When rounds run:
- online: right away when nudged, else every `interval` seconds (5 s);
- offline (central unreachable, a timeout, a malformed reply, a server error): after a delay
  drawn at random between `backoff_base` (1 s) and a ceiling that doubles with each failed
  round up to `backoff_cap` (60 s); nudges do not shorten it, so a busy hall does not hammer
  a central that is down;
- refused (this kiosk is revoked or unknown, its credential is unusable, or central rejects
  the requests themselves, 4xx): every `refused_interval` seconds (2.5..5 min, jittered), and at
  once when the credential file changes (`kiosk enroll`), so a kiosk enrolled again resumes by
  itself.
Everything a round needs is in the store, so a restarted kiosk resumes where it stopped; the
backlog is kept in every state.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.errors import KioskError
from sync.engine import SyncEngine, SyncReport

log = logging.getLogger("sync")

ONLINE = "online"
OFFLINE = "offline"
REFUSED = "refused"
#: Errors after which the kiosk stops hammering central and retries slowly: central refused the
#: kiosk, the credential is unusable, or central rejected the requests themselves (a 4xx
#: changes nothing at central, so the same request again would only be refused again).
REFUSED_CODES = ("sync.refused", "sync.credential", "sync.rejected")


@dataclass(frozen=True)
class SyncStatus:
    """What the UI shows about sync; `state` is online, offline or refused."""

    state: str
    backlog: int
    oldest_unsent_age_seconds: int | None
    last_sync_at: str | None
    clock_skew_seconds: float | None
    last_error: str | None
    error_code: str | None = None
    #: Central's code for the failure (auth.revoked, ...), when it sent one.
    server_code: str | None = None
    #: The catalog version from central in force: when it changes, the UI reloads the catalog
    #: (Kiosk.reload_catalog()).
    catalog_version: int | None = None
    #: A supervisor's remote commands in force (kiosk/commands.py): the kiosk is locked (out of
    #: service), these services are paused; a `restart` command was executed (the UI restarts).
    locked: bool = False
    paused: tuple[str, ...] = ()
    restart_requested: bool = False

    @property
    def online(self) -> bool:
        """Whether the last round reached central and was accepted."""
        return self.state == ONLINE


INITIAL = SyncStatus(OFFLINE, 0, None, None, None, None)


def state_of(report: SyncReport) -> str:
    """online, offline or refused, from a round's report."""
    if report.ok:
        return ONLINE
    return REFUSED if report.error_code in REFUSED_CODES else OFFLINE


class SyncWorker:
    """Runs sync rounds on a thread of its own until `stop()`."""

    def __init__(
        self,
        open_engine: Callable[[], SyncEngine],
        *,
        on_state: Callable[[SyncStatus], None] | None = None,
        interval: float = 5.0,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        refused_interval: float = 300.0,
        rng: random.Random | None = None,
        credential_probe: Callable[[], object] | None = None,
    ) -> None:
        self.open_engine = open_engine
        self.on_state = on_state
        self.interval = interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.refused_interval = refused_interval
        self.rng = rng or random.Random()
        #: Returns something that changes when the credential file changes (`kiosk enroll`): a
        #: refused kiosk then tries again at once instead of at its slow pace.
        self.credential_probe = credential_probe
        self.failures = 0
        #: Rounds run since start (for tests and diagnostics).
        self.rounds = 0
        self.last_report: SyncReport | None = None
        self._status = INITIAL
        self._cond = threading.Condition()
        self._nudged = False
        self._stopping = False
        self._thread: threading.Thread | None = None

    # --- what the UI calls -----------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The latest status (an immutable snapshot)."""
        return self._status

    @property
    def online(self) -> bool:
        """Whether the last round reached central and was accepted."""
        return self._status.online

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is not None:
            raise RuntimeError("the sync worker was started already")
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Something new is in the outbox: run a round now when online (cheap, any thread)."""
        with self._cond:
            self._nudged = True
            self._cond.notify_all()

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the thread to stop and wait for it (at most `timeout` s); True when it ended.

        A round stops between requests; a request in flight ends within its HTTP timeout."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the thread ----------------------------------------------------------------------------

    def next_delay(self, state: str) -> float:
        """Seconds until the next round after a round that ended in `state`."""
        if state == ONLINE:
            return self.interval
        if state == REFUSED:
            return self.rng.uniform(0.5, 1.0) * self.refused_interval
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** max(0, self.failures - 1))
        return self.rng.uniform(self.backoff_base, max(self.backoff_base, ceiling))

    def _run(self) -> None:
        engine: SyncEngine | None = None
        try:
            while not self._stopping:
                if engine is None:
                    engine = self._open()
                    if engine is None:
                        self._sleep(self.next_delay(OFFLINE), wake_on_nudge=False)
                        continue
                with self._cond:
                    self._nudged = False  # a nudge from now on asks for another round
                state = self._round(engine)
                self._sleep(self.next_delay(state), wake_on_nudge=state == ONLINE, watch=state == REFUSED)
        finally:
            if engine is not None:
                try:
                    engine.close()
                except Exception:  # noqa: BLE001 - closing at exit must not raise on the thread
                    log.exception("closing the sync engine failed")

    def _open(self) -> SyncEngine | None:
        try:
            engine = self.open_engine()
            self._publish(_status_of(engine.report(), OFFLINE), force=True)  # where the last run left off
            return engine
        except KioskError as exc:
            self.failures += 1
            log.error("sync cannot start (%s): %s", exc.code, exc.message)
            state = REFUSED if exc.code in REFUSED_CODES else OFFLINE
            self._publish(replace(self._status, state=state, last_error=exc.message, error_code=exc.code))
        except Exception as exc:  # noqa: BLE001 - a bug must not end sync for good
            self.failures += 1
            log.exception("sync cannot start")
            self._publish(replace(self._status, state=OFFLINE, last_error=str(exc), error_code="sync.internal"))
        return None

    def _round(self, engine: SyncEngine) -> str:
        try:
            first = self.rounds == 0  # a new kiosk process: offer what central refused before again
            report = engine.run_round(should_stop=lambda: self._stopping, heartbeat=first, retry_rejected=first)
        except Exception as exc:  # noqa: BLE001 - a bug in a round is logged and retried later
            log.exception("sync round failed")
            report = SyncReport(
                ok=False,
                pushed=0,
                pulled=0,
                backlog=self._status.backlog,
                oldest_unsent_age_seconds=self._status.oldest_unsent_age_seconds,
                clock_skew_seconds=self._status.clock_skew_seconds,
                error_code="sync.internal",
                error=f"internal error: {exc!r}",
                last_sync_at=self._status.last_sync_at,
                catalog_version=self._status.catalog_version,
            )
        self.rounds += 1
        self.last_report = report
        state = state_of(report)
        self.failures = 0 if report.ok else self.failures + 1
        if report.backlog < 0:  # the store could not be read: keep what was known
            report = replace(report, backlog=self._status.backlog)
        self._publish(_status_of(report, state, self._status))
        return state

    def _sleep(self, delay: float, *, wake_on_nudge: bool, watch: bool = False) -> None:
        """Wait `delay` s, or less: stop(), a nudge (when `wake_on_nudge`), a new credential
        (when `watch`, looked at every `interval` s)."""
        deadline = time.monotonic() + delay
        probe = self.credential_probe if watch else None
        before = _probe(probe)
        with self._cond:
            while not self._stopping and not (wake_on_nudge and self._nudged):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._cond.wait(min(remaining, self.interval) if probe else remaining)
                if probe and _probe(probe) != before:
                    log.info("the credential changed: trying central again now")
                    return

    def _publish(self, status: SyncStatus, *, force: bool = False) -> None:
        if status == self._status and not force:
            return
        changed_state = status.state != self._status.state
        self._status = status
        if changed_state:
            log.info("sync %s%s", status.state, f" ({status.last_error})" if status.last_error else "")
        if self.on_state is not None:
            try:
                self.on_state(status)
            except Exception:  # noqa: BLE001 - the UI's callback must not end sync
                log.exception("sync state callback failed")


def _probe(probe: Callable[[], object] | None) -> object:
    if probe is None:
        return None
    try:
        return probe()
    except Exception:  # noqa: BLE001 - a probe that fails means "no news"
        return None


def credential_probe(data_dir) -> Callable[[], object]:
    """What changes when `kiosk enroll` writes a new credential file."""
    from sync.credentials import credential_path

    path = credential_path(data_dir)

    def probe() -> object:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size, st.st_mode)

    return probe


def _status_of(report: SyncReport, state: str, before: SyncStatus = INITIAL) -> SyncStatus:
    """The status after `report`; what the report does not know (locked, paused: the store could
    not be read) stays as `before` said."""
    return SyncStatus(
        state=state,
        backlog=report.backlog,
        oldest_unsent_age_seconds=report.oldest_unsent_age_seconds,
        last_sync_at=report.last_sync_at,
        clock_skew_seconds=report.clock_skew_seconds,
        last_error=report.error,
        error_code=report.error_code,
        server_code=report.server_code,
        catalog_version=report.catalog_version,
        locked=before.locked if report.locked is None else report.locked,
        paused=before.paused if report.paused is None else report.paused,
        restart_requested=before.restart_requested or report.restart_requested,
    )


def make_worker(settings, clock, **options) -> SyncWorker | None:
    """A worker for the configured central, or None when no central URL is set (offline kiosk).
    `devices` (a callable returning the heartbeat's device list) goes to the engine; the rest
    (on_state, interval, ...) to the worker."""
    if not settings.central.url:
        return None
    devices = options.pop("devices", None)
    options.setdefault("credential_probe", credential_probe(settings.data_dir))
    return SyncWorker(lambda: SyncEngine.open(settings, clock, devices=devices), **options)
