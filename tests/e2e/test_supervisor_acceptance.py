"""Issue 14's acceptance, end to end: a supervisor in a real headless Chromium (Playwright driving
Debian's chromium) on the dashboard of a real `central --demo` process, and the REAL kiosk: the
touch window (KioskWindow, offscreen) on a data dir set up as kiosk-1, whose own sync thread (the
real sync engine) sends the heartbeats, pulls the command, executes it and acknowledges it.

    1. log in as spv-demo; the kiosk starts and syncs: kiosk-1 is online on the fleet page
    2. the kiosk's link to central is cut (a TCP proxy between them resets every connection):
       its heartbeats stop, the fleet page turns it offline by itself, the kiosk says "Luring"
    3. "pause service" KTP-EL from the kiosk's page: pending, and the kiosk still offers KTP-EL
    4. the link comes back: the kiosk's next round pulls the command, executes it and acks it;
       the page shows it done (its own refresh), and the kiosk's services screen dims KTP-EL
       with "Sementara dihentikan" (kiosk.wording.PAUSED_NOW) while it is on that screen
    5. "resume service" from the dashboard: done, and the kiosk offers KTP-EL again

Screenshots go to `screenshots/` at the project root (KIOSK_SCREENSHOTS=DIR elsewhere), named
acceptance-*.png. A missing chromium fails the test (it never skips).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from centralproc import ROOT
from faultproxy import FaultProxy
from uikit import SIZES, settle

from kiosk.app import build
from kiosk.config import load
from kiosk.session import Step
from ui.window import KioskWindow

SCREENSHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", ROOT / "screenshots"))
KTP = "KTP-EL"
PAUSED_WORDS = "Sementara dihentikan"  # kiosk.wording.PAUSED_NOW in Indonesian




@pytest.fixture
def link(dashboard_central):
    """The kiosk's network link to central: `mode = "reset"` plus `drop()` cuts it."""
    proxy = FaultProxy(dashboard_central.port)
    yield proxy
    proxy.close()




def kiosk_1(tmp_path: Path, central_url: str):
    """kiosk-1 of `central --demo` (its demo credential kiosk-1:demo-secret-kiosk-1), syncing
    through `central_url`; no camera, scanner or voice; a session outlives the test."""
    cfg = tmp_path / "kiosk-1.toml"
    cfg.write_text(
        f'[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n[central]\nurl = "{central_url}"\n'
        '[printer]\nkind = "file"\n[camera]\nkind = "none"\n[scanner]\nkind = "none"\n[speech]\nengine = "none"\n'
        "[timeouts]\ninactivity_seconds = 600\n"
    )
    return load(cfg, demo=True, data_dir=tmp_path / "kiosk-data")


def brisk_kiosk(settings, *, clock):
    """The real kiosk, its sync thread a round every second, and back within a second of the
    link returning (the defaults are 5 s, and a backoff up to 60 s)."""
    kiosk = build(settings, clock=clock)
    start = kiosk.start_sync
    kiosk.start_sync = lambda **kw: start(**kw, interval=1.0, backoff_cap=1.0)
    return kiosk


def service_row(w: KioskWindow, code: str):
    name = w.kiosk.catalog.service(code).name("id")
    grid = w.services.grid
    rows = [grid.itemAt(i).widget() for i in range(grid.count())]
    return next(r for r in rows if r.title.text() == name)


def offered(w: KioskWindow, code: str) -> bool:
    row = service_row(w, code)
    return row.property("available") is True and not row.property("dimmed")


def paused_on_screen(w: KioskWindow, code: str) -> bool:
    row = service_row(w, code)
    return row.property("available") is False and row.property("dimmed") is True and PAUSED_WORDS in row.sub.text()


def send(page, kind: str, service: str, reason: str) -> str:
    """The kiosk page's command form: the new command's id, once it shows pending."""
    before = set(page.locator(f'tr[data-kind="{kind}"]').evaluate_all("rs => rs.map(r => r.dataset.command)"))
    page.select_option("#kind", kind)
    page.select_option("#service", service)
    page.fill("#reason", reason)
    page.click("#command-form button[type=submit]")
    page.wait_for_selector(f'tr[data-kind="{kind}"][data-state="pending"]')
    rows = page.locator(f'tr[data-kind="{kind}"][data-state="pending"]')
    ids = {rows.nth(i).get_attribute("data-command") for i in range(rows.count())} - before
    assert len(ids) == 1, ids
    return ids.pop()


