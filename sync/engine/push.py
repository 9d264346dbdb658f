"""The push of a sync round: the outbox (in batches, a batch central refuses split to find the
items it refuses, each set aside), then the audit chain (see sync/engine/__init__.py)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from kiosk.errors import KioskError
from sync.client import Ack, PushReply
from sync.engine.reports import _Round
from sync.errors import SyncError, SyncLocalError, SyncMalformedReply, SyncRejected

log = logging.getLogger("sync")

NOT_ACKED = "not acknowledged by central"
#: HTTP statuses with which central refuses a push for its content (it stored nothing of it).
CONTENT_REFUSED = (400, 413, 422)
#: Items set aside in one round before the round stops: beyond it central refuses everything.
MAX_REJECTED = 20
#: A central without the audit route (404) is asked again after this many seconds.
AUDIT_RETRY_SECONDS = 3600.0


class PushMixin:
    """Methods of SyncEngine (sync/engine/core.py, where the state they use is declared)."""

    # --- push ----------------------------------------------------------------------------------

    def _push(self, done: _Round, should_stop: Callable[[], bool]) -> None:
        after = 0
        while not should_stop():
            rows = self.store.outbox_batch(after_seq=after, limit=self.batch_items)
            if not rows:
                return
            batch = self._batch(rows)
            if not self._send(batch, done):
                return  # central is not taking everything: do not run ahead of it this round
            after = batch[-1][0]["seq"]

    def _send(self, batch: list[tuple[dict, bytes]], done: _Round) -> bool:
        """Push `batch` (rows with their JSON) and mark central's answer; False when central left
        some out. A batch central refuses for its content (400, 413, 422: it changed nothing) is
        split in halves to find the items it refuses; each such item is set aside (`rejected`,
        with central's message) instead of being sent again unchanged, and the rest go on."""
        sent = [row for row, _ in batch]
        try:
            reply = self.client.push(b'{"items":[' + b",".join(part for _, part in batch) + b"]}")
            acked, missing = self._match(reply, sent)
        except SyncRejected as exc:
            if exc.params.get("status") not in CONTENT_REFUSED:
                self._note_failure(sent, exc)
                raise
            if len(batch) > 1:
                half = len(batch) // 2
                return self._send(batch[:half], done) and self._send(batch[half:], done)
            self._set_aside(sent[0], exc, done)
            return True
        except SyncError as exc:
            self._note_failure(sent, exc)
            raise
        self.store.mark_outbox(
            [(a.id, a.status) for a in acked], [(row["id"], NOT_ACKED) for row in missing], self.clock.now()
        )
        done.pushed += len(acked)
        conflicts = [a for a in acked if a.status == "conflict"]
        for a in conflicts:
            log.warning("central holds a different payload for outbox item %s (seq %d): conflict", a.id, a.seq)
        done.conflicts += len(conflicts)
        if reply.gaps:
            log.warning("central misses sequence ranges of this kiosk: %s", reply.gaps)
            done.gaps = reply.gaps
        if missing:
            log.warning("central left %d of %d pushed items unacknowledged; retried later", len(missing), len(sent))
        return not missing

    def _set_aside(self, row: dict, exc: SyncRejected, done: _Round) -> None:
        log.error(
            "central refuses outbox item %s (seq %d, %s): %s; set aside, sent again at the next start or "
            "'kiosk sync --once'",
            row["id"],
            row["seq"],
            row["kind"],
            exc.message,
        )
        self.store.mark_outbox([], [], self.clock.now(), rejected=[(row["id"], f"{exc.code}: {exc.message}")])
        done.rejected += 1
        if done.rejected >= MAX_REJECTED:  # central refuses everything: something bigger is wrong
            raise SyncRejected(
                what="push",
                status=exc.params.get("status"),
                server_code=exc.server_code or "-",
                detail=f"{done.rejected} items refused in one round, the last: {exc.params.get('detail')}",
            )

    def _batch(self, rows: list[dict]) -> list[tuple[dict, bytes]]:
        """The leading rows that fit one request (at least one), each with its JSON."""
        batch: list[tuple[dict, bytes]] = []
        size = len(b'{"items":[]}')
        for row in rows:
            try:
                payload = json.loads(row["payload"])
            except ValueError as exc:
                raise SyncLocalError(detail=f"outbox item {row['id']} (seq {row['seq']}) is not JSON: {exc}") from exc
            item = {
                "id": row["id"],
                "seq": row["seq"],
                "kind": row["kind"],
                "created_at": row["created_at"],
                "payload": payload,
            }
            part = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()
            if batch and size + len(part) + 1 > self.batch_bytes:
                break
            batch.append((row, part))
            size += len(part) + 1
        return batch

    def _match(self, reply: PushReply, sent: list[dict]) -> tuple[list[Ack], list[dict]]:
        """The acks of what was sent, and the rows left out; an ack of anything else makes
        the whole answer untrustworthy (SyncMalformedReply, nothing marked)."""
        by_id = {row["id"]: row for row in sent}
        acked: dict[str, Ack] = {}
        for ack in reply.acks:
            row = by_id.get(ack.id)
            if row is None:
                raise SyncMalformedReply(what="push", detail=f"acks: an ack for item {ack.id!r}, which was not sent")
            if ack.seq != row["seq"]:
                raise SyncMalformedReply(
                    what="push", detail=f"acks: item {ack.id} has seq {row['seq']}, the ack says {ack.seq}"
                )
            if ack.id in acked and acked[ack.id].status != ack.status:
                raise SyncMalformedReply(what="push", detail=f"acks: item {ack.id} acknowledged twice, differently")
            acked[ack.id] = ack
        return [acked[r["id"]] for r in sent if r["id"] in acked], [r for r in sent if r["id"] not in acked]

    def _note_failure(self, sent: list[dict], exc: SyncError) -> None:
        try:
            self.store.mark_outbox([], [(row["id"], f"{exc.code}: {exc.message}") for row in sent], self.clock.now())
        except KioskError as store_exc:
            log.error("outbox attempts not recorded: %s", store_exc.message)

    # --- audit ---------------------------------------------------------------------------------

    def _push_audit(self, done: _Round, should_stop: Callable[[], bool]) -> None:
        """The audit events central has not acknowledged, in chain order (see the module
        docstring); the acknowledged leading events move `audit_pushed_seq` in one transaction."""
        if self._audit_unsupported_at is not None:
            if time.monotonic() - self._audit_unsupported_at < AUDIT_RETRY_SECONDS:
                return
            self._audit_unsupported_at = None
        while not should_stop():
            after = int(self.store.sync_state().get("audit_pushed_seq", 0))
            rows = self.store.query(
                "SELECT seq, id, at, kind, data, outbox_id, prev_hash, hash FROM audit WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                [after, self.batch_items],
            )
            if not rows:
                return
            parts: list[bytes] = []
            size = len(b'{"events":[]}')
            for row in rows:
                part = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
                if parts and size + len(part) + 1 > self.batch_bytes:
                    break
                parts.append(part)
                size += len(part) + 1
            sent = rows[: len(parts)]
            try:
                acks = dict(self.client.push_audit(b'{"events":[' + b",".join(parts) + b"]}"))
            except SyncRejected as exc:
                status = exc.params.get("status")
                if status == 404:
                    log.info("central takes no audit events (an older central): the chain stays on the kiosk")
                    self._audit_unsupported_at = time.monotonic()
                    return
                if status in CONTENT_REFUSED:
                    log.error("central refuses audit events after seq %d: %s; sent next round", after, exc.message)
                    return
                raise
            last = after
            for row in sent:
                if row["seq"] not in acks:
                    break
                last = row["seq"]
                if acks[row["seq"]] == "conflict":
                    log.warning(
                        "central holds a different audit event at seq %d: this kiosk's chain changed after it was sent",
                        row["seq"],
                    )
            if last > after:
                self.store.set_sync_state({"audit_pushed_seq": last}, self.clock.now())
                done.audit_pushed += sum(1 for row in sent if row["seq"] <= last)
            if last < sent[-1]["seq"]:
                log.warning("central left audit events after seq %d unacknowledged; sent again later", last)
                return
