"""End-to-end tests: a real central process and real kiosk processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from conftest_postgres import postgres_server  # noqa: F401  (fixture)

_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def central_db_url(request, tmp_path) -> str:
    """An empty database for one central: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.sqlite3'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"e2e_{next(_names)}")


#: The Chromium the browser tests drive (Playwright cannot download its own browser here).
CHROMIUM = Path(os.environ.get("MPP_CHROMIUM", "/usr/bin/chromium"))
#: For the dashboard tests: the page refreshes every second; a kiosk is offline after 5 s without a heartbeat.
DASHBOARD_ENV = {"CENTRAL_DASHBOARD_REFRESH_SECONDS": "1", "CENTRAL_OFFLINE_MINUTES": "0.0834"}


@pytest.fixture
def dashboard_central(tmp_path, monkeypatch):
    """A real `central --demo` process on SQLite, its dashboard brisk (DASHBOARD_ENV)."""
    import centralproc

    for name, value in DASHBOARD_ENV.items():
        monkeypatch.setitem(centralproc.ENV, name, value)
    c = centralproc.Central(f"sqlite:///{tmp_path / 'central.sqlite3'}").start()
    yield c
    c.stop()


@pytest.fixture
def browser():
    """Headless Debian chromium through Playwright; the test fails (never skips) without it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"no chromium at {CHROMIUM}: install Debian's `chromium` (apt-get install chromium; .ci/run does) "
            "or set MPP_CHROMIUM to a Chromium binary; Playwright cannot download its own browser here"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()
