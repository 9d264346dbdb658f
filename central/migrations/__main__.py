"""`python -m central.migrations revision "message"`: autogenerate a revision (developers)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "revision":
        print('usage: python -m central.migrations revision "what changed"', file=sys.stderr)
        return 2
    from alembic import command

    from central.db import Database
    from central.migrations import config, upgrade
    from central.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Settings.build(db_url=f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}"))
        upgrade(db.engine)
        with db.engine.begin() as conn:
            command.revision(config(conn), message=argv[1], autogenerate=True)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
