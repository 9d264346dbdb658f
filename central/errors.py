"""Errors with stable codes (docs/sync-api.md, "Errors") and the handlers that render them.

Every error leaves the service as `{"error": {"code": ..., "message": ...}}`: ours
(CentralError), FastAPI's request validation, Starlette's 404/405, a busy database (503) and,
for a bug, 500 `internal`. Bad input never reaches the 500 branch.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("central")

#: code -> HTTP status, the table of docs/sync-api.md.
CODES: dict[str, int] = {
    "request.malformed": 400,
    "auth.missing": 401,
    "auth.unknown_kiosk": 401,
    "auth.failed": 401,
    "auth.token_invalid": 401,
    "enroll.token_unknown": 401,
    "auth.revoked": 403,
    "auth.forbidden": 403,
    "not_found": 404,
    "request.method_not_allowed": 405,
    "enroll.token_used": 409,
    "enroll.token_expired": 410,
    "request.too_large": 413,
    "request.unsupported_encoding": 415,
    "request.invalid": 422,
    "auth.locked": 429,
    "internal": 500,
    "unavailable": 503,
}


#: HTTP status -> the code for an error that did not come with one.
_BY_STATUS = {
    400: "request.malformed",
    401: "auth.missing",
    403: "auth.forbidden",
    404: "not_found",
    405: "request.method_not_allowed",
    413: "request.too_large",
    415: "request.unsupported_encoding",
    422: "request.invalid",
}


class CentralError(Exception):
    """An error with a stable code; the HTTP status follows from the code."""

    def __init__(self, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = CODES[code]
        self.headers = headers

    def __str__(self) -> str:
        return self.message


def error_body(code: str, message: str) -> dict:
    """The one error shape."""
    return {"error": {"code": code, "message": message}}


def error_response(code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if CODES[code] == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(error_body(code, message), status_code=CODES[code], headers=headers or None)


def describe_validation(errors: list[dict]) -> tuple[str, str]:
    """The code and a one-line message for pydantic/FastAPI validation errors.

    400 `request.malformed` when the body is not a JSON object or misses a field;
    413 when a list is over its limit (the items of a push); 422 `request.invalid` otherwise.
    """
    first = errors[0]
    kind = first.get("type", "")
    loc = list(first.get("loc", ()))
    where = _location(loc)
    msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    if kind == "json_invalid":
        return "request.malformed", "the body is not valid JSON"
    if loc[:1] == ["body"] and (kind == "missing" and len(loc) == 1):
        return "request.malformed", "the request needs a JSON body"
    if loc == ["body"] and kind in ("model_attributes_type", "dict_type", "model_type"):
        return "request.malformed", "the body must be a JSON object (Content-Type: application/json)"
    if kind == "missing":
        return "request.malformed", f"{where}: missing"
    if kind == "too_long" and loc[-1:] == ["items"]:
        limit = (first.get("ctx") or {}).get("max_length", "the limit")
        return "request.too_large", f"too many items in one push: at most {limit}"
    return "request.invalid", f"{where}: {msg}" if where else msg


def _location(loc: list) -> str:
    parts: list[str] = []
    for i, p in enumerate(loc):
        if i == 0 and p in ("body", "query", "path", "header"):
            continue
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def install_handlers(app: FastAPI) -> None:
    """Render every error in the one shape."""

    @app.exception_handler(CentralError)
    async def _central(request: Request, exc: CentralError) -> JSONResponse:
        return error_response(exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, message = describe_validation(list(exc.errors()))
        return error_response(code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response("not_found", f"no such route: {request.method} {request.url.path}")
        if exc.status_code == 405:
            return error_response(
                "request.method_not_allowed", f"{request.method} is not allowed on {request.url.path}"
            )
        if 400 <= exc.status_code < 500:  # FastAPI's own (e.g. a body it could not parse): the code of its status
            code = _BY_STATUS.get(exc.status_code, "request.malformed")
            return error_response(code, str(exc.detail).splitlines()[0] if exc.detail else code)
        log.error("HTTP %s on %s: %s", exc.status_code, request.url.path, exc.detail)
        return error_response("internal", "central failed; the request can be retried")

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _busy(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable on %s: %s", request.url.path, str(exc).splitlines()[0])
        return error_response("unavailable", "central's database is busy or unreachable; retry later")

    @app.exception_handler(DBAPIError)
    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response("internal", "central failed; the request can be retried")
