"""Settings: validated once; no demo secret outside demo; everything from CENTRAL_* variables."""

from __future__ import annotations

import pytest

from central.settings import DEMO_ADMIN_TOKEN, Settings, SettingsError


def test_settings_refuse_demo_token_outside_demo(tmp_path):
    with pytest.raises(SettingsError) as err:
        Settings.build(db_url=f"sqlite:///{tmp_path}/c.sqlite3", admin_token=DEMO_ADMIN_TOKEN)
    assert str(err.value) == (
        "CENTRAL_ADMIN_TOKEN: 'demo-admin' is the demo's admin token; set a secret one outside --demo"
    )
    demo = Settings.build(db_url=f"sqlite:///{tmp_path}/c.sqlite3", admin_token=DEMO_ADMIN_TOKEN, demo=True)
    assert demo.admin_token == DEMO_ADMIN_TOKEN


def test_settings_refuse_short_admin_token(tmp_path):
    with pytest.raises(SettingsError, match="16 or more characters"):
        Settings.build(db_url=f"sqlite:///{tmp_path}/c.sqlite3", admin_token="short")


def test_settings_from_env(tmp_path):
    env = {
        "CENTRAL_DB_URL": "postgresql://u:p@db.example:5432/central",
        "CENTRAL_ADMIN_TOKEN": "a-long-operator-token-123",
        "CENTRAL_MAX_ITEMS": "500",
        "CENTRAL_CLOCK_SKEW_SECONDS": "60",
        "CENTRAL_ENROL_TOKEN_HOURS": "2",
    }
    s = Settings.from_env(env)
    assert s.db_url == "postgresql+psycopg://u:p@db.example:5432/central"
    assert (s.admin_token, s.max_items, s.clock_skew_bound_seconds, s.enrol_token_hours) == (
        "a-long-operator-token-123",
        500,
        60.0,
        2.0,
    )
    assert Settings.from_env(s.env()) == s  # what worker processes get


def test_settings_demo_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    s = Settings.from_env({}, demo=True)
    assert s.admin_token == DEMO_ADMIN_TOKEN
    assert s.db_url.endswith("mpp-central/central-demo.sqlite3")
    assert Settings.from_env({}).db_url.endswith("mpp-central/central.sqlite3")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CENTRAL_DB_URL": "mysql://x/y"}, "database URL: unsupported database 'mysql'"),
        ({"CENTRAL_DB_URL": "not a url"}, "database URL: expected sqlite:///PATH or postgresql://"),
        ({"CENTRAL_DB_URL": "sqlite://"}, "database URL: SQLite needs a file"),
        ({"CENTRAL_MAX_ITEMS": "5000"}, "CENTRAL_MAX_ITEMS: Input should be less than or equal to 1000"),
        ({"CENTRAL_CLOCK_SKEW_SECONDS": "soon"}, "CENTRAL_CLOCK_SKEW_SECONDS: Input should be a valid number"),
    ],
)
def test_settings_bad_value_is_one_line(env, message):
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"CENTRAL_DB_URL": "sqlite:////tmp/x.sqlite3"} | env)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)
