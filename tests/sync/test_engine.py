"""Sync rounds against a central on loopback: push, pull, heartbeat, and what a bad answer changes (nothing)."""

from __future__ import annotations

import gzip
import json
import logging
import sqlite3

import pytest
from conftest import make_engine

from kiosk.catalog import DEFAULT_PATH, load_catalog
from kiosk.errors import StoreError
from sync.catalog import central_catalog_path

KTP = "KTP-EL"


def issue(kiosk, n: int) -> list:
    tickets = []
    for _ in range(n):
        t = kiosk.issue_ticket(KTP)
        kiosk.print_ticket(t)
        tickets.append(t)
    return tickets


def outbox(kiosk) -> list[dict]:
    return kiosk.store.query("SELECT * FROM outbox ORDER BY seq")


def pushed_seqs(central) -> list[list[int]]:
    out = []
    for req in central.requests_to("push"):
        out.append([i["seq"] for i in json.loads(gzip.decompress(req["raw"]))["items"]])
    return out


def catalog_text(**changes) -> str:
    text = DEFAULT_PATH.read_text()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


VALID = {'name_en = "Electronic ID card (KTP-el)"': 'name_en = "Electronic ID card, central v3"'}


# --- push --------------------------------------------------------------------------------------


def test_round_pushes_outbox_in_seq_order_and_central_stores_each_ticket_once(kiosk, engine, central):
    tickets = issue(kiosk, 5)
    report = engine.run_round()
    assert report.ok and report.pushed == 10 and report.backlog == 0 and report.error_code is None
    assert pushed_seqs(central) == [list(range(1, 11))]
    hall = central.hall_tickets()
    assert [(t["number"], t["ticket_id"], t["kiosk_id"]) for t in hall] == [
        (t.number, t.id, "kiosk-1") for t in tickets
    ]
    assert {t["print_state"] for t in hall} == {"printed"}
    assert all(r["acked_at"] and r["ack_status"] == "stored" and r["attempts"] == 1 for r in outbox(kiosk))
    assert {r["sync_state"] for r in kiosk.queue.today()} == {"synced"}


def test_second_round_sends_nothing_and_changes_nothing(kiosk, engine, central):
    issue(kiosk, 3)
    engine.run_round()
    before = (outbox(kiosk), dict(central.items))
    again = engine.run_round()
    assert again.ok and again.pushed == 0 and again.backlog == 0
    assert len(central.requests_to("push")) == 1
    assert (outbox(kiosk), dict(central.items)) == before


def test_batches_bounded_by_item_count(kiosk, sync_settings, clock, central):
    issue(kiosk, 10)  # 20 outbox rows
    with_small = make_engine(sync_settings, clock, batch_items=7)
    try:
        report = with_small.run_round()
    finally:
        with_small.close()
    assert report.pushed == 20
    assert pushed_seqs(central) == [list(range(1, 8)), list(range(8, 15)), list(range(15, 21))]


def test_batches_bounded_by_bytes(kiosk, sync_settings, clock, central):
    issue(kiosk, 6)
    small = make_engine(sync_settings, clock, batch_bytes=1200)
    try:
        report = small.run_round()
    finally:
        small.close()
    batches = pushed_seqs(central)
    assert report.pushed == 12 and [s for b in batches for s in b] == list(range(1, 13))
    sizes = [len(gzip.decompress(req["raw"])) for req in central.requests_to("push")]
    assert len(batches) >= sum(sizes) // 1200 + 1 and len(batches) > 2
    assert all(size <= 1200 for size in sizes)


def test_one_item_over_the_byte_bound_still_goes_alone(kiosk, sync_settings, clock, central):
    with kiosk.store.transaction():
        kiosk.store.add_outbox("note", {"text": "x" * 5000}, clock.now())
        kiosk.store.add_outbox("note", {"text": "y"}, clock.now())
    small = make_engine(sync_settings, clock, batch_bytes=1000)
    try:
        assert small.run_round().pushed == 2
    finally:
        small.close()
    assert pushed_seqs(central) == [[1], [2]]


