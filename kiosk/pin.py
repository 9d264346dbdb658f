"""Staff PINs: a slow hash from the config, and a gate that locks after too many wrong tries.

The technician's PIN lives in the config as an argon2id hash (`kiosk pin hash` makes the line to
paste): `[technician] pin_hash = "$argon2id$..."`. No hash configured: no way in at the kiosk (the
diagnostics run from a shell, `kiosk diag`). `--demo` alone has a PIN, DEMO_PIN, never a hall.

`Gate(role, pin_hash, state_path, clock=...)` is one way in for one role (the technician today,
the supervisor later): `check(pin)` takes argon2's ~50-100 ms on purpose, so call it off the GUI
thread. MAX_TRIES wrong tries lock the gate for LOCK_SECONDS, twice as long at each further
lockout, at most MAX_LOCK_SECONDS; a right PIN resets both. The counter is a small JSON file
written atomically *before* the PIN is verified (a try counts even if the process is killed while
it runs), so neither a restart nor a kill -9 gives new tries. Every try is logged (role, outcome,
tries left), never the PIN; `on_attempt` lets a caller audit it too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from kiosk.clock import Clock

log = logging.getLogger("kiosk.pin")

MAX_TRIES = 5
LOCK_SECONDS = 5 * 60
MAX_LOCK_SECONDS = 60 * 60
#: A PIN is digits only (the kiosk's keypad has nothing else), this many of them.
PIN_DIGITS = (4, 12)
#: --demo only: the technician PIN of the demo kiosk (the README says so). A hall kiosk has none
#: unless its config sets `[technician] pin_hash`.
DEMO_PIN = "1234"
DEMO_PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$8W3a2j5JEnuMO+xCjbpriQ$vUrMdQXbcKcOYkZuT092kcA2SJLD/bKYytQQEw8T2oE"
#: --demo only: the supervisor PIN of the demo kiosk (README, "Supervisor mode"); a hall kiosk
#: has none unless its config sets `[supervisor] pin_hash` (or central sends one with the pull).
DEMO_SUPERVISOR_PIN = "4321"
DEMO_SUPERVISOR_PIN_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$46NXAgyRthZSzMB4a7em8g$wf6PkvUMw7ITHpKgPmOuc/pkLU00he03kfH2PD8JZf0"
)
#: What `[technician] pin_hash` looks like (checked by kiosk/config.py without importing argon2).
HASH_SHAPE = re.compile(r"\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    #: No PIN configured for this role: there is no way in at the kiosk.
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class GateStatus:
    """Where a gate stands: a frozen snapshot for a screen (and the result of a try)."""

    configured: bool
    tries_left: int
    locked_until: datetime | None = None
    outcome: Outcome | None = None  # of the try that produced this snapshot (None: just a look)

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK

    def locked_minutes(self, now: datetime) -> int:
        """Whole minutes (rounded up, at least 1) until the gate opens again; 0 when it is open."""
        if self.locked_until is None or self.locked_until <= now:
            return 0
        return max(1, -(-int((self.locked_until - now).total_seconds()) // 60))


def valid_pin(pin: str) -> bool:
    low, high = PIN_DIGITS
    return pin.isascii() and pin.isdigit() and low <= len(pin) <= high


def hash_pin(pin: str) -> str:
    """The argon2id hash of `pin` (argon2-cffi's defaults: the slow part is the point)."""
    if not valid_pin(pin):
        raise ValueError(f"a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
    from argon2 import PasswordHasher

    return PasswordHasher().hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """Whether `pin` matches `pin_hash`; a broken hash is a mismatch (logged), never a way in."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return PasswordHasher().verify(pin_hash, pin)
    except VerifyMismatchError:
        return False
    except (VerificationError, InvalidHashError) as exc:
        log.error("PIN hash cannot be used: %s", exc)
        return False


def write_atomically(path: Path, data: dict) -> None:
    """Write `data` as JSON to `path` so that a crash leaves the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:  # the rename itself survives a power cut once the folder is synced
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Gate:
    """One role's way in: a PIN hash, and the lockout after MAX_TRIES wrong tries (see the module)."""

    def __init__(
        self,
        role: str,
        pin_hash: str | None,
        state_path: Path,
        *,
        clock: Clock,
        max_tries: int = MAX_TRIES,
        lock_seconds: float = LOCK_SECONDS,
        max_lock_seconds: float = MAX_LOCK_SECONDS,
        on_attempt: Callable[[str, Outcome, GateStatus], None] | None = None,
        pin_hash_of: Callable[[], str | None] | None = None,
    ) -> None:
        self.role = role
        self.pin_hash = pin_hash or None
        #: Reads the hash in force again at each look and try (the supervisor's: central may send
        #: a new one with the pull, kiosk/central_config.py); None: `pin_hash` stays as given.
        self.pin_hash_of = pin_hash_of
        self.state_path = Path(state_path)
        self.clock = clock
        self.max_tries = max_tries
        self.lock_seconds = lock_seconds
        self.max_lock_seconds = max_lock_seconds
        #: Called after every try with (role, outcome, status): an audit log hooks in here.
        self.on_attempt = on_attempt
        self._lock = threading.Lock()

    # -- the persisted counter ----------------------------------------------------------------
    def _read(self) -> dict:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            failures, lockouts = int(data.get("failures", 0)), int(data.get("lockouts", 0))
            until = data.get("locked_until")
            locked_until = datetime.fromisoformat(until) if until else None
            if locked_until is not None and locked_until.tzinfo is None:
                raise ValueError("locked_until without a zone")
        except FileNotFoundError:
            return {"failures": 0, "lockouts": 0, "locked_until": None}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # A damaged counter must not open the gate: treat it as locked for the longest time.
            log.error("%s PIN counter %s unreadable (%s): locked", self.role, self.state_path, exc)
            return {
                "failures": self.max_tries,
                "lockouts": 0,
                "locked_until": self.clock.now() + timedelta(seconds=self.max_lock_seconds),
                "damaged": True,
            }
        return {"failures": max(0, failures), "lockouts": max(0, lockouts), "locked_until": locked_until}

    def _write(self, state: dict) -> None:
        until = state["locked_until"]
        write_atomically(
            self.state_path,
            {
                "role": self.role,
                "failures": state["failures"],
                "lockouts": state["lockouts"],
                "locked_until": until.isoformat() if until else None,
            },
        )

    def _status(self, state: dict, outcome: Outcome | None = None) -> GateStatus:
        now = self.clock.now()
        until = state["locked_until"]
        locked = until is not None and until > now
        return GateStatus(
            configured=self.pin_hash is not None,
            tries_left=0 if locked else max(0, self.max_tries - state["failures"]),
            locked_until=until if locked else None,
            outcome=outcome,
        )

    def _expire(self, state: dict) -> dict:
        """A lockout that has run out gives a fresh set of tries (the lockout count stays)."""
        until = state["locked_until"]
        if until is not None and until <= self.clock.now():
            return {**state, "failures": 0, "locked_until": None}
        return state

    def _refresh(self) -> None:
        if self.pin_hash_of is None:
            return
        try:
            self.pin_hash = self.pin_hash_of() or None
        except Exception:  # a broken source keeps the hash it had: never a way in by itself
            log.exception("%s PIN: the PIN hash in force could not be read", self.role)

    # -- what callers use ---------------------------------------------------------------------
    def status(self) -> GateStatus:
        """Where the gate stands now (reads a small file: fine on any thread)."""
        with self._lock:
            self._refresh()
            return self._status(self._expire(self._read()))

    def check(self, pin: str) -> GateStatus:
        """Try `pin`. Slow by design (argon2): run it off the GUI thread. Never raises for a
        wrong or malformed PIN; an unwritable counter raises OSError (no try without a record)."""
        with self._lock:
            self._refresh()
            if self.pin_hash is None:
                return self._done(self._status(self._read(), Outcome.NOT_CONFIGURED))
            state = self._expire(self._read())
            if state["locked_until"] is not None:
                return self._done(self._status(state, Outcome.LOCKED))
            # Count the try first: killed while argon2 runs, it still counts.
            counted = {**state, "failures": state["failures"] + 1}
            self._write(counted)
            if valid_pin(pin) and verify_pin(self.pin_hash, pin):
                fresh = {"failures": 0, "lockouts": 0, "locked_until": None}
                self._write(fresh)
                return self._done(self._status(fresh, Outcome.OK))
            if counted["failures"] >= self.max_tries:
                lockouts = counted["lockouts"] + 1
                seconds = min(self.max_lock_seconds, self.lock_seconds * 2 ** (lockouts - 1))
                counted = {
                    "failures": counted["failures"],
                    "lockouts": lockouts,
                    "locked_until": self.clock.now() + timedelta(seconds=seconds),
                }
                self._write(counted)
                log.warning("%s PIN: locked for %d s after %d wrong tries", self.role, seconds, self.max_tries)
            return self._done(self._status(counted, Outcome.WRONG))

    def _done(self, status: GateStatus) -> GateStatus:
        until = status.locked_until.isoformat(timespec="seconds") if status.locked_until else "-"
        level = logging.INFO if status.outcome == Outcome.OK else logging.WARNING
        log.log(
            level,
            "%s PIN try: %s (tries left %d, locked until %s)",
            self.role,
            status.outcome,
            status.tries_left,
            until,
        )
        if self.on_attempt is not None:
            try:
                self.on_attempt(self.role, status.outcome, status)
            except Exception:  # an audit hook failing must not decide the way in
                log.exception("%s PIN: attempt hook failed", self.role)
        return status


def technician_gate(settings, clock: Clock, **options) -> Gate:
    """The technician's gate: `[technician] pin_hash`, or DEMO_PIN's hash with --demo only."""
    section = getattr(settings, "technician", None)
    pin_hash = getattr(section, "pin_hash", "") or (DEMO_PIN_HASH if settings.demo else None)
    return Gate("technician", pin_hash, Path(settings.data_dir) / "pin-technician.json", clock=clock, **options)


def supervisor_gate(settings, clock: Clock, **options) -> Gate:
    """The supervisor's gate: the PIN hash central sent with the pull (kiosk/central_config.py,
    read again each time the PIN pad opens and at each try, so a new PIN works without a restart),
    else `[supervisor] pin_hash`, else DEMO_SUPERVISOR_PIN's hash with --demo only; its own
    counter (DATA_DIR/pin-supervisor.json), so a technician's lockout is not the supervisor's and
    the other way round."""
    from kiosk.central_config import supervisor_pin_hash

    def current() -> str | None:
        return supervisor_pin_hash(settings) or (DEMO_SUPERVISOR_PIN_HASH if settings.demo else None)

    options.setdefault("pin_hash_of", current)
    return Gate("supervisor", current(), Path(settings.data_dir) / "pin-supervisor.json", clock=clock, **options)


# -- `kiosk pin hash` ------------------------------------------------------------------------------


def hash_command(*, stdin: bool, read=None, out=None, err=None) -> int:
    """`kiosk pin hash [--stdin]`: read a new PIN (twice, without echo; or one line from stdin)
    and print the config lines to paste. Returns the exit code."""
    import getpass
    import sys

    out, err = out or sys.stdout, err or sys.stderr
    if stdin:
        pins = [(read or sys.stdin.readline)().strip()]
    else:
        ask = read or getpass.getpass
        try:
            pins = [ask("New PIN (digits): "), ask("Again: ")]
        except (EOFError, KeyboardInterrupt):
            print("kiosk: no PIN given", file=err)
            return 1
    if len(set(pins)) != 1:
        print("kiosk: the two PINs differ; nothing changed", file=err)
        return 1
    if not valid_pin(pins[0]):
        print(f"kiosk: a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits 0-9", file=err)
        return 1
    print("# paste into the kiosk's config file:", file=err)
    print("[technician]", file=out)
    print(f'pin_hash = "{hash_pin(pins[0])}"', file=out)
    return 0
