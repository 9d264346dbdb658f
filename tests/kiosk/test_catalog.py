from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.catalog import DEFAULT_PATH, load_catalog
from kiosk.clock import ZONES
from kiosk.errors import CatalogError


def test_load_catalog_shipped_hall_is_complete():
    cat = load_catalog()
    services = cat.services()
    assert len(cat.agencies) >= 8 and len(services) >= 20
    assert len({s.code for s in services}) == len(services)
    for s in services:
        assert s.name.id and s.name.en and s.documents and s.daily_quota > 0 and s.avg_minutes > 0
        assert s.identity in ("none", "qr", "face", "nik")
    letters = {}
    for s in services:  # a ticket letter belongs to one agency's counters
        assert letters.setdefault(s.prefix, s.agency_code) == s.agency_code


def test_hours_open_closed_and_next_opening():
    ktp = load_catalog().service("KTP-EL")
    wib = ZONES["WIB"]
    assert ktp.hours.is_open(datetime(2026, 11, 24, 9, 0, tzinfo=wib))
    assert not ktp.hours.is_open(datetime(2026, 11, 24, 7, 59, tzinfo=wib))
    assert ktp.hours.next_opening(datetime(2026, 11, 24, 7, 0, tzinfo=wib)) == datetime(2026, 11, 24, 8, 0, tzinfo=wib)
    # Sunday: closed; opens Monday 08:00.
    assert ktp.hours.next_opening(datetime(2026, 11, 29, 10, 0, tzinfo=wib)) == datetime(2026, 11, 30, 8, 0, tzinfo=wib)


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('identity = "nik"', 'identity = "fingerprint"', 1), ".identity", "expected one of"),
        (("hours = [", 'hours = ["mon-fri 8-15", ', 1), ".hours", "expected 'mon-fri 08:00-15:00'"),
        (("daily_quota = ", 'daily_quota = "many" # ', 1), ".daily_quota", "expected an integer"),
        (('prefix = "A"', 'prefix = "a1"', 1), ".prefix", "expected 1-2 letters"),
        (("daily_quota = ", "daily_qouta = 5\ndaily_quota = ", 1), ".daily_qouta", "unknown key"),
        (("short_en = ", 'colour = "red"\nshort_en = ', 1), "agency[0].colour", "unknown key"),
        (('{ id = "', '{ in = "', 1), ".documents[0]", "expected { id = ..., en = ... }"),
    ],
)
def test_load_catalog_broken_file_names_file_and_key(tmp_path, change, key, problem):
    text = DEFAULT_PATH.read_text().replace(*change)
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert str(path) in err.value.message and key in err.value.message and problem in err.value.message


def test_load_catalog_not_toml(tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text("[[agency]\n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(path)
