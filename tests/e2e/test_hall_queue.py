"""One hall, one queue, end to end: a real central process and two real kiosk processes of hall
DEMO (`kiosk ticket KTP-EL --json`, `kiosk sync --once`), on SQLite and PostgreSQL.

Letter A (KTP-EL, 10 min a visitor) has one counter here, so the numbers are exact: kiosk-1's five
tickets and kiosk-2's own earlier ones are ahead of kiosk-2's visitors while central answers, and
still are (from the last known hall state, shown as a range, the estimate being this kiosk's) once it is stopped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from centralproc import Central
from escpos_reader import parse

from kiosk.catalog import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
#: An uncertain wait (this kiosk's own count, where the hall's was expected) is shown as a range.
RANGE = re.compile(r"about \d+[\u2013-]\d+ min", re.IGNORECASE)  # paper prints the dash as '-'


def ranged(text: str) -> bool:
    return RANGE.search(text) is not None


def one_counter_catalog(tmp_path: Path) -> Path:
    text = DEFAULT_PATH.read_text()
    assert text.count("counters = 5") == 3  # letter A's three services
    text = re.sub(r"daily_quota = \d+", "daily_quota = 9000", text.replace("counters = 5", "counters = 1"))
    path = tmp_path / "catalog-one-counter.toml"
    path.write_text(text)
    return path


def kiosk(tmp_path: Path, n: int, central: Central, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / f"kiosk-{n}.toml"
    if not config.exists():
        config.write_text(
            f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\n[catalog]\npath = "{one_counter_catalog(tmp_path)}"\n'
        )
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(config)]
    cmd += ["--data-dir", str(tmp_path / f"data-{n}"), "--central", central.url, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=120)


def ticket(tmp_path: Path, n: int, central: Central) -> dict:
    r = kiosk(tmp_path, n, central, "ticket", "KTP-EL", "--json", "--language", "en")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def sync(tmp_path: Path, n: int, central: Central) -> subprocess.CompletedProcess:
    return kiosk(tmp_path, n, central, "sync", "--once", "--json")


def printed(t: dict) -> str:
    return " ".join(parse(Path(t["printer_output"]).read_bytes()).lines)


def test_kiosk_2_counts_kiosk_1s_tickets_online_and_after_central_stops(tmp_path, central_db_url):
    c = Central(central_db_url).start()
    try:
        r = subprocess.run(
            [sys.executable, "-m", "central.cli", "--db", central_db_url, "catalog", "set", "DEMO"]
            + [str(one_counter_catalog(tmp_path))],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr

        # Kiosk-1 issues five (on its own they queue for the one counter), then syncs.
        first = [ticket(tmp_path, 1, c) for _ in range(5)]
        assert [t["people_ahead"] for t in first] == [0, 0, 1, 2, 3]
        assert json.loads(sync(tmp_path, 1, c).stdout)["pushed"] == 10

        # Kiosk-2's first ticket before it ever synced: it knows its own queue only (empty).
        own = ticket(tmp_path, 2, c)
        assert (own["people_ahead"], own["estimated_wait_minutes"]) == (0, 0)
        r = sync(tmp_path, 2, c)
        assert r.returncode == 0 and json.loads(r.stdout)["catalog_version"] == 2, r.stdout + r.stderr

        # Online: kiosk-1's five (the first one at the counter) and kiosk-2's own one are ahead.
        online = ticket(tmp_path, 2, c)
        assert online["people_ahead"] == 4 + 1
        assert 58 <= online["estimated_wait_minutes"] <= 60  # six visits of 10 min from kiosk-1's first
        assert "Estimated wait: about" in printed(online) and not ranged(printed(online))

        # Central stops: the last known hall state still counts them, and says it is an estimate.
        c.stop()
        down = sync(tmp_path, 2, c)
        assert down.returncode == 1 and "Traceback" not in down.stderr
        offline = ticket(tmp_path, 2, c)
        assert offline["people_ahead"] == 4 + 1 + 1  # and kiosk-2's online ticket, not yet at central
        assert 68 <= offline["estimated_wait_minutes"] <= 70
        assert ranged(printed(offline)), printed(offline)
    finally:
        c.stop()


def test_touch_screen_shows_the_hall_queue_and_says_when_it_is_its_own_estimate(qtbot, tmp_path, central_db_url):
    """The touch kiosk (kiosk-1) beside a CLI kiosk (kiosk-2) that issued five: the service screen
    counts them while central answers; once central is stopped it still does and gives the wait
    as a range (the estimate is this kiosk's), without cutting any text off."""
    from uikit import SIZES, layout_problems, pass_identity, settle

    from kiosk.config import load
    from ui.window import KioskWindow

    c = Central(central_db_url).start()
    cfg = tmp_path / "touch.toml"
    cfg.write_text(
        f'[central]\nurl = "{c.url}"\n[catalog]\npath = "{one_counter_catalog(tmp_path)}"\n[speech]\nengine = "none"\n'
    )
    w = None
    try:
        r = subprocess.run(
            [sys.executable, "-m", "central.cli", "--db", central_db_url, "catalog", "set", "DEMO"]
            + [str(one_counter_catalog(tmp_path))],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        for _ in range(5):
            ticket(tmp_path, 2, c)
        assert sync(tmp_path, 2, c).returncode == 0
        w = KioskWindow(load(cfg, demo=True, data_dir=tmp_path / "touch"))
        qtbot.addWidget(w)
        w.resize(*SIZES["landscape"])
        w.show()
        with qtbot.waitSignal(w.backend_did_start, timeout=10000):
            w.start_backend()
        qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online, timeout=10000)
        qtbot.waitUntil(lambda: w.kiosk.store.sync_state().get("hall_queue") is not None, timeout=10000)

        def detail() -> list[str]:
            w.on_home()
            w.on_start("en")
            w.on_agency("DUKCAPIL")
            w.on_service("KTP-EL")
            settle(qtbot, w)
            labels = w.detail.findChildren(type(w.detail.title))  # QLabel (no Qt widget imports outside tests/ui)
            return [lab.text() for lab in labels if lab.isVisibleTo(w)]

        online = detail()
        assert "4" in online and any(t.lower().startswith("about ") and t.endswith(" min") for t in online), online
        assert not any(ranged(t) for t in online)
        c.stop()
        qtbot.waitUntil(lambda: w.header.offline.isVisible(), timeout=15000)
        offline = detail()
        assert "4" in offline and any(ranged(t) for t in offline), offline
        assert layout_problems(w) == []
        w.on_take()  # the confirm screen and the ticket say it too, and fit, in both orientations
        pass_identity(qtbot, w)  # KTP-EL needs a NIK
        settle(qtbot, w)
        assert ranged(w.confirm.wait.text()) and layout_problems(w) == []
        w.on_confirm()
        qtbot.waitUntil(lambda: w.session.state.ticket is not None and w.ticket.wait.text() != "", timeout=10000)
        settle(qtbot, w)
        assert w.session.state.ticket.people_ahead == 4 and ranged(w.ticket.wait.text())
        assert layout_problems(w) == []
        w.resize(*SIZES["portrait"])
        settle(qtbot, w)
        assert layout_problems(w) == []
    finally:
        if w is not None:
            w.ops.shutdown()
            if w.kiosk is not None:
                w.kiosk.close()
        c.stop()
