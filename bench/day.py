"""One busy hall day through the core: 10,000 tickets, against the disk's durable-commit limit.

    uv run python bench/day.py [TICKETS]

`kiosk.app.build(settings, clock=FixedClock)` on a temp data folder, with a copy of the shipped
catalog whose daily quotas are raised to the maximum (9999) so TICKETS (default 10,000) fit. The
clock walks through one hall day (07:30 to 16:30, a ticket every 3.2 s); each ticket goes to one of
the catalog's offline services, chosen at random (seeded) in proportion to its letter's counter
capacity (counters x 60 / average minutes), so every queue grows alike and people-ahead counts
climb through the day as in a hall that is busier than its counters.

Printed, all measured in this run:

 1. the fsync limit: single-row durable commits (WAL, synchronous=FULL) on a SQLite file of its
    own in the same folder, commits/s; every ticket needs one such commit. The disk's fsync time
    drifts a lot here, so after each block of 1,000 tickets the probe makes 1,000 commits and
    the ratio compares the sums
 2. tickets/s through `kiosk.issue_ticket` (commit the ticket, its counter and its outbox row), and
    its ratio to the fsync limit (target: within 10 %, i.e. >= 0.90)
 3. CPU time per ticket (time.process_time), the first 1,000 against the last 1,000 (target ratio
    <= 1.10: the queue's size must not make issuing slower); process_time includes the kernel's
    time in fsync, which drifts with the disk, so the user time alone is printed too
 4. the same with printing: `kiosk.issue_ticket` + `kiosk.print_ticket` to the simulated file
    printer (the ticket's commit, the file fsynced, its folder, the print outcome's commit: 4 fsyncs)

Written against the public API only (`build`, `issue_ticket`, `print_ticket`).
"""

from __future__ import annotations

import random
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.app import build  # noqa: E402
from kiosk.clock import ZONES, FixedClock  # noqa: E402
from kiosk.config import load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "assets" / "catalog.toml"
#: A Tuesday in a WIB hall.
OPEN = datetime(2026, 11, 24, 7, 30, tzinfo=ZONES["WIB"])
DAY = timedelta(hours=9)
EDGE = 1000  # tickets in the "first" and "last" CPU samples


class FsyncProbe:
    """Single-row durable commits on a WAL database of its own (same folder, same PRAGMAs)."""

    PAYLOAD = "x" * 300  # about one ticket row

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "fsync-limit.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        self.commits = 0
        self.seconds = 0.0

    def run(self, commits: int) -> None:
        start = time.perf_counter()
        for _ in range(commits):
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("INSERT INTO t (payload) VALUES (?)", (self.PAYLOAD,))
            self.conn.execute("COMMIT")
        self.seconds += time.perf_counter() - start
        self.commits += commits

    @property
    def rate(self) -> float:
        return self.commits / self.seconds

    def close(self) -> None:
        self.conn.close()


def hall_settings(folder: Path):
    """Settings for a hall open all day, the simulated file printer, quotas at the maximum."""
    catalog = folder / "catalog.toml"
    catalog.write_text(re.sub(r"(?m)^daily_quota = \d+", "daily_quota = 9999", CATALOG.read_text()))
    config = folder / "kiosk.toml"
    config.write_text(
        f'[hall]\nalways_open = true\n[printer]\nkind = "file"\n[catalog]\npath = "{catalog}"\n'
        '[kiosk]\nid = "bench-kiosk"\nshort_code = "1"\n'
    )
    return load(config, data_dir=folder / "data")


def weighted_services(kiosk) -> tuple[list[str], list[float]]:
    """Offline services, weighted by their letter's capacity shared among the letter's services."""
    services = [s for s in kiosk.catalog.services() if s.offline]
    per_letter: dict[str, int] = {}
    for s in services:
        per_letter[s.prefix] = per_letter.get(s.prefix, 0) + 1
    weights = [s.counters * 60 / s.avg_minutes / per_letter[s.prefix] for s in services]
    return [s.code for s in services], weights