def test_conflict_ack_counts_as_acked_and_is_logged(kiosk, engine, central, caplog):
    (t,) = issue(kiosk, 1)
    first_id = outbox(kiosk)[0]["id"]
    central.items[first_id] = {"kiosk_id": "kiosk-1", "seq": 1, "kind": "ticket.issued", "payload": {"other": 1}}
    with caplog.at_level(logging.WARNING, logger="sync"):
        report = engine.run_round()
    assert report.ok and report.conflicts == 1 and report.backlog == 0
    row = outbox(kiosk)[0]
    assert row["ack_status"] == "conflict" and row["acked_at"] and "conflict" in row["last_error"]
    assert any("conflict" in r.getMessage() and first_id in r.getMessage() for r in caplog.records)


def test_items_central_leaves_out_stay_pending_with_their_attempt(kiosk, engine, central):
    issue(kiosk, 2)
    central.fault("push", reply=lambda r: {**r, "acks": r["acks"][:1]})
    report = engine.run_round()
    assert report.ok and report.pushed == 1 and report.backlog == 3
    rows = outbox(kiosk)
    assert rows[0]["acked_at"] and all(r["acked_at"] is None for r in rows[1:])
    assert all(r["attempts"] == 1 and r["last_error"] == "not acknowledged by central" for r in rows[1:])
    assert engine.run_round().backlog == 0  # the next round sends them again (central: duplicate for none)


def test_ack_of_an_item_not_sent_marks_nothing(kiosk, engine, central):
    issue(kiosk, 1)
    bogus = {"id": "ffffffff-0000-4000-8000-000000000000", "seq": 1, "status": "stored"}
    central.fault("push", reply=lambda r: {**r, "acks": [*r["acks"], bogus]})
    report = engine.run_round()
    assert not report.ok and report.error_code == "sync.malformed_reply" and "was not sent" in report.error
    assert all(r["acked_at"] is None for r in outbox(kiosk)) and report.backlog == 2


def test_ack_with_the_wrong_seq_marks_nothing(kiosk, engine, central):
    issue(kiosk, 1)
    central.fault("push", reply=lambda r: {**r, "acks": [{**a, "seq": a["seq"] + 1} for a in r["acks"]]})
    report = engine.run_round()
    assert report.error_code == "sync.malformed_reply" and report.backlog == 2


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ({"body": b"<html>oops</html>"}, "sync.malformed_reply"),
        ({"truncate": True}, "sync.malformed_reply"),
        ({"reply": lambda r: {**r, "acks": [{**a, "status": "maybe"} for a in r["acks"]]}}, "sync.malformed_reply"),
        ({"status": 500, "body": b'{"error": {"code": "internal", "message": "bug"}}'}, "sync.server_error"),
        ({"reset": True}, "sync.unreachable"),
    ],
    ids=["not-json", "truncated", "wrong-shape", "500", "reset"],
)
def test_bad_push_answer_marks_no_ack_and_records_the_attempt(kiosk, engine, central, fault, code):
    issue(kiosk, 2)
    central.fault("push", **fault)
    report = engine.run_round()
    assert not report.ok and report.error_code == code and report.backlog == 4
    rows = outbox(kiosk)
    assert all(r["acked_at"] is None and r["attempts"] == 1 and r["last_error"].startswith(code) for r in rows)
    assert engine.store.sync_state()["last_error_code"] == code
    # Central did store the items before its answer went wrong: the next round gets duplicates.
    report = engine.run_round()
    assert report.ok and report.backlog == 0 and len(central.tickets) == 2


def test_unreachable_central_keeps_the_backlog(kiosk, sync_settings, clock, central):
    issue(kiosk, 2)
    central.stop()
    e = make_engine(sync_settings, clock, timeout=1.0)
    try:
        report = e.run_round()
    finally:
        e.close()
    assert report.error_code == "sync.unreachable" and report.backlog == 4 and report.oldest_unsent_age_seconds == 0


def test_revoked_kiosk_is_refused_and_keeps_its_backlog(kiosk, engine, central):
    issue(kiosk, 1)
    central.revoke("kiosk-1")
    report = engine.run_round()
    assert report.error_code == "sync.refused" and report.server_code == "auth.revoked"
    assert "kiosk-1 was revoked" in report.error and report.backlog == 2
    assert central.requests_to("pull") == []  # the round stopped at the refusal


