"""The migrations build exactly what central/models.py declares, on SQLite and PostgreSQL, and
can run again (or from several processes at once) without harm."""

from __future__ import annotations

import threading
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from central.db import Database
from central.migrations import HEAD, config, current, head, upgrade
from central.models import Base
from central.settings import Settings


@pytest.fixture
def empty_db(backend, request, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database(f"empty_{uuid.uuid4().hex[:8]}")
    database = Database(Settings.build(db_url=url))
    yield database
    database.dispose()


def test_migrations_match_models(empty_db):
    upgrade(empty_db.engine)
    with empty_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert current(empty_db.engine) == head()


def test_head_constant_is_the_newest_revision():
    assert HEAD == head()


def test_upgrade_twice_and_concurrently_is_harmless(empty_db):
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(empty_db.engine)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    upgrade(empty_db.engine)
    assert current(empty_db.engine) == head()


def test_downgrade_to_base_and_up_again(empty_db):
    upgrade(empty_db.engine)
    with empty_db.writer.begin() as conn:
        command.downgrade(config(conn), "base")
    assert current(empty_db.engine) is None
    upgrade(empty_db.engine)
    assert current(empty_db.engine) == head()
