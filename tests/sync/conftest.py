"""Sync tests: a fake central on loopback, a kiosk enrolled with it, engines on their own connection."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # fake_central, next to the tests

from fake_central import FakeCentral  # noqa: E402

from kiosk.config import load  # noqa: E402
from kiosk.store import Store  # noqa: E402
from sync.client import CentralClient  # noqa: E402
from sync.credentials import save_credential  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402


@pytest.fixture
def central():
    with FakeCentral() as c:
        yield c


def kiosk_settings(tmp_path, url: str, *, kiosk_id: str = "kiosk-1", short_code: str = "1", enroll: bool = True):
    """Settings of a kiosk of hall DEMO that syncs with `url`, its credential saved (demo secret)."""
    folder = tmp_path / kiosk_id
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "kiosk.toml"
    cfg.write_text(
        f'[printer]\nkind = "file"\n[kiosk]\nid = "{kiosk_id}"\nshort_code = "{short_code}"\n[central]\nurl = "{url}"\n'
    )
    settings = load(cfg, data_dir=folder / "data")
    if enroll:
        save_credential(
            settings.data_dir,
            credential=f"{kiosk_id}:demo-secret-{kiosk_id}",
            hall_code="DEMO",
            short_code=short_code,
            central_url=url,
            now=datetime.now(settings.tz),
        )
    return settings


@pytest.fixture
def sync_settings(tmp_path, central):
    return kiosk_settings(tmp_path, central.url)


@pytest.fixture
def kiosk(sync_settings, clock):
    from kiosk.app import build

    k = build(sync_settings, clock=clock)
    yield k
    k.close()


def make_engine(settings, clock, *, timeout: float = 5.0, deadline: float = 10.0, **options) -> SyncEngine:
    """An engine on its own connection to the kiosk's store, with short HTTP timeouts."""
    store = Store(settings.data_dir / "kiosk.sqlite3", check=False)
    client = CentralClient(settings.central.url, timeout=timeout, deadline=deadline)
    return SyncEngine(settings, store, client, clock, **options)


@pytest.fixture
def engine(kiosk, sync_settings, clock):
    e = make_engine(sync_settings, clock)
    yield e
    e.close()
