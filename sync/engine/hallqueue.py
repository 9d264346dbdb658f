"""The hall queue part of a sync round: central's merged queue of the hall, stored as the
kiosk's hall state (kiosk/queue.py); advisory, a failure keeps the last state."""

from __future__ import annotations

import logging
import time

from kiosk.queue import encode_hall_state
from sync.engine.reports import _Round
from sync.errors import SyncError

log = logging.getLogger("sync")


class HallQueueMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

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
