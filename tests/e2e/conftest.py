"""End-to-end tests: a real central process and real kiosk processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

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