def hall_day(folder: Path, tickets: int, *, printing: bool) -> dict:
    """Issue (and print) `tickets` through one day; after every block of tickets the fsync probe
    does as many bare commits, so both see the same disk (this machine's fsync time drifts)."""
    settings = hall_settings(folder)
    clock = FixedClock(OPEN)
    kiosk = build(settings, clock=clock)
    probe = FsyncProbe(folder)
    codes, weights = weighted_services(kiosk)
    rng = random.Random(20261124)
    step = DAY.total_seconds() / tickets
    cpu: list[float] = []
    user: list[float] = []
    ahead: list[int] = []
    wall = 0.0
    try:
        for block in range(0, tickets, EDGE):
            count = min(EDGE, tickets - block)
            start = time.perf_counter()
            for i in range(block, block + count):
                code = rng.choices(codes, weights)[0]
                c0, u0 = time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
                ticket = kiosk.issue_ticket(code, language="id" if i % 4 else "en")
                if printing:
                    outcome = kiosk.print_ticket(ticket)
                    if not outcome.printed:
                        raise SystemExit(f"ticket {ticket.number} not printed: {outcome.error}")
                cpu.append(time.process_time() - c0)
                user.append(resource.getrusage(resource.RUSAGE_SELF).ru_utime - u0)
                ahead.append(ticket.people_ahead)
                clock.advance(seconds=step)
            wall += time.perf_counter() - start
            probe.run(count)
    finally:
        kiosk.close()
        probe.close()
    return {
        "rate": tickets / wall,
        "wall": wall,
        "limit": probe.rate,
        "cpu_first": sum(cpu[:EDGE]) / EDGE,
        "cpu_last": sum(cpu[-EDGE:]) / EDGE,
        "user_first": sum(user[:EDGE]) / EDGE,
        "user_last": sum(user[-EDGE:]) / EDGE,
        "ahead_median_last": statistics.median(ahead[-EDGE:]),
        "ahead_max": max(ahead),
        "services": len(codes),
    }


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    if tickets < 2 * EDGE:
        raise SystemExit(f"at least {2 * EDGE} tickets")
    with tempfile.TemporaryDirectory(prefix="bench-day-") as tmp:
        tmp = Path(tmp)
        (tmp / "issue").mkdir()
        issue = hall_day(tmp / "issue", tickets, printing=False)
        (tmp / "print").mkdir()
        printed = hall_day(tmp / "print", tickets, printing=True)
    hours = f"{OPEN:%H:%M}-{OPEN + DAY:%H:%M}"
    print(f"{tickets} tickets over one hall day ({hours}), {issue['services']} offline services")
    print(f"in blocks of {EDGE}, each followed by {EDGE} bare 1-row durable commits (WAL, synchronous=FULL)")
    for name, r, fsyncs in (
        ("issue_ticket", issue, 1),
        ("issue_ticket + print_ticket (file printer)", printed, 4),
    ):
        ratio = r["rate"] / r["limit"]
        cpu_ratio = r["cpu_last"] / r["cpu_first"]
        print(f"{name}:")
        print(f"   fsync limit, same run: {r['limit']:.0f} commits/s")
        print(
            f"   {r['rate']:.0f} tickets/s ({r['wall']:.1f} s): {ratio:.2f} x the fsync limit "
            f"({fsyncs} fsync{'s' if fsyncs > 1 else ''} per ticket)"
        )
        print(
            f"   CPU per ticket: first {EDGE} {r['cpu_first'] * 1000:.3f} ms, last {EDGE} "
            f"{r['cpu_last'] * 1000:.3f} ms, ratio {cpu_ratio:.2f} (target <= 1.10 -> "
            f"{'PASS' if cpu_ratio <= 1.10 else 'FAIL'})"
        )
        print(
            f"   of which user time (no kernel I/O): first {r['user_first'] * 1000:.3f} ms, last "
            f"{r['user_last'] * 1000:.3f} ms, ratio {r['user_last'] / r['user_first']:.2f}"
        )
        print(f"   people ahead: median {r['ahead_median_last']:.0f} over the last {EDGE}, max {r['ahead_max']}")
    ratio = issue["rate"] / issue["limit"]
    print(f"target: issue_ticket within 10 % of the fsync limit (>= 0.90) -> {'PASS' if ratio >= 0.9 else 'FAIL'}")


if __name__ == "__main__":
    main()
