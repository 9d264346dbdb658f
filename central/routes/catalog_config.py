"""A hall's catalog and configuration for supervisors (the dashboard's pages use the same repo
code): read the versions, store a new one. An administrator edits every hall, a supervisor the
halls they look after; another hall is answered 404, like one that does not exist.

    GET  /halls/{hall}/catalog              the current version (with its TOML) and the versions
    GET  /halls/{hall}/catalog/{version}    one version with its TOML
    POST /halls/{hall}/catalog              TOML body (or JSON {"toml": ...}; {"restore": N})
                                            -> 201 the new version; 422 with `problems`
    GET  /halls/{hall}/config               the current configuration, the allow-list, versions
    PUT  /halls/{hall}/config               JSON {"settings": {...}} (or the object itself)
                                            -> 201 the new version; 422 with `problems`
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from central.deps import CurrentSupervisor, NowDep, ReadSessionDep, SessionDep
from central.errors import CentralError, error_body
from central.repo import catalog_edit, hall_config
from central.repo.changes import latest_catalog

router = APIRouter(prefix="/halls", tags=["catalog and config"])


def _invalid(exc: CentralError) -> JSONResponse:
    body = error_body(exc.code, exc.message)
    body["error"]["problems"] = list(getattr(exc, "problems", [exc.message]))
    return JSONResponse(body, status_code=exc.status)


async def _body(request: Request) -> bytes:
    return await request.body()


#: The raw request body, read before the (synchronous) route runs in the thread pool.
BodyDep = Annotated[bytes, Depends(_body)]


@router.get("/{hall_code}/catalog")
def get_catalog(hall_code: str, who: CurrentSupervisor, session: ReadSessionDep) -> dict:
    """The hall's current catalog (with its TOML; null when it has none) and every version."""
    hall = hall_config.visible_hall(session, who, hall_code)
    current = latest_catalog(session, hall.code)
    return {
        "hall_code": hall.code,
        "current": catalog_edit.to_json(current, with_toml=True) if current is not None else None,
        "versions": [catalog_edit.to_json(c) for c in catalog_edit.versions(session, hall.code)],
    }


@router.get("/{hall_code}/catalog/{version}")
def get_catalog_version(hall_code: str, version: int, who: CurrentSupervisor, session: ReadSessionDep) -> dict:
    hall = hall_config.visible_hall(session, who, hall_code)
    return {
        "hall_code": hall.code,
        **catalog_edit.to_json(catalog_edit.version(session, hall.code, version), with_toml=True),
    }


@router.post("/{hall_code}/catalog", status_code=201, response_model=None)
def post_catalog(
    hall_code: str, request: Request, raw: BodyDep, who: CurrentSupervisor, session: SessionDep, now: NowDep
) -> Any:
    """Store a new catalog version: the request body is the TOML text (any content type but
    JSON), or JSON {"toml": TEXT}, or JSON {"restore": VERSION} to store an older one again."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _invalid(CentralError("request.invalid", "the catalog is not UTF-8 text"))
    restore: int | None = None
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        try:
            parsed = json.loads(text)
        except ValueError:
            return _invalid(CentralError("request.invalid", "the body is not JSON"))
        if isinstance(parsed, dict) and isinstance(parsed.get("restore"), int):
            restore = parsed["restore"]
        elif isinstance(parsed, dict) and isinstance(parsed.get("toml"), str):
            text = parsed["toml"]
        else:
            return _invalid(CentralError("request.invalid", 'expected {"toml": TEXT} or {"restore": VERSION}'))
    try:
        hall = hall_config.visible_hall(session, who, hall_code)
        if restore is not None:
            catalog = catalog_edit.restore(session, hall.code, restore, now, by=who.username, via="api")
        else:
            catalog = catalog_edit.save(session, hall.code, text, now, by=who.username, via="api")
    except CentralError as exc:
        session.rollback()
        if exc.code == "request.invalid":
            return _invalid(exc)
        raise
    out = {"hall_code": hall.code, **catalog_edit.to_json(catalog)}
    session.commit()
    return JSONResponse(out, status_code=201)


@router.get("/{hall_code}/config")
def get_config(hall_code: str, who: CurrentSupervisor, session: ReadSessionDep) -> dict:
    """The hall's current configuration (`settings`: "section.key" -> value), the keys a hall
    may set centrally with what each accepts, and the versions (newest first)."""
    hall = hall_config.visible_hall(session, who, hall_code)
    return {
        **hall_config.to_json(hall_config.latest(session, hall.code), hall.code),
        "allowed": {k: a.expected for k, a in hall_config.ALLOWED.items()},
        "versions": [
            {k: v for k, v in hall_config.to_json(r, hall.code).items() if k != "hall_code"}
            for r in hall_config.versions(session, hall.code)
        ],
    }


@router.put("/{hall_code}/config", status_code=201, response_model=None)
def put_config(hall_code: str, raw: BodyDep, who: CurrentSupervisor, session: SessionDep, now: NowDep) -> Any:
    """Store a new configuration version: {"settings": {"section.key": value, ...}} (or that
    object alone). It replaces the whole set central holds for the hall."""
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        return _invalid(CentralError("request.invalid", "the body is not JSON"))
    values = body.get("settings") if isinstance(body, dict) and isinstance(body.get("settings"), dict) else body
    try:
        hall = hall_config.visible_hall(session, who, hall_code)
        row = hall_config.save(session, hall.code, values, now, by=who.username, via="api")
    except CentralError as exc:
        session.rollback()
        if exc.code == "request.invalid":
            return _invalid(exc)
        raise
    out = hall_config.to_json(row, hall.code)
    session.commit()
    return JSONResponse(out, status_code=201)
