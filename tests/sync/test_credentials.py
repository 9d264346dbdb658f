"""The credential file: 0600 from its first byte, refused when others can read it, demo fallback."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.clock import ZONES
from kiosk.config import load
from sync.credentials import credential_path, load_credential, read_credential_file, save_credential
from sync.errors import SyncCredentialError

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZONES["WIB"])
SECRET = "Zq3v8mS1x4y7TtQe0cJ9bLkW2nH5uP6r"


def settings_for(tmp_path, kiosk_id="bdg-kiosk-01", short_code="1", hall="BDG", demo=False):
    cfg = tmp_path / "k.toml"
    cfg.write_text(f'[hall]\ncode = "{hall}"\n[kiosk]\nid = "{kiosk_id}"\nshort_code = "{short_code}"\n')
    return load(cfg, data_dir=tmp_path / "data", demo=demo)


def save(settings, credential=None, **kw):
    return save_credential(
        settings.data_dir,
        credential=credential or f"{settings.kiosk.id}:{SECRET}",
        hall_code=kw.get("hall_code", settings.hall.code),
        short_code=kw.get("short_code", settings.kiosk.short_code),
        central_url="http://central.example",
        now=NOW,
    )


def test_save_credential_is_0600_even_with_an_open_umask(tmp_path):
    s = settings_for(tmp_path)
    old = os.umask(0)
    try:
        path = save(s)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path == credential_path(s.data_dir)
    assert [p.name for p in path.parent.iterdir()] == ["central.json"]  # no temporary file left
    body = json.loads(path.read_text())
    assert body["credential"] == f"bdg-kiosk-01:{SECRET}" and body["hall_code"] == "BDG"
    cred = load_credential(s)
    assert cred.bearer == f"bdg-kiosk-01:{SECRET}" and cred.source == str(path)
    assert SECRET not in repr(cred) and len(cred.fingerprint) == 16


def test_save_credential_replaces_the_old_one(tmp_path):
    s = settings_for(tmp_path)
    save(s)
    save(s, credential=f"bdg-kiosk-01:{SECRET[::-1]}")
    assert load_credential(s).secret == SECRET[::-1]
    assert stat.S_IMODE(credential_path(s.data_dir).stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602])
def test_credential_readable_by_others_is_refused(tmp_path, mode):
    s = settings_for(tmp_path)
    path = save(s)
    path.chmod(mode)
    with pytest.raises(SyncCredentialError) as err:
        load_credential(s)
    msg = err.value.message
    assert str(path) in msg and f"mode {mode:04o}" in msg and f"chmod 600 {path}" in msg
    assert SECRET not in msg


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"credential": "no-colon"}',
        '{"credential": "a:b:c", "hall_code": "X"}',
        '{"credential": "k:short", "hall_code": "BDG", "short_code": "1"}',
        '{"credential": "k:' + SECRET + '", "hall_code": "bdg", "short_code": "1"}',
    ],
)
def test_garbled_credential_file_is_refused_clearly(tmp_path, text):
    path = tmp_path / "central.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, text.encode())
    os.close(fd)
    with pytest.raises(SyncCredentialError, match="not a kiosk credential file .*enroll the kiosk again"):
        read_credential_file(path)


def test_bad_credential_from_central_is_not_written(tmp_path):
    s = settings_for(tmp_path)
    with pytest.raises(ValueError):
        save(s, credential="bdg-kiosk-01:has space in secret")
    assert not credential_path(s.data_dir).exists()


def test_missing_credential_says_enroll(tmp_path):
    with pytest.raises(SyncCredentialError, match="not enrolled.*kiosk enroll TOKEN"):
        load_credential(settings_for(tmp_path))


@pytest.mark.parametrize(("kiosk_id", "short"), [("kiosk-1", "1"), ("kiosk-2", "2")])
def test_demo_kiosks_use_demo_credentials_without_a_file(tmp_path, kiosk_id, short):
    cred = load_credential(settings_for(tmp_path, kiosk_id, short, "DEMO", demo=True))
    assert cred.bearer == f"{kiosk_id}:demo-secret-{kiosk_id}" and cred.source == "demo"


def test_demo_credentials_only_in_demo_mode_and_for_demo_kiosks(tmp_path):
    with pytest.raises(SyncCredentialError):
        load_credential(settings_for(tmp_path, "kiosk-1", "1", "DEMO", demo=False))
    with pytest.raises(SyncCredentialError):
        load_credential(settings_for(tmp_path, "kiosk-3", "3", "DEMO", demo=True))


def test_enrolled_file_wins_over_demo_credentials(tmp_path):
    s = settings_for(tmp_path, "kiosk-1", "1", "DEMO", demo=True)
    save(s)
    assert load_credential(s).secret == SECRET


@pytest.mark.parametrize(
    "change",
    [
        {"kiosk": ("kiosk", {"id": "bdg-kiosk-02"})},
        {"kiosk": ("kiosk", {"short_code": "2"})},
        {"hall": ("hall", {"code": "JKT"})},
    ],
    ids=["id", "short_code", "hall"],
)
def test_credential_of_another_kiosk_is_refused(tmp_path, change):
    s = settings_for(tmp_path)
    save(s)
    ((section, values),) = change.values()
    other = replace(s, **{section: replace(getattr(s, section), **values)})
    with pytest.raises(SyncCredentialError, match="is for kiosk bdg-kiosk-01 of hall BDG, short code 1"):
        load_credential(other)
