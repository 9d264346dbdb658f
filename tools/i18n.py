"""Translations: `update` re-reads the sources (pyside6-lupdate) and compiles (pyside6-lrelease);
`fill FILE.toml` writes translations from a {source = translation} TOML into the .ts.

    uv run python tools/i18n.py update
    uv run python tools/i18n.py fill my_translations.toml && uv run python tools/i18n.py update

Edit the .ts in Qt Linguist (pyside6-linguist) or with `fill`; commit both .ts and .qm.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(str(p.relative_to(ROOT)) for d in ("kiosk", "devices", "ui", "sync") for p in (ROOT / d).rglob("*.py"))
TS = ROOT / "assets" / "i18n" / "kiosk_id.ts"
QM = TS.with_suffix(".qm")


def lupdate(ts: Path = TS) -> None:
    subprocess.run(
        ["pyside6-lupdate", "-no-obsolete", "-locations", "none", *SOURCES, "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], cwd=ROOT, check=True, capture_output=True)


def unfinished(ts: Path = TS) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
                out.append((name, msg.findtext("source")))
    return out


def fill(table: Path) -> None:
    with open(table, "rb") as fh:
        translations = tomllib.load(fh)
    tree = ET.parse(TS)
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source")
        if source in translations:
            tr = msg.find("translation")
            tr.text = translations[source]
            tr.attrib.pop("type", None)
    tree.write(TS, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["update"]:
        lupdate()
        lrelease()
        left = unfinished()
        print(f"{TS.name}: {len(left)} unfinished")
        for ctx, src in left:
            print(f"  [{ctx}] {src}")
    elif sys.argv[1:2] == ["fill"]:
        fill(Path(sys.argv[2]))
    else:
        print(__doc__)
