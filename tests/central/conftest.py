"""Fixtures for the central service's tests: every test runs on SQLite and on PostgreSQL.

- `backend`: "sqlite" or "postgresql" (parametrized); `db_url`: an empty, migrated database of
  that backend for this test (SQLite: a copy of a migrated file; PostgreSQL: one migrated
  database per session, TRUNCATEd before each test).
- `settings`, `clock` (central's time, settable), `db` (the app's Database, to assert on rows),
  `app`, `client` (starlette TestClient: the whole ASGI stack in-process), `live` (uvicorn on a
  free loopback port in a thread: real sockets).
- `fleet`: halls and kiosks with known credentials, and item builders.

These override the root conftest's `settings` and `clock` (kiosk fixtures) for tests/central.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest_postgres import postgres_server  # noqa: F401  (fixture)
from sqlalchemy import text

from central.app import create_app
from central.db import Database
from central.migrations import upgrade
from central.models import Base
from central.repo import halls, kiosks
from central.settings import Settings

ADMIN_TOKEN = "test-operator-token-0123456789"
WIB = timezone(timedelta(hours=7))
#: Central's time in the tests: Tuesday 2026-11-24 09:00 WIB.
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("central-template") / "template.sqlite3"
    db = Database(Settings.build(db_url=f"sqlite:///{path}"))
    upgrade(db.engine)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_db(postgres_server):  # noqa: F811
    """One migrated database for the session, and one Database (engine, pool) for all its tests."""
    url = postgres_server.create_database("central_tests")
    database = Database(Settings.build(db_url=url))
    upgrade(database.engine)
    yield database
    database.dispose()


#: Emptied before each PostgreSQL test: DELETE in foreign-key order (TRUNCATE makes new files
#: for every table and index, 50 ms a test; a DELETE of a few rows is about 1 ms).
_CLEAR = "SET LOCAL lock_timeout = '10s'; " + "; ".join(
    f"DELETE FROM {t.name}" for t in reversed(Base.metadata.sorted_tables)
)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def _database(backend, request, tmp_path):
    if backend == "sqlite":
        path = tmp_path / "central.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        database = Database(Settings.build(db_url=f"sqlite:///{path}"))
        yield database
        database.dispose()
        return
    database = request.getfixturevalue("_postgres_db")
    with database.engine.begin() as conn:
        conn.exec_driver_sql(_CLEAR)
    yield database


@pytest.fixture
def db_url(_database) -> str:
    """An empty, migrated database of the test's backend."""
    return _database.settings.db_url


class Clock:
    """Central's clock in a test: fixed until moved."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings.build(db_url=db_url, admin_token=ADMIN_TOKEN)


@pytest.fixture
def db(_database) -> Database:
    """The app's Database: assert on its rows."""
    return _database


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory):
    """One app and one TestClient for the session: each test gives it its settings, database
    and clock through app.state, which is where routes read them on every request (building
    an app and starting a TestClient cost 12 ms a test)."""
    from starlette.exceptions import StarletteDeprecationWarning

    with warnings.catch_warnings():  # starlette asks for httpx2; httpx is what the project has
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from fastapi.testclient import TestClient

    placeholder = Database(Settings.build(db_url=f"sqlite:///{tmp_path_factory.mktemp('app') / 'unused.sqlite3'}"))
    app = create_app(placeholder.settings, db=placeholder)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client
    placeholder.dispose()


@pytest.fixture
def app(settings, clock, db, _shared_app):
    """The app (create_app), serving this test's database with its settings and clock."""
    app, _ = _shared_app
    app.state.settings, app.state.db, app.state.clock = settings, db, clock
    return app


@pytest.fixture
def client(app, _shared_app):
    """The whole ASGI stack in-process (starlette's TestClient)."""
    return _shared_app[1]


class _Current:
    """The app the session's live server hands requests to (the running test's)."""

    app = None

    async def __call__(self, scope, receive, send):
        if self.app is None:  # between tests
            raise RuntimeError("no test app")
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def _live_server():
    """One uvicorn for the session on a free loopback port, in a thread (starting and stopping
    one per test costs 0.2 s); each `live` test points it at its own app."""
    import uvicorn

    current = _Current()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(current, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.005)
    yield current, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture
