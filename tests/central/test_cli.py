"""The `central` command: managing halls, kiosks, catalogs and commands (in-process, against the
test's database), and serving (a real process: the demo, and two workers pushing concurrently)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text

from central.cli import main
from central.db import Database
from central.settings import Settings


@pytest.fixture
def clock():
    """The CLI stamps tokens with the real time: so does the app here."""
    from datetime import timedelta

    class Real:
        def __call__(self):
            return datetime.now(UTC)

        def advance(self, **delta):  # pragma: no cover - not used here
            raise AssertionError(timedelta(**delta))

    return Real()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_mentions_db_and_demo(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--db URL" in out and "--demo" in out and "--workers" in out
    assert "kiosk" in out and "catalog" in out and "tickets" in out


def test_hall_and_kiosk_add_print_a_token_that_enrolls(capsys, db_url, client):
    code, out, err = run(capsys, "--db", db_url, "hall", "add", "BDG", "MPP Kota Bandung", "--timezone", "WIB")
    assert (code, out, err) == (0, "central: hall BDG (MPP Kota Bandung, WIB) added\n", "")
    code, out, err = run(capsys, "--db", db_url, "kiosk", "add", "BDG", "bdg-kiosk-01", "--short-code", "7")
    assert code == 0
    assert len(out.splitlines()) == 1  # the token, alone on stdout
    assert "bdg-kiosk-01 (hall BDG, short code 7) added" in err
    r = client.post("/api/v1/enroll", json={"token": out.strip()})
    assert r.status_code == 200
    assert r.json()["kiosk_id"] == "bdg-kiosk-01" and r.json()["short_code"] == "7"
    assert r.json()["credential"].startswith("bdg-kiosk-01:")


def test_kiosk_add_picks_next_free_short_code(capsys, db_url, fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "a", "1")
    code, _, err = run(capsys, "--db", db_url, "kiosk", "add", "BDG", "b")
    assert code == 0 and "short code 2" in err
    code, _, err = run(capsys, "--db", db_url, "kiosk", "add", "BDG", "c", "--short-code", "1")
    assert (code, err) == (1, "central: short code 1 is kiosk a's in hall BDG\n")


def test_kiosk_revoke_then_auth_revoked(capsys, db_url, fleet, client):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1")
    code, out, _ = run(capsys, "--db", db_url, "kiosk", "revoke", "bdg-1")
    assert code == 0 and out.startswith("central: kiosk bdg-1 revoked")
    r = client.get("/api/v1/sync/pull", headers=fleet.headers("bdg-1"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.revoked"


def test_catalog_set_and_command_add_reach_pull(capsys, db_url, fleet, client, tmp_path):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1")
    catalog = tmp_path / "catalog.toml"
    catalog.write_text('version = 1\nagencies = 0\n# Tarif "baru"\n', encoding="utf-8")
    code, out, _ = run(capsys, "--db", db_url, "catalog", "set", "BDG", str(catalog))
    assert code == 0 and "catalog version 1 stored" in out
    code, out, _ = run(capsys, "--db", db_url, "command", "add", "bdg-1", "pause", "--args", '{"minutes": 10}')
    assert code == 0
    command_id = out.strip()
    changes = client.get("/api/v1/sync/pull", headers=fleet.headers("bdg-1")).json()["changes"]
    assert changes[0]["kind"] == "catalog" and changes[0]["data"]["toml"] == catalog.read_text(encoding="utf-8")
    assert changes[1]["data"] == {"id": command_id, "kind": "pause", "args": {"minutes": 10}}
    assert fleet.rows("SELECT version FROM catalogs")[0]["version"] == 1


def test_tickets_json_matches_api(capsys, db_url, fleet, client, make_ticket, operator):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1")
    client.post(
        "/api/v1/sync/push", json={"items": [make_ticket("bdg-1", s) for s in (1, 2)]}, headers=fleet.headers("bdg-1")
    )
    code, out, _ = run(capsys, "--db", db_url, "tickets", "BDG", "--day", "2026-11-24", "--json")
    assert code == 0
    api = client.get("/api/v1/halls/BDG/tickets", params={"day": "2026-11-24"}, headers=operator).json()
    assert json.loads(out) == api
    code, out, _ = run(capsys, "--db", db_url, "tickets", "BDG", "--day", "2026-11-24")
    assert out.splitlines()[0] == "BDG 2026-11-24: 2 ticket(s), in hall order"
    assert out.splitlines()[1].split()[:3] == ["A1-001", "KTP-BARU", "bdg-1"]


def test_kiosks_lists_the_fleet(capsys, db_url, fleet, client, make_ticket):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    client.post(
        "/api/v1/sync/push",
        json={"items": [make_ticket("bdg-1", 1), make_ticket("bdg-1", 3)]},
        headers=fleet.headers("bdg-1"),
    )
    beat = {"kiosk_time": "2000-01-01T00:00:00+07:00", "app_version": "0.1.0", "backlog": 4}
    client.post("/api/v1/heartbeat", json=beat, headers=fleet.headers("bdg-1"))
    code, out, _ = run(capsys, "--db", db_url, "kiosks", "BDG")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "BDG: 2 kiosk(s)"
    assert lines[1].startswith("bdg-1            1  enrolled ") and "CLOCK OFF" in lines[1]
    assert lines[1].endswith("backlog 4 gaps 2-2")
    assert "heartbeat - skew - backlog - gaps none" in lines[2]
    code, out, _ = run(capsys, "--db", db_url, "kiosks", "BDG", "--json")
    listed = json.loads(out)["kiosks"]
    assert [(k["kiosk_id"], k["gaps"], k["clock_skew_flagged"]) for k in listed] == [
        ("bdg-1", [[2, 2]], True),
        ("bdg-2", [], False),
    ]


def test_kiosks_shows_a_printer_warning_from_the_heartbeat(capsys, db_url, fleet, client):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    devices = [
        {"name": "printer (network 10.0.0.9:9100)", "kind": "printer", "status": "WARNING", "reason": "paper near end"},
        {"name": "camera (/dev/video0)", "kind": "camera", "status": "OK", "reason": "30 fps"},
    ]
    beat = {"kiosk_time": datetime.now(UTC).isoformat(), "app_version": "0.1.0", "backlog": 0, "devices": devices}
    assert client.post("/api/v1/heartbeat", json=beat, headers=fleet.headers("bdg-1")).status_code == 200
    code, out, _ = run(capsys, "--db", db_url, "kiosks", "BDG")
    assert code == 0 and out.splitlines()[1].endswith("gaps none PRINTER WARNING (paper near end)")
    code, out, _ = run(capsys, "--db", db_url, "kiosks", "BDG", "--json")
    assert json.loads(out)["kiosks"][0]["devices"][0]["status"] == "WARNING"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["kiosk", "add", "NOPE", "k1"], "central: no hall 'NOPE'"),
        (["kiosk", "revoke", "ghost"], "central: no kiosk 'ghost'"),
        (["hall", "add", "bdg", "x"], "central: hall code 'bdg': 2..8 characters A-Z or 0-9"),
        (["command", "add", "ghost", "pause"], "central: no kiosk 'ghost'"),
        (["catalog", "set", "NOPE", "/nonexistent/catalog.toml"], "central: /nonexistent/catalog.toml: No such file"),
        (["tickets", "NOPE"], "central: no hall 'NOPE'"),
        (["hall", "add", "BDG", "MPP \udcff"], "central: hall name: 1..60 characters on one line"),  # undecodable argv
    ],
)
def test_cli_errors_are_one_line(capsys, db_url, argv, message):
    code, out, err = run(capsys, "--db", db_url, *argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_cli_bad_catalog_and_args_are_one_line(capsys, db_url, fleet, tmp_path):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1")
    bad = tmp_path / "bad.toml"
    bad.write_text("version = = 1\n")
    code, _, err = run(capsys, "--db", db_url, "catalog", "set", "BDG", str(bad))
    assert code == 1 and err.startswith("central: the catalog is not TOML:") and err.count("\n") == 1
    code, _, err = run(capsys, "--db", db_url, "command", "add", "bdg-1", "pause", "--args", "{nope")
    assert (code, err) == (1, "central: --args: not JSON: '{nope'\n")


def test_cli_database_errors_are_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "--db", "mysql://x/y", "tickets", "X")
    assert (code, err) == (
        1,
        "central: database URL: unsupported database 'mysql': use sqlite:///PATH or postgresql://...\n",
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run(capsys, "--db", f"postgresql://nobody:secret@127.0.0.1:{port}/x", "tickets", "X")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"central: cannot open the database postgresql+psycopg://nobody:***@127.0.0.1:{port}/x:")
    assert "secret" not in err
    (tmp_path / "file").write_text("")  # a file where the database's folder should be
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path}/file/c.sqlite3", "tickets", "X")
    assert code == 1 and err.startswith("central: cannot open the database") and err.count("\n") == 1


def test_serve_port_in_use_is_one_line(capsys, db_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "--db", db_url, "--port", str(port))
    assert code == 1
    assert err == f"central: cannot listen on 127.0.0.1:{port}: Address already in use\n"


class Served:
    """`python -m central ...` serving on a free port; stopped with SIGTERM."""

    def __init__(self, folder, *args: str, env: dict[str, str] | None = None) -> None:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CENTRAL_")}
        environ |= {"XDG_DATA_HOME": str(folder / "data"), "PYTHONUNBUFFERED": "1"} | (env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "central", "--port", "0", "--log-level", "warning", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )
        self.lines: list[str] = []
        self.url = ""

    def wait_ready(self, timeout: float = 30) -> Served:
        """Read stdout up to the `serving on` line."""
        deadline = time.monotonic() + timeout
        while not self.url and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"central exited: {self.proc.wait()} {self.proc.stderr.read()}")
            self.lines.append(line.rstrip("\n"))
            if line.startswith("central: serving on "):
                self.url = line.split()[3]
        assert self.url, f"central did not start: {self.lines}"
        return self

    def stop(self) -> tuple[int, str]:
        """SIGTERM; uvicorn shuts down gracefully, then ends by the same signal (-15)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(5)
        return code, self.proc.stderr.read()


