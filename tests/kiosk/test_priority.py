"""Priority tickets (kiosk/priority.py): their own number series per letter, counted apart, the
quota covering both, called first (a priority ticket's estimate counts the priority visitors
waiting; a normal one's counts everyone), marked in the store, the outbox and on paper, and an
old store migrated with its tickets."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import replace

import pytest
from escpos_reader import parse

from kiosk.priority import PRIORITY_KINDS, Priority, parse_priority
from kiosk.queue import format_number
from kiosk.store import MIGRATIONS, Store
from kiosk.ticket_layout import INVERT_OFF, INVERT_ON, priority_marker


def rows(kiosk, sql, *params):
    return kiosk.store.conn.execute(sql, params).fetchall()


def test_priority_kinds_are_the_four_codes_with_labels_in_both_languages():
    assert PRIORITY_KINDS == ("elderly", "disability", "pregnant", "infant")
    assert Priority.ELDERLY.label("en") == "Elderly (60 years or older)"
    assert Priority.ELDERLY.label("id") == "Lansia (60 tahun ke atas)"
    assert {p.short_label("id") for p in Priority} == {"LANSIA", "DISABILITAS", "IBU HAMIL", "MEMBAWA BAYI"}
    assert parse_priority("infant") is Priority.INFANT and parse_priority(None) is None
    with pytest.raises(ValueError, match="elderly, disability, pregnant, infant"):
        parse_priority("vip")


def test_priority_number_has_its_own_series_and_cannot_collide(kiosk):
    numbers = [
        kiosk.issue_ticket(code, priority=kind).number
        for code, kind in [
            ("KTP-EL", None),
            ("KTP-EL", "elderly"),
            ("KARTU-KELUARGA", Priority.PREGNANT),
            ("KTP-EL", None),
            ("SKCK-BARU", "disability"),
        ]
    ]
    assert numbers == ["A1-001", "A1-P001", "A1-P002", "A1-002", "C1-P001"]
    assert format_number("AB", "12", 9999, priority=True) == "AB12-P9999"
    assert rows(kiosk, "SELECT prefix, series, last_seq FROM counters ORDER BY prefix, series") == [
        ("A", "", 2),
        ("A", "P", 2),
        ("C", "P", 1),
    ]
    assert rows(kiosk, "SELECT number, priority FROM tickets ORDER BY rowid") == [
        ("A1-001", None),
        ("A1-P001", "elderly"),
        ("A1-P002", "pregnant"),
        ("A1-002", None),
        ("C1-P001", "disability"),
    ]


def test_priority_ticket_goes_to_the_outbox_marked(kiosk):
    kiosk.issue_ticket("KTP-EL")
    p = kiosk.issue_ticket("KTP-EL", priority="infant")
    payloads = [json.loads(r["payload"]) for r in kiosk.store.pending_outbox()]
    assert [(x["number"], x["priority"]) for x in payloads] == [("A1-001", None), ("A1-P001", "infant")]
    assert payloads[1]["id"] == p.id and p.to_dict()["priority"] == "infant"


def test_unknown_priority_kind_changes_nothing(kiosk):
    with pytest.raises(ValueError, match="vip"):
        kiosk.issue_ticket("KTP-EL", priority="vip")
    assert rows(kiosk, "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM outbox)") == [(0, 0)]


def test_counts_split_normal_and_priority_and_the_quota_covers_both(kiosk):
    service = kiosk.catalog.service("SKCK-BARU")
    kinds = [None, "elderly"] * service.daily_quota
    for kind in kinds[: service.daily_quota]:
        kiosk.issue_ticket("SKCK-BARU", priority=kind)
    a = kiosk.queue.availability(service)
    assert a.issued_today == service.daily_quota and a.quota_left == 0
    assert (a.normal_issued_today, a.priority_issued_today) == (
        (service.daily_quota + 1) // 2,
        service.daily_quota // 2,
    )
    from kiosk.errors import QuotaFull

    with pytest.raises(QuotaFull):
        kiosk.issue_ticket("SKCK-BARU", priority="pregnant")


def test_priority_visitor_is_estimated_on_the_priority_queue_only(kiosk):
    service = kiosk.catalog.service("SKCK-BARU")
    n, m = service.counters, service.avg_minutes
    normal = [kiosk.issue_ticket("SKCK-BARU") for _ in range(n + 3)]  # n at the counters, 3 waiting
    assert [t.people_ahead for t in normal[n:]] == [0, 1, 2]
    first = kiosk.issue_ticket("SKCK-BARU", priority="elderly")
    # Nobody of the priority queue waits: called when the first counter is free, before the 3.
    assert (first.people_ahead, first.estimated_wait_minutes) == (0, m)
    second = kiosk.issue_ticket("SKCK-BARU", priority="disability")
    assert (second.people_ahead, second.estimated_wait_minutes) == (1, m)
    # A normal visitor counts everyone waiting, the two priority ones included, and waits longer.
    after = kiosk.issue_ticket("SKCK-BARU")
    assert after.people_ahead == 3 + 2
    assert after.estimated_wait_minutes > normal[-1].estimated_wait_minutes
    a = kiosk.queue.availability(service, priority=Priority.PREGNANT)
    assert a.people_ahead == 2
    # The normal tickets that were waiting moved back behind the priority ones.
    # (n counters free at once: the two priority visitors and the first normal one take them.)
    calls = dict(rows(kiosk, "SELECT number, estimated_call_at FROM tickets"))
    assert calls[first.number] == calls[second.number] == calls[normal[n].number] == normal[n].estimated_call_at
    assert calls[normal[-1].number] > normal[-1].estimated_call_at


def test_people_ahead_matches_a_plain_count_with_priority_tickets(kiosk, clock):
    """Both series' indexed look-ups give what counting every waiting ticket would, as time passes."""
    rng = random.Random(11)
    codes = ["KTP-EL", "KARTU-KELUARGA", "AKTA-LAHIR-MATI", "SKCK-BARU"]
    for _ in range(100):
        clock.advance(seconds=rng.choice([5, 20, 60, 240]))
        kind = rng.choice([None, None, None, *PRIORITY_KINDS])
        t = kiosk.issue_ticket(rng.choice(codes), priority=kind)
        only = "AND priority IS NOT NULL" if kind else ""
        (plain,) = kiosk.store.conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            f"AND estimated_call_at > ? AND id != ? {only}",
            (t.day, t.prefix, t.issued_at, t.id),
        ).fetchone()
        assert t.people_ahead == plain, (t.number, kind)
    kiosk.store.conn.execute("UPDATE tickets SET status = 'called' WHERE seq % 3 = 0")  # counters call some
    stamp = kiosk.queue.now().isoformat(timespec="seconds")
    for code in codes:
        service = kiosk.catalog.service(code)
        for kind, only in ((None, ""), ("elderly", "AND priority IS NOT NULL")):
            (plain,) = kiosk.store.conn.execute(
                "SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
                f"AND estimated_call_at > ? {only}",
                ("2026-11-24", service.prefix, stamp),
            ).fetchone()
            assert kiosk.queue.availability(service, priority=kind).people_ahead == plain, (code, kind)


