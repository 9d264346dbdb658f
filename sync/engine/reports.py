"""What a sync round did: the frozen SyncReport a round returns, and _Round, the counters a
round keeps while it runs (sync/engine/core.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