@pytest.fixture(scope="module", autouse=True)
def _demo_servers(tmp_path_factory, request):
    """`central --demo` for each backend, started as this module starts (a served process takes
    one to three seconds to come up; the tests above run meanwhile), each on its own database:
    SQLite with one worker (a demo, a single hall), PostgreSQL with two worker processes (a region)."""
    servers: dict[str, tuple[Served, str]] = {}
    folder = tmp_path_factory.mktemp("served-sqlite")
    url = f"sqlite:///{folder / 'central.sqlite3'}"
    servers["sqlite"] = (Served(folder, "--demo", "--db", url), url)
    try:
        url = request.getfixturevalue("postgres_server").create_database("central_served_demo")
    except BaseException as exc:  # noqa: BLE001 - reported by the PostgreSQL test itself
        servers["postgresql"] = exc
    else:
        folder = tmp_path_factory.mktemp("served-postgresql")
        servers["postgresql"] = (Served(folder, "--demo", "--db", url, "--workers", "2"), url)
    yield servers
    for entry in servers.values():
        if isinstance(entry, tuple):
            entry[0].stop()


def test_demo_seed_is_idempotent(db, clock):
    from central import demo

    with db.transaction() as s:
        assert demo.seed(s, clock()) == [
            "hall DEMO",
            "kiosk kiosk-1",
            "kiosk kiosk-2",
            "catalog version 1",
            "signing key DEMO-1",
        ]
    with db.transaction() as s:
        assert demo.seed(s, clock()) == []


