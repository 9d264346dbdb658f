from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.clock import ZONES
from kiosk.errors import NeedsOnline, QuotaFull, ServiceClosed, UnknownService
from kiosk.queue import format_number


def rows(kiosk, sql, *params):
    return kiosk.store.conn.execute(sql, params).fetchall()


def test_issue_ticket_writes_ticket_and_outbox_in_one_go(kiosk):
    t = kiosk.issue_ticket("KTP-EL")
    assert t.number == "A1-001" and t.day == "2026-11-24"
    assert datetime.fromisoformat(t.issued_at).utcoffset().total_seconds() == 7 * 3600
    (ticket_row,) = rows(kiosk, "SELECT number, service_code FROM tickets")
    assert ticket_row == ("A1-001", "KTP-EL")
    (outbox,) = rows(kiosk, "SELECT seq, kind, json_extract(payload, '$.number'), acked_at FROM outbox")
    assert outbox == (1, "ticket.issued", "A1-001", None)


def test_issue_ticket_numbers_count_up_per_letter(kiosk):
    numbers = [kiosk.issue_ticket(code).number for code in ("KTP-EL", "KARTU-KELUARGA", "SKCK-BARU", "KTP-EL")]
    # KTP-EL and KARTU-KELUARGA share letter A (the same counters); SKCK has its own.
    assert numbers == ["A1-001", "A1-002", "C1-001", "A1-003"]


def test_issue_ticket_numbers_reset_at_hall_midnight(kiosk, clock):
    clock.at = datetime(2026, 11, 24, 23, 59, tzinfo=ZONES["WIB"])
    # Real hall hours would refuse 23:59; open the hall around the clock as the demo does.
    kiosk.queue.settings = replace(kiosk.settings, hall=replace(kiosk.settings.hall, always_open=True))
    assert kiosk.issue_ticket("KTP-EL").number == "A1-001"
    assert kiosk.issue_ticket("KTP-EL").number == "A1-002"
    clock.advance(minutes=2)  # 00:01 WIB the next day (17:01 UTC: the UTC date has not changed)
    t = kiosk.issue_ticket("KTP-EL")
    assert (t.number, t.day) == ("A1-001", "2026-11-25")


def test_issue_ticket_unknown_service_changes_nothing(kiosk):
    with pytest.raises(UnknownService, match="NOPE"):
        kiosk.issue_ticket("NOPE")
    assert rows(kiosk, "SELECT count(*) FROM tickets") == [(0,)]
    assert rows(kiosk, "SELECT count(*) FROM outbox") == [(0,)]


def test_issue_ticket_quota_full_says_when_it_opens_and_changes_nothing(kiosk):
    service = kiosk.catalog.service("SKCK-BARU")
    for _ in range(service.daily_quota):
        kiosk.issue_ticket("SKCK-BARU")
    before = rows(kiosk, "SELECT count(*) FROM tickets")[0][0], rows(kiosk, "SELECT count(*) FROM outbox")[0][0]
    with pytest.raises(QuotaFull) as err:
        kiosk.issue_ticket("SKCK-BARU", language="en")
    # Tuesday 24 Nov is full; SKCK opens again Wednesday 08:00 WIB.
    assert "25-11-2026 08:00 WIB" in err.value.message
    assert "full for today" in err.value.message
    after = rows(kiosk, "SELECT count(*) FROM tickets")[0][0], rows(kiosk, "SELECT count(*) FROM outbox")[0][0]
    assert before == after == (service.daily_quota, service.daily_quota)
    assert kiosk.queue.availability(service).quota_left == 0


def test_issue_ticket_outside_opening_hours(kiosk, clock):
    clock.at = datetime(2026, 11, 29, 10, 0, tzinfo=ZONES["WIB"])  # a Sunday
    with pytest.raises(ServiceClosed) as err:
        kiosk.issue_ticket("KTP-EL")
    assert "closed" in err.value.message and "WIB" in err.value.message
    assert rows(kiosk, "SELECT count(*) FROM tickets") == [(0,)]


