from __future__ import annotations

import re
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


def test_catalog_service_codes_in_any_case_and_nearest_codes():
    cat = load_catalog()
    assert cat.service("ktp-el") is cat.service("KTP-EL") is cat.service(" Ktp-El ")
    assert cat.nearest_codes("KTP-L")[0] == "KTP-EL"
    assert cat.nearest_codes("paspor-gant") == ["PASPOR-GANTI", "PASPOR-BARU"][: len(cat.nearest_codes("paspor-gant"))]
    assert cat.nearest_codes("ZZZZZZZZZZ") == []


def test_shipped_catalog_has_needs_keywords_counters_and_places_in_both_languages():
    cat = load_catalog()
    assert 6 <= len(cat.needs) <= 8
    for need in cat.needs:
        assert cat.service(need.service_code) and need.label("id") and need.label("en") and need.icon
    for agency in cat.agencies:
        assert 2 <= len(agency.examples("id")) <= 3 and len(agency.examples("en")) == len(agency.examples("id"))
    for s in cat.services():
        assert s.keywords.id and s.keywords.en
        assert s.counter_name("id") == s.counter_group and s.counter_name("en") != s.counter_group
        assert s.location is not None and s.location("id") != s.location("en")
    ktp = cat.service("KTP-EL")
    assert ktp.where("en") == "Counters 1-5, Floor 1, left wing"
    assert ktp.where("id") == "Loket 1-5, Lantai 1, sayap kiri"
    assert cat.needs[0].icon == "person" and cat.needs[1].icon == "DUKCAPIL"  # default: the agency's icon


def test_an_older_catalog_without_the_new_keys_loads_with_fallbacks(tmp_path):
    text = DEFAULT_PATH.read_text()
    for key in ("keywords_id", "keywords_en", "examples_id", "examples_en"):  # arrays, maybe over several lines
        text = re.sub(rf"^{key} = \[(?s:.*?)\]\n", "", text, flags=re.M)
    for key in ("counter_group_en", "location_id", "location_en", "needs"):
        text = re.sub(rf"^{key} = .*\n", "", text, flags=re.M)
    text = re.sub(r"\[\[need\]\]\n(?:\w+ = .*\n)+", "", text)
    path = tmp_path / "old.toml"
    path.write_text(text)
    cat = load_catalog(path)
    ktp = cat.service("KTP-EL")
    assert cat.needs == () and ktp.keywords.id == () and ktp.location is None
    assert ktp.counter_name("en") == "Loket 1-5" and ktp.where("en") == "Loket 1-5"
    assert cat.agencies[0].examples("en") == (
        "Electronic ID card (KTP-el)",
        "Family card (KK), new or update",
        "Change of domicile (move in/out)",
    )
    assert cat.agencies[1].examples("id", limit=1) == ("Penerbitan SKCK Baru",)


def test_several_needs_may_lead_to_one_service(tmp_path):
    text = DEFAULT_PATH.read_text().replace("needs = 8", "needs = 2")
    text = re.sub(r"\[\[need\]\]\n(?:\w+ = .*\n)+", "", text)
    needs = "".join(
        f'[[need]]\nlabel_id = "{label}"\nlabel_en = "{label}"\nservice = "KTP-EL"\n\n' for label in ("a", "b")
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text.replace("[[agency]]\n", needs + "[[agency]]\n", 1))
    assert [n.service_code for n in load_catalog(path).needs] == ["KTP-EL", "KTP-EL"]
