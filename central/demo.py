"""`central --demo`: hall DEMO, kiosks kiosk-1 and kiosk-2 with well-known credentials, the
shipped catalog as version 1, and the demo hall's fixed credential signing key.
Idempotent: what exists already is left as it is (a kiosk you revoked in the demo stays revoked)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from central.models import Hall, Kiosk, SigningKey
from central.repo import changes, credentials, halls, kiosks

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
CATALOG_FILE = Path(__file__).resolve().parent.parent / "assets" / "catalog.toml"


def secret_of(kiosk_id: str) -> str:
    """A demo kiosk's secret (docs/sync-api.md): `kiosk --demo` knows it too."""
    return f"demo-secret-{kiosk_id}"


def seed(session: Session, now: datetime, *, catalog_file: Path = CATALOG_FILE) -> list[str]:
    """Create what is missing; returns what was created (empty: all there already)."""
    created: list[str] = []
    if session.get(Hall, HALL_CODE) is None:
        halls.add(session, HALL_CODE, HALL_NAME, HALL_TIMEZONE, now)
        created.append(f"hall {HALL_CODE}")
    for kiosk_id, short_code in KIOSKS:
        if session.get(Kiosk, kiosk_id) is None:
            session.add(
                Kiosk(
                    id=kiosk_id, hall_code=HALL_CODE, short_code=short_code, created_at=now, contiguous_seq=0, max_seq=0
                )
            )
            session.flush()
            kiosks.set_secret(session, session.get(Kiosk, kiosk_id), secret_of(kiosk_id), now)
            created.append(f"kiosk {kiosk_id}")
    if changes.latest_catalog(session, HALL_CODE) is None:
        changes.set_catalog(session, HALL_CODE, catalog_file.read_text(encoding="utf-8"), now)
        created.append("catalog version 1")
    if session.get(SigningKey, DEMO_KEY_ID) is None:
        from central.signing import unb64

        credentials.add_key(session, HALL_CODE, now, seed=unb64(DEMO_KEY_SEED), key_id=DEMO_KEY_ID)
        created.append(f"signing key {DEMO_KEY_ID}")
    return created
