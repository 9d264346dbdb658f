"""Face templates at rest: AES-GCM encrypted rows in the kiosk store, the key outside it.

* Only the 128-d encoding is kept (as little-endian float32), never an image.
* Each row is sealed with AES-256-GCM (`cryptography`) under a fresh random 12-byte nonce; the
  row's id and subject are the associated data, so a sealed template cannot be moved to another
  person's row. Without the key the rows are noise; with a different key they fail to open.
* The 32-byte key is a file outside the database (`[face] key_file`, default `DATA_DIR/face.key`),
  created on first use with mode 0600 (`O_CREAT | O_EXCL`: two processes never make two keys).
  The demo keeps it beside the store; on a hall kiosk it belongs on another path (a separate
  mount, or sealed by the TPM and unsealed at boot), so a copied database file alone is useless.
  A key file readable by others, or of the wrong size, is refused.
* Consent is recorded with every enrolment: who gave it (`consent_by`: "supervisor" from the CLI,
  "visitor" from the consent screen) and when.
* `enroll` and `forget` each write their outbox item in the same transaction: `face.enrolled`
  (subject, template count, consent) and `face.forgotten` (subject, rows removed). The items
  carry no template: sending templates to central waits for central's key exchange (a template
  sealed to central's public key); until then a person enrols at each kiosk they use.
"""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from datetime import datetime
from pathlib import Path

import numpy as np

from kiosk.errors import KioskError
from kiosk.face.gallery import DIMENSIONS, Gallery
from kiosk.tr import QT_TRANSLATE_NOOP

KEY_BYTES = 32
NONCE_BYTES = 12
ENROLLED_KIND = "face.enrolled"
FORGOTTEN_KIND = "face.forgotten"
#: Longest subject (a name, an account id or a NIK-derived id) accepted.
MAX_SUBJECT = 120


class FaceError(KioskError):
    """A face command was refused (bad input, no face, no such person); `problem` says why."""

    code = "face.refused"
    template = QT_TRANSLATE_NOOP("Errors", "{problem}")


class FaceKeyError(FaceError):
    """The template key file is missing where it must exist, unreadable, or not a valid key."""

    code = "face.key"


def key_path(settings) -> Path:
    """Where the template key lives: `[face] key_file`, else DATA_DIR/face.key."""
    configured = settings.face.key_file
    return Path(configured).expanduser() if configured else Path(settings.data_dir) / "face.key"


