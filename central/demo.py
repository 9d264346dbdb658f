"""`central --demo`: hall DEMO, kiosks kiosk-1 and kiosk-2 with well-known credentials, the
shipped catalog as version 1, and the demo hall's fixed credential signing key; a second hall
DEMO2 with kiosk kiosk-3 (so a supervisor's view has a hall it must not see), and the demo users
(password "demo"): admin (every hall), spv-demo (DEMO), spv-demo2 (DEMO2). Demo users log in
only while central runs with --demo.
Idempotent: what exists already is left as it is (a kiosk you revoked in the demo stays revoked)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from central.models import Hall, Kiosk, SigningKey, User
from central.repo import changes, credentials, halls, kiosks, users

HALL_CODE = "DEMO"
HALL_NAME = "MPP Kota Demo"
HALL_TIMEZONE = "WIB"
KIOSKS = (("kiosk-1", "1"), ("kiosk-2", "2"))
#: The shipped catalog (the wheel ships assets/ beside central/).
#: DEMO ONLY: the demo hall's signing key for QR credentials. Its private seed is published here,
#: so anyone can sign credentials the demo accepts; `kiosk --demo` trusts its public key
#: (kiosk/credential.py DEMO_PUBLIC_KEY) with no set-up. A real hall's keys come from
#: `central key rotate HALL` and never leave central's database.
DEMO_KEY_ID = "DEMO-1"
DEMO_KEY_SEED = "_R7MRJ2JVsgj5eogYjfeali1DfAglWChFzbITsXMiDM"
#: The second demo hall: its kiosk, and a random signing key of its own (no kiosk trusts a fixed one).
HALL2_CODE = "DEMO2"
HALL2_NAME = "MPP Kota Demo Dua"
HALL2_KIOSKS = (("kiosk-3", "1"),)
#: DEMO ONLY: the demo users, all with this password: (username, role, halls).
USER_PASSWORD = "demo"
USERS = (("admin", "admin", ()), ("spv-demo", "supervisor", (HALL_CODE,)), ("spv-demo2", "supervisor", (HALL2_CODE,)))
CATALOG_FILE = Path(__file__).resolve().parent.parent / "assets" / "catalog.toml"


def secret_of(kiosk_id: str) -> str:
    """A demo kiosk's secret (docs/sync-api.md): `kiosk --demo` knows it too."""
    return f"demo-secret-{kiosk_id}"


def seed(session: Session, now: datetime, *, catalog_file: Path = CATALOG_FILE) -> list[str]:
    """Hall DEMO: create what is missing; returns what was created (empty: all there already)."""
    created: list[str] = []
    _hall(session, now, HALL_CODE, HALL_NAME, KIOSKS, catalog_file, created)
    if session.get(SigningKey, DEMO_KEY_ID) is None:
        from central.signing import unb64

        credentials.add_key(session, HALL_CODE, now, seed=unb64(DEMO_KEY_SEED), key_id=DEMO_KEY_ID)
        created.append(f"signing key {DEMO_KEY_ID}")
    return created


def seed_supervisors(session: Session, now: datetime, *, catalog_file: Path = CATALOG_FILE) -> list[str]:
    """Hall DEMO2 and the demo users (after `seed`: spv-demo looks after DEMO): create what is
    missing; returns what was created."""
    created: list[str] = []
    _hall(session, now, HALL2_CODE, HALL2_NAME, HALL2_KIOSKS, catalog_file, created)
    if not credentials.keys_of(session, HALL2_CODE):
        key = credentials.add_key(session, HALL2_CODE, now)
        created.append(f"signing key {key.key_id}")
    for username, role, hall_codes in USERS:
        if session.get(User, username) is None:
            users.add(session, username, USER_PASSWORD, role, list(hall_codes), now, demo=True)
            created.append(f"user {username}")
    return created


def _hall(
    session: Session,
    now: datetime,
    code: str,
    name: str,
    kiosk_ids: tuple[tuple[str, str], ...],
    catalog_file: Path,
    created: list[str],
) -> None:
    if session.get(Hall, code) is None:
        halls.add(session, code, name, HALL_TIMEZONE, now)
        created.append(f"hall {code}")
    for kiosk_id, short_code in kiosk_ids:
        if session.get(Kiosk, kiosk_id) is None:
            session.add(
                Kiosk(id=kiosk_id, hall_code=code, short_code=short_code, created_at=now, contiguous_seq=0, max_seq=0)
            )
            session.flush()
            kiosks.set_secret(session, session.get(Kiosk, kiosk_id), secret_of(kiosk_id), now)
            created.append(f"kiosk {kiosk_id}")
    if changes.latest_catalog(session, code) is None:
        changes.set_catalog(session, code, catalog_file.read_text(encoding="utf-8"), now)
        created.append("catalog version 1" if code == HALL_CODE else f"catalog version 1 of {code}")
