"""The HTTP client against a central on loopback: what it sends, and every way a reply can be wrong."""

from __future__ import annotations

import gzip
import json
import socket

import pytest

from sync.client import MAX_REPLY_BYTES, CentralClient
from sync.errors import (
    SyncError,
    SyncMalformedReply,
    SyncRefused,
    SyncRejected,
    SyncServerError,
    SyncUnreachable,
)

CRED = "kiosk-1:demo-secret-kiosk-1"


def item(seq: int, key: str | None = None, payload: dict | None = None) -> dict:
    return {
        "id": key or f"00000000-0000-4000-8000-{seq:012d}",
        "seq": seq,
        "kind": "ticket.note",
        "created_at": "2026-11-24T09:00:00+07:00",
        "payload": payload or {"n": seq},
    }


def body(*items: dict) -> bytes:
    return json.dumps({"items": list(items)}).encode()


@pytest.fixture
def client(central):
    c = CentralClient(central.url, credential=CRED, timeout=2.0, deadline=5.0, version="9.9.9")
    yield c
    c.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_push_sends_gzip_json_with_bearer_and_user_agent(client, central):
    reply = client.push(body(item(1), item(2)))
    assert [(a.seq, a.status) for a in reply.acks] == [(1, "stored"), (2, "stored")]
    assert reply.gaps == () and reply.server_time.tzinfo is not None
    (req,) = central.requests_to("push")
    h = {k.lower(): v for k, v in req["headers"].items()}
    assert h["content-encoding"] == "gzip" and h["content-type"] == "application/json"
    assert h["authorization"] == f"Bearer {CRED}"
    assert h["user-agent"].startswith("mpp-kiosk/9.9.9 ")
    assert json.loads(gzip.decompress(req["raw"]))["items"][1]["seq"] == 2


def test_push_repeat_is_duplicate_and_changed_payload_is_conflict(client):
    client.push(body(item(1)))
    again = client.push(body(item(1), item(2)))
    changed = client.push(body(item(2, payload={"n": "other"})))
    assert [a.status for a in again.acks] == ["duplicate", "stored"]
    assert [a.status for a in changed.acks] == ["conflict"]


def test_push_reports_gaps(client):
    reply = client.push(body(item(1), item(4), item(7)))
    assert reply.gaps == ((2, 3), (5, 6))


def test_unreachable_central_is_sync_unreachable():
    with CentralClient(f"http://127.0.0.1:{free_port()}", credential=CRED, timeout=1.0) as c:
        with pytest.raises(SyncUnreachable) as err:
            c.pull(0)
    assert err.value.code == "sync.unreachable" and "127.0.0.1" in err.value.message


def test_slow_central_times_out_as_unreachable(central):
    central.fault("pull", delay=1.5)
    with CentralClient(central.url, credential=CRED, timeout=0.3) as c:
        with pytest.raises(SyncUnreachable, match="no answer in time"):
            c.pull(0)


def test_server_error_is_sync_server_error_with_central_code(client, central):
    central.fault("push", status=500, body=json.dumps({"error": {"code": "internal", "message": "boom"}}).encode())
    with pytest.raises(SyncServerError) as err:
        client.push(body(item(1)))
    assert err.value.server_code == "internal" and "HTTP 500" in err.value.message and "boom" in err.value.message


def test_server_error_without_json_body_still_typed(client, central):
    central.fault("heartbeat", status=502, body=b"<html>Bad gateway</html>")
    with pytest.raises(SyncServerError, match="Bad Gateway"):
        client.heartbeat({"kiosk_time": "2026-11-24T09:00:00+07:00"})


@pytest.mark.parametrize(
    ("kiosk_id", "secret", "code"),
    [("kiosk-1", "wrong-secret-123", "auth.unknown_kiosk"), ("kiosk-9", "demo-secret-kiosk-9", "auth.unknown_kiosk")],
)
def test_unknown_credential_is_refused(central, kiosk_id, secret, code):
    with CentralClient(central.url, credential=f"{kiosk_id}:{secret}") as c:
        with pytest.raises(SyncRefused) as err:
            c.pull(0)
    assert err.value.server_code == code and f"kiosk {kiosk_id}" in err.value.message


