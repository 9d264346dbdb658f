"""The entries of a pulled lease, keys or revocations change, each checked against the contract
(docs/sync-api.md); a malformed one is logged and skipped (sync/engine/apply.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sync.client import Change

log = logging.getLogger("sync")

#: A lease entry's numbers (quota, grant, ask) are at most this (a day's numbers of a letter).
MAX_LEASE = 9999
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SERVICE = re.compile(r"[A-Z0-9-]{2,16}")


def _entries(change: Change, key: str, parse: Callable[[Any], tuple | None]) -> list[tuple]:
    """The entries of a pulled change's list `key`, each parsed by `parse` (None: not what the
    contract says). A change without the list, or a malformed entry, is logged and skipped: the
    rest of the page still applies."""
    entries = change.data.get(key)
    if not isinstance(entries, list):
        log.error("%s change at cursor %d without a list of %s: skipped", key, change.cursor, key)
        return []
    parsed = []
    for pos, entry in enumerate(entries):
        value = parse(entry)
        if value is None:
            log.error("%s change at cursor %d: entry %d is malformed: skipped", key, change.cursor, pos)
        else:
            parsed.append(value)
    return parsed


def _lease_entry(entry: object) -> tuple[str, str, int, int, int, bool] | None:
    """(day, service code, quota, grant, ask, full) of a lease change's entry, or None when it
    is not one (docs/sync-api.md, Leases)."""
    if not isinstance(entry, dict):
        return None
    day, code, full = entry.get("day"), entry.get("service_code"), entry.get("full", False)
    numbers = [entry.get(key, 0) for key in ("quota", "grant", "ask")]
    if not (isinstance(day, str) and _DAY.fullmatch(day) and isinstance(code, str) and _SERVICE.fullmatch(code)):
        return None
    if not isinstance(full, bool) or any(isinstance(n, bool) or not isinstance(n, int) for n in numbers):
        return None
    quota, grant, ask = numbers
    if not (0 <= quota <= MAX_LEASE and 0 <= grant <= MAX_LEASE and 0 <= ask <= MAX_LEASE):
        return None
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return day, code, quota, grant, ask, full


_KEY_ID = re.compile(r"[A-Za-z0-9-]{1,16}")
_B64URL = re.compile(r"[A-Za-z0-9_-]{1,200}")


def _instant(value: object) -> bool:
    """An ISO-8601 time with its offset (or None: no bound)."""
    if value is None:
        return True
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).utcoffset() is not None
    except ValueError:
        return False


def _key_entry(entry: object) -> tuple[str, str, str | None, str | None, bool] | None:
    """(key id, public key, valid from, valid until, revoked) of a `keys` entry, or None
    (docs/sync-api.md, Keys and revocations)."""
    if not isinstance(entry, dict):
        return None
    key_id, public_key, revoked = entry.get("key_id"), entry.get("public_key"), entry.get("revoked", False)
    valid_from, valid_until = entry.get("valid_from"), entry.get("valid_until")
    if not (isinstance(key_id, str) and _KEY_ID.fullmatch(key_id)):
        return None
    if not (isinstance(public_key, str) and len(public_key) == 43 and _B64URL.fullmatch(public_key)):
        return None  # 32 bytes, base64url without padding
    if not isinstance(revoked, bool) or not _instant(valid_from) or not _instant(valid_until):
        return None
    return key_id, public_key, valid_from, valid_until, revoked


def _revocation_entry(entry: object) -> tuple[str | None, str | None, str | None] | None:
    """(nonce, subject, issued before) of a `revocations` entry, or None: exactly one of a
    nonce (base64url) or a subject (1..48 printable characters)."""
    if not isinstance(entry, dict):
        return None
    nonce, subject, before = entry.get("nonce"), entry.get("subject"), entry.get("issued_before")
    if nonce is not None:
        if subject is not None or not (isinstance(nonce, str) and _B64URL.fullmatch(nonce)):
            return None
        return nonce, None, None
    if not (isinstance(subject, str) and 0 < len(subject) <= 48 and subject.isprintable()) or not _instant(before):
        return None
    return None, subject, before