def test_call_times_still_grow_with_the_sequence_in_each_series(kiosk, clock):
    rng = random.Random(5)
    for _ in range(38):  # SKCK-BARU: a quota of 40 a day
        clock.advance(seconds=rng.choice([10, 30, 90]))
        kiosk.issue_ticket("SKCK-BARU", priority=rng.choice([None, None, "elderly"]))
    for only in ("priority IS NULL", "priority IS NOT NULL"):
        calls = [c for (c,) in rows(kiosk, f"SELECT estimated_call_at FROM tickets WHERE {only} ORDER BY seq")]
        assert calls == sorted(calls)


def test_old_store_with_tickets_migrates(tmp_path, settings, clock):
    """A version-4 store with a day's tickets: they stay normal tickets, the numbering and the
    counts go on, and priority numbers start at P001."""
    path = settings.data_dir / "kiosk.sqlite3"
    settings.data_dir.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version, script in enumerate(MIGRATIONS[:4], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
    base = {
        "day": "2026-11-24",
        "prefix": "A",
        "service_code": "KTP-EL",
        "agency_code": "DUKCAPIL",
        "kiosk_id": "test-kiosk-1",
        "language": "id",
        "issued_at": "2026-11-24T08:30:00+07:00",
        "people_ahead": 0,
        "estimated_wait_minutes": 0,
        "estimated_call_at": "2026-11-24T08:30:00+07:00",
        "estimated_done_at": "2026-11-24T08:40:00+07:00",
        "service_minutes": 10,
    }
    for seq in (1, 2):
        row = {**base, "id": f"old-{seq}", "number": f"A1-{seq:03d}", "seq": seq, "outbox_id": f"o-{seq}"}
        conn.execute(f"INSERT INTO tickets ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        conn.execute(
            "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, 'ticket.issued', '{}', ?)",
            (f"o-{seq}", base["issued_at"]),
        )
    conn.execute("INSERT INTO counters VALUES ('2026-11-24', 'A', 2)")
    conn.execute("INSERT INTO service_counts VALUES ('2026-11-24', 'KTP-EL', 2)")
    conn.close()

    from kiosk.app import build

    kiosk = build(settings, clock=clock)
    try:
        assert kiosk.store.version == len(MIGRATIONS) >= 5
        assert rows(kiosk, "SELECT number, priority FROM tickets ORDER BY seq") == [("A1-001", None), ("A1-002", None)]
        assert kiosk.issue_ticket("KTP-EL").number == "A1-003"
        assert kiosk.issue_ticket("KTP-EL", priority="elderly").number == "A1-P001"
        a = kiosk.queue.availability(kiosk.catalog.service("KTP-EL"))
        assert (a.issued_today, a.priority_issued_today) == (4, 1)
    finally:
        kiosk.close()
    reopened = Store(path)  # a second open migrates nothing again
    assert reopened.version == len(MIGRATIONS)
    reopened.close()


def marker_bytes(data: bytes) -> bytes:
    start = data.index(INVERT_ON)
    return data[start : data.index(INVERT_OFF, start) + len(INVERT_OFF)]


@pytest.mark.parametrize(
    ("language", "kind", "text"),
    [("id", "elderly", "PRIORITAS: LANSIA"), ("en", "infant", "PRIORITY: WITH INFANT")],
)
def test_printed_priority_ticket_has_an_inverted_marker_in_its_language(kiosk, language, kind, text):
    ticket = kiosk.issue_ticket("KTP-EL", language=language, priority=kind)
    data = kiosk.render_ticket(ticket)
    receipt = parse(data)
    assert receipt.unknown == []
    assert "A1-P001" in receipt.lines
    assert priority_marker(Priority(kind), language) == text
    assert f" {text} " in receipt.lines or text in receipt.lines
    band = marker_bytes(data)
    assert band == INVERT_ON + f" {text} ".encode() + INVERT_OFF
    (run,) = [r for r in receipt.runs if r.text.strip() == text]
    assert run.bold and run.align == "center" and run.width == 1
    normal = kiosk.render_ticket(kiosk.issue_ticket("KTP-EL", language=language))
    assert INVERT_ON not in normal


@pytest.mark.parametrize("columns", [32, 42])
def test_printed_priority_ticket_fits_the_paper(kiosk, columns):
    ticket = replace(kiosk.issue_ticket("KTP-EL", priority="infant"), number="AB12-P9999")
    settings = replace(kiosk.settings, printer=replace(kiosk.settings.printer, columns=columns))
    from kiosk.ticket_layout import render_ticket

    service = kiosk.catalog.service("KTP-EL")
    for language in ("id", "en"):
        receipt = parse(
            render_ticket(replace(ticket, language=language), service, kiosk.catalog.agency("DUKCAPIL"), settings)
        )
        for run in receipt.runs:
            assert len(run.text) * run.width <= columns, run
        (big,) = [r for r in receipt.runs if r.text == "AB12-P9999"]
        assert big.width == (4 if columns == 42 else 3)


# --- the CLI, as a real process -------------------------------------------------------------


def test_cli_priority_ticket_is_marked_in_store_on_paper_and_in_outbox(tmp_path):
    from tests.kiosk.test_cli import kiosk as run_kiosk

    r = run_kiosk("--demo", "ticket", "KTP-EL", "--priority", "elderly", "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)
    assert (t["number"], t["priority"], t["printed"]) == ("A1-P001", "elderly", True)
    # The store.
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        stored = conn.execute("SELECT number, priority FROM tickets WHERE id = ?", (t["id"],)).fetchone()
        (payload,) = conn.execute("SELECT payload FROM outbox WHERE kind = 'ticket.issued'").fetchone()
    assert stored == ("A1-P001", "elderly")
    # The outbox.
    sent = json.loads(payload)
    assert (sent["id"], sent["number"], sent["priority"]) == (t["id"], "A1-P001", "elderly")
    # The paper (the demo kiosk speaks Indonesian).
    data = open(t["printer_output"], "rb").read()
    assert marker_bytes(data) == INVERT_ON + b" PRIORITAS: LANSIA " + INVERT_OFF
    assert "A1-P001" in parse(data).lines

    normal = run_kiosk("--demo", "ticket", "KTP-EL", "--json", data=tmp_path)
    assert normal.returncode == 0, normal.stderr
    assert json.loads(normal.stdout)["priority"] is None and json.loads(normal.stdout)["number"] == "A1-001"
    q = run_kiosk("--demo", "queue", data=tmp_path)
    assert q.returncode == 0, q.stderr
    lines = {line.split()[0]: line for line in q.stdout.splitlines()}
    assert lines["A1-P001"].endswith("PRIORITY elderly") and "PRIORITY" not in lines["A1-001"]
    qj = json.loads(run_kiosk("--demo", "queue", "--json", data=tmp_path).stdout)
    assert sorted((x["number"], x["priority"]) for x in qj["tickets"]) == [("A1-001", None), ("A1-P001", "elderly")]


def test_cli_unknown_priority_kind_is_refused_by_argparse(tmp_path):
    from tests.kiosk.test_cli import kiosk as run_kiosk

    r = run_kiosk("--demo", "ticket", "KTP-EL", "--priority", "vip", data=tmp_path)
    assert r.returncode == 2
    assert "argument --priority: invalid choice: 'vip'" in r.stderr
    assert "elderly" in r.stderr and "infant" in r.stderr
    assert not (tmp_path / "kiosk.sqlite3").exists()


# --- with a hall state from central ---------------------------------------------------------

MIN = 60
BUSY = (5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 30 * MIN)  # letter A's five counters


def store_hall(kiosk, **letter) -> None:
    from kiosk.queue import encode_hall_state

    now = kiosk.clock.now()
    values = encode_hall_state(
        hall_code="DEMO",
        day=now.date().isoformat(),
        as_of=now,
        received_at=now,
        counted_seq=0,
        letters=[{"prefix": "A", "counters": 5, "own": 0, "calls": [], "free": list(BUSY)} | letter],
    )
    kiosk.store.set_sync_state(values, now)


def test_hall_state_priority_view_counts_the_halls_priority_visitors(kiosk):
    from kiosk.queue import is_kiosk_estimate

    ktp = kiosk.catalog.service("KTP-EL")
    store_hall(
        kiosk,
        calls=[10 * MIN, 12 * MIN, 15 * MIN],
        priority_calls=[10 * MIN],
        priority_free=[10 * MIN, 15 * MIN, 15 * MIN, 20 * MIN, 30 * MIN],
    )
    a = kiosk.queue.availability(ktp)
    assert (a.people_ahead, a.estimated_wait_minutes) == (3, 5)
    p = kiosk.queue.availability(ktp, priority="elderly")
    assert (p.people_ahead, p.estimated_wait_minutes) == (1, 10) and not is_kiosk_estimate(p.estimated_wait_minutes)
    mine = kiosk.issue_ticket("KTP-EL", priority="elderly")  # not at central yet: added by this kiosk
    assert mine.people_ahead == 1
    assert kiosk.queue.availability(ktp, priority="pregnant").people_ahead == 2
    assert kiosk.queue.availability(ktp).people_ahead == 4
    store_hall(  # central counted it now (own_priority 1): not added twice
        kiosk,
        calls=[10 * MIN, 10 * MIN, 12 * MIN, 15 * MIN],
        priority_calls=[10 * MIN, 10 * MIN],
        priority_free=[15 * MIN, 15 * MIN, 20 * MIN, 20 * MIN, 30 * MIN],
        own_priority=1,
    )
    assert kiosk.queue.availability(ktp, priority="pregnant").people_ahead == 2
    assert kiosk.queue.availability(ktp).people_ahead == 4


def test_hall_state_without_a_priority_view_gives_this_kiosks_estimate(kiosk):
    from kiosk.queue import is_kiosk_estimate

    store_hall(kiosk, calls=[10 * MIN])  # an older central: no priority view
    p = kiosk.queue.availability(kiosk.catalog.service("KTP-EL"), priority="infant")
    assert is_kiosk_estimate(p.estimated_wait_minutes) and p.people_ahead == 0
    assert not is_kiosk_estimate(kiosk.queue.availability(kiosk.catalog.service("KTP-EL")).estimated_wait_minutes)
