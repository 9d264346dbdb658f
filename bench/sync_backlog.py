"""A day's offline backlog reaching central when the link comes back: batches against one request
per item, on SQLite and on PostgreSQL.

    uv run python bench/sync_backlog.py [TICKETS]          (default 10,000)

For each database: a real central process (`central --demo`) on loopback; kiosk-1 issues
TICKETS tickets while central is down (each printed to an instant simulated printer, so the
outbox holds TICKETS `ticket.issued` and TICKETS `ticket.printed` items); then the link is
"back" and the kiosk's sync engine runs rounds until its backlog is empty. Timed from the first
round to the empty backlog; central's own count of the hall's tickets is checked afterwards.
The baseline, in the same run: kiosk-2 pushes 1,000 items one request per item (the same
engine with batch_items=1), items/s.
Target (the sync issue): TICKETS = 10,000 reach central within 5 s (aim: 3 s).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
from centralproc import ADMIN, Central  # noqa: E402

from devices.printer import PrintResult  # noqa: E402
from kiosk.app import build  # noqa: E402
from kiosk.catalog import DEFAULT_PATH  # noqa: E402
from kiosk.clock import SystemClock  # noqa: E402
from kiosk.config import load  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402


class InstantPrinter:
    """A printer that confirms every job at once (the bench is about sync, not paper)."""

    name = "printer (bench)"

    def send(self, data: bytes, *, job: str) -> PrintResult:
        return PrintResult(confirmed=True)


def kiosk_settings(folder: Path, n: int, url: str):
    catalog = folder / "catalog.toml"
    if not catalog.exists():
        catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 9999", DEFAULT_PATH.read_text()))
    cfg = folder / f"kiosk-{n}.toml"
    cfg.write_text(f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\n[catalog]\npath = "{catalog}"\n')
    settings = load(cfg, demo=True, data_dir=folder / f"k{n}")
    return replace(settings, central=replace(settings.central, url=url))


def fill_backlog(settings, tickets: int) -> int:
    """Issue and print `tickets` tickets offline; returns the outbox backlog."""
    kiosk = build(settings, printer=InstantPrinter())
    kiosk.online = False
    offline = [s for s in kiosk.catalog.services() if s.offline and s.identity == "none"]
    by_letter = {s.prefix: s.code for s in offline}  # 9,999 numbers per letter a day: spread them
    codes = list(by_letter.values())
    for i in range(tickets):
        kiosk.print_ticket(kiosk.issue_ticket(codes[i % len(codes)]))
    backlog = kiosk.store.query("SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL")[0]["n"]
    kiosk.close()
    return backlog


def drain(settings, **options) -> tuple[float, int]:
    """Rounds until the backlog is empty; (seconds, items pushed)."""
    engine = SyncEngine.open(settings, SystemClock(settings.tz), **options)
    pushed, t0 = 0, time.perf_counter()
    try:
        for _ in range(10_000):
            report = engine.run_round()
            if not report.ok:
                raise SystemExit(f"sync failed: {report.error}")
            pushed += report.pushed
            if report.backlog == 0:
                break
    finally:
        engine.close()
    return time.perf_counter() - t0, pushed


def run(label: str, db_url: str, tickets: int, folder: Path) -> None:
    central = Central(db_url)
    one = kiosk_settings(folder, 1, central.url)
    two = kiosk_settings(folder, 2, central.url)
    t0 = time.perf_counter()
    backlog = fill_backlog(one, tickets)
    fill_backlog(two, 500)
    prep = time.perf_counter() - t0
    central.start()  # the link comes back
    try:
        seconds, pushed = drain(one)
        r = httpx.get(f"{central.url}/api/v1/halls/DEMO/tickets", headers=ADMIN, timeout=60)
        at_central = [t for t in r.json()["tickets"] if t["kiosk_id"] == "kiosk-1"]
        base_seconds, base_pushed = drain(two, batch_items=1)
    finally:
        central.stop()
    rate, base_rate = pushed / seconds, base_pushed / base_seconds
    print(f"{label}: {tickets} tickets offline ({backlog} outbox items; prepared in {prep:.1f} s)")
    print(f"   batched:       {pushed} items in {seconds:.2f} s = {rate:,.0f} items/s")
    print(
        f"   one per item:  {base_pushed} items in {base_seconds:.2f} s = {base_rate:,.0f} items/s (kiosk-2, same run)"
    )
    print(f"   ratio {rate / base_rate:.1f}x; central lists {len(at_central)} of kiosk-1's {tickets} tickets")
    ok = seconds <= 5.0 and len(at_central) == tickets == len({t["ticket_id"] for t in at_central})
    print(f"   target: {tickets} tickets at central within 5 s (aim 3 s) -> {'PASS' if ok else 'FAIL'}")


def main() -> None:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sqlite").mkdir()
        run("SQLite", f"sqlite:///{folder / 'central.sqlite3'}", tickets, folder / "sqlite")
        from conftest_postgres import get_server

        (folder / "pg").mkdir()
        run("PostgreSQL", get_server().create_database("bench_sync"), tickets, folder / "pg")


if __name__ == "__main__":
    main()