def test_revoked_kiosk_is_refused_with_central_message(central):
    central.revoke("kiosk-2")
    with CentralClient(central.url, credential="kiosk-2:demo-secret-kiosk-2") as c:
        with pytest.raises(SyncRefused) as err:
            c.push(body(item(1)))
    assert err.value.server_code == "auth.revoked"
    assert err.value.message == (
        "Central refused kiosk kiosk-2 (auth.revoked): kiosk kiosk-2 was revoked by the hall supervisor"
    )


def test_missing_credential_is_refused(central):
    with CentralClient(central.url) as c:
        with pytest.raises(SyncRefused) as err:
            c.pull(0)
    assert err.value.server_code == "auth.missing"


def test_server_message_is_one_safe_line(client, central):
    nasty = "line one\nline two\x1b[31m red\r" + "x" * 1000
    central.fault("pull", status=403, body=json.dumps({"error": {"code": "auth.revoked", "message": nasty}}).encode())
    with pytest.raises(SyncRefused) as err:
        client.pull(0)
    msg = err.value.message
    assert "\n" not in msg and "\r" not in msg and "\x1b" not in msg and len(msg) < 400
    assert "line one line two" in msg


def test_bad_error_code_from_central_is_not_repeated(client, central):
    central.fault("pull", status=403, body=json.dumps({"error": {"code": "AUTH REVOKED\n", "message": "no"}}).encode())
    with pytest.raises(SyncRefused) as err:
        client.pull(0)
    assert err.value.server_code == "http.403"


def test_other_client_errors_are_rejected(client, central):
    central.fault(
        "push", status=413, body=json.dumps({"error": {"code": "request.too_large", "message": "big"}}).encode()
    )
    with pytest.raises(SyncRejected) as err:
        client.push(body(item(1)))
    assert err.value.server_code == "request.too_large" and "HTTP 413" in err.value.message


def test_redirect_is_rejected_not_followed(client, central):
    central.fault("pull", status=301, body=b"", headers={"Location": "https://central.example/api/v1/sync/pull"})
    with pytest.raises(SyncRejected, match="redirected to https://central.example"):
        client.pull(0)


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"{", b'{"acks": NaN}', b"\xff\xfe", b"[" * 100000 + b"]" * 100000],
    ids=["empty", "text", "cut", "nan", "not-utf8", "deep"],
)
def test_push_reply_not_json_is_malformed(client, central, raw):
    central.fault("push", body=raw)
    with pytest.raises(SyncMalformedReply) as err:
        client.push(body(item(1)))
    assert err.value.code == "sync.malformed_reply"


def test_truncated_reply_is_malformed(client, central):
    central.fault("push", truncate=True)
    with pytest.raises(SyncMalformedReply, match="cut short"):
        client.push(body(item(1)))


def test_connection_reset_before_answer_is_unreachable(client, central):
    central.fault("push", reset=True)
    with pytest.raises(SyncUnreachable):
        client.push(body(item(1)))


def test_huge_reply_is_refused(client, central):
    central.fault("pull", body=b"[" + b" " * (MAX_REPLY_BYTES + 10) + b"]")
    with pytest.raises(SyncMalformedReply, match="larger than"):
        client.pull(0)


PUSH_SHAPES = {
    "not-object": lambda r: [r],
    "acks-missing": lambda r: {k: v for k, v in r.items() if k != "acks"},
    "acks-not-list": lambda r: {**r, "acks": {"0": r["acks"][0]}},
    "ack-seq-string": lambda r: {**r, "acks": [{**r["acks"][0], "seq": "1"}]},
    "ack-seq-bool": lambda r: {**r, "acks": [{**r["acks"][0], "seq": True}]},
    "ack-seq-zero": lambda r: {**r, "acks": [{**r["acks"][0], "seq": 0}]},
    "ack-status-unknown": lambda r: {**r, "acks": [{**r["acks"][0], "status": "ok"}]},
    "ack-id-number": lambda r: {**r, "acks": [{**r["acks"][0], "id": 12}]},
    "gaps-missing": lambda r: {k: v for k, v in r.items() if k != "gaps"},
    "gap-backwards": lambda r: {**r, "gaps": [[5, 2]]},
    "gap-triple": lambda r: {**r, "gaps": [[1, 2, 3]]},
    "server-time-naive": lambda r: {**r, "server_time": "2026-11-24T09:00:00"},
    "server-time-garbage": lambda r: {**r, "server_time": "yesterday"},
}