def test_issue_ticket_estimates_people_ahead_and_wait(kiosk, clock):
    service = kiosk.catalog.service("SKCK-BARU")
    n, m = service.counters, service.avg_minutes
    tickets = [kiosk.issue_ticket("SKCK-BARU") for _ in range(n + 2)]
    # The first n visitors go straight to a free counter; the next ones wait for one.
    assert [t.estimated_wait_minutes for t in tickets[:n]] == [0] * n
    assert [t.people_ahead for t in tickets] == [0] * n + [0, 1]
    assert tickets[n].estimated_wait_minutes == m
    assert tickets[n + 1].estimated_wait_minutes == m
    clock.advance(minutes=m + 1)  # the first round is done, the two waiting ones are at the counters
    later = kiosk.issue_ticket("SKCK-BARU")
    assert later.people_ahead == 0 and later.estimated_wait_minutes == 0


def test_format_number_is_readable():
    assert format_number("A", "1", 23) == "A1-023"
    assert format_number("K", "12", 1234) == "K12-1234"


def test_queue_today_lists_sync_state(kiosk):
    kiosk.issue_ticket("KTP-EL")
    kiosk.store.conn.execute("UPDATE outbox SET acked_at = '2026-11-24T09:01:00+07:00'")
    kiosk.issue_ticket("KTP-EL")
    assert [(r["number"], r["sync_state"]) for r in kiosk.queue.today()] == [
        ("A1-001", "synced"),
        ("A1-002", "pending"),
    ]


def test_issue_ticket_online_only_service_refused_offline(kiosk):
    online_only = [s for s in kiosk.catalog.services() if not s.offline]
    assert online_only, "the catalog marks some services as needing the central link"
    with pytest.raises(NeedsOnline, match="central system"):
        kiosk.issue_ticket(online_only[0].code, language="en")
    assert rows(kiosk, "SELECT count(*) FROM tickets") == [(0,)]


def test_issue_ticket_day_follows_the_halls_zone(tmp_path, clock):
    from kiosk.app import build
    from kiosk.config import load

    cfg = tmp_path / "wita.toml"
    cfg.write_text('[hall]\ntimezone = "WITA"\nalways_open = true\n[printer]\nkind = "none"\n')
    k = build(load(cfg, data_dir=tmp_path / "d"), clock=clock)
    clock.at = datetime(2026, 11, 24, 23, 30, tzinfo=ZONES["WIB"])  # 00:30 WITA on the 25th
    t = k.issue_ticket("KTP-EL")
    assert t.day == "2026-11-25" and t.issued_at.endswith("+08:00")
    k.close()


def test_people_ahead_matches_a_plain_count_through_a_busy_morning(kiosk, clock):
    """The indexed look-up gives what counting every waiting ticket would, as time passes."""
    import random

    rng = random.Random(3)
    codes = ["KTP-EL", "KARTU-KELUARGA", "AKTA-LAHIR-MATI", "SKCK-BARU"]
    for _ in range(120):
        clock.advance(seconds=rng.choice([5, 20, 60, 240]))
        t = kiosk.issue_ticket(rng.choice(codes))
        (plain,) = kiosk.store.conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            "AND estimated_call_at > ? AND id != ?",
            (t.day, t.prefix, t.issued_at, t.id),
        ).fetchone()
        assert t.people_ahead == plain
    kiosk.store.conn.execute("UPDATE tickets SET status = 'called' WHERE seq % 3 = 0")  # counters call some
    for code in codes:
        service = kiosk.catalog.service(code)
        (plain,) = kiosk.store.conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ? AND prefix = ? AND status = 'waiting' "
            "AND estimated_call_at > ?",
            ("2026-11-24", service.prefix, kiosk.queue.now().isoformat(timespec="seconds")),
        ).fetchone()
        assert kiosk.queue.availability(service).people_ahead == plain