DEMO_KIOSK = {"Authorization": "Bearer kiosk-1:demo-secret-kiosk-1"}


def _push_same_batch_twice_at_once(url: str, body: str) -> list[httpx.Response]:
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def send(i: int) -> None:
        with httpx.Client(base_url=url, verify=False, timeout=60) as c:  # one connection each
            barrier.wait()
            headers = {**DEMO_KIOSK, "Content-Type": "application/json"}
            results[i] = c.post("/api/v1/sync/push", content=body, headers=headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return results


def test_serve_demo(backend, _demo_servers, make_ticket):
    """`central --demo` as a real process: SQLite with one worker, PostgreSQL with two worker
    processes, where two connections redeliver the same 500 items at the same moment and each
    item is stored once."""
    entry = _demo_servers[backend]
    if isinstance(entry, BaseException):
        raise entry
    served, db_url = entry
    served.wait_ready()
    try:
        assert served.lines[0].startswith("central: demo hall DEMO (created hall DEMO, kiosk kiosk-1, kiosk kiosk-2, ")
        if backend == "postgresql":
            assert " with 2 workers " in served.lines[-1]
        items = [make_ticket("kiosk-1", s, hall="DEMO", number=f"A1-{s:04d}") for s in range(1, 501)]
        results = _push_same_batch_twice_at_once(served.url, json.dumps({"items": items}))
        assert [r.status_code for r in results] == [200, 200]
        statuses = zip(*[[a["status"] for a in r.json()["acks"]] for r in results], strict=True)
        assert all(sorted(s) == ["duplicate", "stored"] for s in statuses)
        with httpx.Client(base_url=served.url, verify=False, timeout=20) as c:
            r = c.get("/api/v1/halls/DEMO/tickets?day=2026-11-24", headers={"Authorization": "Bearer demo-admin"})
            assert len(r.json()["tickets"]) == 500
            pulled = c.get("/api/v1/sync/pull", headers={"Authorization": "Bearer kiosk-2:demo-secret-kiosk-2"}).json()
            assert pulled["changes"][0]["version"] == 1 and "[[agency]]" in pulled["changes"][0]["data"]["toml"]
    finally:
        code, err = served.stop()
    assert code in (0, -signal.SIGTERM) and "Traceback" not in err
    db = Database(Settings.build(db_url=db_url))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 500
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar() == 500
    db.dispose()
