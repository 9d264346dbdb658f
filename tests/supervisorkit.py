"""Helpers for the supervisors' tests (tests/central/test_auth.py, test_fleet.py,
test_dashboard.py): users with known passwords, logins, heartbeats as a kiosk sends them."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from central import security
from central.models import User, UserHall

PASSWORD = "correct horse battery"
TOKEN_URL = "/api/v1/auth/token"


@cache
def _hash(password: str) -> str:
    return security.hash_password(password)  # argon2 takes ~0.1 s: once per password


def add_user(db, username: str, role: str, halls: tuple[str, ...] = (), *, password: str = PASSWORD, demo=False):
    """A user straight into the database (users.add is tested on its own), with a cached hash."""
    from datetime import UTC

    with db.transaction() as s:
        s.add(
            User(username=username, password_hash=_hash(password), role=role, demo=demo, created_at=datetime.now(UTC))
        )
        s.flush()
        s.add_all(UserHall(username=username, hall_code=h) for h in halls)


def token(client, username: str, password: str = PASSWORD) -> str:
    r = client.post(TOKEN_URL, data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def heartbeat_body(now: datetime, *, backlog: int = 0, oldest: float | None = None, devices=(), version="1.4.0"):
    return {
        "kiosk_time": now.isoformat(),
        "app_version": version,
        "backlog": backlog,
        "oldest_unsent_age_seconds": oldest,
        "last_sync_at": now.isoformat(),
        "devices": list(devices),
    }
