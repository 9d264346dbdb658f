"""Every catalog field is checked at load: a bad one stops the kiosk before any number is used.

Each broken catalog goes through the real loader and through `kiosk ... --demo ticket KTP-EL`
in process: exit code 2, one line on stderr naming the file, the key and what was expected, no
traceback, and no ticket or counter row written.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
from datetime import datetime, time
from pathlib import Path

import pytest

from kiosk.catalog import (
    AGENCY_FIELDS,
    DEFAULT_PATH,
    DOCUMENT_FIELDS,
    END_OF_DAY,
    NEED_FIELDS,
    SERVICE_FIELDS,
    TOP_FIELDS,
    load_catalog,
)
from kiosk.cli import main
from kiosk.clock import ZONES
from kiosk.errors import CatalogError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = DEFAULT_PATH.read_text(encoding="utf-8")
WIB = ZONES["WIB"]

#: A one-agency, one-service catalog for changes the shipped file cannot take by a replace.
SMALL = """version = 1
agencies = 1
services = 1

[[agency]]
code = "DUKCAPIL"
name_id = "Dukcapil"
name_en = "Civil Registry"
short_id = "Dukcapil"
short_en = "Civil Registry"
color = "#1F5F99"

[[agency.service]]
code = "KTP-EL"
name_id = "KTP-el"
name_en = "ID card"
prefix = "A"
counter_group = "Loket 1"
counters = 1
identity = "nik"
documents = [{ id = "KK", en = "Family card" }]
daily_quota = 10
hours = ["mon-sun 00:00-24:00"]
avg_minutes = 10
offline = true
"""
HEADER = "version = 1\nagencies = 1\nservices = 1\n"


def edit(old: str, new: str, count: int = 1, base: str = SHIPPED):
    """A change to a catalog text: the first `count` occurrences of `old` become `new`."""

    def change(text: str = base) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return change


def whole(text: str):
    return lambda: text


def ktp(field: str, value: str):
    """Set one field of the first service (KTP-EL) of the shipped file."""
    first = SHIPPED.index('code = "KTP-EL"')
    multi = re.compile(rf"^{field} = \[\n(?s:.*?)^\]$", re.M).search(SHIPPED, first)  # an array over lines
    single = re.compile(rf"^{field} = .*$", re.M).search(SHIPPED, first)
    line = multi if multi and multi.start() == single.start() else single
    return whole(SHIPPED[: line.start()] + f"{field} = {value}" + SHIPPED[line.end() :])


KTP_HOURS = '"mon-thu 08:00-15:00", "fri 08:00-11:30", "sat 08:00-12:00"]'
S0 = "agency[0].service[0]"

#: (test id, change, key named, words of what was expected)
BAD = [
    ("hours-25", edit(KTP_HOURS, '"mon-thu 25:00-26:00"]'), f"{S0}.hours[0]", "hours 00-24 and minutes 00-59"),
    ("hours-minute-60", edit(KTP_HOURS, '"mon-thu 08:60-15:00"]'), f"{S0}.hours[0]", "minutes 00-59"),
    ("hours-24-start", edit(KTP_HOURS, '"sat 24:00-24:00"]'), f"{S0}.hours[0]", "24:00 only as a closing time"),
    ("hours-24-01", edit(KTP_HOURS, '"sat 08:00-24:01"]'), f"{S0}.hours[0]", "hours 00-24 and minutes 00-59"),
    ("hours-99", edit(KTP_HOURS, '"sat 08:00-99:99"]'), f"{S0}.hours[0]", "hours 00-24 and minutes 00-59"),
    ("hours-no-minutes", edit(KTP_HOURS, '"mon-fri 8-15"]'), f"{S0}.hours[0]", "expected 'mon-fri 08:00-15:00'"),
    ("hours-bad-day", edit(KTP_HOURS, '"mon-fry 08:00-15:00"]'), f"{S0}.hours[0]", "days mon..sun"),
    ("hours-backwards", edit(KTP_HOURS, '"mon 15:00-08:00"]'), f"{S0}.hours[0]", "runs forwards"),
    ("hours-days-backwards", edit(KTP_HOURS, '"fri-mon 08:00-15:00"]'), f"{S0}.hours[0]", "runs forwards"),
    ("hours-empty", ktp("hours", "[]"), f"{S0}.hours", "at least one"),
    ("hours-number", ktp("hours", "[8]"), f"{S0}.hours[0]", "got 8"),
    ("hours-string", ktp("hours", '"mon-fri 08:00-15:00"'), f"{S0}.hours", "expected an array"),
    ("agency-int", whole(HEADER + "agency = 5\n"), "agency", "expected [[agency]] tables, got 5"),
    ("agency-string", whole(HEADER + 'agency = "xyz"\n'), "agency", "expected [[agency]] tables, got 'xyz'"),
    ("agency-array-of-numbers", whole(HEADER + "agency = [1, 2]\n"), "agency", "expected [[agency]] tables"),
    ("agency-none", whole(HEADER + "agency = []\n"), "agencies", "declares 1 agency but holds 0: is it complete?"),
    ("agency-missing", whole(HEADER), "agencies", "the file declares 1 agency but holds 0: is it complete?"),
    ("agencies-zero", whole(SMALL.replace("agencies = 1", "agencies = 0")), "agencies", "1..999, got 0"),
    (
        "service-int",
        edit("[[agency.service]]\n" + SMALL.split("[[agency.service]]\n")[1], "service = 5\n", base=SMALL),
        "agency[0].service",
        "expected [[agency.service]] tables, got 5",
    ),
    (
        "service-none",
        edit("[[agency.service]]\n" + SMALL.split("[[agency.service]]\n")[1], "service = []\n", base=SMALL),
        "services",
        "the file declares 1 service but holds 0: is it complete?",
    ),
    (
        "agency-without-services",
        whole(
            SMALL.replace("agencies = 1", "agencies = 2")
            + '[[agency]]\ncode = "EMPTY"\nname_id = "x"\nname_en = "x"\nshort_id = "x"\nshort_en = "x"\n'
            + 'color = "#000000"\n'
        ),
        "agency[1].service",
        "expected [[agency.service]] tables, at least one, got none",
    ),
    ("documents-int", ktp("documents", "5"), f"{S0}.documents", "expected an array: 0..10 items"),
    ("documents-eleven", ktp("documents", "[" + '{ id = "x", en = "y" }, ' * 11 + "]"), f"{S0}.documents", "0..10"),
    ("document-string", ktp("documents", '["KK"]'), f"{S0}.documents[0]", "expected { id = ..., en = ... }"),
    ("document-no-en", ktp("documents", '[{ id = "KK" }]'), f"{S0}.documents[0]", "expected { id = ..., en = ... }"),
    ("document-empty", ktp("documents", '[{ id = "", en = "x" }]'), f"{S0}.documents[0].id", "1..80 characters"),
    ("document-number", ktp("documents", '[{ id = "x", en = 5 }]'), f"{S0}.documents[0].en", "expected a string"),
    ("name-int", ktp("name_id", "5"), f"{S0}.name_id", "expected a string: text, 1..80 characters, got 5"),
    ("name-empty", ktp("name_en", '""'), f"{S0}.name_en", "1..80 characters, got ''"),
    ("name-blank", ktp("name_en", '"   "'), f"{S0}.name_en", "1..80 characters"),
    ("name-long", ktp("name_en", f'"{"x" * 81}"'), f"{S0}.name_en", "1..80 characters"),
    ("name-newline", ktp("name_en", '"ID\\ncard"'), f"{S0}.name_en", "1..80 characters"),
    ("short-empty", edit('short_id = "Dukcapil"', 'short_id = ""'), "agency[0].short_id", "1..30 characters"),
    ("agency-code-lower", edit('code = "DUKCAPIL"', 'code = "dukcapil"'), "agency[0].code", "A-Z, 0-9 or '-'"),
    ("agency-code-int", edit('code = "DUKCAPIL"', "code = 5"), "agency[0].code", "expected a string"),
    ("agency-name-missing", edit('name_en = "Civil Registry (Dukcapil)"\n', ""), "agency[0].name_en", "missing"),
    ("color-name", edit('color = "#1F5F99"', 'color = "blue"'), "agency[0].color", "'#RRGGBB'"),
    ("color-short", edit('color = "#1F5F99"', 'color = "#15F"'), "agency[0].color", "'#RRGGBB'"),
    ("color-light", edit('color = "#1F5F99"', 'color = "#FFFF00"'), "agency[0].color", "(contrast 1.1:1)"),
    ("service-code-short", ktp("code", '"K"'), f"{S0}.code", "2..16 characters A-Z, 0-9 or '-'"),
    ("service-code-long", ktp("code", f'"{"K" * 17}"'), f"{S0}.code", "2..16 characters"),
    ("service-code-underscore", ktp("code", '"KTP_EL"'), f"{S0}.code", "got 'KTP_EL'"),
    ("service-code-lower", ktp("code", '"ktp-el"'), f"{S0}.code", "A-Z, 0-9 or '-'"),
    ("prefix-long", ktp("prefix", '"ABC"'), f"{S0}.prefix", "1-2 letters A-Z"),
    ("prefix-digit", ktp("prefix", '"1"'), f"{S0}.prefix", "1-2 letters A-Z"),
    ("prefix-lower", ktp("prefix", '"a"'), f"{S0}.prefix", "1-2 letters A-Z"),
    ("counter-group-empty", ktp("counter_group", '""'), f"{S0}.counter_group", "1..30 characters"),
    ("counters-0", ktp("counters", "0"), f"{S0}.counters", "1..99 counters, got 0"),
    ("counters-100", ktp("counters", "100"), f"{S0}.counters", "1..99 counters, got 100"),
    ("counters-string", ktp("counters", '"5"'), f"{S0}.counters", "expected an integer"),
    ("counters-float", ktp("counters", "5.0"), f"{S0}.counters", "expected an integer"),
    ("daily-quota-negative", ktp("daily_quota", "-1"), f"{S0}.daily_quota", "0..9999 tickets a day, got -1"),
    ("daily-quota-10000", ktp("daily_quota", "10000"), f"{S0}.daily_quota", "0..9999 tickets a day"),
    ("daily-quota-bool", ktp("daily_quota", "true"), f"{S0}.daily_quota", "expected an integer"),
    ("avg-minutes-0", ktp("avg_minutes", "0"), f"{S0}.avg_minutes", "1..480 minutes, got 0"),
    ("avg-minutes-481", ktp("avg_minutes", "481"), f"{S0}.avg_minutes", "1..480 minutes"),
    ("avg-minutes-int64", ktp("avg_minutes", "9223372036854775807"), f"{S0}.avg_minutes", "1..480 minutes"),
    ("avg-minutes-over-64-bits", ktp("avg_minutes", "0x" + "F" * 30), f"{S0}.avg_minutes", "larger than 64 bits"),
    ("identity-unknown", ktp("identity", '"fingerprint"'), f"{S0}.identity", "one of none, qr, face, nik"),
    ("offline-int", ktp("offline", "1"), f"{S0}.offline", "expected true or false, got 1"),
    ("service-unknown-key", edit("avg_minutes = 10\n", "avg_minute = 10\n"), f"{S0}.avg_minute", "unknown key"),
    (
        "agency-code-duplicate",
        edit('code = "POLRI"', 'code = "DUKCAPIL"'),
        "agency[1].code",
        "duplicate agency code DUKCAPIL (also agency[0].code)",
    ),
    (
        "service-code-duplicate",
        edit('code = "SKCK-BARU"', 'code = "KTP-EL"'),
        "agency[1].service[0].code",
        "duplicate service code KTP-EL (also agency[0].service[0].code)",
    ),
    (
        "prefix-two-counter-groups",
        edit('prefix = "C"', 'prefix = "A"'),
        "agency[1].service[0].prefix",
        "letter A is already used by agency[0].service[0] (KTP-EL) with counter_group 'Loket 1-5'",
    ),
    (
        "prefix-two-counter-counts",
        ktp("counters", "4"),
        "agency[0].service[1].prefix",
        "letter A is already used by agency[0].service[0] (KTP-EL) with counter_group 'Loket 1-5' and counters = 4",
    ),
    ("version-2", edit("version = 1", "version = 2"), "version", "version 2 is newer than this kiosk reads (1)"),
    ("version-0", edit("version = 1", "version = 0"), "version", "expected 1 (the catalog format"),
    ("version-string", edit("version = 1", 'version = "1"'), "version", "expected an integer"),
    ("version-missing", edit("version = 1\n", ""), "version", "missing"),
    ("agencies-more", edit("agencies = 11", "agencies = 12"), "agencies", "declares 12 agencies but holds 11"),
    ("agencies-fewer", edit("agencies = 11", "agencies = 10"), "agencies", "declares 10 agencies but holds 11"),
    ("agencies-missing", edit("agencies = 11\n", ""), "agencies", "missing: expected agencies = N"),
    ("agencies-string", edit("agencies = 11", 'agencies = "11"'), "agencies", "expected an integer"),
    ("services-more", edit("services = 27", "services = 28"), "services", "declares 28 services but holds 27"),
    ("services-missing", edit("services = 27\n", ""), "services", "missing: expected services = N"),
    ("top-unknown-key", edit("version = 1", "version = 1\nhall = 1"), "hall", "unknown key"),
    # Keys added for search, the idle screen's needs and the ticket screen's directions
    ("keywords-string", ktp("keywords_id", '"ktp"'), f"{S0}.keywords_id", "expected an array: 0..30 search words"),
    ("keywords-item-int", ktp("keywords_id", '["ktp", 5]'), f"{S0}.keywords_id[1]", "1..40 characters, got 5"),
    ("keywords-item-long", ktp("keywords_en", f'["{"x" * 41}"]'), f"{S0}.keywords_en[0]", "1..40 characters"),
    ("keywords-item-blank", ktp("keywords_en", '["id card", " "]'), f"{S0}.keywords_en[1]", "1..40 characters"),
    ("keywords-31", ktp("keywords_id", "[" + '"x", ' * 31 + "]"), f"{S0}.keywords_id", "got 31 items"),
    ("counter-group-en-long", ktp("counter_group_en", f'"{"x" * 31}"'), f"{S0}.counter_group_en", "1..30 characters"),
    ("counter-group-en-int", ktp("counter_group_en", "5"), f"{S0}.counter_group_en", "expected a string"),
    ("location-long", ktp("location_en", f'"{"x" * 41}"'), f"{S0}.location_en", "1..40 characters"),
    (
        "location-without-english",
        edit('location_en = "Floor 1, left wing"\n', ""),
        f"{S0}.location_en",
        "location_id and location_en go together",
    ),
    (
        "location-two-places-one-letter",
        ktp("location_id", '"Lantai 3"'),
        "agency[0].service[1].prefix",
        "letter A is already used by agency[0].service[0] (KTP-EL) at 'Counters 1-5, Floor 1, left wing'",
    ),
    (
        "counter-group-en-two-names-one-letter",
        ktp("counter_group_en", '"Desks 1-5"'),
        "agency[0].service[1].prefix",
        "one letter is one queue at one place",
    ),
    (
        "examples-four",
        edit('examples_id = ["KTP-el", "Kartu Keluarga", "Akta Kelahiran"]', 'examples_id = ["a", "b", "c", "d"]'),
        "agency[0].examples_id",
        "0..3 example services for the tile, each text 1..30 characters (optional; default: the first services' "
        "names), got 4 items",
    ),
    ("examples-long", edit('"Akta Kelahiran"]', f'"{"x" * 31}"]'), "agency[0].examples_id[2]", "1..30 characters"),
    (
        "examples-without-english",
        edit('examples_en = ["ID card", "Family card", "Birth certificate"]\n', ""),
        "agency[0].examples_en",
        "examples_id and examples_en go together",
    ),
    (
        "need-unknown-service",
        edit('service = "KTP-EL"', 'service = "KTP-ELX"'),
        "need[0].service",
        "unknown service code KTP-ELX (expected the code of a service in this file)",
    ),
    ("need-service-lower", edit('service = "KTP-EL"', 'service = "ktp el"'), "need[0].service", "got 'ktp el'"),
    ("need-service-int", edit('service = "KTP-EL"', "service = 1"), "need[0].service", "expected a string"),
    (
        "need-label-long",
        edit('label_en = "Lost or damaged ID card"', f'label_en = "{"x" * 41}"'),
        "need[0].label_en",
        "1..40 characters",
    ),
    ("need-label-missing", edit('label_id = "KTP-el hilang / rusak"\n', ""), "need[0].label_id", "missing"),
    ("need-icon-path", edit('icon = "person"', 'icon = "../x"'), "need[0].icon", "an icon name in assets/icons"),
    ("need-unknown-key", edit('icon = "person"', 'icon = "person"\ncolor = "red"'), "need[0].color", "unknown key"),
    (
        "needs-more",
        whole(re.sub(r"\[\[need\]\]\n(?:\w+ = .*\n)+", "", SHIPPED, count=1)),
        "needs",
        "the file declares 8 needs but holds 7: is it complete?",
    ),
    ("needs-fewer", edit("needs = 8", "needs = 7"), "needs", "declares 7 needs but holds 8: is the count out of"),
    ("needs-missing", edit("needs = 8\n", ""), "needs", "missing: expected needs = N before the first table"),
    ("needs-string", edit("needs = 8", 'needs = "8"'), "needs", "expected an integer"),
    (
        "needs-nine",
        whole(
            SHIPPED.replace("needs = 8", "needs = 9").replace(
                "[[need]]\n", '[[need]]\nlabel_id = "x"\nlabel_en = "x"\nservice = "NPWP"\n\n[[need]]\n', 1
            )
        ),
        "needs",
        "0..8 (optional without [[need]]), got 9",
    ),
    ("need-int", whole(HEADER + "need = 5\n"), "need", "expected [[need]] tables, got 5"),
    ("toml-syntax", whole("[[agency]\n"), "line 1, column 9", "not valid TOML"),
    ("toml-thousands-of-digits", whole(f"version = {'1' * 5000}\n"), "-", "thousands of digits"),
    ("toml-nested-too-deep", whole("version = " + "[" * 5000 + "\n"), "-", "nested too deeply"),
]


@pytest.fixture(autouse=True)
def _keep_sigpipe():
    """kiosk.cli.main sets SIGPIPE to its default; give pytest its own back."""
    old = signal.getsignal(signal.SIGPIPE)
    yield
    signal.signal(signal.SIGPIPE, old)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "catalog.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def store_counts(data: Path) -> tuple[int, int]:
    """(tickets, counter rows) in the data dir's store; (0, 0) when there is no store."""
    db = data / "kiosk.sqlite3"
    if not db.exists():
        return (0, 0)
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM counters)").fetchone()


