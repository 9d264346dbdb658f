"""Request bodies, bounded: an ASGI middleware in front of every route.

- `Content-Encoding` other than identity or gzip: 415 `request.unsupported_encoding`;
- a `Content-Length` over the limit: 413 at once, without reading the body;
- a body (chunked or lying about its length) that grows over the limit while it streams in:
  413 as soon as it crosses it;
- gzip is inflated with `zlib.decompressobj(...).decompress(data, max_length)`, so a gzip
  bomb stops at the cap (413) instead of filling memory; a broken stream is 400.

The route then sees the plain body (no Content-Encoding, the right Content-Length).
"""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.errors import error_response

MIB = 1024 * 1024


class BodyLimits:
    def __init__(self, app: ASGIApp, *, max_body: int, max_decompressed: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_decompressed = max_decompressed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        encoding = headers.get("content-encoding", "").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            await error_response(
                "request.unsupported_encoding", f"Content-Encoding {encoding!r}: send identity or gzip"
            )(scope, receive, send)
            return
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                await error_response("request.malformed", "Content-Length is not a number")(scope, receive, send)
                return
            if int(length) > self.max_body:
                await self._too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left; nobody to answer
            body = message.get("body", b"")
            total += len(body)
            if total > self.max_body:
                await self._too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if encoding in ("gzip", "x-gzip"):
            try:
                body = gunzip(body, self.max_decompressed)
            except BodyTooLarge:
                await error_response(
                    "request.too_large",
                    f"the body inflates to more than {self.max_decompressed // MIB} MiB; send fewer items per request",
                )(scope, receive, send)
                return
            except ValueError as exc:
                await error_response("request.malformed", f"bad gzip body: {exc}")(scope, receive, send)
                return
        raw = [(k, v) for k, v in scope["headers"] if k not in (b"content-encoding", b"content-length")]
        raw.append((b"content-length", str(len(body)).encode()))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": raw}, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(
            "request.too_large", f"the body is over {self.max_body // MIB} MiB; send fewer items per request"
        )(scope, receive, send)


class BodyTooLarge(ValueError):
    pass


def gunzip(data: bytes, cap: int) -> bytes:
    """Inflate one or more gzip members, never producing more than `cap` bytes.

    Raises BodyTooLarge over the cap, ValueError for a stream that is not gzip or cut short.
    """
    out: list[bytes] = []
    size = 0
    rest = data
    if not rest:
        raise ValueError("empty")
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            chunk = inflater.decompress(rest, cap - size + 1)
        except zlib.error as exc:
            raise ValueError(str(exc)) from None
        size += len(chunk)
        if size > cap or inflater.unconsumed_tail:
            raise BodyTooLarge()
        if not inflater.eof:
            raise ValueError("the stream is cut short")
        out.append(chunk)
        rest = inflater.unused_data
    return b"".join(out)
