"""The HTTP client for central's sync API (docs/sync-api.md): one method per route.

Every reply is checked field by field before anything of it is returned: a reply that is not
JSON, has the wrong shape, a field of the wrong type or range, is cut short or is larger than
`MAX_REPLY_BYTES` raises SyncMalformedReply, and nothing of it is used. Every failure is a
`SyncError` (see sync/errors.py); no httpx or json exception leaves this module.

Push bodies are sent gzip-compressed (`Content-Encoding: gzip`). Each request is bounded by
`timeout` (connect, each read and write) and by `deadline` in all, so a central that trickles
its answer byte by byte cannot hold the sync thread.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from kiosk.config import show_value
from sync.errors import (
    SyncError,
    SyncMalformedReply,
    SyncRefused,
    SyncRejected,
    SyncServerError,
    SyncUnreachable,
)

API = "/api/v1"
#: Connect, and each read/write of a request, in seconds.
DEFAULT_TIMEOUT = 10.0
CONNECT_TIMEOUT = 3.0
#: A whole request, first byte to last, in seconds.
DEFAULT_DEADLINE = 30.0
#: The largest reply read (after decompression): a pull page of catalogs fits many times over.
MAX_REPLY_BYTES = 32 * 1024 * 1024
GZIP_LEVEL = 6
ACK_STATUSES = ("stored", "duplicate", "conflict")
_MAX_INT = 2**63 - 1
_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
_KIND = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
_KIOSK_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
_HALL = re.compile(r"[A-Z0-9]{2,8}")
_SHORT = re.compile(r"[0-9A-Z]{1,2}")
_PREFIX = re.compile(r"[A-Z]{1,2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The most tickets a letter can hold in a day across a hall (numbers per kiosk are 1..9999).
_MAX_QUEUE = 10_000_000
#: The furthest a queue time can lie ahead, in seconds (a week: beyond it the number is nonsense).
_MAX_AHEAD = 7 * 86400
#: The skew central may report, in seconds (about ten years): beyond it the number is nonsense.
_MAX_SKEW = 10 * 366 * 86400

# httpx logs every request at INFO: a line per request every few seconds in the kiosk's log.
if logging.getLogger("httpx").level == logging.NOTSET:
    logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Ack:
    """Central's answer for one pushed item."""

    id: str
    seq: int
    status: str  # stored | duplicate | conflict


@dataclass(frozen=True)
class PushReply:
    acks: tuple[Ack, ...]
    #: Ranges of this kiosk's sequence numbers central has not seen, below its highest.
    gaps: tuple[tuple[int, int], ...]
    server_time: datetime


@dataclass(frozen=True)
class Change:
    """One change central decided for this kiosk (catalog version, command, ...)."""

    cursor: int
    kind: str
    data: dict
    version: int | None = None


@dataclass(frozen=True)
class PullReply:
    cursor: int
    more: bool
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class HeartbeatReply:
    server_time: datetime
    #: Kiosk minus central, seconds.
    clock_skew_seconds: float


@dataclass(frozen=True)
class LetterQueue:
    """One ticket letter of the hall's merged queue (docs/sync-api.md, Hall queue)."""

    prefix: str
    counters: int
    #: This kiosk's tickets central counted: its letter numbers 1..own_tickets of the day.
    own_tickets: int
    waiting: int
    #: Seconds after `as_of` at which each waiting visitor is called, ascending.
    call_in_seconds: tuple[int, ...]
    #: Seconds after `as_of` at which each busy counter is free, ascending.
    free_in_seconds: tuple[int, ...]
    #: Central's priority view (None from a central without priority tickets): this kiosk's
    #: priority tickets central counted, each waiting priority visitor's call, and when each
    #: counter is free once the visits at a counter and the waiting priority visitors end.
    own_priority_tickets: int | None = None
    priority_call_in_seconds: tuple[int, ...] | None = None
    priority_free_in_seconds: tuple[int, ...] | None = None


