"""Hall-wide quotas at central (repo/leases.py): each kiosk is leased a share of a service's daily
quota at its pull, tickets received shrink the lease once, returns give numbers back, leases
end at the hall's midnight, and however the pulls and pushes of many kiosks interleave
(SQLite and PostgreSQL, several threads), central never promises more than the quota:

    tickets received + unused part of every lease <= daily quota
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from central.repo import changes, leases

PULL = "/api/v1/sync/pull"
PUSH = "/api/v1/sync/push"
TODAY = date(2026, 11, 24)  # central's clock in these tests: Tuesday 2026-11-24 09:00 WIB
TOMORROW = TODAY + timedelta(days=1)


def catalog(**quotas: int) -> str:
    """A hall catalog's text: one agency with one service per keyword (KTP_EL -> KTP-EL)."""
    lines = ["version = 1", "agencies = 1", f"services = {len(quotas)}", "[[agency]]", 'code = "DUKCAPIL"']
    for code, quota in quotas.items():
        lines += ["[[agency.service]]", f'code = "{code.replace("_", "-")}"', f"daily_quota = {quota}"]
    return "\n".join(lines) + "\n"


def set_catalog(fleet, hall: str, text: str) -> None:
    with fleet.db.transaction() as s:
        changes.set_catalog(s, hall, text, fleet.clock())


@pytest.fixture
def bdg(fleet):
    """Hall BDG (WIB), kiosks bdg-1 and bdg-2, KTP-EL with a daily quota of 10 and SKCK of 3."""
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    set_catalog(fleet, "BDG", catalog(KTP_EL=10, SKCK=3))
    return fleet


class Kiosk:
    """A kiosk as central sees it: pulls by cursor, applies its lease news as the real kiosk
    does (a grant adds to its lease, an ask is answered from what is unused), issues leased
    tickets only inside its lease, and pushes its items."""

    def __init__(self, fleet, kiosk_id: str, short_code: str, http=None, hall: str = "BDG") -> None:
        self.fleet, self.id, self.short_code, self.hall = fleet, kiosk_id, short_code, hall
        self.http = http
        self.cursor = 0
        self.seq = 0
        self.lease: dict[tuple[str, str], int] = defaultdict(int)  # granted - returned, as the kiosk knows it
        self.used: dict[tuple[str, str], int] = defaultdict(int)
        self.outbox: list[dict] = []
        self.news: list[dict] = []  # every lease entry pulled

    def get(self, url, **kw):
        return (self.http or self.client).get(url, headers=self.fleet.headers(self.id), **kw)

    def post(self, url, **kw):
        return (self.http or self.client).post(url, headers=self.fleet.headers(self.id), **kw)

    def pull(self) -> list[dict]:
        entries: list[dict] = []
        while True:
            r = self.get(PULL, params={"cursor": self.cursor, "limit": 50})
            assert r.status_code == 200, r.text
            body = r.json()
            for change in body["changes"]:
                if change["kind"] == "lease":
                    entries += change["data"]["leases"]
            self.cursor = body["cursor"]
            if not body["more"]:
                break
        for e in entries:
            key = (e["day"], e["service_code"])
            self.lease[key] += e["grant"]
            if e["ask"]:
                give = min(e["ask"], max(0, self.lease[key] - self.used[key]))
                self.lease[key] -= give
                self.give_back(key, give)
        self.news += entries
        return entries

    def left(self, day: date = TODAY, service: str = "KTP-EL") -> int:
        key = (day.isoformat(), service)
        return self.lease[key] - self.used[key]

    def issue(self, n: int, day: date = TODAY, service: str = "KTP-EL", *, leased: bool = True) -> int:
        """Issue up to `n` tickets (inside the lease when `leased`); returns how many."""
        key = (day.isoformat(), service)
        done = 0
        while done < n and (not leased or self.used[key] < self.lease[key]):
            self.seq += 1
            item = ticket_item(self.id, self.seq, self.short_code, day, service, self.hall)
            if leased:
                item["payload"]["lease"] = True
                self.used[key] += 1
            self.outbox.append(item)
            done += 1
        return done

    def give_back(self, key: tuple[str, str], amount: int) -> None:
        self.seq += 1
        self.outbox.append(return_item(self.seq, key[0], key[1], amount))

    def push(self) -> list[str]:
        if not self.outbox:
            return []
        r = self.post(PUSH, json={"items": self.outbox})
        assert r.status_code == 200, r.text
        self.outbox = []
        return [a["status"] for a in r.json()["acks"]]


