"""The audit chain's cost on issuing a ticket: with and without it, in the same run.

    uv run python bench/audit.py [TICKETS]          (default 2,000 per row)

A demo kiosk (real SQLite file in WAL, synchronous=FULL, as in the hall) issues and prints
TICKETS tickets to an instant printer: each is two facts (`ticket.issued`, `ticket.printed`),
each fact one outbox row and, with the chain, one audit event (read the last row, hash, one
INSERT) in the same transaction. "without" replaces kiosk.audit.append with a no-op in this
process; rows alternate in blocks of 250 tickets on two stores, so disk and cache drift hit both.
Prints the median and p95 per ticket (issue + print record, ms), the ratio, and then
`kiosk audit verify`'s time over the whole chain.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devices.printer import PrintResult  # noqa: E402
from kiosk import audit  # noqa: E402
from kiosk.app import build  # noqa: E402
from kiosk.catalog import DEFAULT_PATH  # noqa: E402
from kiosk.config import load  # noqa: E402

BLOCK = 250


class InstantPrinter:
    name = "printer (bench)"

    def send(self, data: bytes, *, job: str) -> PrintResult:
        return PrintResult(confirmed=True)


def make_kiosk(folder: Path, name: str):
    catalog = folder / "catalog.toml"
    if not catalog.exists():
        catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 9999", DEFAULT_PATH.read_text()))
    cfg = folder / f"{name}.toml"
    cfg.write_text(f'[kiosk]\nid = "{name}"\nshort_code = "1"\n[catalog]\npath = "{catalog}"\n')
    return build(load(cfg, demo=True, data_dir=folder / name), printer=InstantPrinter())


def issue(kiosk, count: int, times: list[float]) -> None:
    services = ("KTP-EL", "SKCK-BARU", "KARTU-KELUARGA")
    for i in range(count):
        started = time.perf_counter()
        ticket = kiosk.issue_ticket(services[i % len(services)])
        kiosk.record_print(ticket, kiosk.send_ticket(ticket))
        times.append((time.perf_counter() - started) * 1000)


def main() -> int:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    real_append = audit.append
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chained, plain = make_kiosk(folder, "chained"), make_kiosk(folder, "plain")
        times: dict[str, list[float]] = {"with chain": [], "without": []}
        try:
            done = 0
            while done < tickets:
                n = min(BLOCK, tickets - done)
                audit.append = real_append
                issue(chained, n, times["with chain"])
                audit.append = lambda *a, **k: 0
                issue(plain, n, times["without"])
                done += n
        finally:
            audit.append = real_append
            chained.close()
            plain.close()
        print(f"{tickets} tickets per row, each issued and its print recorded (2 facts), ms per ticket:")
        med = {}
        for name, t in times.items():
            t.sort()
            med[name] = statistics.median(t)
            print(f"  {name:<11} median {med[name]:.3f}  p95 {t[int(len(t) * 0.95)]:.3f}  max {t[-1]:.3f}")
        extra = med["with chain"] - med["without"]
        print(f"  ratio {med['with chain'] / med['without']:.3f} (median), +{extra * 1000:.0f} µs per ticket")
        started = time.perf_counter()
        report = audit.verify(folder / "chained" / "kiosk.sqlite3")
        took = time.perf_counter() - started
        print(f"kiosk audit verify: {report.events} events in {took * 1000:.0f} ms, ok={report.ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
