"""The heartbeat of a sync round: backlog, oldest unsent age, last good sync, app version,
kiosk time and device health to central; central's clock skew is recorded."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("sync")

#: A heartbeat's devices: at most this many, each field at most this long.
MAX_DEVICES = 32
DEVICE_FIELDS = {"name": 80, "kind": 20, "status": 20, "reason": 200}


class HeartbeatMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

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
