"""Catalog editing at central: checked before it is stored (every problem listed), a new version
with who stored it, restore an older one, the pull's `catalog` change, hall scoping (404),
CSRF on the dashboard form, audit."""

from __future__ import annotations

import re

import pytest
from supervisorkit import PASSWORD, add_user, bearer, token

from central.demo import CATALOG_FILE
from central.repo import catalog_edit, changes

D = "/dashboard"
GOOD = CATALOG_FILE.read_text(encoding="utf-8")
#: The shipped catalog with one service's ticket letter broken and its counters out of range.
BAD = GOOD.replace('prefix = "A"', 'prefix = "a1"', 1).replace("counters = 5", "counters = 500", 1)


@pytest.fixture
def halls(client, fleet, db):
    fleet.hall("BDG")
    fleet.hall("SBY", "MPP Kota Surabaya")
    fleet.kiosk("BDG", "bdg-1", "1")
    with db.transaction() as s:
        changes.set_catalog(s, "BDG", GOOD, fleet.clock())
    add_user(db, "spv-bdg", "supervisor", ("BDG",))
    client.cookies.clear()
    yield fleet
    client.cookies.clear()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, username: str = "spv-bdg"):
    form = client.get(f"{D}/login")
    r = client.post(
        f"{D}/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_the_shipped_catalog_passes_and_broken_ones_list_every_problem():
    assert catalog_edit.problems(GOOD) == []
    found = catalog_edit.problems(BAD)
    assert any("prefix: expected 1-2 letters A-Z" in p for p in found)
    assert any("counters: expected an integer 1..99, got 500" in p for p in found)
    assert catalog_edit.problems("version = 1\n[[agency]\n")[0].startswith("not valid TOML")
    cut = GOOD.replace("services = 27", "services = 28")
    assert catalog_edit.problems(cut) == ["services: the file declares 28 but holds 27"]


def test_api_stores_a_valid_catalog_as_the_next_version(client, halls):
    spv = bearer(token(client, "spv-bdg"))
    edited = GOOD + "\n# edited at central\n"
    r = client.post("/api/v1/halls/BDG/catalog", content=edited, headers={**spv, "Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.json()["created_by"] == "spv-bdg"
    got = client.get("/api/v1/halls/BDG/catalog", headers=spv).json()
    assert got["current"]["version"] == 2 and got["current"]["toml"] == edited
    assert [v["version"] for v in got["versions"]] == [2, 1]
    # the kiosks pull it as a catalog change
    pulled = client.get("/api/v1/sync/pull", headers=halls.headers("bdg-1")).json()["changes"]
    assert [(c["kind"], c["version"]) for c in pulled if c["kind"] == "catalog"] == [("catalog", 1), ("catalog", 2)]
    assert [c for c in pulled if c["kind"] == "catalog"][-1]["data"]["toml"] == edited
    (event,) = halls.rows("SELECT actor, action, via, hall_code FROM audit_events WHERE action LIKE 'catalog.%'")
    assert event == {"actor": "spv-bdg", "action": "catalog.saved", "via": "api", "hall_code": "BDG"}


def test_api_refuses_a_broken_catalog_with_its_problems(client, halls):
    spv = bearer(token(client, "spv-bdg"))
    r = client.post("/api/v1/halls/BDG/catalog", json={"toml": BAD}, headers=spv)
    assert r.status_code == 422
    problems = r.json()["error"]["problems"]
    assert any("prefix" in p for p in problems) and any("counters" in p for p in problems)
    assert halls.count("catalogs") == 1 and halls.count("changes", "kind = 'catalog'") == 1


def test_api_restore_and_scoping(client, halls):
    spv = bearer(token(client, "spv-bdg"))
    client.post("/api/v1/halls/BDG/catalog", json={"toml": GOOD + "\n# another edit\n"}, headers=spv)
    r = client.post("/api/v1/halls/BDG/catalog", json={"restore": 1}, headers=spv)
    assert r.status_code == 201 and r.json()["version"] == 3
    assert client.get("/api/v1/halls/BDG/catalog/3", headers=spv).json()["toml"] == GOOD
    # another hall's catalog is 404, like one that does not exist
    assert client.get("/api/v1/halls/SBY/catalog", headers=spv).status_code == 404
    assert client.post("/api/v1/halls/SBY/catalog", json={"toml": GOOD}, headers=spv).status_code == 404
    assert client.get("/api/v1/halls/NOPE/catalog", headers=spv).status_code == 404
    assert client.get("/api/v1/halls/BDG/catalog").status_code == 401


def test_dashboard_edit_refuse_and_restore(client, halls):
    log_in(client)
    page = client.get(f"{D}/halls/BDG/catalog")
    assert page.status_code == 200 and "version 1" in page.text and "Save as new version" in page.text
    csrf = csrf_of(page.text)
    # refused: the problems listed, the text kept in the form, nothing stored
    r = client.post(f"{D}/halls/BDG/catalog", data={"csrf": csrf, "toml": BAD})
    assert r.status_code == 422 and 'id="problems"' in r.text and "counters: expected an integer 1..99" in r.text
    assert halls.count("catalogs") == 1
    # forged: 403
    r = client.post(f"{D}/halls/BDG/catalog", data={"csrf": "forged", "toml": GOOD})
    assert r.status_code == 403 and halls.count("catalogs") == 1
    # saved
    edited = GOOD + "\n# edited at central\n"
    r = client.post(f"{D}/halls/BDG/catalog", data={"csrf": csrf, "toml": edited}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{D}/halls/BDG/catalog?saved=2"
    shown = client.get(r.headers["location"]).text
    assert "Saved as version 2" in shown and "by spv-bdg" in shown
    viewed = client.get(f"{D}/halls/BDG/catalog?view=1").text
    assert 'id="viewed"' in viewed and "Version 1" in viewed
    # restore version 1 as version 3
    r = client.post(f"{D}/halls/BDG/catalog", data={"csrf": csrf, "restore": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("saved=3")
    assert halls.rows("SELECT toml FROM catalogs WHERE version = 3")[0]["toml"] == GOOD
    actions = [
        e["action"] for e in halls.rows("SELECT action FROM audit_events WHERE action LIKE 'catalog.%' ORDER BY id")
    ]
    assert actions == ["catalog.saved", "catalog.restored"]
    # another hall: 404
    assert client.get(f"{D}/halls/SBY/catalog").status_code == 404
    assert client.post(f"{D}/halls/SBY/catalog", data={"csrf": csrf, "toml": GOOD}).status_code == 404
    index = client.get(f"{D}/halls").text
    assert 'data-hall="BDG"' in index and 'data-hall="SBY"' not in index
