"""The supervisors' dashboard (/dashboard/): login, the session cookie, CSRF, the pages and their
live fragments, role scoping, sending a command from the form, logout."""

from __future__ import annotations

import json
import re

import pytest
from supervisorkit import PASSWORD, add_user, heartbeat_body

from central.demo import CATALOG_FILE
from central.repo import changes

D = "/dashboard"


@pytest.fixture
def web(client, fleet, db):
    """BDG (bdg-1, bdg-2) and SBY (sby-1), a supervisor of BDG; the shared client's cookies are
    this test's only."""
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    fleet.kiosk("BDG", "bdg-2", "2")
    fleet.kiosk("SBY", "sby-1", "1")
    with db.transaction() as s:
        changes.set_catalog(s, "BDG", CATALOG_FILE.read_text(encoding="utf-8"), fleet.clock())
    add_user(db, "spv-bdg", "supervisor", ("BDG",))
    client.cookies.clear()
    yield fleet
    client.cookies.clear()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, username: str = "spv-bdg", password: str = PASSWORD):
    form = client.get(f"{D}/login")
    assert form.status_code == 200
    return client.post(
        f"{D}/login",
        data={"username": username, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )


def test_pages_need_a_session(client, web):
    for path in (f"{D}/", f"{D}/kiosks/bdg-1", f"{D}/audit"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"{D}/login"
    assert client.get(f"{D}/?part=live").status_code == 401  # the refresh script reloads the page then
    assert client.get(D, follow_redirects=False).headers["location"].endswith(f"{D}/")


def test_login_then_the_kiosk_list(client, web):
    r = log_in(client)
    assert r.status_code == 303 and r.headers["location"] == f"{D}/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("mpp_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie
    assert web.rows("SELECT kind FROM user_tokens") == [{"kind": "dashboard"}]
    page = client.get(f"{D}/")
    assert page.status_code == 200
    assert re.findall(r'data-kiosk="([^"]+)"', page.text) == ["bdg-1", "bdg-2"]  # not SBY's
    assert "spv-bdg" in page.text and "supervisor of BDG" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    nonce = re.search(r"script-src 'nonce-([^']+)'", page.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in page.text
    live = client.get(f"{D}/?part=live")
    assert live.status_code == 200 and "<html" not in live.text and 'data-kiosk="bdg-1"' in live.text


def test_login_with_a_wrong_password_says_so(client, web):
    r = log_in(client, password="nope")
    assert r.status_code == 401 and "Wrong username or password." in r.text
    assert not any(h.startswith("mpp_session=") for h in r.headers.get_list("set-cookie"))
    assert web.rows("SELECT action, via FROM audit_events") == [{"action": "login.failed", "via": "dashboard"}]


def test_login_is_throttled_like_the_api(client, web):
    for _ in range(5):
        log_in(client, password="nope")
    r = log_in(client)
    assert r.status_code == 429 and "Too many failed logins. Try again in 5 min." in r.text


def test_login_form_without_its_csrf_token_is_refused(client, web):
    client.get(f"{D}/login")
    r = client.post(f"{D}/login", data={"username": "spv-bdg", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and web.count("user_tokens") == 0


def test_status_and_alerts_on_the_fleet_page(client, web, clock):
    devices = [{"name": "Epson", "kind": "printer", "status": "ERROR", "reason": "out of paper"}]
    body = heartbeat_body(clock(), devices=devices, backlog=2, oldest=5.0)
    assert client.post("/api/v1/heartbeat", json=body, headers=web.headers("bdg-1")).status_code == 200
    log_in(client)
    page = client.get(f"{D}/").text
    assert 'data-kiosk="bdg-1" data-status="online"' in page and 'data-kiosk="bdg-2" data-status="never"' in page
    assert "printer: out of paper" in page and "has never sent a heartbeat" in page
    clock.advance(minutes=3)
    page = client.get(f"{D}/?part=live").text
    assert 'data-kiosk="bdg-1" data-status="offline"' in page and "offline: last heartbeat 3 min ago" in page


def test_send_a_command_from_the_kiosk_page(client, web, clock):
    log_in(client)
    page = client.get(f"{D}/kiosks/bdg-1")
    assert page.status_code == 200 and 'value="KTP-EL"' in page.text  # the catalog's services to pick
    form = {"csrf": csrf_of(page.text), "kind": "pause_service", "service": "KTP-EL", "reason": "counter closed"}
    r = client.post(f"{D}/kiosks/bdg-1/commands", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{D}/kiosks/bdg-1?sent=")
    command_id = r.headers["location"].split("sent=")[1]
    (row,) = web.rows("SELECT kind, args, state, created_by FROM commands")
    args = json.loads(row.pop("args")) if isinstance(row["args"], str) else row.pop("args")
    assert row == {"kind": "pause_service", "state": "pending", "created_by": "spv-bdg"}
    assert args == {"service": "KTP-EL", "reason": "counter closed"}
    shown = client.get(r.headers["location"]).text
    assert (
        "Command sent." in shown
        and f'data-command="{command_id}" data-kind="pause_service" data-state="pending"' in shown
    )
    ack = client.post(f"/api/v1/commands/{command_id}/ack", json={"state": "done"}, headers=web.headers("bdg-1"))
    assert ack.status_code == 200
    live = client.get(f"{D}/kiosks/bdg-1?part=live").text
    assert f'data-command="{command_id}" data-kind="pause_service" data-state="done"' in live
    assert web.rows("SELECT action, via FROM audit_events WHERE action LIKE 'command.%' ORDER BY id") == [
        {"action": "command.sent", "via": "dashboard"},
        {"action": "command.done", "via": "kiosk"},
    ]


def test_command_form_without_csrf_is_refused(client, web):
    log_in(client)
    for token in ("", "0" * 64):
        r = client.post(f"{D}/kiosks/bdg-1/commands", data={"csrf": token, "kind": "restart"})
        assert r.status_code == 403
    assert web.count("commands") == 0


def test_a_bad_command_is_shown_not_sent(client, web):
    log_in(client)
    csrf = csrf_of(client.get(f"{D}/kiosks/bdg-1").text)
    r = client.post(f"{D}/kiosks/bdg-1/commands", data={"csrf": csrf, "kind": "pause_service", "service": ""})
    assert r.status_code == 422 and "Not sent: pause_service needs" in r.text
    assert web.count("commands") == 0


def test_another_halls_kiosk_page_is_404(client, web):
    log_in(client)
    csrf = csrf_of(client.get(f"{D}/").text)
    assert client.get(f"{D}/kiosks/sby-1").status_code == 404
    assert client.get(f"{D}/kiosks/no-such").status_code == 404
    r = client.post(f"{D}/kiosks/sby-1/commands", data={"csrf": csrf, "kind": "restart"})
    assert r.status_code == 404 and web.count("commands") == 0


def test_audit_page_lists_the_supervisors_actions(client, web):
    log_in(client)
    page = client.get(f"{D}/audit")
    assert page.status_code == 200 and "login.ok" in page.text


def test_logout_ends_the_session(client, web):
    log_in(client)
    csrf = csrf_of(client.get(f"{D}/").text)
    assert client.post(f"{D}/logout", data={"csrf": "wrong"}).status_code == 403
    r = client.post(f"{D}/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{D}/login"
    assert web.count("user_tokens") == 0
    assert client.get(f"{D}/", follow_redirects=False).status_code == 303
    assert web.count("audit_events", "action = 'logout'") == 1