def test_gaps_are_reported_and_logged(kiosk, engine, central, caplog):
    issue(kiosk, 1)
    central.fault("push", reply=lambda r: {**r, "gaps": [[1, 3]]})
    with caplog.at_level(logging.WARNING, logger="sync"):
        report = engine.run_round()
    assert report.ok and report.gaps == ((1, 3),)
    assert any("misses sequence ranges" in r.getMessage() for r in caplog.records)


def test_oldest_unsent_age_follows_the_clock(kiosk, engine, central, clock):
    issue(kiosk, 1)
    central.revoke("kiosk-1")
    clock.advance(minutes=5)
    assert engine.run_round().oldest_unsent_age_seconds == 300


def test_round_holds_no_write_lock_while_central_thinks(kiosk, engine, central):
    """While central takes its time, the kiosk's writer can commit: no transaction spans a request."""
    issue(kiosk, 1)
    locked_out = []

    def try_write(reply):
        conn = sqlite3.connect(kiosk.store.path, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            locked_out.append(str(exc))
        finally:
            conn.close()
        return reply

    central.add_change("command", data={"id": "c1", "kind": "refresh_catalog", "args": {}})
    for route in ("push", "pull", "heartbeat"):
        central.fault(route, reply=try_write)
    assert engine.run_round().ok
    assert locked_out == []
    assert engine.store.conn is not kiosk.store.conn


def test_sync_uses_its_own_connection_while_the_writer_holds_a_transaction(kiosk, engine, central):
    assert engine.run_round().ok
    issue(kiosk, 1)
    kiosk.store.conn.execute("BEGIN IMMEDIATE")  # the writer thread in the middle of a ticket
    try:
        engine.store.conn.execute("PRAGMA busy_timeout = 200")
        report = engine.run_round()
    finally:
        kiosk.store.conn.execute("ROLLBACK")
    # The push reached central; marking the acks waited for the writer, then gave up cleanly.
    assert report.error_code == "store.failed" and len(central.tickets) == 1
    assert engine.run_round().backlog == 0


def test_store_failure_is_reported_not_raised(kiosk, engine, central, monkeypatch):
    issue(kiosk, 1)

    def broken(*a, **k):
        raise StoreError(reason="disk I/O error")

    monkeypatch.setattr(engine.store, "mark_outbox", broken)
    report = engine.run_round()
    assert not report.ok and report.error_code == "store.failed" and "disk I/O error" in report.error


# --- pull --------------------------------------------------------------------------------------


def test_pulled_catalog_is_checked_installed_and_reported(kiosk, engine, central, sync_settings):
    central.add_change("catalog", version=3, data={"toml": catalog_text(**VALID)})
    report = engine.run_round()
    assert report.ok and report.pulled == 1 and report.catalog_changed and report.catalog_version == 3
    path = central_catalog_path(sync_settings.data_dir)
    assert load_catalog(path).service(KTP).name("en") == "Electronic ID card, central v3"
    assert engine.store.sync_state()["pull_cursor"] == "1"
    row = engine.store.query("SELECT version, state, error FROM central_catalog")[0]
    assert row == {"version": 3, "state": "accepted", "error": None}
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    # The kiosk picks it up when asked (the UI does on catalog_version), and at its next start.
    assert kiosk.catalog.service(KTP).name("en") != "Electronic ID card, central v3"
    assert kiosk.reload_catalog() and kiosk.catalog.service(KTP).name("en") == "Electronic ID card, central v3"
    from kiosk.app import build

    again = build(sync_settings, clock=kiosk.clock)
    try:
        assert again.catalog.service(KTP).name("en") == "Electronic ID card, central v3"
    finally:
        again.close()


@pytest.mark.parametrize(
    "toml",
    [
        catalog_text(**{"services = 27": "services = 28"}),
        catalog_text(**{'prefix = "A"': 'prefix = "a1"'}),
        "this is not toml [",
        "",
        123,
    ],
    ids=["count", "bad-prefix", "not-toml", "empty", "not-text"],
)
def test_catalog_that_does_not_load_is_refused_and_the_cursor_moves(
    kiosk, engine, central, sync_settings, toml, caplog
):
    central.add_change("catalog", version=2, data={"toml": catalog_text(**VALID)})
    engine.run_round()
    installed = central_catalog_path(sync_settings.data_dir).read_bytes()
    central.add_change("catalog", version=4, data={"toml": toml})
    central.add_change("command", data={"id": "c1", "kind": "refresh_catalog", "args": {}})
    with caplog.at_level(logging.ERROR, logger="sync"):
        report = engine.run_round()
    assert report.ok and report.catalogs_refused == 1 and not report.catalog_changed and report.catalog_version == 2
    assert central_catalog_path(sync_settings.data_dir).read_bytes() == installed  # kiosk keeps its catalog
    assert engine.store.sync_state()["pull_cursor"] == "3"  # not stuck behind the bad catalog
    refused = engine.store.query("SELECT state, error FROM central_catalog WHERE version = 4")[0]
    assert refused["state"] == "refused" and refused["error"]
    assert any("catalog version 4 from central refused" in r.getMessage() for r in caplog.records)
    assert [p.name for p in sync_settings.data_dir.iterdir() if p.name.endswith(".tmp")] == []
    assert kiosk.reload_catalog() and kiosk.catalog.service(KTP).name("en") == "Electronic ID card, central v3"


def test_older_catalog_version_is_refused(kiosk, engine, central, sync_settings):
    central.add_change("catalog", version=5, data={"toml": catalog_text(**VALID)})
    central.add_change("catalog", version=4, data={"toml": catalog_text()})
    report = engine.run_round()
    assert report.catalog_version == 5 and report.catalogs_refused == 1
    assert "central v3" in central_catalog_path(sync_settings.data_dir).read_text()


def test_no_central_catalog_means_the_configured_one(kiosk, sync_settings):
    assert not central_catalog_path(sync_settings.data_dir).exists()
    assert kiosk.catalog.service(KTP).name("en") == load_catalog(None).service(KTP).name("en")


def test_commands_are_stored_pending_once(kiosk, engine, central):
    central.add_change("command", data={"id": "cmd-1", "kind": "refresh_catalog", "args": {}})
    central.add_change("command", data={"id": "cmd-2", "kind": "lock", "args": {"reason": "cleaning"}})
    central.add_change("command", data={"id": "cmd-3", "kind": 7})
    central.add_change("command", data={"kind": "no id"})
    central.add_change("keys", data={"public": "..."})
    report = engine.run_round()
    assert report.ok and report.pulled == 5 and report.commands == 3
    rows = engine.store.query("SELECT id, kind, args, state FROM commands ORDER BY cursor")
    # stored, then executed in the same round (kiosk/commands.py); a malformed one is refused
    assert [(r["id"], r["state"]) for r in rows] == [("cmd-1", "done"), ("cmd-2", "done"), ("cmd-3", "refused")]
    assert json.loads(rows[1]["args"]) == {"reason": "cleaning"}
    # Delivered again (another kiosk process pulled meanwhile): still once.
    engine.store.set_sync_state({"pull_cursor": 0}, engine.clock.now())
    engine.run_round()
    assert engine.store.query("SELECT count(*) AS n FROM commands")[0]["n"] == 3


def test_pull_pages_until_central_has_no_more(kiosk, sync_settings, clock, central):
    for i in range(7):
        central.add_change("command", data={"id": f"c{i}", "kind": "x", "args": {}})
    e = make_engine(sync_settings, clock, pull_limit=3)
    try:
        report = e.run_round()
        assert report.pulled == 7 and e.store.sync_state()["pull_cursor"] == "7"
    finally:
        e.close()
    assert [r["path"].split("?")[1] for r in central.requests_to("pull")] == [
        "cursor=0&limit=3",
        "cursor=3&limit=3",
        "cursor=6&limit=3",
    ]


def test_cursor_moves_only_with_the_commit_of_its_page(kiosk, engine, central, monkeypatch):
    central.add_change("command", data={"id": "c1", "kind": "x", "args": {}})
    central.add_change("command", data={"id": "c2", "kind": "x", "args": {}})
    real = engine._apply
    calls = []

    def fail_on_second(change, staged, done):
        calls.append(change.cursor)
        if len(calls) == 2:
            raise StoreError(reason="disk full")
        real(change, staged, done)

    monkeypatch.setattr(engine, "_apply", fail_on_second)
    report = engine.run_round()
    assert report.error_code == "store.failed"
    assert engine.store.sync_state().get("pull_cursor") == "0"
    assert engine.store.query("SELECT count(*) AS n FROM commands")[0]["n"] == 0
    monkeypatch.setattr(engine, "_apply", real)
    assert engine.run_round().pulled == 2 and engine.store.sync_state()["pull_cursor"] == "2"


def test_malformed_pull_page_applies_nothing(kiosk, engine, central):
    central.add_change("command", data={"id": "c1", "kind": "x", "args": {}})
    central.fault("pull", reply=lambda r: {**r, "changes": [{**r["changes"][0], "cursor": "1"}]})
    report = engine.run_round()
    assert report.error_code == "sync.malformed_reply"
    assert engine.store.sync_state().get("pull_cursor") == "0"
    assert engine.store.query("SELECT count(*) AS n FROM commands")[0]["n"] == 0


def test_page_applied_by_another_process_meanwhile_is_not_applied_twice(kiosk, engine, central, sync_settings, clock):
    central.add_change("catalog", version=2, data={"toml": catalog_text(**VALID)})
    other = make_engine(sync_settings, clock)
    try:
        other.run_round()
    finally:
        other.close()
    engine.store.set_sync_state({"pull_cursor": 1}, clock.now())  # as the other process left it
    report = engine.run_round()
    assert report.pulled == 0 and report.catalogs_refused == 0


def test_cursor_starts_again_for_another_central(kiosk, engine, central, sync_settings, clock):
    central.add_change("command", data={"id": "c1", "kind": "x", "args": {}})
    engine.run_round()
    assert engine.store.sync_state()["pull_cursor"] == "1"
    engine.client.url = central.url.replace("127.0.0.1", "localhost")
    engine.run_round()
    state = engine.store.sync_state()
    assert state["pull_cursor"] == "1" and state["cursor_scope"].startswith("http://localhost")
    assert [r["path"].split("?")[1] for r in central.requests_to("pull")][-1] == "cursor=0&limit=100"


# --- heartbeat ---------------------------------------------------------------------------------


def test_heartbeat_reports_backlog_version_and_records_skew(kiosk, engine, central, clock):
    issue(kiosk, 1)
    central.revoke("kiosk-1")
    engine.run_round()
    central.kiosks["kiosk-1"].revoked = False
    central.fault("push", status=503)
    clock.advance(seconds=90)
    engine.run_round()  # push fails: no heartbeat in a round that failed
    assert central.heartbeats == []
    report = engine.run_round(heartbeat=True)
    (hb,) = central.heartbeats
    assert hb["backlog"] == 0 and hb["oldest_unsent_age_seconds"] == 0 and hb["app_version"] == engine.client.version
    assert hb["kiosk_time"] == clock.now().isoformat() and hb["last_sync_at"] and hb["devices"] == []
    skew = (clock.now() - central.now()).total_seconds()
    assert report.clock_skew_seconds == pytest.approx(skew, abs=5)
    assert float(engine.store.sync_state()["clock_skew_seconds"]) == report.clock_skew_seconds


def test_heartbeat_every_interval_not_every_round(kiosk, sync_settings, clock, central):
    e = make_engine(sync_settings, clock, heartbeat_every=3600)
    try:
        for _ in range(3):
            assert e.run_round().ok
    finally:
        e.close()
    assert len(central.heartbeats) == 1


def test_heartbeat_carries_device_health(kiosk, sync_settings, clock, central):
    devices = [{"name": "printer", "kind": "printer", "status": "OK", "reason": ""}]
    e = make_engine(sync_settings, clock, devices=lambda: devices)
    try:
        e.run_round()
    finally:
        e.close()
    assert central.heartbeats[0]["devices"] == devices


def test_heartbeat_devices_are_bounded_as_central_reads_them(kiosk, sync_settings, clock, central):
    devices = [{"name": "p" * 100, "kind": "printer", "status": "ERROR", "reason": "r" * 500, "extra": 1}] * 40
    e = make_engine(sync_settings, clock, devices=lambda: devices)
    try:
        e.run_round()
    finally:
        e.close()
    sent = central.heartbeats[0]["devices"]
    assert len(sent) == 32 and sent[0] == {"name": "p" * 80, "kind": "printer", "status": "ERROR", "reason": "r" * 200}


def test_broken_device_report_does_not_stop_the_heartbeat(kiosk, sync_settings, clock, central):
    def broken():
        raise RuntimeError("printer thread gone")

    e = make_engine(sync_settings, clock, devices=broken)
    try:
        assert e.run_round().ok
    finally:
        e.close()
    assert central.heartbeats[0]["devices"] == []


def test_rejected_heartbeat_is_logged_and_the_round_still_counts(kiosk, engine, central, caplog):
    issue(kiosk, 1)
    central.fault("heartbeat", status=422, body=b'{"error": {"code": "request.invalid", "message": "devices[0]"}}')
    with caplog.at_level(logging.ERROR, logger="sync"):
        report = engine.run_round()
    assert report.ok and report.pushed == 2
    assert any("heartbeat rejected" in r.getMessage() for r in caplog.records)


def test_failed_heartbeat_fails_the_round(kiosk, engine, central):
    central.fault("heartbeat", status=503)
    report = engine.run_round()
    assert not report.ok and report.error_code == "sync.server_error"


# --- items central refuses (4xx: it changed nothing, so never the same request again) -----------


def test_item_central_refuses_is_set_aside_and_the_rest_goes_on(kiosk, engine, central, caplog):
    issue(kiosk, 5)
    bad = outbox(kiosk)[4]  # seq 5
    central.reject_ids.add(bad["id"])
    with caplog.at_level(logging.ERROR, logger="sync"):
        report = engine.run_round()
    assert report.ok and report.pushed == 9 and report.rejected == 1 and report.set_aside == 1
    assert report.backlog == 1 and len(central.items) == 9 and bad["id"] not in central.items
    row = outbox(kiosk)[4]
    assert row["acked_at"] is None and row["ack_status"] == "rejected"
    assert row["last_error"].startswith("sync.rejected:") and "items[0].payload.kiosk_id" in row["last_error"]
    assert any("central refuses outbox item" in r.getMessage() and bad["id"] in r.getMessage() for r in caplog.records)
    # Not sent again unchanged ...
    pushes = len(central.requests_to("push"))
    again = engine.run_round()
    assert again.ok and again.pushed == 0 and len(central.requests_to("push")) == pushes
    # ... until the next start or a technician's sync, when central may have been fixed.
    central.reject_ids.clear()
    fixed = engine.run_round(retry_rejected=True)
    assert fixed.pushed == 1 and fixed.backlog == 0 and fixed.set_aside == 0
    assert {r["ack_status"] for r in outbox(kiosk)} == {"stored"}


def test_too_large_batch_is_split(kiosk, engine, central):
    issue(kiosk, 4)
    central.fault("push", status=413, body=b'{"error": {"code": "request.too_large", "message": "over 2 MiB"}}')
    report = engine.run_round()
    assert report.ok and report.pushed == 8 and report.rejected == 0
    assert pushed_seqs(central) == [list(range(1, 9)), [1, 2, 3, 4], [5, 6, 7, 8]]


def test_central_refusing_everything_stops_the_round(kiosk, engine, central):
    with kiosk.store.transaction():  # 25 records central will not take, between 25 it takes
        for i in range(25):
            kiosk.store.add_outbox("ticket.note", {"n": i}, kiosk.clock.now())
            kiosk.store.add_outbox("ticket.bad", {"n": i}, kiosk.clock.now())
    central.reject_kinds.add("ticket.bad")
    report = engine.run_round()
    assert not report.ok and report.error_code == "sync.rejected" and report.rejected == 20
    assert "20 items refused in one round" in report.error
    assert report.set_aside == 20 and report.backlog == 50 - len(central.items)


@pytest.mark.parametrize("status", [404, 415])
def test_request_level_rejection_is_not_split(kiosk, engine, central, status):
    issue(kiosk, 2)
    central.fault("push", status=status, body=b'{"error": {"code": "not_found", "message": "no route"}}')
    report = engine.run_round()
    assert report.error_code == "sync.rejected" and report.set_aside == 0 and report.backlog == 4
    assert len(central.requests_to("push")) == 1