@pytest.mark.parametrize("name", list(PUSH_SHAPES))
def test_push_reply_of_wrong_shape_is_malformed(client, central, name):
    central.fault("push", reply=PUSH_SHAPES[name])
    with pytest.raises(SyncMalformedReply) as err:
        client.push(body(item(1)))
    assert "\n" not in err.value.message


PULL_SHAPES = {
    "cursor-missing": lambda r: {k: v for k, v in r.items() if k != "cursor"},
    "cursor-float": lambda r: {**r, "cursor": 2.0},
    "more-string": lambda r: {**r, "more": "false"},
    "changes-not-list": lambda r: {**r, "changes": None},
    "change-cursor-not-increasing": lambda r: {**r, "changes": [r["changes"][1], r["changes"][0]]},
    "change-cursor-beyond-page": lambda r: {**r, "cursor": 1},
    "change-kind-odd": lambda r: {**r, "changes": [{**r["changes"][0], "kind": "Catalog!"}, r["changes"][1]]},
    "change-data-list": lambda r: {**r, "changes": [{**r["changes"][0], "data": []}, r["changes"][1]]},
    "catalog-without-version": lambda r: {
        **r,
        "changes": [{k: v for k, v in r["changes"][0].items() if k != "version"}, r["changes"][1]],
    },
    "more-without-progress": lambda r: {"cursor": 0, "more": True, "changes": []},
}


@pytest.mark.parametrize("name", list(PULL_SHAPES))
def test_pull_reply_of_wrong_shape_is_malformed(client, central, name):
    central.add_change("catalog", version=2, data={"toml": "x"})
    central.add_change("command", data={"id": "c1", "kind": "refresh_catalog", "args": {}})
    central.fault("pull", reply=PULL_SHAPES[name])
    with pytest.raises(SyncMalformedReply):
        client.pull(0)


def test_pull_cursor_going_back_is_malformed(client, central):
    central.add_change("command", data={"id": "c1", "kind": "x", "args": {}})
    central.fault("pull", reply=lambda r: {"cursor": 3, "more": False, "changes": []})
    with pytest.raises(SyncMalformedReply, match="at least 5"):
        client.pull(5)


@pytest.mark.parametrize(
    "reply",
    [
        {"server_time": "2026-11-24T02:00:00+00:00", "clock_skew_seconds": float("inf")},
        {"server_time": "2026-11-24T02:00:00+00:00", "clock_skew_seconds": "2.5"},
        {"server_time": "2026-11-24T02:00:00+00:00", "clock_skew_seconds": 1e12},
        {"clock_skew_seconds": 1.0},
    ],
    ids=["inf", "string", "absurd", "no-time"],
)
def test_heartbeat_reply_checked(client, central, reply):
    central.fault("heartbeat", body=json.dumps(reply).encode())
    with pytest.raises(SyncMalformedReply):
        client.heartbeat({"kiosk_time": "2026-11-24T09:00:00+07:00"})


def test_enroll_exchanges_token_once(central):
    token = central.add_token("bdg-kiosk-01", "7")
    with CentralClient(central.url) as c:
        got = c.enroll(token)
        assert (got.kiosk_id, got.hall_code, got.short_code) == ("bdg-kiosk-01", "DEMO", "7")
        assert got.credential.startswith("bdg-kiosk-01:")
        with pytest.raises(SyncRefused) as err:
            c.enroll(token)
    assert err.value.server_code == "enroll.token_used" and "the enrolment token" in err.value.message


@pytest.mark.parametrize(
    ("reply", "field"),
    [
        ({"kiosk_id": "k", "hall_code": "DEMO", "short_code": "1", "credential": "other:secretsecret"}, "credential"),
        ({"kiosk_id": "k", "hall_code": "demo", "short_code": "1", "credential": "k:secretsecret"}, "hall_code"),
        ({"kiosk_id": "k k", "hall_code": "DEMO", "short_code": "1", "credential": "k k:secretsecret"}, "kiosk_id"),
    ],
)
def test_enroll_reply_checked(central, reply, field):
    token = central.add_token("k", "1")
    central.fault("enroll", body=json.dumps(reply).encode())
    with CentralClient(central.url) as c, pytest.raises(SyncMalformedReply, match=field):
        c.enroll(token)


def test_no_exception_escapes_untyped_for_a_bad_url():
    with CentralClient("http://[::1", credential=CRED) as c:  # noqa: SIM117
        with pytest.raises(SyncError):
            c.pull(0)
