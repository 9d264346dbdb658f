"""The supervisors' dashboard in a real browser (Playwright driving Debian's chromium) against a
real `central --demo` process: log in as spv-demo, see the kiosks, see one turn offline when its
heartbeats stop, pause a service from the kiosk page, and see the command go from pending to
done once the kiosk acknowledges it, through the page's own refresh.

Screenshots go to `screenshots/` at the project root (KIOSK_SCREENSHOTS=DIR elsewhere), named
dashboard-*.png; docs/screenshots/ holds copies for the README.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import httpx
from centralproc import ROOT

SCREENSHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", ROOT / "screenshots"))
KIOSK_1 = {"Authorization": "Bearer kiosk-1:demo-secret-kiosk-1"}






def heartbeat(url: str) -> None:
    now = datetime.now(UTC).isoformat()
    body = {
        "kiosk_time": now,
        "app_version": "0.1.0",
        "backlog": 0,
        "last_sync_at": now,
        "devices": [
            {"name": "Epson TM-T82III", "kind": "printer", "status": "WARNING", "reason": "paper near end"},
            {"name": "USB camera", "kind": "camera", "status": "OK", "reason": ""},
        ],
    }
    r = httpx.post(f"{url}/api/v1/heartbeat", json=body, headers=KIOSK_1, timeout=10)
    assert r.status_code == 200, r.text


def test_supervisor_sees_kiosks_and_pauses_a_service(dashboard_central, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"dashboard screenshots: {SCREENSHOTS}/dashboard-*.png")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.set_default_timeout(10_000)

    page.goto(f"{dashboard_central.url}/dashboard/")
    assert page.url.endswith("/dashboard/login")
    page.screenshot(path=SCREENSHOTS / "dashboard-login.png")
    page.fill("#username", "spv-demo")
    page.fill("#password", "demo")
    heartbeat(dashboard_central.url)
    page.click("button[type=submit]")
    page.wait_for_selector("#kiosks")
    rows = page.locator("#kiosks tbody tr")
    assert [rows.nth(i).get_attribute("data-kiosk") for i in range(rows.count())] == ["kiosk-1", "kiosk-2"]
    assert page.get_attribute('tr[data-kiosk="kiosk-2"]', "data-status") == "never"
    assert page.get_attribute('tr[data-kiosk="kiosk-1"]', "data-status") == "online"
    assert "printer: paper near end" in page.inner_text("#alerts")
    page.screenshot(path=SCREENSHOTS / "dashboard-fleet.png", full_page=True)

    # Its heartbeats stop: the list turns it offline by itself (no reload), with an alert.
    page.wait_for_selector('tr[data-kiosk="kiosk-1"][data-status="offline"]')
    assert "kiosk-1: offline: last heartbeat" in page.inner_text("#alerts")
    page.screenshot(path=SCREENSHOTS / "dashboard-fleet-offline.png", full_page=True)

    # Pause a service from the kiosk's page.
    page.click('tr[data-kiosk="kiosk-1"] a')
    page.wait_for_selector("#command-form")
    page.select_option("#kind", "pause_service")
    page.select_option("#service", "KTP-EL")
    page.fill("#reason", "counter 3 closed for lunch")
    page.click("#command-form button[type=submit]")
    pending = page.wait_for_selector('tr[data-kind="pause_service"][data-state="pending"]')
    command_id = pending.get_attribute("data-command")
    assert "Pending" in pending.inner_text()
    page.screenshot(path=SCREENSHOTS / "dashboard-kiosk-pending.png", full_page=True)

    # The kiosk pulls the command and acknowledges it, as sync/engine/ does.
    pulled = httpx.get(f"{dashboard_central.url}/api/v1/sync/pull", headers=KIOSK_1, timeout=10).json()
    commands = [c["data"] for c in pulled["changes"] if c["kind"] == "command"]
    assert commands == [
        {
            "id": command_id,
            "kind": "pause_service",
            "args": {"service": "KTP-EL", "reason": "counter 3 closed for lunch"},
        }
    ]
    r = httpx.post(f"{dashboard_central.url}/api/v1/commands/{command_id}/ack", json={"state": "done"}, headers=KIOSK_1)
    assert r.status_code == 200
    done = page.wait_for_selector(f'tr[data-command="{command_id}"][data-state="done"]')
    assert "Done" in done.inner_text()
    page.screenshot(path=SCREENSHOTS / "dashboard-kiosk-done.png", full_page=True)

    # Another hall's kiosk does not exist for spv-demo.
    response = page.goto(f"{dashboard_central.url}/dashboard/kiosks/kiosk-3")
    assert response.status == 404 and "No such kiosk" in page.inner_text("h1")
    page.goto(f"{dashboard_central.url}/dashboard/audit")
    assert "command.sent" in page.inner_text("#audit") and "command.done" in page.inner_text("#audit")
    page.screenshot(path=SCREENSHOTS / "dashboard-audit.png", full_page=True)

    page.click("header form button")  # log out
    page.wait_for_selector("#username")
    assert page.url.endswith("/dashboard/login")
    if os.environ.get("MPP_UPDATE_DOCS_SCREENSHOTS"):
        for name in ("dashboard-fleet-offline.png", "dashboard-kiosk-done.png"):
            shutil.copyfile(SCREENSHOTS / name, ROOT / "docs" / "screenshots" / name)
