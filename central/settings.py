"""One validated Settings for the central service, from arguments or the environment.

`Settings.from_env()` reads the `CENTRAL_*` variables (what `uvicorn --factory` workers get);
a bad value raises SettingsError with one line naming the variable. Outside demo mode the
demo admin token is refused, so a demo database's well-known token never guards a real one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: The operator token `central --demo` uses (docs/sync-api.md); refused outside demo.
DEMO_ADMIN_TOKEN = "demo-admin"

#: Environment variable -> Settings field.
ENV = {
    "CENTRAL_DB_URL": "db_url",
    "CENTRAL_ADMIN_TOKEN": "admin_token",
    "CENTRAL_DEMO": "demo",
    "CENTRAL_MAX_BODY_BYTES": "max_body_bytes",
    "CENTRAL_MAX_DECOMPRESSED_BYTES": "max_decompressed_bytes",
    "CENTRAL_MAX_ITEMS": "max_items",
    "CENTRAL_ENROL_TOKEN_HOURS": "enrol_token_hours",
    "CENTRAL_CLOCK_SKEW_SECONDS": "clock_skew_bound_seconds",
    "CENTRAL_OFFLINE_MINUTES": "offline_after_minutes",
    "CENTRAL_BACKLOG_ALERT_MINUTES": "backlog_alert_minutes",
    "CENTRAL_TOKEN_HOURS": "token_hours",
    "CENTRAL_LOGIN_MAX_FAILURES": "login_max_failures",
    "CENTRAL_LOGIN_LOCK_MINUTES": "login_lock_minutes",
    "CENTRAL_DASHBOARD_REFRESH_SECONDS": "dashboard_refresh_seconds",
}
FIELD_ENV = {v: k for k, v in ENV.items()}


class SettingsError(ValueError):
    """A setting that cannot be used; str() is one line naming it."""


def default_data_dir() -> Path:
    """The per-user folder of the central service's default SQLite files."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("mpp-central", appauthor=False))


def default_db_url(*, demo: bool = False) -> str:
    """`sqlite:///` + a file in the per-user data folder (a separate file for the demo, so the
    demo's well-known kiosk credentials never end up in a real database)."""
    name = "central-demo.sqlite3" if demo else "central.sqlite3"
    return f"sqlite:///{default_data_dir() / name}"


def normalize_db_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean PostgreSQL through psycopg 3; SQLite as given."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseModel):
    """Everything the service needs to start; checked once, then frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = Field(description="sqlite:///PATH or postgresql+psycopg://USER:PASS@HOST/DB")
    demo: bool = False
    #: The operator token that may read every hall; None: no operator access over HTTP.
    admin_token: str | None = None
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_decompressed_bytes: int = Field(16 * 1024 * 1024, ge=1024, le=256 * 1024 * 1024)
    max_items: int = Field(1000, ge=1, le=1000)
    enrol_token_hours: float = Field(24.0, gt=0, le=24 * 30)
    clock_skew_bound_seconds: float = Field(120.0, gt=0, le=86400)
    #: A kiosk whose last heartbeat is older than this is offline (fleet API and dashboard).
    offline_after_minutes: float = Field(2.0, gt=0, le=24 * 60)
    #: A kiosk whose oldest unsent fact is older than this raises a backlog alert.
    backlog_alert_minutes: float = Field(10.0, gt=0, le=7 * 24 * 60)
    #: How long a supervisor's bearer token or dashboard session lasts.
    token_hours: float = Field(12.0, gt=0, le=24 * 30)
    #: This many failed logins of one username in a row lock it for login_lock_minutes.
    login_max_failures: int = Field(5, ge=1, le=100)
    login_lock_minutes: float = Field(5.0, gt=0, le=24 * 60)
    #: How often the dashboard's pages refresh their figures.
    dashboard_refresh_seconds: float = Field(10.0, ge=1, le=600)
    #: SQLite: how long a writer waits for another one before giving up (seconds).
    sqlite_busy_timeout: float = Field(15.0, gt=0, le=600)

    @field_validator("db_url")
    @classmethod
    def _check_db_url(cls, value: str) -> str:
        value = normalize_db_url(value)
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("expected sqlite:///PATH or postgresql://USER:PASS@HOST/DB") from None
        if url.drivername == "sqlite":
            if not url.database or url.database == ":memory:":
                raise ValueError("SQLite needs a file: sqlite:///PATH (an in-memory database is gone at exit)")
        elif url.drivername != "postgresql+psycopg":
            raise ValueError(f"unsupported database {url.drivername!r}: use sqlite:///PATH or postgresql://...")
        return value

    @field_validator("admin_token")
    @classmethod
    def _check_token(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value == "":
            return None
        if any(c.isspace() for c in value) or not value.isprintable():
            raise ValueError("the admin token must be printable, without spaces")
        if not info.data.get("demo", False):  # a demo's well-known token never guards a real database
            if value == DEMO_ADMIN_TOKEN:
                raise ValueError(f"{DEMO_ADMIN_TOKEN!r} is the demo's admin token; set a secret one outside --demo")
            if len(value) < 16:
                raise ValueError("the admin token needs 16 or more characters outside --demo")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @classmethod
    def build(cls, **values) -> Settings:
        """Settings from keyword values; raises SettingsError with one line."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise SettingsError(_one_line(exc)) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from `CENTRAL_*` variables (see ENV), then `overrides`; SettingsError if bad."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for name, field in ENV.items():
            if name in environ:
                values[field] = environ[name]
        if isinstance(values.get("demo"), str):
            values["demo"] = values["demo"].strip().lower() in ("1", "true", "yes", "on")
        values.update({k: v for k, v in overrides.items() if v is not None})
        demo = bool(values.get("demo", False))
        values.setdefault("db_url", default_db_url(demo=demo))
        if demo:
            values.setdefault("admin_token", DEMO_ADMIN_TOKEN)
        return cls.build(**values)

    def env(self) -> dict[str, str]:
        """These settings as `CENTRAL_*` variables (for worker processes)."""
        out = {}
        for field, name in FIELD_ENV.items():
            value = getattr(self, field)
            if value is None:
                continue
            out[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out


def _one_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "settings"
    name = "database URL" if field == "db_url" else FIELD_ENV.get(field, field)
    message = err["msg"].removeprefix("Value error, ")
    return f"{name}: {message}"