def load_key(path: Path, *, create: bool = True) -> bytes:
    """The 32-byte key at `path`, created (0600) when missing and `create`; raises FaceKeyError."""
    path = Path(path)
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago: read theirs
        except OSError as exc:
            raise FaceKeyError(problem=f"cannot create the face template key {path}: {exc.strerror}") from exc
        else:
            try:
                os.write(fd, os.urandom(KEY_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
    try:
        mode = path.stat().st_mode
        key = path.read_bytes()
    except FileNotFoundError as exc:
        raise FaceKeyError(problem=f"the face template key {path} is missing; templates cannot be read") from exc
    except OSError as exc:
        raise FaceKeyError(problem=f"cannot read the face template key {path}: {exc.strerror}") from exc
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise FaceKeyError(problem=f"the face template key {path} is readable by others: chmod 600 {path}")
    if len(key) != KEY_BYTES:
        raise FaceKeyError(problem=f"the face template key {path} is not a {KEY_BYTES}-byte key")
    return key


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key (which key sealed a row), not the key itself."""
    return hashlib.sha256(b"mpp-kiosk face key id\0" + key).hexdigest()[:16]


def seal(key: bytes, row_id: str, subject: str, encoding) -> tuple[bytes, bytes]:
    """(nonce, ciphertext) of one encoding; the row id and subject are bound to it."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    vector = np.asarray(encoding, dtype="<f4").reshape(DIMENSIONS)
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, vector.tobytes(), _aad(row_id, subject))


def unseal(key: bytes, row_id: str, subject: str, nonce: bytes, sealed: bytes) -> np.ndarray:
    """The encoding of one row; raises FaceKeyError when the key does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plain = AESGCM(key).decrypt(bytes(nonce), bytes(sealed), _aad(row_id, subject))
    except InvalidTag as exc:
        raise FaceKeyError(problem="a face template does not open with this key (a different or changed key?)") from exc
    return np.frombuffer(plain, dtype="<f4").astype(np.float32)


def _aad(row_id: str, subject: str) -> bytes:
    return f"face-template\0{row_id}\0{subject}".encode()


def check_subject(subject: str) -> str:
    """`subject` stripped; raises FaceError when empty, too long or not one line."""
    text = (subject or "").strip()
    if not text or len(text) > MAX_SUBJECT or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise FaceError(problem=f"a name is 1..{MAX_SUBJECT} characters on one line")
    return text


class FaceTemplates:
    """The enrolled templates in `store`, sealed with the key at `key_file`."""

    def __init__(self, store, key_file: Path, *, kiosk_id: str = "") -> None:
        self.store = store
        self.key_file = Path(key_file)
        self.kiosk_id = kiosk_id

    def _key(self, *, create: bool) -> bytes:
        return load_key(self.key_file, create=create)

    def enroll(self, subject: str, encodings: list, *, consent_by: str, at: datetime) -> list[str]:
        """Store `encodings` for `subject` with the consent given by `consent_by` at `at`, and
        the `face.enrolled` outbox item, in one transaction; the new rows' ids."""
        subject = check_subject(subject)
        if not encodings:
            raise FaceError(problem="no face template to enrol")
        key = self._key(create=True)
        kid = key_id(key)
        ids = []
        with self.store.transaction() as conn:
            for encoding in encodings:
                row_id = str(uuid.uuid4())
                nonce, sealed = seal(key, row_id, subject, encoding)
                conn.execute(
                    "INSERT INTO face_templates (id, subject, nonce, template, key_id, consent_by, consent_at,"
                    " enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (row_id, subject, nonce, sealed, kid, consent_by, at.isoformat(), at.isoformat()),
                )
                ids.append(row_id)
            self.store.add_outbox(
                ENROLLED_KIND,
                {
                    "subject": subject,
                    "template_ids": ids,
                    "templates": len(ids),
                    "consent_by": consent_by,
                    "consent_at": at.isoformat(),
                    "kiosk_id": self.kiosk_id,
                },
                at,
            )
        return ids

    def forget(self, subject: str, *, by: str, at: datetime) -> int:
        """Delete every template of `subject` with its `face.forgotten` outbox item, in one
        transaction; how many rows went (0: nobody enrolled by that name, nothing written)."""
        subject = check_subject(subject)
        self.store.conn.execute("PRAGMA secure_delete = ON")  # the deleted rows' bytes are zeroed
        with self.store.transaction() as conn:
            removed = conn.execute("DELETE FROM face_templates WHERE subject = ?", (subject,)).rowcount
            if removed:
                self.store.add_outbox(
                    FORGOTTEN_KIND,
                    {
                        "subject": subject,
                        "templates": removed,
                        "by": by,
                        "at": at.isoformat(),
                        "kiosk_id": self.kiosk_id,
                    },
                    at,
                )
        if removed:
            self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the sealed rows leave the WAL too
        return removed

    def subjects(self) -> list[dict]:
        """Each enrolled subject with its template count and latest consent."""
        return self.store.query(
            "SELECT subject, count(*) AS templates, max(consent_at) AS consent_at, max(consent_by) AS consent_by"
            " FROM face_templates GROUP BY subject ORDER BY subject"
        )

    def gallery(self) -> Gallery:
        """Every template, opened with the key, as a `Gallery` (empty when nobody is enrolled;
        no key file is made for an empty store)."""
        rows = self.store.query("SELECT id, subject, nonce, template FROM face_templates ORDER BY subject, id")
        if not rows:
            return Gallery.empty()
        key = self._key(create=False)
        vectors = np.stack([unseal(key, r["id"], r["subject"], r["nonce"], r["template"]) for r in rows])
        return Gallery([r["subject"] for r in rows], vectors)
