"""Every user-facing string has an Indonesian translation, and the compiled .qm is current."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402


def test_translations_cover_every_source_string(tmp_path):
    ts = tmp_path / "kiosk_id.ts"
    shutil.copy(i18n.TS, ts)
    i18n.lupdate(ts)  # merges the strings in the code today into a copy of the committed file
    assert i18n.unfinished(ts) == [], "run: uv run python tools/i18n.py update, then translate"


def test_translations_compiled_file_is_current(tmp_path):
    qm = tmp_path / "kiosk_id.qm"
    i18n.lrelease(i18n.TS, qm)
    assert qm.read_bytes() == i18n.QM.read_bytes(), "run: uv run python tools/i18n.py update"


def test_one_spelling_for_queue_in_indonesian():
    """KBBI's 'antrean', everywhere: a visitor should not read two words for one thing."""
    text = i18n.TS.read_text(encoding="utf-8")
    assert "antrian" not in text.lower()
    catalog = (ROOT / "assets" / "catalog.toml").read_text(encoding="utf-8")
    assert "antrian" not in catalog.lower()