def run_ticket(capsys, tmp_path: Path, catalog: Path) -> tuple[int, str, str, Path]:
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[catalog]\npath = {json.dumps(str(catalog))}\n")
    data = tmp_path / "data"
    code = main(["--config", str(config), "--data-dir", str(data), "--demo", "ticket", "KTP-EL"])
    out, err = capsys.readouterr()
    return code, out, err, data


@pytest.mark.parametrize(("change", "key", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_load_catalog_refuses_bad_field(tmp_path, change, key, expected):
    path = write(tmp_path, change())
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    message = err.value.message
    assert message.startswith(f"{path}: {key}: "), message
    assert expected in message and "\n" not in message


@pytest.mark.parametrize(("change", "key", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_cli_refuses_bad_catalog_before_any_ticket(tmp_path, capsys, change, key, expected):
    path = write(tmp_path, change())
    code, out, err, data = run_ticket(capsys, tmp_path, path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err
    assert err.startswith(f"kiosk: {path}: {key}: ") and expected in err
    assert store_counts(data) == (0, 0)


def test_load_catalog_refuses_non_utf8_byte_with_its_place(tmp_path):
    raw = SHIPPED.encode()
    at = raw.index(b"Perekaman")
    path = write(tmp_path, raw[:at] + b"\xff" + raw[at + 1 :])
    line, column = raw.count(b"\n", 0, at) + 1, at - raw.rfind(b"\n", 0, at)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert err.value.message == (
        f"{path}: line {line}, column {column}: not valid UTF-8 text (byte 0xFF at offset {at}); save it as UTF-8"
    )
    assert SHIPPED.splitlines()[line - 1][column - 1 :].startswith("Perekaman")


def test_cli_refuses_non_utf8_catalog_before_any_ticket(tmp_path, capsys):
    path = write(tmp_path, SHIPPED.encode().replace(b"Perekaman", b"Perek\xe2man", 1))
    code, out, err, data = run_ticket(capsys, tmp_path, path)
    assert code == 2 and err.count("\n") == 1 and "not valid UTF-8 text" in err and "Traceback" not in err
    assert store_counts(data) == (0, 0)


def _cuts() -> list[int]:
    """Line counts to cut the shipped file at: every table header, and every line of the last agency."""
    lines = SHIPPED.splitlines(keepends=True)
    last_agency = max(i for i, line in enumerate(lines) if line.startswith("[[agency]]"))
    headers = [i for i, line in enumerate(lines) if line.startswith("[[")]
    return sorted(set(headers) | set(range(last_agency, len(lines))))


@pytest.mark.parametrize("keep", _cuts())
def test_load_catalog_refuses_a_file_cut_at_a_line_boundary(tmp_path, keep):
    lines = SHIPPED.splitlines(keepends=True)
    path = write(tmp_path, "".join(lines[:keep]))
    lost = [line for line in lines[keep:] if line.strip() and not line.lstrip().startswith("#")]
    if not lost:  # only blank lines and comments were cut: nothing is missing
        assert len(load_catalog(path).services()) == 27
        return
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "is it complete?" in err.value.message or "not valid TOML" in err.value.message, err.value.message


def test_load_catalog_shipped_file_declares_what_it_holds():
    catalog = load_catalog()
    counts = dict(re.findall(r"^(agencies|services) = (\d+)$", SHIPPED, re.M))
    assert int(counts["agencies"]) == len(catalog.agencies) == 11
    assert int(counts["services"]) == len(catalog.services()) == 27


def test_load_catalog_accepts_the_edges_of_every_range(tmp_path):
    text = SMALL.replace("counters = 1", "counters = 99").replace("daily_quota = 10", "daily_quota = 9999")
    text = text.replace("avg_minutes = 10", "avg_minutes = 480").replace(
        'documents = [{ id = "KK", en = "Family card" }]', "documents = []"
    )
    service = load_catalog(write(tmp_path, text)).service("KTP-EL")
    assert (service.counters, service.daily_quota, service.avg_minutes, service.documents) == (99, 9999, 480, ())
    text = SMALL.replace("daily_quota = 10", "daily_quota = 0").replace('code = "KTP-EL"', 'code = "K1"')
    text = text.replace('prefix = "A"', 'prefix = "ZZ"').replace("counters = 1", "counters = 1")
    assert load_catalog(write(tmp_path, text)).service("K1").daily_quota == 0


def test_hours_until_midnight_is_open_to_the_last_second(tmp_path):
    text = SMALL.replace('"mon-sun 00:00-24:00"', '"mon-fri 20:00-24:00", "sat 08:00-12:00"')
    hours = load_catalog(write(tmp_path, text)).service("KTP-EL").hours
    assert (4, time(20, 0), END_OF_DAY) in hours.intervals
    friday = datetime(2026, 11, 27, tzinfo=WIB)
    assert hours.is_open(friday.replace(hour=23, minute=59, second=59, microsecond=999999))
    assert hours.is_open(friday.replace(hour=20))
    assert not hours.is_open(friday.replace(hour=19, minute=59))
    assert not hours.is_open(datetime(2026, 11, 28, 0, 0, tzinfo=WIB))  # Saturday midnight: Friday's interval is over
    assert hours.next_opening(friday.replace(hour=21)) == datetime(2026, 11, 28, 8, 0, tzinfo=WIB)
    assert hours.next_opening(friday.replace(hour=9)) == friday.replace(hour=20)


def test_hours_open_around_the_clock(tmp_path):
    hours = load_catalog(write(tmp_path, SMALL)).service("KTP-EL").hours
    for day in range(23, 30):
        for hour, minute in ((0, 0), (12, 0), (23, 59)):
            assert hours.is_open(datetime(2026, 11, day, hour, minute, tzinfo=WIB))


def test_readme_catalog_table_matches_the_fields():
    readme = (ROOT / "README.md").read_text()
    rows = {}
    for names, accepted in re.findall(r"^\| (`[\w.\[\]]+`(?:, `[\w.\[\]]+`)*) \| (.*?) \|$", readme, re.M):
        for name in re.findall(r"`([^`]+)`", names):
            rows[name] = accepted
    tables = (
        ("", TOP_FIELDS),
        ("need.", NEED_FIELDS),
        ("agency.", AGENCY_FIELDS),
        ("service.", SERVICE_FIELDS),
        ("documents.", DOCUMENT_FIELDS),
    )
    for prefix, specs in tables:
        for key, spec in specs.items():
            assert rows.get(prefix + key) == spec.expected, prefix + key