def live(app, _live_server):
    """The test's app served by uvicorn over a real loopback socket; the base URL."""
    current, url = _live_server
    current.app = app
    yield url
    current.app = None


@pytest.fixture(scope="session")
def _http_client(_live_server):
    import httpx

    with httpx.Client(base_url=_live_server[1], timeout=30) as c:
        yield c


@pytest.fixture
def http(live, _http_client):
    """An httpx client of the live server (one for the session: a new client costs 30 ms)."""
    return _http_client


def auth(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


@pytest.fixture
def operator() -> dict[str, str]:
    """The operator token's headers."""
    return auth(ADMIN_TOKEN)


@dataclass
class Fleet:
    """Halls and kiosks in the test's database, and the facts a kiosk would push."""

    db: Database
    clock: Clock
    credentials: dict[str, str] = field(default_factory=dict)

    def hall(self, code: str = "BDG", name: str = "MPP Kota Bandung", tz: str = "WIB") -> str:
        with self.db.transaction() as s:
            halls.add(s, code, name, tz, self.clock())
        return code

    def kiosk(self, hall: str, kiosk_id: str, short_code: str | None = None) -> str:
        """An enrolled kiosk; returns its credential."""
        secret = f"secret-of-{kiosk_id}-" + uuid.uuid4().hex
        with self.db.transaction() as s:
            enrolment = kiosks.add_enrolment(
                s, hall, kiosk_id, self.clock(), ttl=timedelta(hours=24), short_code=short_code
            )
            kiosks.set_secret(s, enrolment.kiosk, secret, self.clock())
        self.credentials[kiosk_id] = f"{kiosk_id}:{secret}"
        return self.credentials[kiosk_id]

    def headers(self, kiosk_id: str) -> dict[str, str]:
        return auth(self.credentials[kiosk_id])

    def rows(self, sql: str, **params) -> list[dict]:
        with self.db.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]

    def count(self, table: str, where: str = "1=1", **params) -> int:
        return self.rows(f"SELECT count(*) AS n FROM {table} WHERE {where}", **params)[0]["n"]


@pytest.fixture
def fleet(db, clock) -> Fleet:
    return Fleet(db, clock)


def ticket_item(
    kiosk_id: str,
    seq: int,
    *,
    hall: str = "BDG",
    number: str | None = None,
    issued_at: datetime | None = None,
    service_code: str = "KTP-BARU",
    short_code: str = "1",
) -> dict:
    """A `ticket.issued` outbox item as the kiosk sends it (Ticket.to_dict() + hall_code)."""
    issued = issued_at or datetime(2026, 11, 24, 8, 0, tzinfo=WIB) + timedelta(seconds=seq)
    number = number or f"A{short_code}-{seq:03d}"
    payload = {
        "id": str(uuid.uuid4()),
        "number": number,
        "day": issued.astimezone(WIB).date().isoformat(),
        "prefix": "A",
        "seq": seq,
        "service_code": service_code,
        "agency_code": "DUKCAPIL",
        "kiosk_id": kiosk_id,
        "language": "id",
        "issued_at": issued.isoformat(timespec="seconds"),
        "people_ahead": 0,
        "estimated_wait_minutes": 0,
        "estimated_call_at": issued.isoformat(timespec="seconds"),
        "estimated_done_at": (issued + timedelta(minutes=15)).isoformat(timespec="seconds"),
        "service_minutes": 15,
        "hall_code": hall,
    }
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "kind": "ticket.issued",
        "created_at": payload["issued_at"],
        "payload": payload,
    }


def print_item(ticket: dict, seq: int, state: str = "printed", error: str | None = None) -> dict:
    """The print-outcome item for a ticket item (kiosk/printing.py's payload)."""
    p = ticket["payload"]
    kind = {"printed": "ticket.printed", "failed": "ticket.print_failed", "unconfirmed": "ticket.print_unconfirmed"}
    payload = {"ticket_id": p["id"], "number": p["number"], "day": p["day"], "state": state, "error": error}
    if state == "failed":
        payload["fault"] = "paper_out"
    return {"id": str(uuid.uuid4()), "seq": seq, "kind": kind[state], "created_at": p["issued_at"], "payload": payload}


@pytest.fixture
def make_ticket():
    return ticket_item


@pytest.fixture
def make_print():
    return print_item
