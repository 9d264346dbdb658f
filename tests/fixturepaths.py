"""Where the shared test fixtures are: `$KIOSK_FIXTURES`, else `../shared/fixtures` next to the
project, else `/work/shared/fixtures`. A test that needs them fails (never skips) when none exists,
saying where it looked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def candidates() -> list[Path]:
    """The folders looked in, in order."""
    found = []
    if env := os.environ.get("KIOSK_FIXTURES"):
        found.append(Path(env))
    found += [ROOT.parent / "shared" / "fixtures", Path("/work/shared/fixtures")]
    return found


def fixtures_dir() -> Path:
    """The first fixtures folder that exists; fails the calling test when there is none."""
    for folder in candidates():
        if folder.is_dir():
            return folder
    looked = ", ".join(str(p) for p in candidates())
    pytest.fail(f"shared test fixtures not found (looked in {looked}); set KIOSK_FIXTURES=DIR", pytrace=False)


def fixture(*parts: str) -> Path:
    """One fixture file, e.g. `fixture("faces", "obama_1.jpg")`; fails the test when it is missing."""
    path = fixtures_dir().joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"fixture {path} is missing", pytrace=False)
    return path
