"""Remote commands from central, executed at the kiosk (README, "Remote commands").

Central sends a command through the pull; sync/engine/apply.py stores it as `pending` with its cursor
(a command central sends again under the same id is kept once). `execute_pending` then runs
the pending ones in cursor order, each in ONE transaction: the claim (pending -> done/failed,
with a detail), its effect, and a `command.executed` audit event commit together, so a command
is never run twice, a kill -9 leaves it either not run (it runs at the next round) or run with
its outcome recorded. The engine acknowledges each outcome to central after that, outside any
transaction, and marks it `acked_at` only once central answered (`unacked`, `mark_acked`): an
outcome not acknowledged yet is sent again at the next round, the command is not run again.

    lock / unlock            the kiosk-wide "out of service" flag (table kiosk_lock): while it is
                             set no ticket is issued (KioskLocked); Flow.locked tells the screen
    pause_service {service}  the service is paused (table paused_services): no ticket for it
    resume_service {service} (ServicePaused), its state is PAUSED; an unknown code fails
    refresh_catalog          the next sync fetches central's current catalog again and puts it in
                             force once more (sync_state `catalog_refetch`, sync/engine/commands.py)
    refresh_config           reads the kiosk's config file again: done when it loads (the new
                             settings take effect at the next start), failed with the reason when
                             it does not; the running settings are never replaced
    diagnostics_bundle       writes kiosk/diag.py's bundle into DATA_DIR/diagnostics/ (not uploaded)
    restart                  done, then the app is asked to restart (sync_state `restart_requests`
                             counts them; the touch UI quits with RESTART_EXIT_CODE)

An unknown kind or bad args fail with a detail that says why; nothing here raises for a
command's content. Qt-free; runs on the sync engine's own store connection.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.store import Store

log = logging.getLogger("kiosk.commands")

#: The touch UI's exit status when a restart was asked for: a process manager (systemd's
#: `Restart=on-failure` / `RestartForceExitStatus=75`, a supervisor loop) starts it again.
#: 75 is EX_TEMPFAIL of sysexits.h: "try again".
RESTART_EXIT_CODE = 75
#: Where diagnostics bundles from a command go, under the data folder.
DIAGNOSTICS_DIR = "diagnostics"
#: The longest detail sent to central (its limit is 2000 characters).
MAX_DETAIL = 1000
KINDS = (
    "lock",
    "unlock",
    "pause_service",
    "resume_service",
    "refresh_catalog",
    "refresh_config",
    "diagnostics_bundle",
    "restart",
)


@dataclass(frozen=True)
class Outcome:
    """What became of one command: `state` is done or failed, `detail` says what happened."""

    id: str
    kind: str
    state: str
    detail: str


class _Failed(Exception):
    """A command that cannot be done: its detail."""


def execute_pending(store: Store, settings: Settings, now: Callable[[], datetime], *, catalog=None) -> list[Outcome]:
    """Run every pending command, oldest (lowest cursor) first; the outcomes of those run now.
    `catalog` returns the catalog in force (pause/resume check the code against it; default:
    sync.catalog.active_catalog). Raises StoreError only when the store itself fails."""
    outcomes = []
    for row in store.query("SELECT id, kind, args FROM commands WHERE state = 'pending' ORDER BY cursor, id"):
        outcome = execute(store, settings, row, now, catalog=catalog)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def execute(
    store: Store, settings: Settings, row: dict, now: Callable[[], datetime], *, catalog=None
) -> Outcome | None:
    """Run one stored command (`row`: id, kind, args as stored); None when another process ran it
    meanwhile. Work outside the store (a file read or written) is done before the transaction."""
    cid, kind = row["id"], row["kind"]
    try:
        args = json.loads(row["args"])
    except ValueError:
        args = None
    prepared: tuple[str, str] | None = None  # the outcome, when decided before the transaction
    code: str | None = None
    try:
        if not isinstance(args, dict):
            raise _Failed("args: expected a JSON object")
        if kind not in KINDS:
            raise _Failed(f"unknown command kind {kind!r} (this kiosk knows: {', '.join(KINDS)})")
        if kind in ("pause_service", "resume_service"):
            code = _service_arg(args, settings, catalog)
        elif kind == "refresh_config":
            prepared = ("done", _refresh_config(settings))
        elif kind == "diagnostics_bundle":
            prepared = ("done", _diagnostics_bundle(settings, now()))
    except _Failed as exc:
        prepared = ("failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug in one command must not stop sync for good
        log.exception("command %s (%s) failed", cid, kind)
        prepared = ("failed", f"internal error at the kiosk: {exc!r}")
    with store.transaction() as conn:
        if conn.execute("SELECT state FROM commands WHERE id = ?", (cid,)).fetchone() != ("pending",):
            return None  # run by another process (`kiosk sync --once` beside the touch UI)
        at = now()
        stamp = at.isoformat(timespec="seconds")
        state, detail = prepared if prepared is not None else _apply(store, kind, args, cid, stamp, code=code)
        detail = detail[:MAX_DETAIL]
        conn.execute("UPDATE commands SET state = ?, detail = ?, done_at = ? WHERE id = ?", (state, detail, stamp, cid))
        store.add_audit("command.executed", {"id": cid, "kind": kind, "state": state, "detail": detail}, at)
    (log.info if state == "done" else log.warning)("command %s (%s) %s: %s", cid, kind, state, detail)
    return Outcome(cid, kind, state, detail)


def set_paused(store: Store, code: str, paused: bool, *, stamp: str, by: str) -> bool:
    """Pause (no tickets) or resume one service, inside the caller's transaction; `by` is the
    command id (central's, or "local" for the supervisor at the kiosk). True when it changed."""
    if paused:
        return bool(
            store.conn.execute(
                "INSERT OR IGNORE INTO paused_services (service_code, paused_at, command_id) VALUES (?, ?, ?)",
                (code, stamp, by),
            ).rowcount
        )
    return bool(store.conn.execute("DELETE FROM paused_services WHERE service_code = ?", (code,)).rowcount)


def set_locked(store: Store, locked: bool, *, stamp: str, by: str) -> bool:
    """Take the kiosk out of service (no tickets, the "temporarily unavailable" page) or back,
    inside the caller's transaction. True when it changed."""
    if locked:
        return bool(
            store.conn.execute(
                "INSERT OR IGNORE INTO kiosk_lock (id, since, command_id) VALUES (1, ?, ?)", (stamp, by)
            ).rowcount
        )
    return bool(store.conn.execute("DELETE FROM kiosk_lock").rowcount)


def _apply(store: Store, kind: str, args: dict, cid: str, stamp: str, *, code: str | None) -> tuple[str, str]:
    """The command's effect on the store, inside its transaction: (state, detail)."""
    conn = store.conn
    if kind == "pause_service":
        added = set_paused(store, code, True, stamp=stamp, by=cid)
        return "done", f"service {code} paused" if added else f"service {code} was paused already"
    if kind == "resume_service":
        removed = set_paused(store, code, False, stamp=stamp, by=cid)
        return "done", f"service {code} resumed" if removed else f"service {code} was not paused"
    if kind == "lock":
        added = set_locked(store, True, stamp=stamp, by=cid)
        return "done", "kiosk locked: out of service, no tickets issued" if added else "kiosk was locked already"
    if kind == "unlock":
        removed = set_locked(store, False, stamp=stamp, by=cid)
        return "done", "kiosk unlocked: issuing tickets again" if removed else "kiosk was not locked"
    if kind == "refresh_catalog":
        store.set_sync_state({"catalog_refetch": cid}, datetime.fromisoformat(stamp))
        return "done", "central's current catalog is fetched again and put in force by the next sync"
    if kind == "restart":
        count = conn.execute("SELECT value FROM sync_state WHERE key = 'restart_requests'").fetchone()
        store.set_sync_state({"restart_requests": int(count[0]) + 1 if count else 1}, datetime.fromisoformat(stamp))
        return "done", (
            f"restart requested: the touch app quits with exit code {RESTART_EXIT_CODE} for its process "
            "manager to start it again (a kiosk without the touch app does nothing more)"
        )
    raise AssertionError(kind)  # KINDS and this function go together


def _service_arg(args: dict, settings: Settings, catalog) -> str:
    code = args.get("service")
    if not isinstance(code, str) or not code.strip():
        raise _Failed('args: expected {"service": CODE}, a service code of the catalog')
    try:
        if catalog is None:
            from sync.catalog import active_catalog

            return active_catalog(settings).service(code.strip()).code
        return catalog().service(code.strip()).code
    except KioskError as exc:  # UnknownService, or a catalog that does not load
        raise _Failed(exc.message) from exc


def _refresh_config(settings: Settings) -> str:
    """Read the config file again; its detail, or _Failed with the ConfigError's message."""
    from kiosk.config import load

    source = settings.source
    if not Path(source).is_file():
        return f"no config file to read again ({source}): the built-in settings stay in force"
    try:
        load(source, demo=settings.demo, data_dir=settings.data_dir)
    except KioskError as exc:
        raise _Failed(f"config file does not load, the running settings stay in force: {exc.message}") from exc
    return f"config file {source} loads; its settings take effect at the next start of the kiosk"


def _diagnostics_bundle(settings: Settings, at: datetime) -> str:
    from kiosk.diag import export_bundle

    try:
        path = export_bundle(settings, Path(settings.data_dir) / DIAGNOSTICS_DIR, now=at.astimezone(settings.tz))
    except (KioskError, OSError) as exc:
        raise _Failed(f"diagnostics bundle not written: {exc}") from exc
    return f"diagnostics bundle written on the kiosk: {DIAGNOSTICS_DIR}/{path.name} (not uploaded)"


# --- acknowledgements -----------------------------------------------------------------------


def unacked(store: Store) -> list[dict]:
    """Commands with an outcome central has not acknowledged yet (id, kind, state, detail), oldest
    first; `refused` ones (malformed when they arrived) go to central as failed."""
    return store.query(
        "SELECT id, kind, state, detail FROM commands WHERE acked_at IS NULL AND state <> 'pending' ORDER BY cursor, id"
    )


def mark_acked(store: Store, command_id: str, at: datetime) -> None:
    """Central took the command's outcome."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE commands SET acked_at = ? WHERE id = ? AND acked_at IS NULL",
            (at.isoformat(timespec="seconds"), command_id),
        )


def ack_state(state: str) -> str:
    """The state central is told: done, or failed (failed and refused)."""
    return "done" if state == "done" else "failed"


def supervisor_facts(store: Store) -> tuple[bool, tuple[str, ...]]:
    """(locked, paused service codes) as the store holds them."""
    return store.lock_state() is not None, tuple(store.paused_services())