def test_pause_from_the_dashboard_reaches_the_real_kiosk_screen(qtbot, tmp_path, dashboard_central, link, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"acceptance screenshots: {SCREENSHOTS}/acceptance-*.png")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(15_000)
    page.goto(f"{dashboard_central.url}/dashboard/")
    page.fill("#username", "spv-demo")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.wait_for_selector("#kiosks")
    assert page.get_attribute('tr[data-kiosk="kiosk-1"]', "data-status") == "never"

    w = KioskWindow(kiosk_1(tmp_path, link.url), kiosk_factory=brisk_kiosk)
    qtbot.addWidget(w)
    w.resize(*SIZES["portrait"])
    w.show()
    try:
        # 1. The kiosk starts: its sync thread's first round sends a heartbeat.
        with qtbot.waitSignal(w.backend_did_start, timeout=10_000):
            w.start_backend()
        qtbot.waitUntil(lambda: w.sync_status is not None and w.sync_status.online, timeout=10_000)
        page.wait_for_selector('tr[data-kiosk="kiosk-1"][data-status="online"]')
        page.screenshot(path=SCREENSHOTS / "acceptance-dashboard-online.png", full_page=True)
        w.on_start("id")
        w.on_agency("DUKCAPIL")
        settle(qtbot, w)
        assert w.flow.step == Step.SERVICES and offered(w, KTP)

        # 2. The link is cut: no heartbeat reaches central, the fleet page turns it offline.
        link.mode = "reset"
        link.drop()
        qtbot.waitUntil(lambda: w.header.offline.isVisible(), timeout=10_000)
        assert "Luring" in w.header.offline.text()
        page.wait_for_selector('tr[data-kiosk="kiosk-1"][data-status="offline"]')
        assert "kiosk-1: offline: last heartbeat" in page.inner_text("#alerts")
        page.screenshot(path=SCREENSHOTS / "acceptance-dashboard-offline.png", full_page=True)

        # 3. Pause KTP-EL from the kiosk's page: pending while the kiosk cannot hear it.
        page.click('tr[data-kiosk="kiosk-1"] a')
        page.wait_for_selector("#command-form")
        pause = send(page, "pause_service", KTP, "loket 3 istirahat")
        page.screenshot(path=SCREENSHOTS / "acceptance-dashboard-pending.png", full_page=True)
        settle(qtbot, w)
        assert offered(w, KTP)  # nothing arrived at the kiosk

        # 4. The link is back: the kiosk's own round pulls, executes and acknowledges it.
        link.mode = "pass"
        done = page.wait_for_selector(f'tr[data-command="{pause}"][data-state="done"]')
        assert "Done" in done.inner_text() and f"service {KTP} paused" in done.inner_text()
        qtbot.waitUntil(lambda: paused_on_screen(w, KTP), timeout=10_000)
        assert w.flow.step == Step.SERVICES  # the visitor's screen changed under them, nothing else
        assert w.sync_status.paused == (KTP,) and not w.header.offline.isVisible()
        page.screenshot(path=SCREENSHOTS / "acceptance-dashboard-done.png", full_page=True)
        settle(qtbot, w)  # the replaced rows go and the new ones are laid out before the picture
        assert w.grab().save(str(SCREENSHOTS / "acceptance-kiosk-paused.png"))

        # 5. Resume from the dashboard: the next round gives KTP-EL back to the visitors.
        resume = send(page, "resume_service", KTP, "loket 3 buka lagi")
        page.wait_for_selector(f'tr[data-command="{resume}"][data-state="done"]')
        qtbot.waitUntil(lambda: offered(w, KTP), timeout=10_000)
        assert w.sync_status.paused == ()
        page.screenshot(path=SCREENSHOTS / "acceptance-dashboard-resumed.png", full_page=True)
        settle(qtbot, w)  # the replaced rows go and the new ones are laid out before the picture
        assert w.grab().save(str(SCREENSHOTS / "acceptance-kiosk-resumed.png"))
    finally:
        w.ops.shutdown()
        if w.kiosk is not None:
            w.kiosk.close()
