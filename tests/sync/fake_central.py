"""A small central on a loopback port that follows docs/sync-api.md, and misbehaves on request.

Real HTTP (http.server on 127.0.0.1, a thread per connection), real gzip, real JSON: only the
central side is small. It keeps what the contract says central keeps (each item once by its
UUID, tickets, heartbeats, a change log per hall) and records every request it got.

    with FakeCentral() as central:             # hall DEMO, kiosks kiosk-1 / kiosk-2 (demo secrets)
        central.url                            # http://127.0.0.1:PORT
        central.fault("push", status=500)      # the next push answers 500 (times=1)
        central.fault("pull", body=b"{")       # raw reply body (malformed)
        central.fault("push", truncate=True)   # a Content-Length longer than the body sent
        central.fault("heartbeat", delay=2)    # answer late
        central.fault("push", reply=lambda r: {**r, "acks": "x"})   # change the right answer
        central.revoke("kiosk-2")              # 403 auth.revoked from now on
        central.add_change("catalog", version=3, data={"toml": "..."})
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    status: int | None = None
    body: bytes | None = None
    reply: Callable[[Any], Any] | None = None
    truncate: bool = False
    delay: float = 0.0
    reset: bool = False
    headers: dict = field(default_factory=dict)
    times: int = 1
    #: Apply the fault after central did its work (the reply is lost or changed after the commit).
    after: bool = True


@dataclass
class Kiosk:
    kiosk_id: str
    secret: str
    hall: str
    short_code: str
    revoked: bool = False


class FakeCentral:
    """The fake central; all state is guarded by one lock."""

    def __init__(self, *, hall: str = "DEMO", port: int = 0) -> None:
        self.hall = hall
        self.lock = threading.Lock()
        self.kiosks: dict[str, Kiosk] = {}
        for n in (1, 2):
            self.add_kiosk(f"kiosk-{n}", f"demo-secret-kiosk-{n}", str(n))
        self.tokens: dict[str, dict] = {}
        self.items: dict[str, dict] = {}  # id -> {"kiosk_id", "seq", "kind", "payload"}
        self.tickets: dict[str, dict] = {}  # ticket UUID -> row
        self.conflicts: list[str] = []
        self.heartbeats: list[dict] = []
        self.changes: list[dict] = []
        self.commands_acked: list[dict] = []
        self.requests: list[dict] = []
        self.faults: dict[str, list[Fault]] = {}
        self.connections: set[socket.socket] = set()
        #: Items (by id) and kinds central refuses with 422, like a payload it cannot apply.
        self.reject_ids: set[str] = set()
        self.reject_kinds: set[str] = set()
        self.skew_offset = 0.0  # seconds added to central's clock
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeCentral:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def down(self) -> None:
        """Stop answering: the port refuses connections and open ones are cut (what central
        keeps stays)."""
        self.stop()
        with self.lock:
            open_ = list(self.connections)
        for sock in open_:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def up(self) -> None:
        """Answer again, on the same port, with the same state."""
        port = self.port
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.start()

    def __enter__(self) -> FakeCentral:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- set-up --------------------------------------------------------------------------------

    def add_kiosk(self, kiosk_id: str, secret: str, short_code: str) -> None:
        self.kiosks[kiosk_id] = Kiosk(kiosk_id, secret, self.hall, short_code)

    def add_token(self, kiosk_id: str, short_code: str, *, expired: bool = False) -> str:
        token = uuid.uuid4().hex
        self.tokens[token] = {"kiosk_id": kiosk_id, "short_code": short_code, "used": False, "expired": expired}
        return token

    def revoke(self, kiosk_id: str) -> None:
        self.kiosks[kiosk_id].revoked = True

    def fault(self, route: str, **kwargs) -> Fault:
        f = Fault(**kwargs)
        with self.lock:
            self.faults.setdefault(route, []).append(f)
        return f

    def add_change(self, kind: str, *, data: dict, version: int | None = None) -> int:
        with self.lock:
            cursor = len(self.changes) + 1
            change = {"cursor": cursor, "kind": kind, "data": data}
            if version is not None:
                change["version"] = version
            self.changes.append(change)
            return cursor

    def requests_to(self, route: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["route"] == route]

    def hall_tickets(self) -> list[dict]:
        with self.lock:
            return sorted(self.tickets.values(), key=lambda t: (t["issued_at"], t["number"]))

    def _take_fault(self, route: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(route) or []
            if not queue:
                return None
            f = queue[0]
            f.times -= 1
            if f.times <= 0:
                queue.pop(0)
            return f

    # --- routes (called with the lock held) ----------------------------------------------------

    def auth(self, header: str | None) -> tuple[int, dict] | Kiosk:
        if not header or not header.startswith("Bearer "):
            return 401, _err("auth.missing", "no Authorization: Bearer header")
        kiosk_id, _, secret = header[len("Bearer ") :].partition(":")
        kiosk = self.kiosks.get(kiosk_id)
        if kiosk is None or kiosk.secret != secret:
            return 401, _err("auth.unknown_kiosk", "credential not known")
        if kiosk.revoked:
            return 403, _err("auth.revoked", f"kiosk {kiosk_id} was revoked by the hall supervisor")
        return kiosk

    def enroll(self, body: Any) -> tuple[int, Any]:
        token = body.get("token") if isinstance(body, dict) else None
        t = self.tokens.get(token)
        if t is None:
            return 401, _err("enroll.token_unknown", "no such enrolment token")
        if t["used"]:
            return 409, _err("enroll.token_used", "the enrolment token was already exchanged")
        if t["expired"]:
            return 410, _err("enroll.token_expired", "the enrolment token is older than its lifetime")
        t["used"] = True
        secret = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        self.add_kiosk(t["kiosk_id"], secret, t["short_code"])
        credential = f"{t['kiosk_id']}:{secret}"
        return 200, {
            "kiosk_id": t["kiosk_id"],
            "hall_code": self.hall,
            "short_code": t["short_code"],
            "credential": credential,
        }

    def push(self, kiosk: Kiosk, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            return 400, _err("request.malformed", "expected {'items': [...]}")
        if len(body["items"]) > 1000:
            return 413, _err("request.too_large", "over 1000 items")
        for i, item in enumerate(body["items"]):  # one refused item and nothing of the batch is stored
            if item["id"] in self.reject_ids or (self.reject_kinds and item["kind"] in self.reject_kinds):
                return 422, _err("request.invalid", f"items[{i}].payload.kiosk_id: not this kiosk")
        acks = []
        for item in body["items"]:
            key, payload = item["id"], item["payload"]
            known = self.items.get(key)
            if known is None:
                self.items[key] = {
                    "kiosk_id": kiosk.kiosk_id,
                    "seq": item["seq"],
                    "kind": item["kind"],
                    "payload": payload,
                }
                self._apply(kiosk, item)
                status = "stored"
            elif known["payload"] == payload:
                status = "duplicate"
            else:
                self.conflicts.append(key)
                status = "conflict"
            acks.append({"id": key, "seq": item["seq"], "status": status})
        seen = sorted(v["seq"] for v in self.items.values() if v["kiosk_id"] == kiosk.kiosk_id)
        gaps, expected = [], 1
        for s in seen:
            if s > expected:
                gaps.append([expected, s - 1])
            expected = s + 1
        return 200, {"acks": acks, "gaps": gaps, "server_time": self.now().isoformat()}

    def _apply(self, kiosk: Kiosk, item: dict) -> None:
        p = item["payload"]
        if item["kind"] == "ticket.issued":
            self.tickets[p["id"]] = {
                "number": p["number"],
                "service_code": p["service_code"],
                "kiosk_id": p["kiosk_id"],
                "ticket_id": p["id"],
                "seq": item["seq"],
                "day": p["day"],
                "issued_at": p["issued_at"],
                "received_at": self.now().isoformat(),
                "print_state": "pending",
            }
        elif item["kind"].startswith("ticket.print") and p.get("ticket_id") in self.tickets:
            self.tickets[p["ticket_id"]]["print_state"] = p["state"]

    def pull(self, kiosk: Kiosk, query: dict) -> tuple[int, Any]:
        try:
            cursor = int(query.get("cursor", ["0"])[0])
            limit = int(query.get("limit", ["100"])[0])
        except ValueError:
            return 422, _err("request.invalid", "cursor and limit are integers")
        after = [c for c in self.changes if c["cursor"] > cursor]
        page = after[:limit]
        new_cursor = page[-1]["cursor"] if page else max(cursor, 0)
        return 200, {"cursor": new_cursor, "more": len(after) > len(page), "changes": page}

    def heartbeat(self, kiosk: Kiosk, body: Any) -> tuple[int, Any]:
        now = self.now()
        body = dict(body)
        body["kiosk_id"] = kiosk.kiosk_id
        self.heartbeats.append(body)
        skew = (datetime.fromisoformat(body["kiosk_time"]) - now).total_seconds()
        return 200, {"server_time": now.isoformat(), "clock_skew_seconds": skew}

    def tickets_of(self, kiosk: Kiosk | None, hall: str) -> tuple[int, Any]:
        if hall != self.hall:
            return 404, _err("not_found", f"no hall {hall}")
        return 200, {"hall_code": hall, "tickets": self.hall_tickets_unlocked()}

    def hall_tickets_unlocked(self) -> list[dict]:
        return sorted(self.tickets.values(), key=lambda t: (t["issued_at"], t["number"]))

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.skew_offset, UTC)


def _err(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _handler(central: FakeCentral):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, delayed ACKs cost 40 ms a reply.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with central.lock:
                central.connections.add(self.connection)

        def finish(self) -> None:
            with central.lock:
                central.connections.discard(self.connection)
            try:
                super().finish()
            except OSError:
                pass

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body: Any = None
            encoding = self.headers.get("Content-Encoding", "identity")
            try:
                data = gzip.decompress(raw) if encoding == "gzip" else raw
                body = json.loads(data) if data else None
            except (OSError, ValueError):
                data = None
            route = _route(method, path)
            with central.lock:
                central.requests.append(
                    {
                        "route": route,
                        "method": method,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "raw": raw,
                        "body": body,
                        "at": time.monotonic(),
                    }
                )
            fault = central._take_fault(route)
            if fault and not fault.after:
                self._misbehave(fault, 200, {})
                return
            if fault and fault.delay:
                time.sleep(fault.delay)
            if fault and fault.reset:
                self.close_connection = True
                self.connection.close()
                return
            if data is None:
                status, reply = 400, _err("request.malformed", "bad gzip or JSON")
            else:
                status, reply = self._answer(route, path, parts.query, body)
            if fault:
                self._misbehave(fault, status, reply)
                return
            self._send(status, json.dumps(reply).encode())

        def _answer(self, route: str, path: str, query: str, body: Any) -> tuple[int, Any]:
            with central.lock:
                if route == "enroll":
                    return central.enroll(body)
                if route == "unknown":
                    return 404, _err("not_found", f"no route {path}")
                auth = self.headers.get("Authorization")
                if route == "tickets" and auth == "Bearer demo-admin":
                    kiosk = None
                else:
                    kiosk = central.auth(auth)
                    if isinstance(kiosk, tuple):
                        return kiosk
                if route == "push":
                    return central.push(kiosk, body)
                if route == "pull":
                    return central.pull(kiosk, parse_qs(query))
                if route == "heartbeat":
                    return central.heartbeat(kiosk, body)
                if route == "tickets":
                    return central.tickets_of(kiosk, path.split("/")[4])
                if route == "command_ack":
                    central.commands_acked.append({"id": path.split("/")[4], **body})
                    return 200, {}
            return 404, _err("not_found", path)

        def _misbehave(self, fault: Fault, status: int, reply: Any) -> None:
            if fault.reply is not None:
                reply = fault.reply(reply)
            data = fault.body if fault.body is not None else json.dumps(reply).encode()
            status = fault.status or status
            if fault.truncate:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) + 100))
                self.end_headers()
                self.wfile.write(data[: max(1, len(data) // 2)])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(status, data, fault.headers)

        def _send(self, status: int, data: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _route(method: str, path: str) -> str:
    if path == "/api/v1/enroll" and method == "POST":
        return "enroll"
    if path == "/api/v1/sync/push" and method == "POST":
        return "push"
    if path == "/api/v1/sync/pull" and method == "GET":
        return "pull"
    if path == "/api/v1/heartbeat" and method == "POST":
        return "heartbeat"
    if path.startswith("/api/v1/halls/") and path.endswith("/tickets") and method == "GET":
        return "tickets"
    if path.startswith("/api/v1/commands/") and path.endswith("/ack") and method == "POST":
        return "command_ack"
    return "unknown"
