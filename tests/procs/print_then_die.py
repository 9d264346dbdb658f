"""A demo kiosk process that dies at a chosen point of printing one ticket (SIGKILL itself).

    python print_then_die.py DATA_DIR MODE

MODE:
  after-send  the printer has the ticket; killed before the outcome is recorded
  mid-write   killed while the simulated printer writes its `.part` file
  hold        prints "<number> <id>" after the commit, then waits (the test kills it)

Prints "<number> <id>" on stdout, flushed, once the ticket is committed.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from kiosk.app import build
from kiosk.config import load


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    kiosk = build(load(None, demo=True, data_dir=data_dir))
    ticket = kiosk.issue_ticket("KTP-EL")
    sys.stdout.write(f"{ticket.number} {ticket.id}\n")
    sys.stdout.flush()
    if mode == "hold":
        time.sleep(600)
    if mode == "mid-write":
        os.replace = lambda *a, **k: die()  # the .part file is written and synced; then the plug is pulled
    kiosk.send_ticket(ticket)
    die()
    return 1


if __name__ == "__main__":
    sys.exit(main())
