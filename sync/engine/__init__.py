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

The package, one module per part of the round (each a mixin of SyncEngine, whose state is
declared in core.py; every method keeps its name, so `engine._apply_keys(...)` and the like
still work):

    core       SyncEngine: the round (`run_round`), the report, the cursor's scope
    reports    SyncReport (what a round did) and _Round (its counters while it runs)
    push       the outbox push and the audit push
    pull       the pages of changes, each in one transaction, dispatched to the appliers
    apply      one applier per change kind: catalog, command, lease, keys, revocations, config
    entries    the checks of a lease, key or revocation entry against the contract
    commands   executing the pending commands, their acks, a catalog refetch
    hallqueue  fetching the hall queue
    heartbeat  the heartbeat

The constants are re-exported here for reading; each is looked up in the module that defines it
(a test that patches one patches it there, e.g. `sync.engine.pull.MAX_PAGES`).
"""

from sync.engine.core import BATCH_BYTES, BATCH_ITEMS, HALL_QUEUE_EVERY, HEARTBEAT_EVERY, PULL_LIMIT, SyncEngine
from sync.engine.entries import MAX_LEASE
from sync.engine.heartbeat import DEVICE_FIELDS, MAX_DEVICES
from sync.engine.pull import MAX_PAGES
from sync.engine.push import AUDIT_RETRY_SECONDS, CONTENT_REFUSED, MAX_REJECTED, NOT_ACKED
from sync.engine.reports import SyncReport

__all__ = [
    "AUDIT_RETRY_SECONDS",
    "BATCH_BYTES",
    "BATCH_ITEMS",
    "CONTENT_REFUSED",
    "DEVICE_FIELDS",
    "HALL_QUEUE_EVERY",
    "HEARTBEAT_EVERY",
    "MAX_DEVICES",
    "MAX_LEASE",
    "MAX_PAGES",
    "MAX_REJECTED",
    "NOT_ACKED",
    "PULL_LIMIT",
    "SyncEngine",
    "SyncReport",
]