def ticket_item(kiosk_id: str, seq: int, short_code: str, day: date, service: str, hall: str = "BDG") -> dict:
    issued = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC) + timedelta(seconds=seq)  # 08:00 WIB
    payload = {
        "id": str(uuid.uuid4()),
        "number": f"A{short_code}-{seq:03d}",
        "day": day.isoformat(),
        "prefix": "A",
        "seq": seq,
        "service_code": service,
        "kiosk_id": kiosk_id,
        "issued_at": issued.isoformat(),
        "hall_code": hall,
    }
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "kind": "ticket.issued",
        "created_at": issued.isoformat(),
        "payload": payload,
    }


def return_item(seq: int, day: str, service: str, amount: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "kind": "lease.return",
        "created_at": "2026-11-24T09:00:00+07:00",
        "payload": {"day": day, "service_code": service, "amount": amount, "asked": amount},
    }


@pytest.fixture
def kiosks(bdg, client):
    one, two = Kiosk(bdg, "bdg-1", "1"), Kiosk(bdg, "bdg-2", "2")
    one.client = two.client = client
    return one, two


def state(fleet, day: date = TODAY, hall: str = "BDG") -> dict[str, dict]:
    with fleet.db.session(write=False) as s:
        return {row["service_code"]: row for row in leases.hall_state(s, hall, day)}


def assert_rule(fleet, day: date = TODAY, hall: str = "BDG") -> None:
    for code, row in state(fleet, day, hall).items():
        assert row["received"] + row["leased_unused"] <= row["quota"], (code, row)


def by_key(entries: list[dict]) -> dict[tuple[str, str], dict]:
    return {(e["day"], e["service_code"]): e for e in entries}


# --- the quotas ------------------------------------------------------------------------------------


def test_quotas_are_read_from_the_catalog_text():
    assert leases.parse_quotas(catalog(KTP_EL=10, SKCK=0)) == {"KTP-EL": 10, "SKCK": 0}
    text = (
        '[[agency]]\n[[agency.service]]\ncode = "A1"\ndaily_quota = true\n'
        '[[agency.service]]\ncode = "bad code"\ndaily_quota = 5\n'
        '[[agency.service]]\ncode = "B2"\ndaily_quota = 10000\n'
        '[[agency.service]]\ncode = "C3"\ndaily_quota = 7\n'
        '[[agency.service]]\ncode = "C3"\ndaily_quota = 9\n'
    )
    assert leases.parse_quotas(text) == {"C3": 7}  # unusable entries left out, the first one counts
    assert leases.parse_quotas("not = [toml") == {}
    assert leases.parse_quotas("version = 1\n") == {}


