"""`kiosk catalog --search`, open/closed in `kiosk catalog`, case-insensitive codes and the
nearest codes for an unknown one, messages in the `--language` asked for."""

from __future__ import annotations

import json
import signal
import sqlite3
from argparse import Namespace
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.app import build
from kiosk.cli import cmd_catalog, main
from kiosk.clock import ZONES, FixedClock


@pytest.fixture(autouse=True)
def _keep_sigpipe():
    """kiosk.cli.main sets SIGPIPE to its default; give pytest its own back."""
    old = signal.getsignal(signal.SIGPIPE)
    yield
    signal.signal(signal.SIGPIPE, old)


def run(capsys, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(tmp_path / "data"), "--demo", *args])
    out, err = capsys.readouterr()
    return code, out, err


def tickets(tmp_path: Path) -> list[str]:
    db = tmp_path / "data" / "kiosk.sqlite3"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT service_code FROM tickets")]


def test_catalog_search_json_lists_best_match_first(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, "catalog", "--search", "paspor hilang", "--json")
    assert code == 0 and err == ""
    found = json.loads(out)["services"]
    assert found[0]["code"] == "PASPOR-GANTI" and found[0]["agency_code"] == "IMIGRASI"
    assert found[0]["name"] == "Penggantian Paspor (Habis/Penuh)"
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    assert {"code", "name", "agency_code", "agency", "score", "status", "open", "online_only"} <= set(found[0])
    assert found[0]["online_only"] is True and found[0]["status"] == "open"  # --demo: open around the clock


def test_catalog_search_in_english_with_a_typo(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, "catalog", "--search", "brith certificate", "--language", "en", "--json")
    first = json.loads(out)["services"][0]
    assert code == 0 and first["code"] == "AKTA-LAHIR-MATI" and first["name"] == "Birth & death certificates"
    assert first["counter"] == "Counters 6-7" and first["location"] == "Floor 1, left wing"


def test_catalog_search_text_is_a_table(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, "catalog", "--search", "skck")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("SKCK-BARU") and lines[1].startswith("SKCK-PANJANG")
    assert "[buka]" in lines[0]


@pytest.mark.parametrize("text", ["qqzzxx vvbbnn", "   ", "🙂"])
def test_catalog_search_no_match_exits_0_and_says_so(capsys, tmp_path, text):
    code, out, err = run(capsys, tmp_path, "catalog", "--search", text, "--json")
    assert code == 0 and err == "" and json.loads(out)["services"] == []
    code, out, err = run(capsys, tmp_path, "catalog", "--search", text, "--language", "en")
    assert code == 0 and err == "" and out.count("\n") == 1
    assert out.startswith("Nothing matched") and "kiosk catalog" in out
    code, out, _ = run(capsys, tmp_path, "catalog", "--search", text)
    assert out.startswith("Tidak ada yang cocok") and "kiosk catalog" in out


def test_catalog_json_keeps_its_shape_and_adds_status(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, "catalog", "--json")
    data = json.loads(out)
    services = [s for a in data["agencies"] for s in a["services"]]
    assert code == 0 and len(services) == 27
    for s in services:
        assert {"code", "name", "prefix", "counter_group", "documents", "offline"} <= set(s)  # as before
        assert s["status"] == "open" and s["open"] is True and s["online_only"] is (not s["offline"])
    assert data["agencies"][0]["examples"] == ["KTP-el", "Kartu Keluarga", "Akta Kelahiran"]
    assert [n["service_code"] for n in data["needs"]][:2] == ["KTP-EL", "AKTA-LAHIR-MATI"]


def test_catalog_says_closed_and_when_it_opens(capsys, tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[printer]\nkind = "none"\n')
    settings = config_mod.load(cfg, data_dir=tmp_path / "data")
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=ZONES["WIB"])
    kiosk = build(settings, clock=FixedClock(sunday))
    try:
        assert cmd_catalog(kiosk, Namespace(search=None, language="en", json=True)) == 0
        services = {s["code"]: s for a in json.loads(capsys.readouterr().out)["agencies"] for s in a["services"]}
        assert services["KTP-EL"]["status"] == "closed" and services["KTP-EL"]["open"] is False
        assert services["KTP-EL"]["opens_at"] == "2026-11-30T08:00+07:00"
        assert cmd_catalog(kiosk, Namespace(search=None, language="en", json=False)) == 0
        text = capsys.readouterr().out
        assert "KTP-EL" in text and "closed, opens 30-11-2026 08:00 WIB" in text
        assert "needs the central link" in next(line for line in text.splitlines() if "PASPOR-BARU" in line)
    finally:
        kiosk.close()


def test_ticket_service_code_in_any_case(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, "ticket", "ktp-el", "--json")
    assert code == 0, err
    assert json.loads(out)["service_code"] == "KTP-EL" and tickets(tmp_path) == ["KTP-EL"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Unknown service code: KTP-L. Did you mean KTP-EL?"), ("id", "Kode layanan tidak dikenal: KTP-L")],
)
def test_ticket_unknown_code_suggests_the_nearest_in_one_line(capsys, tmp_path, language, words):
    code, out, err = run(capsys, tmp_path, "ticket", "KTP-L", "--language", language)
    assert code == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert words in err and "KTP-EL" in err and "'kiosk catalog'" in err
    assert tickets(tmp_path) == []


def test_ticket_unknown_code_far_from_any_still_points_to_the_catalog(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path, "ticket", "NO-SUCH-SERVICE", "--language", "en")
    assert code == 1 and err.count("\n") == 1 and "NO-SUCH-SERVICE" in err and "'kiosk catalog'" in err