@dataclass(frozen=True)
class HallQueueReply:
    hall_code: str
    day: str
    as_of: datetime
    #: This kiosk's tickets with an outbox seq up to this are counted, no later one.
    counted_seq: int
    catalog_version: int | None
    letters: tuple[LetterQueue, ...]


@dataclass(frozen=True)
class Enrolment:
    kiosk_id: str
    hall_code: str
    short_code: str
    credential: str


def app_version() -> str:
    """The kiosk software's version (from the installed package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mpp-kiosk")
    except PackageNotFoundError:
        return "unknown"


def one_line(text: str, limit: int = 300) -> str:
    """Text from the network made safe to print: one line, no control characters, bounded."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


class CentralClient:
    """Talks to one central service; `credential` ("<kiosk_id>:<secret>") may change between calls
    (a kiosk enrolled again). Use from one thread at a time."""

    def __init__(
        self,
        url: str,
        *,
        credential: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        version: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.credential = credential
        self.deadline = deadline
        self.version = version or app_version()
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
            headers={"User-Agent": f"mpp-kiosk/{self.version} (python-httpx/{httpx.__version__})"},
            follow_redirects=False,
            transport=transport,
        )

    @property
    def kiosk_id(self) -> str:
        """The kiosk the credential names (for messages)."""
        return (self.credential or "?").split(":", 1)[0]

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- routes --------------------------------------------------------------------------------

    def enroll(self, token: str) -> Enrolment:
        """Exchange a one-time enrolment token for this kiosk's credential."""
        what = "enrolment"
        body = self._call("POST", "/enroll", what=what, json_body={"token": token}, auth=False)
        v = _Check(what, body)
        enrolment = Enrolment(
            kiosk_id=v.text("kiosk_id", pattern=_KIOSK_ID),
            hall_code=v.text("hall_code", pattern=_HALL),
            short_code=v.text("short_code", pattern=_SHORT),
            credential=v.text("credential", limit=300),
        )
        if not enrolment.credential.startswith(enrolment.kiosk_id + ":"):
            raise SyncMalformedReply(what=what, detail="credential: not '<kiosk_id>:<secret>' of the enrolled kiosk")
        return enrolment

    def push(self, body: bytes) -> PushReply:
        """Send one batch (`{"items": [...]}` as JSON bytes), gzip-compressed; central's acks."""
        what = "push"
        data = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        reply = self._call(
            "POST",
            "/sync/push",
            what=what,
            content=data,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        v = _Check(what, reply)
        acks = []
        for i, item in enumerate(v.items("acks")):
            a = v.sub(f"acks[{i}]", item)
            acks.append(Ack(a.text("id", limit=64), a.integer("seq", low=1), a.choice("status", ACK_STATUSES)))
        gaps = []
        for i, gap in enumerate(v.items("gaps")):
            if not (isinstance(gap, list) and len(gap) == 2 and all(_is_int(x) and 1 <= x <= _MAX_INT for x in gap)):
                raise v.fail(f"gaps[{i}]", "a pair [first, last] of sequence numbers", gap)
            if gap[0] > gap[1]:
                raise v.fail(f"gaps[{i}]", "first <= last", gap)
            gaps.append((gap[0], gap[1]))
        return PushReply(tuple(acks), tuple(gaps), v.time("server_time"))

    def push_audit(self, body: bytes) -> tuple[tuple[int, str], ...]:
        """Send audit events (`{"events": [...]}` as JSON bytes, kiosk/audit.py), gzip-compressed;
        central's (seq, status) for each event it took (stored, duplicate, conflict)."""
        what = "audit push"
        data = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        reply = self._call(
            "POST",
            "/audit/push",
            what=what,
            content=data,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        v = _Check(what, reply)
        acks = []
        for i, item in enumerate(v.items("acks")):
            a = v.sub(f"acks[{i}]", item)
            acks.append((a.integer("seq", low=1), a.choice("status", ACK_STATUSES)))
        return tuple(acks)

    def pull(self, cursor: int, limit: int = 100) -> PullReply:
        """The changes for this kiosk strictly after `cursor`, oldest first."""
        what = "pull"
        reply = self._call("GET", "/sync/pull", what=what, params={"cursor": cursor, "limit": limit})
        v = _Check(what, reply)
        new_cursor = v.integer("cursor", low=0)
        more = v.boolean("more")
        changes = []
        last = cursor
        raw = v.items("changes")
        if len(raw) > limit:
            raise v.fail("changes", f"at most {limit} changes (the limit asked)", len(raw))
        for i, item in enumerate(raw):
            c = v.sub(f"changes[{i}]", item)
            at = c.integer("cursor", low=0)
            if at <= last:
                raise c.fail("cursor", f"a cursor above {last} (strictly after the previous one)", at)
            if at > new_cursor:
                raise c.fail("cursor", f"a cursor at most the page's cursor {new_cursor}", at)
            last = at
            kind = c.text("kind", pattern=_KIND)
            data = c.mapping("data")
            version = c.integer("version", low=1) if kind == "catalog" else None
            changes.append(Change(at, kind, data, version))
        if new_cursor < cursor:
            raise v.fail("cursor", f"a cursor at least {cursor} (the one asked for)", new_cursor)
        if more and new_cursor == cursor:
            raise v.fail("more", "false when the cursor did not move", more)
        return PullReply(new_cursor, more, tuple(changes))

    def heartbeat(self, body: dict) -> HeartbeatReply:
        """Tell central how this kiosk is; central answers its time and the clock skew."""
        what = "heartbeat"
        v = _Check(what, self._call("POST", "/heartbeat", what=what, json_body=body))
        return HeartbeatReply(v.time("server_time"), v.number("clock_skew_seconds", -_MAX_SKEW, _MAX_SKEW))

    def hall_queue(self, hall_code: str) -> HallQueueReply:
        """The hall's merged queue per ticket letter, as central counts it now."""
        what = "hall queue"
        if not _HALL.fullmatch(hall_code):
            raise SyncRejected(what=what, status="-", server_code="request", detail=f"hall code {hall_code!r}")
        v = _Check(what, self._call("GET", f"/halls/{hall_code}/queue", what=what))
        if v.text("hall_code", pattern=_HALL) != hall_code:
            raise v.fail("hall_code", f"{hall_code} (the hall asked for)", v.obj["hall_code"])
        day = v.text("day", limit=10, pattern=_DAY)
        as_of = v.time("as_of")
        counted_seq = v.integer("counted_seq", low=0)
        version = v.obj.get("catalog_version")
        if version is not None and not (_is_int(version) and 1 <= version <= _MAX_INT):
            raise v.fail("catalog_version", "null or an integer >= 1", version)
        letters, seen = [], set()
        for i, item in enumerate(v.items("letters")):
            c = v.sub(f"letters[{i}]", item)
            prefix = c.text("prefix", pattern=_PREFIX)
            if prefix in seen:
                raise c.fail("prefix", "a letter not listed before", prefix)
            seen.add(prefix)
            counters = c.integer("counters", low=1, high=999)
            own = c.integer("own_tickets", low=0, high=_MAX_QUEUE)
            waiting = c.integer("waiting", low=0, high=_MAX_QUEUE)
            calls = c.seconds("call_in_seconds", waiting)
            if len(calls) != waiting:
                raise c.fail("call_in_seconds", f"{waiting} times (one per waiting visitor)", len(calls))
            free = c.seconds("free_in_seconds", counters)
            priority = {}
            if c.obj.get("own_priority_tickets") is not None:  # all three, or none (an older central)
                priority_waiting = c.integer("priority_waiting", low=0, high=waiting)
                priority_calls = c.seconds("priority_call_in_seconds", priority_waiting)
                if len(priority_calls) != priority_waiting:
                    raise c.fail(
                        "priority_call_in_seconds",
                        f"{priority_waiting} times (one per waiting priority visitor)",
                        len(priority_calls),
                    )
                priority = {
                    "own_priority_tickets": c.integer("own_priority_tickets", low=0, high=_MAX_QUEUE),
                    "priority_call_in_seconds": priority_calls,
                    "priority_free_in_seconds": c.seconds("priority_free_in_seconds", counters),
                }
            letters.append(LetterQueue(prefix, counters, own, waiting, calls, free, **priority))
        return HallQueueReply(hall_code, day, as_of, counted_seq, version, tuple(letters))

    def ack_command(self, command_id: str, state: str, detail: str = "") -> None:
        """Report a command's outcome (`done` or `failed`)."""
        what = "command ack"
        self._call("POST", f"/commands/{command_id}/ack", what=what, json_body={"state": state, "detail": detail})

    # --- transport -----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict | None = None,
        params: dict | None = None,
        auth: bool = True,
    ) -> Any:
        """One request; its reply as parsed JSON (a 2xx), or a SyncError."""
        url = f"{self.url}{API}{path}"
        hdrs = {"Accept": "application/json", **(headers or {})}
        if auth and self.credential:
            hdrs["Authorization"] = f"Bearer {self.credential}"
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            hdrs.setdefault("Content-Type", "application/json")
        started = time.monotonic()
        try:
            request = self._http.build_request(method, url, content=content, headers=hdrs, params=params)
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise SyncUnreachable(url=self.url, detail=f"no answer in time ({type(exc).__name__})") from exc
        except httpx.RemoteProtocolError as exc:
            raise SyncUnreachable(url=self.url, detail=f"connection closed without an answer ({exc})") from exc
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise SyncUnreachable(url=self.url, detail=one_line(str(exc)) or type(exc).__name__) from exc
        except (ValueError, TypeError) as exc:  # a header that cannot be encoded, a bad URL
            raise SyncRejected(what=what, status="-", server_code="request", detail=one_line(str(exc))) from exc
        try:
            raw = self._read(response, what, started)
        finally:
            response.close()
        status = response.status_code
        if 200 <= status < 300:
            return _parse_json(raw, what)
        self._raise_for(status, raw, what, response.headers.get("location"))

    def _read(self, response: httpx.Response, what: str, started: float) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise SyncMalformedReply(what=what, detail=f"reply larger than {MAX_REPLY_BYTES // 2**20} MiB")
                if time.monotonic() - started > self.deadline:
                    raise SyncUnreachable(url=self.url, detail=f"the answer took longer than {self.deadline:g} s")
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise SyncUnreachable(url=self.url, detail=f"the answer stopped coming ({type(exc).__name__})") from exc
        except httpx.DecodingError as exc:
            raise SyncMalformedReply(what=what, detail=f"cannot decode the reply ({one_line(str(exc))})") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise SyncMalformedReply(what=what, detail=f"reply cut short ({one_line(str(exc))})") from exc
        except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
            raise SyncMalformedReply(what=what, detail=f"reply unreadable ({one_line(str(exc))})") from exc
        return b"".join(chunks)

    def _raise_for(self, status: int, raw: bytes, what: str, location: str | None) -> None:
        code, message = _error_body(raw)
        if not message:
            message = httpx.codes.get_reason_phrase(status) or "no message"
        if 300 <= status < 400:
            where = one_line(location or "?", 120)
            raise SyncRejected(
                what=what, status=status, server_code="redirect", detail=f"redirected to {where}; check the URL"
            )
        if status >= 500:
            raise SyncServerError(what=what, status=status, server_code=code or "-", detail=message)
        if code.startswith("enroll.") or (what == "enrolment" and status in (401, 403)):
            raise SyncRefused(who="the enrolment token", server_code=code or f"http.{status}", detail=message)
        if code.startswith("auth.") or status in (401, 403):
            raise SyncRefused(who=f"kiosk {self.kiosk_id}", server_code=code or f"http.{status}", detail=message)
        raise SyncRejected(what=what, status=status, server_code=code or "-", detail=message)


def _error_body(raw: bytes) -> tuple[str, str]:
    """(code, message) from central's error body, ("", "") when it is not one."""
    try:
        body = _parse_json(raw, "error")
    except SyncError:
        return "", ""
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return "", ""
    code = err.get("code")
    message = err.get("message")
    code = code if isinstance(code, str) and len(code) <= 64 and _CODE.fullmatch(code) else ""
    return code, one_line(message) if isinstance(message, str) else ""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(raw: bytes, what: str) -> Any:
    if not raw:
        raise SyncMalformedReply(what=what, detail="empty reply")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise SyncMalformedReply(what=what, detail="not UTF-8 text") from None
    except RecursionError:
        raise SyncMalformedReply(what=what, detail="JSON nested too deeply") from None
    except ValueError as exc:
        raise SyncMalformedReply(what=what, detail=f"not JSON ({one_line(str(exc), 120)})") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Check:
    """Checks one JSON object of a reply; failures name the field, e.g. `acks[3].seq`."""

    def __init__(self, what: str, obj: Any, where: str = "") -> None:
        self.what = what
        self.where = where
        if not isinstance(obj, dict):
            raise self.fail("", "a JSON object", obj)
        self.obj = obj

    def fail(self, key: str, expected: str, got: Any) -> SyncMalformedReply:
        name = ".".join(p for p in (self.where, key) if p) or "the reply"
        shown = one_line(show_value(got))
        return SyncMalformedReply(what=self.what, detail=f"{name}: expected {expected}, got {shown}")

    def get(self, key: str) -> Any:
        if key not in self.obj:
            raise SyncMalformedReply(what=self.what, detail=f"{'.'.join(p for p in (self.where, key) if p)}: missing")
        return self.obj[key]

    def sub(self, key: str, value: Any) -> _Check:
        return _Check(self.what, value, ".".join(p for p in (self.where, key) if p))

    def text(self, key: str, *, limit: int = 200, pattern: re.Pattern | None = None) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value or len(value) > limit:
            raise self.fail(key, f"a string of 1..{limit} characters", value)
        if pattern is not None and not pattern.fullmatch(value):
            raise self.fail(key, f"a string matching {pattern.pattern}", value)
        if not value.isprintable():
            raise self.fail(key, "printable text", value)
        return value

    def integer(self, key: str, *, low: int = 0, high: int = _MAX_INT) -> int:
        value = self.get(key)
        if not _is_int(value) or not low <= value <= high:
            raise self.fail(key, f"an integer {low}..{high}", value)
        return value

    def number(self, key: str, low: float, high: float) -> float:
        value = self.get(key)
        if not (isinstance(value, int | float) and not isinstance(value, bool)) or not math.isfinite(value):
            raise self.fail(key, "a number", value)
        if not low <= value <= high:
            raise self.fail(key, f"a number {low:g}..{high:g}", value)
        return float(value)

    def boolean(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.get(key)
        if value not in choices:
            raise self.fail(key, "one of " + ", ".join(choices), value)
        return value

    def items(self, key: str) -> list:
        value = self.get(key)
        if not isinstance(value, list):
            raise self.fail(key, "a list", value)
        return value

    def seconds(self, key: str, most: int) -> tuple[int, ...]:
        """A list of at most `most` whole seconds 0.._MAX_AHEAD, ascending."""
        value = self.items(key)
        if len(value) > most:
            raise self.fail(key, f"at most {most} times", len(value))
        last = 0
        for i, x in enumerate(value):
            if not (_is_int(x) and last <= x <= _MAX_AHEAD):
                raise self.fail(f"{key}[{i}]", f"whole seconds {last}..{_MAX_AHEAD}, ascending", x)
            last = x
        return tuple(value)

    def mapping(self, key: str) -> dict:
        value = self.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "an object", value)
        return value

    def time(self, key: str) -> datetime:
        value = self.get(key)
        if not isinstance(value, str) or len(value) > 64:
            raise self.fail(key, "an ISO-8601 time", value)
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(key, "an ISO-8601 time", value) from None
        if when.tzinfo is None:
            raise self.fail(key, "an ISO-8601 time with its UTC offset", value)
        return when