def test_a_hall_without_quotas_in_its_catalog_leases_nothing(client, fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    r = client.get(PULL, headers=fleet.headers("bdg-1"))
    assert r.json()["changes"] == []  # no catalog at all
    set_catalog(fleet, "BDG", "version = 1\n# no services\n")
    body = client.get(PULL, headers=fleet.headers("bdg-1")).json()
    assert [c["kind"] for c in body["changes"]] == ["catalog"]
    assert fleet.count("leases") == 0


# --- granting --------------------------------------------------------------------------------------


def test_first_pull_leases_each_kiosk_its_share_of_today_and_tomorrow(kiosks, bdg):
    one, two = kiosks
    first = by_key(one.pull())
    assert set(first) == {(d.isoformat(), s) for d in (TODAY, TOMORROW) for s in ("KTP-EL", "SKCK")}
    assert first[("2026-11-24", "KTP-EL")] == {
        "day": "2026-11-24",
        "service_code": "KTP-EL",
        "quota": 10,
        "grant": 5,
        "ask": 0,
        "full": False,
    }
    assert first[("2026-11-24", "SKCK")]["grant"] == 2  # ceil(3 / 2 kiosks)
    second = by_key(two.pull())
    assert second[("2026-11-24", "KTP-EL")]["grant"] == 5
    assert second[("2026-11-24", "SKCK")]["grant"] == 1  # only 1 is left nobody holds
    assert second[("2026-11-25", "KTP-EL")]["grant"] == 5
    for day in (TODAY, TOMORROW):
        assert_rule(bdg, day)
        assert state(bdg, day)["KTP-EL"] == {
            "service_code": "KTP-EL",
            "quota": 10,
            "received": 0,
            "leased_unused": 10,
            "available": 0,
            "kiosks": {"bdg-1": 5, "bdg-2": 5},
        }
    # Nothing new: a pull adds no change.
    assert one.pull() == [] and two.pull() == []


def test_the_lease_change_is_in_the_pull_that_granted_it_after_the_catalog(client, bdg):
    body = client.get(PULL, headers=bdg.headers("bdg-1")).json()
    assert [c["kind"] for c in body["changes"]] == ["catalog", "lease"]
    assert body["cursor"] == body["changes"][-1]["cursor"]
    # The other kiosk does not see bdg-1's lease.
    other = client.get(PULL, headers=bdg.headers("bdg-2")).json()
    assert [c["kind"] for c in other["changes"]] == ["catalog", "lease"]
    assert other["changes"][1]["cursor"] > body["cursor"]


def test_tickets_received_shrink_the_lease_and_a_redelivery_counts_once(kiosks, bdg):
    one, two = kiosks
    one.pull()
    two.pull()
    assert one.issue(3) == 3
    batch = list(one.outbox)
    assert one.push() == ["stored"] * 3
    assert state(bdg)["KTP-EL"]["kiosks"] == {"bdg-1": 2, "bdg-2": 5}
    assert state(bdg)["KTP-EL"]["received"] == 3
    one.outbox = batch  # the answer was lost: the kiosk sends the same batch again
    assert one.push() == ["duplicate"] * 3
    assert state(bdg)["KTP-EL"]["received"] == 3
    assert state(bdg)["KTP-EL"]["kiosks"] == {"bdg-1": 2, "bdg-2": 5}
    assert bdg.count("tickets", "leased") == 3
    assert_rule(bdg)


def test_a_ticket_without_a_lease_counts_as_received_not_against_a_lease(kiosks, bdg):
    one, two = kiosks
    one.issue(2, leased=False)  # issued before this kiosk was ever leased anything
    one.push()
    one.pull()
    assert by_key(one.news)[("2026-11-24", "KTP-EL")]["grant"] == 4  # ceil((10 - 2) / 2)
    two.pull()
    row = state(bdg)["KTP-EL"]
    assert row["received"] == 2 and row["kiosks"] == {"bdg-1": 4, "bdg-2": 4}
    assert_rule(bdg)


def test_an_online_kiosk_is_topped_up_as_it_uses_its_lease(bdg, client):
    bdg.kiosk("BDG", "bdg-3", "3")
    set_catalog(bdg, "BDG", catalog(KTP_EL=100))
    one = Kiosk(bdg, "bdg-1", "1")
    one.client = client
    one.pull()
    assert one.left() == 34  # ceil(100 / 3)
    one.issue(5)
    one.push()
    assert one.pull() == []  # 29 left of a share of ceil(95 / 3) = 32: not down by a quarter
    one.issue(7)
    one.push()
    news = one.pull()  # 22 left: down by 8 from its share ceil(88 / 3) = 30, topped up
    assert [(e["day"], e["grant"]) for e in news] == [("2026-11-24", 8)]
    assert one.left() == 30
    assert_rule(bdg)


def test_central_asks_a_kiosk_holding_more_than_its_share_to_give_numbers_back(kiosks, bdg):
    one, two = kiosks
    one.pull()
    two.pull()
    assert one.issue(10) == 5  # its lease ends at 5
    one.push()
    news = one.pull()  # nothing is free: bdg-2 holds 5, its share is now ceil(5 / 2) = 3
    assert [e["grant"] for e in news if e["day"] == "2026-11-24"] == []
    assert (
        bdg.rows("SELECT asked FROM leases WHERE kiosk_id = 'bdg-2' AND service_code = 'KTP-EL' AND day = :d", d=TODAY)[
            0
        ]["asked"]
        == 2
    )
    assert one.pull() == []  # asked once, not at every pull
    asked = two.pull()
    assert [(e["service_code"], e["ask"], e["grant"]) for e in asked] == [("KTP-EL", 2, 0)]
    assert two.left() == 3
    assert two.push() == ["stored"]  # its lease.return
    row = state(bdg)["KTP-EL"]
    assert row["kiosks"] == {"bdg-1": 0, "bdg-2": 3} and row["available"] == 2
    assert (
        bdg.rows("SELECT asked FROM leases WHERE kiosk_id = 'bdg-2' AND service_code = 'KTP-EL' AND day = :d", d=TODAY)[
            0
        ]["asked"]
        == 0
    )
    news = one.pull()
    assert [(e["day"], e["grant"]) for e in news] == [("2026-11-24", 2)]
    assert one.issue(10) == 2 and two.issue(10) == 3
    one.push()
    two.push()
    row = state(bdg)["KTP-EL"]
    assert row["received"] == 10 and row["leased_unused"] == 0
    # Everyone is told that the hall's quota is used up, once.
    assert [(e["full"], e["grant"]) for e in one.pull() if e["day"] == "2026-11-24"] == [(True, 0)]
    assert [(e["full"], e["grant"]) for e in two.pull() if e["day"] == "2026-11-24"] == [(True, 0)]
    assert one.pull() == [] and two.pull() == []
    assert_rule(bdg)


def test_a_kiosk_answers_an_ask_with_what_it_has_unused_only(kiosks, bdg):
    one, two = kiosks
    one.pull()
    two.pull()
    one.issue(5)
    one.push()
    one.pull()  # bdg-2 is asked for 2
    two.issue(4)  # ... but it issued 4 offline meanwhile: 1 is unused
    two.pull()
    assert two.outbox[-1]["payload"]["amount"] == 1
    two.push()
    row = state(bdg)["KTP-EL"]
    assert row["received"] == 9 and row["kiosks"] == {"bdg-1": 0, "bdg-2": 0} and row["available"] == 1
    assert_rule(bdg)


def test_a_return_counts_once_however_often_it_is_delivered(kiosks, bdg):
    one, _ = kiosks
    one.pull()
    one.give_back(("2026-11-24", "KTP-EL"), 2)
    batch = list(one.outbox)
    assert one.push() == ["stored"]
    one.outbox = batch
    assert one.push() == ["duplicate"]
    rows = bdg.rows(
        "SELECT granted, returned FROM leases WHERE kiosk_id = 'bdg-1' AND service_code = 'KTP-EL' AND day = :d",
        d=TODAY,
    )
    assert rows == [{"granted": 5, "returned": 2}]
    assert state(bdg)["KTP-EL"]["available"] == 7


def test_a_malformed_return_or_lease_flag_is_refused_and_nothing_is_stored(client, bdg):
    good = ticket_item("bdg-1", 1, "1", TODAY, "KTP-EL")
    for bad, field in [
        (return_item(2, "2026-11-24", "KTP-EL", -1), "items[1].payload.amount"),
        (return_item(2, "24-11-2026", "KTP-EL", 1), "items[1].payload.day"),
        ({**return_item(2, "2026-11-24", "KTP-EL", 1), "payload": {"day": "2026-11-24"}}, "items[1].payload"),
    ]:
        r = client.post(PUSH, json={"items": [good, bad]}, headers=bdg.headers("bdg-1"))
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "request.invalid" and field in r.json()["error"]["message"]
    flagged = ticket_item("bdg-1", 1, "1", TODAY, "KTP-EL")
    flagged["payload"]["lease"] = "yes"
    r = client.post(PUSH, json={"items": [flagged]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 422 and "items[0].payload.lease" in r.json()["error"]["message"]
    assert bdg.count("items") == 0 and bdg.count("tickets") == 0


def test_a_return_of_a_lease_central_never_granted_changes_nothing(client, bdg):
    r = client.post(PUSH, json={"items": [return_item(1, "2026-11-24", "KTP-EL", 3)]}, headers=bdg.headers("bdg-1"))
    assert r.status_code == 200 and r.json()["acks"][0]["status"] == "stored"
    assert bdg.count("leases") == 0


def test_a_revoked_kiosks_lease_stays_counted_and_is_never_asked_for(kiosks, bdg, operator, client):
    one, two = kiosks
    one.pull()
    two.pull()
    with bdg.db.transaction() as s:
        from central.repo import kiosks as kiosk_repo

        kiosk_repo.revoke(s, "bdg-2", bdg.clock())
    one.issue(5)
    one.push()
    one.pull()
    # A revoked kiosk may still be issuing offline: its 5 stay reserved, nobody asks it.
    row = state(bdg)["KTP-EL"]
    assert row["kiosks"] == {"bdg-1": 0, "bdg-2": 5} and row["available"] == 0
    assert bdg.count("leases", "asked > 0") == 0
    assert_rule(bdg)


def test_a_quota_raised_by_a_new_catalog_is_leased_at_the_next_pull(kiosks, bdg):
    one, two = kiosks
    one.pull()
    two.pull()
    set_catalog(bdg, "BDG", catalog(KTP_EL=30, SKCK=3))
    news = by_key(one.pull())
    assert news[("2026-11-24", "KTP-EL")]["grant"] == 10 and news[("2026-11-24", "KTP-EL")]["quota"] == 30
    assert_rule(bdg)


# --- days -----------------------------------------------------------------------------------------


def test_leases_end_at_the_halls_midnight(client, fleet):
    """A WIT hall (UTC+9): its day ends at 15:00 UTC, whatever central's own zone."""
    fleet.clock.now = datetime(2026, 11, 24, 14, 59, tzinfo=UTC)  # 23:59 WIT
    fleet.hall("JYP", "MPP Kota Jayapura", "WIT")
    fleet.kiosk("JYP", "jyp-1", "1")
    fleet.kiosk("JYP", "jyp-2", "2")
    set_catalog(fleet, "JYP", catalog(KTP_EL=10))
    one = Kiosk(fleet, "jyp-1", "1", hall="JYP")
    one.client = client
    assert sorted((e["day"], e["grant"]) for e in one.pull()) == [("2026-11-24", 5), ("2026-11-25", 5)]
    one.issue(5, TODAY)
    one.push()
    assert [(e["day"], e["grant"]) for e in one.pull()] == [("2026-11-24", 3)]  # ceil(5 nobody holds / 2)
    assert one.issue(2, TODAY) == 2  # issued before midnight, not pushed yet
    fleet.clock.advance(minutes=2)  # 00:01 WIT: the 24th's leases are over
    news = one.pull()
    assert sorted((e["day"], e["grant"]) for e in news) == [("2026-11-26", 5)]  # the day after tomorrow
    with fleet.db.session(write=False) as s:
        state_25 = {r["service_code"]: r for r in leases.hall_state(s, "JYP", TOMORROW)}
    assert state_25["KTP-EL"]["received"] == 0 and state_25["KTP-EL"]["kiosks"] == {"jyp-1": 5}
    # The late tickets of the 24th still arrive and count for the 24th only; no grant for a day that is over.
    one.push()
    assert one.pull() == []
    assert fleet.rows("SELECT granted FROM leases WHERE day = :d", d=TODAY) == [{"granted": 8}]
    with fleet.db.session(write=False) as s:
        state_24 = {r["service_code"]: r for r in leases.hall_state(s, "JYP", TODAY)}
    assert state_24["KTP-EL"]["received"] == 7 and state_24["KTP-EL"]["kiosks"] == {"jyp-1": 1}


# --- concurrency ----------------------------------------------------------------------------------


def test_concurrent_pulls_of_many_kiosks_never_over_grant(fleet, db, clock, backend):
    """Ten kiosks pull at the same instant, each in its own transaction: the grants are made one
    after the other under the hall's lock, never on the same stale counts."""
    fleet.hall("BDG")
    ids = [f"bdg-{n}" for n in range(10)]
    for n, kid in enumerate(ids):
        fleet.kiosk("BDG", kid, str(n))
    set_catalog(fleet, "BDG", catalog(KTP_EL=7, SKCK=25))
    errors: list[BaseException] = []
    for _ in range(3):
        barrier = threading.Barrier(len(ids))

        def pull(kiosk_id: str, barrier=barrier) -> None:
            try:
                barrier.wait(10)
                with db.transaction() as s:
                    leases.top_up(s, kiosk_id, clock())
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=pull, args=(k,)) for k in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    for day in (TODAY, TOMORROW):
        granted = {
            r["service_code"]: r["n"]
            for r in fleet.rows(
                "SELECT service_code, sum(granted) AS n FROM leases WHERE day = :d GROUP BY service_code", d=day
            )
        }
        assert granted == {"KTP-EL": 7, "SKCK": 25}  # all of it, and not one more
        assert_rule(fleet, day)
    assert fleet.count("leases") == 2 * 2 * len(ids)


def test_many_kiosks_pulling_issuing_and_pushing_at_once_never_pass_the_quota(fleet, live, backend):
    """Six kiosks, each on its own thread and HTTP connection to a real server, pull (and answer
    asks), issue whatever their lease allows and push, in random interleavings; then they drain.
    At every moment the leases central has promised fit the quota, and in the end exactly the
    quota was issued, each ticket once."""
    quota = 40
    fleet.hall("BDG")
    ids = [f"bdg-{n}" for n in range(1, 7)]
    for n, kid in enumerate(ids, 1):
        fleet.kiosk("BDG", kid, str(n))
    set_catalog(fleet, "BDG", catalog(KTP_EL=quota))
    sims = [Kiosk(fleet, kid, str(n), httpx.Client(base_url=live, timeout=30)) for n, kid in enumerate(ids, 1)]
    errors: list[BaseException] = []
    promised: list[int] = []

    def run(sim: Kiosk, seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(12):
                step = rnd.choice(["pull", "issue", "push", "all"])
                if step in ("pull", "all"):
                    sim.pull()
                if step in ("issue", "all"):
                    sim.issue(rnd.randint(1, 4))
                if step in ("push", "all"):
                    sim.push()
                row = fleet.rows(
                    "SELECT coalesce(sum(granted - returned), 0) AS n FROM leases WHERE day = :d", d=TODAY
                )[0]
                promised.append(row["n"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(sim, n)) for n, sim in enumerate(sims)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert max(promised) <= quota  # every ticket is leased: granted - returned covers all of them
    for _ in range(12):  # drain: every kiosk pushes, pulls (answers asks) and uses what it has
        for sim in sims:
            sim.push()
            sim.pull()
            sim.issue(quota)
            sim.push()
    for sim in sims:
        sim.http.close()
    issued = sum(sum(sim.used.values()) for sim in sims)
    assert issued == quota
    tickets = fleet.rows("SELECT id FROM tickets WHERE service_code = 'KTP-EL' AND day = :d", d=TODAY)
    assert len(tickets) == len({t["id"] for t in tickets}) == quota
    assert_rule(fleet)
