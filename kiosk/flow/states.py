"""Whether a service can be taken now, and if not why (closed, full, the kiosk's share used, offline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.wording import CLOSED, FULL, LEASE_USED, ONLINE_ONLY_OFFLINE, OPEN, PAUSED


@dataclass(frozen=True)
class ServiceState:
    """Whether a service can be taken now, and if not why: `kind` is one of kiosk.wording's OPEN,
    CLOSED, FULL, LEASE_USED, ONLINE_ONLY_OFFLINE, PAUSED (a supervisor paused it, kiosk/commands.py);
    `until` is when it opens (closed) or has new numbers (full), when known. Words for it:
    `kiosk.wording.state_reason(kind, until, now, language)`."""

    kind: str = OPEN
    until: datetime | None = None

    @property
    def available(self) -> bool:
        return self.kind == OPEN


def service_state(service, availability, *, online: bool) -> ServiceState:
    """A service's state from today's queue (None: not read yet, shown as open) and the link."""
    if availability is not None and not availability.open:  # closed says more than "offline"
        return ServiceState(CLOSED, availability.opens_at)
    if availability is not None and availability.paused:  # a supervisor paused it
        return ServiceState(PAUSED)
    if not service.offline and not online:
        return ServiceState(ONLINE_ONLY_OFFLINE)
    if availability is None:
        return ServiceState(OPEN)
    if availability.lease_used:
        return ServiceState(LEASE_USED)
    if availability.quota_left <= 0:
        return ServiceState(FULL, availability.opens_at)
    return ServiceState(OPEN)
