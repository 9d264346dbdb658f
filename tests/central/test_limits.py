"""Every malformed request gets a 4xx in the one error shape with a code from the table, never a
5xx: table-driven bad requests at every route, a seeded fuzzer mutating valid bodies, and the
body limits (Content-Length, streamed size, gzip bomb, item count) over a real socket."""

from __future__ import annotations

import functools
import gzip
import json
import random
import uuid
import zlib

import httpx
import pytest

from central.errors import CODES

MIB = 1024 * 1024


@pytest.fixture
def bdg(fleet):
    fleet.hall("BDG")
    fleet.kiosk("BDG", "bdg-1", "1")
    return fleet


def assert_error(r: httpx.Response, status: int | None = None, code: str | None = None) -> None:
    """A 4xx whose body is exactly {"error": {"code", "message"}} with a code of the table."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert CODES[body["error"]["code"]] == r.status_code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "\n" not in body["error"]["message"]
    if status is not None:
        assert r.status_code == status, body
    if code is not None:
        assert body["error"]["code"] == code, body


def valid_bodies(make_ticket) -> dict[str, dict]:
    return {
        "/api/v1/enroll": {"token": "x" * 20},
        "/api/v1/sync/push": {"items": [make_ticket("bdg-1", 1)]},
        "/api/v1/heartbeat": {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "0.1.0", "backlog": 0},
        "/api/v1/commands/{id}/ack": {"state": "done", "detail": "ok"},
    }


#: Bodies that are not a JSON object at all: 400 request.malformed at every POST route.
NOT_AN_OBJECT = [
    b"",
    b"not json",
    b"{",
    b'{"items": [}',
    b"[]",
    b"null",
    b"42",
    b'"text"',
    b"\xff\xfe\x00garbage",
    b"[" * 100_000,  # nested too deep for the JSON parser
    b'{"a": NaN',
]

#: Well-formed JSON with fields of the wrong type or range: 422 request.invalid (or 400 missing).
WRONG_FIELDS = {
    "/api/v1/enroll": [
        {"token": 5},
        {"token": ""},
        {"token": "x" * 201},
        {"token": None},
        {"tok": "x"},
        {"token": "\u0000"},
        {"token": "\ud800"},
    ],
    "/api/v1/sync/push": [
        {"items": "x"},
        {"items": [1]},
        {
            "items": [
                {"id": "not-a-uuid", "seq": 1, "kind": "k", "created_at": "2026-11-24T09:00:00+07:00", "payload": {}}
            ]
        },
        {"items": [{"id": str(uuid.uuid4()), "seq": 0, "kind": "k", "created_at": "2026-11-24T09:00:00+07:00"}]},
        {"items": [{"id": str(uuid.uuid4()), "seq": 1, "kind": "K K", "created_at": "2026-11-24T09:00:00+07:00"}]},
        {"items": [{"id": str(uuid.uuid4()), "seq": 2**70, "kind": "k", "created_at": "2026-11-24T09:00:00+07:00"}]},
        {"items": [{"id": str(uuid.uuid4()), "seq": 1, "kind": "k", "created_at": "yesterday", "payload": {}}]},
        {
            "items": [
                {"id": str(uuid.uuid4()), "seq": 1, "kind": "k", "created_at": "2026-11-24T09:00:00", "payload": {}}
            ]
        },
        {
            "items": [
                {"id": str(uuid.uuid4()), "seq": 1, "kind": "k", "created_at": "2026-11-24T09:00:00Z", "payload": []}
            ]
        },
        {
            "items": [
                {"id": str(uuid.uuid4()), "seq": 1.5, "kind": "k", "created_at": "2026-11-24T09:00:00Z", "payload": {}}
            ]
        },
        {
            "items": [
                {
                    "id": str(uuid.uuid4()),
                    "seq": 1,
                    "kind": "ticket.issued",
                    "created_at": "2026-11-24T09:00:00Z",
                    "payload": {"id": "nope"},
                }
            ]
        },  # fmt: skip
        {
            "items": [
                {
                    "id": str(uuid.uuid4()),
                    "seq": 1,
                    "kind": "ticket.printed",
                    "created_at": "2026-11-24T09:00:00Z",
                    "payload": {"ticket_id": str(uuid.uuid4()), "state": "burnt"},
                }
            ]
        },  # fmt: skip
        {"item": []},
        # Text PostgreSQL or UTF-8 cannot hold: NUL, a lone surrogate (valid JSON, not Unicode).
        {
            "items": [
                {
                    "id": str(uuid.uuid4()),
                    "seq": 1,
                    "kind": "k",
                    "created_at": "2026-11-24T09:00:00Z",
                    "payload": {"note": "\ud800"},
                }
            ]
        },  # fmt: skip
        {
            "items": [
                {
                    "id": str(uuid.uuid4()),
                    "seq": 1,
                    "kind": "k",
                    "created_at": "2026-11-24T09:00:00Z",
                    "payload": {"\udfff": 1},
                }
            ]
        },  # fmt: skip
    ],
    "/api/v1/heartbeat": [
        {"kiosk_time": 5, "app_version": "x", "backlog": 0},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "x", "backlog": 1e400},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "x" * 41, "backlog": 0},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "x", "backlog": 0, "devices": "printer"},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "x", "backlog": 0, "devices": [{}] * 33},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "x", "backlog": 0, "last_sync_at": "soon"},
        {"app_version": "x", "backlog": 0},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "0.1\u0000", "backlog": 0},
        {"kiosk_time": "2026-11-24T09:00:00+07:00", "app_version": "\ud800", "backlog": 0},
    ],
    "/api/v1/commands/{id}/ack": [
        {"state": "maybe"},
        {"state": None},
        {"state": "done", "detail": 5},
        {},
        {"state": "done", "detail": "nul \u0000 here"},
        {"state": "failed", "detail": "\udc80"},
    ],
}


def _post(client, path: str, body: bytes, headers: dict, command_id: str) -> httpx.Response:
    return client.post(path.replace("{id}", command_id), content=body, headers=headers)


@pytest.fixture
def command_id(bdg) -> str:
    from central.repo import changes

    with bdg.db.transaction() as s:
        return changes.add_command(s, "bdg-1", "refresh_catalog", {}, bdg.clock()).id


@pytest.mark.parametrize("path", list(WRONG_FIELDS))
def test_malformed_bodies_get_4xx_at_every_post_route(client, bdg, command_id, path):
    headers = {**bdg.headers("bdg-1"), "Content-Type": "application/json"}
    for body in NOT_AN_OBJECT:
        r = _post(client, path, body, headers, command_id)
        assert_error(r, 400, "request.malformed")
    for fields in WRONG_FIELDS[path]:
        r = _post(client, path, json.dumps(fields).encode(), headers, command_id)
        assert_error(r)
        assert r.json()["error"]["code"] in ("request.invalid", "request.malformed"), fields
    # Bad gzip, an unknown encoding, a lying Content-Length.
    assert_error(_post(client, path, b"not gzip", {**headers, "Content-Encoding": "gzip"}, command_id), 400)
    cut = gzip.compress(b'{"token": "x"}')[:-6]
    assert_error(_post(client, path, cut, {**headers, "Content-Encoding": "gzip"}, command_id), 400)
    assert_error(
        _post(client, path, b"{}", {**headers, "Content-Encoding": "br"}, command_id),
        415,
        "request.unsupported_encoding",
    )


def test_fuzzed_bodies_never_get_5xx(client, bdg, command_id, make_ticket):
    """Seeded mutations of valid bodies: drop, retype and nest fields, truncate the bytes."""
    rng = random.Random(20261124)
    junk = [None, True, -1, 0, 2**64, 1.5, "", "x" * 300, [], {}, [None], {"a": []}, "2026-13-45T99:00:00+07:00"]
    headers = {**bdg.headers("bdg-1"), "Content-Type": "application/json"}

    def mutate(value, depth=0):
        if isinstance(value, dict) and value and rng.random() < 0.7:
            key = rng.choice(list(value))
            copy = dict(value)
            roll = rng.random()
            if roll < 0.3:
                del copy[key]
            elif roll < 0.6 or depth > 3:
                copy[key] = rng.choice(junk)
            else:
                copy[key] = mutate(copy[key], depth + 1)
            return copy
        if isinstance(value, list) and value and rng.random() < 0.7:
            i = rng.randrange(len(value))
            return value[:i] + [mutate(value[i], depth + 1)] + value[i + 1 :]
        return rng.choice(junk)

    for path, body in valid_bodies(make_ticket).items():
        for _ in range(25):
            data = json.dumps(mutate(body)).encode()
            if rng.random() < 0.15:
                data = data[: rng.randrange(len(data) + 1)]
            r = _post(client, path, data, headers, command_id)
            assert r.status_code < 500, (path, data[:200], r.text[:300])
            if r.status_code >= 400:
                assert_error(r)


BAD_AUTH = [
    ({}, "auth.missing"),
    ({"Authorization": "Basic Ymxh"}, "auth.missing"),
    ({"Authorization": "Bearer "}, "auth.missing"),
    ({"Authorization": "Bearer bdg-1"}, "auth.unknown_kiosk"),
    ({"Authorization": "Bearer bdg-1:"}, "auth.unknown_kiosk"),
    ({"Authorization": "Bearer nobody:secret"}, "auth.unknown_kiosk"),
    ({"Authorization": "Bearer " + "x" * 5000 + ":y"}, "auth.unknown_kiosk"),
    ({"Authorization": "Bearer bdg-1:wrong"}, "auth.unknown_kiosk"),
]


def test_bad_auth_gets_401_at_every_route(client, bdg, command_id, make_ticket):
    bodies = valid_bodies(make_ticket)
    routes = [("POST", p.replace("{id}", command_id), bodies[p]) for p in bodies if p != "/api/v1/enroll"]
    routes += [
        ("GET", "/api/v1/sync/pull", None),
        ("GET", "/api/v1/halls", None),
        ("GET", "/api/v1/halls/BDG/tickets", None),
        ("GET", "/api/v1/halls/BDG/kiosks", None),
    ]
    for method, path, body in routes:
        for headers, code in BAD_AUTH:
            r = client.request(method, path, json=body, headers=headers)
            assert_error(r, 401, code)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/halls/NOPE/tickets", 404, "not_found"),
        ("GET", "/api/v1/halls/NOPE/kiosks", 404, "not_found"),
        ("GET", "/api/v1/halls/" + "X" * 500 + "/kiosks", 404, "not_found"),
        ("GET", "/api/v1/nothing-here", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("DELETE", "/api/v1/sync/push", 405, "request.method_not_allowed"),
        ("GET", "/api/v1/enroll", 405, "request.method_not_allowed"),
        ("GET", "/api/v1/halls/BDG/tickets?day=yesterday", 422, "request.invalid"),
        ("GET", "/api/v1/halls/BDG/tickets?day=2026-02-30", 422, "request.invalid"),
        ("GET", "/api/v1/sync/pull?cursor=99999999999999999999999", 422, "request.invalid"),
        ("POST", "/api/v1/commands/not-a-uuid/ack", 422, "request.invalid"),
        ("POST", "/api/v1/commands/00000000-0000-0000-0000-000000000000/ack", 404, "not_found"),
    ],
)
def test_bad_routes_and_queries_get_4xx(client, bdg, operator, method, path, status, code):
    headers = bdg.headers("bdg-1") if "sync" in path or "commands" in path else operator
    r = client.request(method, path, json={"state": "done"} if method == "POST" else None, headers=headers)
    assert_error(r, status, code)


def test_push_over_1000_items_is_413(client, bdg, make_ticket):
    items = [make_ticket("bdg-1", s) for s in range(1, 1002)]
    r = client.post("/api/v1/sync/push", json={"items": items}, headers=bdg.headers("bdg-1"))
    assert_error(r, 413, "request.too_large")
    assert bdg.count("items") == 0


def test_body_over_2_mib_is_413_by_content_length(http, bdg):
    body = b'{"items": []}' + b" " * (2 * MIB)
    r = http.post("/api/v1/sync/push", content=body, headers=bdg.headers("bdg-1"))
    assert_error(r, 413, "request.too_large")


def test_streamed_body_over_2_mib_is_413(http, bdg):
    """No Content-Length (chunked): the body is cut off as it crosses the limit."""

    def chunks():
        yield b'{"items": ['
        for _ in range(64):
            yield b" " * (64 * 1024)

    try:
        r = http.post("/api/v1/sync/push", content=chunks(), headers=bdg.headers("bdg-1"))
    except httpx.WriteError:  # the server may close while we still send: it answered first
        return
    assert_error(r, 413, "request.too_large")


@functools.cache
def gzip_bomb() -> bytes:
    """64 MiB of zeros, gzipped to about 64 KiB: four times central's 16 MiB cap."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * MIB
    return b"".join(deflater.compress(block) for _ in range(64)) + deflater.flush()


def test_gzip_bomb_is_413(http, bdg):
    """Central stops inflating at 16 MiB instead of filling its memory."""
    bomb = gzip_bomb()
    assert len(bomb) < 100 * 1024
    headers = {**bdg.headers("bdg-1"), "Content-Encoding": "gzip", "Content-Type": "application/json"}
    r = http.post("/api/v1/sync/push", content=bomb, headers=headers)
    assert_error(r, 413, "request.too_large")
    assert "16 MiB" in r.json()["error"]["message"]


def test_gzip_under_the_caps_is_accepted(http, bdg, make_ticket):
    """1,000 items inflating to well over 2 MiB, sent gzipped under it."""
    items = [
        make_ticket("bdg-1", s) | {"payload": make_ticket("bdg-1", s)["payload"] | {"pad": "x" * 2500}}
        for s in range(1, 1001)
    ]
    raw = json.dumps({"items": items}).encode()
    body = gzip.compress(raw)
    assert len(raw) > 2 * MIB > len(body)
    headers = {**bdg.headers("bdg-1"), "Content-Encoding": "gzip", "Content-Type": "application/json"}
    r = http.post("/api/v1/sync/push", content=body, headers=headers)
    assert r.status_code == 200
    assert bdg.count("items") == 1000
