"""Device health as reported to diagnostics: never raised, always returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class Status(StrEnum):
    """A device's state for diagnostics; ABSENT means not installed or not configured."""

    OK = "OK"
    WARNING = "WARNING"
    ERROR = "ERROR"
    ABSENT = "ABSENT"


@dataclass(frozen=True)
class DeviceHealth:
    """A device's state, its reason, and when it was checked."""

    name: str
    kind: str
    status: Status
    reason: str = ""
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> dict:
        """The shape `kiosk diag --json` prints."""
        return {
            "name": self.name,
            "kind": self.kind,
            "status": str(self.status),
            "reason": self.reason,
            "checked_at": self.checked_at.isoformat(timespec="seconds"),
        }
