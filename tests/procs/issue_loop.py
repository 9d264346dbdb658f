"""A kiosk process that issues tickets in a loop, for the crash and two-kiosk tests.

    python issue_loop.py CONFIG DATA_DIR SERVICE COUNT [--print]

Prints "<number> <ticket id>" on stdout, flushed, after each ticket is committed: a line
printed here is a ticket the visitor was told about.
"""

from __future__ import annotations

import sys

from kiosk.app import build
from kiosk.config import load


def main() -> int:
    config, data_dir, service, count = sys.argv[1:5]
    kiosk = build(load(config, demo=True, data_dir=__import__("pathlib").Path(data_dir)))
    for _ in range(int(count)):
        ticket = kiosk.issue_ticket(service)
        if "--print" in sys.argv:
            kiosk.print_ticket(ticket)
        sys.stdout.write(f"{ticket.number} {ticket.id}\n")
        sys.stdout.flush()
    kiosk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
