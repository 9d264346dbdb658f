"""The core's translations (plain Python, read from the .ts) agree with Qt's, and the core imports no Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from kiosk import i18n

ROOT = Path(__file__).resolve().parents[2]
LRELEASE = shutil.which("pyside6-lrelease") or shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))


def qt_translate(qm: Path, context: str, source: str) -> str:
    qt = QTranslator()
    assert qt.load(str(qm)), qm
    return qt.translate(context, source) or source


def ts_messages(ts: Path) -> list[tuple[str, str]]:
    return [
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in ET.parse(ts).getroot().iter("context")
        for msg in ctx.iter("message")
    ]


def test_translator_matches_qt_for_every_committed_message():
    messages = ts_messages(i18n.ts_path("id"))
    assert len(messages) > 50
    qt = QTranslator()
    assert qt.load(str(i18n.qm_path("id")))
    ours = i18n.Translator("id")
    for context, source in messages:
        assert ours(context, source) == (qt.translate(context, source) or source), (context, source)
    assert ours("Ticket", "QUEUE NUMBER") == "NOMOR ANTREAN"


def test_translator_english_and_unknown_strings_stay_as_written():
    assert i18n.translator("en")("Ticket", "QUEUE NUMBER") == "QUEUE NUMBER"
    assert i18n.translator("id")("Ticket", "not in the catalog of strings") == "not in the catalog of strings"
    assert i18n.translator("id")("NoSuchContext", "QUEUE NUMBER") == "QUEUE NUMBER"
    assert i18n.translator("id").context("Ticket")("QUEUE NUMBER") == "NOMOR ANTREAN"
    assert i18n.translator("id") is i18n.translator("id")


EDGE_CASES_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>Edge</name>
    <message><source>finished</source><translation>selesai</translation></message>
    <message><source>unfinished with text</source><translation type="unfinished">belum</translation></message>
    <message><source>unfinished empty</source><translation type="unfinished"></translation></message>
    <message><source>vanished</source><translation type="vanished">hilang</translation></message>
    <message><source>obsolete</source><translation type="obsolete">usang</translation></message>
    <message><source>empty</source><translation></translation></message>
    <message><source>no translation element</source></message>
    <message><source>blank</source><translation> </translation></message>
    <message>
        <source>with a comment</source><comment>button</comment><translation>dengan komentar</translation>
    </message>
    <message><source>markup &amp; &lt;b&gt;{n}&lt;/b&gt; “quotes”…
second line</source><translation>tanda &amp; &lt;b&gt;{n}&lt;/b&gt; “kutip”…
baris kedua</translation></message>
</context>
<context>
    <name>Other</name>
    <message><source>finished</source><translation>selesai (lain)</translation></message>
</context>
</TS>
"""


@pytest.mark.skipif(LRELEASE is None, reason="pyside6-lrelease not installed")
def test_translator_keeps_exactly_what_lrelease_compiles(tmp_path, monkeypatch):
    ts = tmp_path / "kiosk_xx.ts"
    ts.write_text(EDGE_CASES_TS, encoding="utf-8")
    qm = tmp_path / "kiosk_xx.qm"
    subprocess.run([LRELEASE, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    ours = i18n.Translator("xx")
    messages = ts_messages(ts)
    assert len(messages) == 11
    for context, source in messages:
        assert ours(context, source) == qt_translate(qm, context, source), (context, source)
    assert ours("Edge", "unfinished with text") == "belum"  # lrelease keeps it, so the screen shows it
    assert ours("Edge", "vanished") == "vanished"
    assert ours("Other", "finished") == "selesai (lain)"


def test_translator_reads_nothing_at_import_and_missing_file_means_english(tmp_path, monkeypatch):
    code = (
        "import sys\n"
        "from kiosk import i18n\n"
        "assert 'xml.etree.ElementTree' not in sys.modules\n"
        "assert i18n._tables == {}\n"
        "i18n.translator('id')\n"
        "assert i18n._tables == {}\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    assert i18n.Translator("fr")("Ticket", "QUEUE NUMBER") == "QUEUE NUMBER"


CORE_MODULES = ["kiosk.cli", "kiosk.app", "kiosk.queue", "kiosk.store", "kiosk.ticket_layout", "kiosk.i18n"]


def test_core_and_devices_import_no_qt():
    devices = sorted(f"devices.{p.stem}" for p in (ROOT / "devices").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES + devices!r}:\n"
        "    importlib.import_module(name)\n"
        "from kiosk.i18n import translator, warm_up\n"
        "warm_up(); translator('id')('Ticket', 'QUEUE NUMBER')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_cli_ticket_imports_neither_qt_nor_python_escpos(tmp_path):
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kiosk", "--demo", "--data-dir", str(tmp_path)]
        + ["ticket", "KTP-EL", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert '"printed": true' in out.stdout
    assert not {m for m in imported if m.split(".")[0] in ("PySide6", "shiboken6", "escpos", "yaml", "PIL")}
