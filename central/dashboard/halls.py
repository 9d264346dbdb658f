"""The dashboard's hall pages: the service catalog (current version, edit as a new version, the
versions with view and restore) and the hall configuration pushed to its kiosks (the allow-list
of central/repo/hall_config.py as a form). An administrator edits every hall, a supervisor the
halls they look after; another hall is 404. Every form carries the session's CSRF token; every
change is audited (catalog.saved, catalog.restored, config.saved).

Registered on the dashboard's router by central/dashboard/__init__.py.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from central import security
from central.dashboard import PATH, _base, _csrf_ok, _render, _session_user, _to_login, router
from central.deps import NowDep, ReadSessionDep, SessionDep, SettingsDep
from central.errors import CentralError
from central.models import Hall
from central.repo import catalog_edit, hall_config, users
from central.repo.changes import latest_catalog
from central.repo.users import Supervisor

_CSRF_REFUSED = "refused: the form's CSRF token is missing or wrong"


def _hall_not_found(request, who, token, session, settings, now, code: str) -> Response:
    return _render(
        request,
        "error.html",
        {**_base(who, token, session), "title": "No such hall", "message": f"There is no hall {code!r} you can see."},
        status=404,
        settings=settings,
        now=now,
    )


@router.get("/halls")
def halls_page(request: Request, session: ReadSessionDep, settings: SettingsDep, now: NowDep) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    rows = [
        {"hall": h, "catalog": latest_catalog(session, h.code), "config": hall_config.latest(session, h.code)}
        for h in users.visible_halls(session, who)
    ]
    return _render(request, "halls.html", {**_base(who, token, session), "rows": rows}, settings=settings, now=now)


# --- the catalog --------------------------------------------------------------------------------


def _catalog_context(session: Session, who: Supervisor, token: str, hall: Hall, view: int | None) -> dict[str, Any]:
    current = latest_catalog(session, hall.code)
    viewed = catalog_edit.version(session, hall.code, view) if view is not None else None
    return {
        **_base(who, token, session),
        "hall": hall,
        "current": current,
        "viewed": viewed,
        "text": current.toml if current is not None else "",
        "versions": catalog_edit.versions(session, hall.code),
        "problems": [],
    }


@router.get("/halls/{hall_code}/catalog")
def catalog_page(
    hall_code: str,
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    view: int | None = None,
    saved: int | None = None,
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    try:
        hall = hall_config.visible_hall(session, who, hall_code)
        context = _catalog_context(session, who, token, hall, view)
    except CentralError:
        return _hall_not_found(request, who, token, session, settings, now, hall_code)
    context["saved"] = saved
    return _render(request, "hall_catalog.html", context, settings=settings, now=now)


@router.post("/halls/{hall_code}/catalog")
def save_catalog(
    hall_code: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    toml: Annotated[str, Form(max_length=catalog_edit.MAX_BYTES)] = "",
    restore: Annotated[int | None, Form()] = None,
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    if not _csrf_ok(csrf, security.csrf_of(token)):
        return Response(_CSRF_REFUSED, status_code=403, media_type="text/plain")
    try:
        hall = hall_config.visible_hall(session, who, hall_code)
    except CentralError:
        return _hall_not_found(request, who, token, session, settings, now, hall_code)
    text = toml.replace("\r\n", "\n")
    try:
        if restore is not None:
            catalog = catalog_edit.restore(session, hall.code, restore, now, by=who.username, via="dashboard")
        else:
            catalog = catalog_edit.save(session, hall.code, text, now, by=who.username, via="dashboard")
    except CentralError as exc:
        session.rollback()
        if exc.code == "not_found":
            return _hall_not_found(request, who, token, session, settings, now, hall_code)
        context = _catalog_context(session, who, token, hall, None)
        context.update(
            problems=getattr(exc, "problems", [exc.message]), text=text if restore is None else context["text"]
        )
        return _render(request, "hall_catalog.html", context, status=exc.status, settings=settings, now=now)
    session.commit()
    return RedirectResponse(f"{PATH}/halls/{quote(hall.code)}/catalog?saved={catalog.version}", status_code=303)


# --- the hall configuration ---------------------------------------------------------------------


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _config_context(session: Session, who: Supervisor, token: str, hall: Hall) -> dict[str, Any]:
    row = hall_config.latest(session, hall.code)
    values = dict(row.settings) if row is not None else {}
    return {
        **_base(who, token, session),
        "hall": hall,
        "current": row,
        "allowed": hall_config.ALLOWED,
        "values": {k: _shown(values.get(k)) for k in hall_config.ALLOWED},
        "versions": hall_config.versions(session, hall.code),
        "problems": [],
    }


def _parse(form: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The form's fields as typed values: an empty field is a key central does not set."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, allowed in hall_config.ALLOWED.items():
        raw = (form.get(key) or "").strip()
        if raw == "":
            continue
        if allowed.kind is bool:
            if raw not in ("true", "false"):
                problems.append(f"{key}: expected true or false")
                continue
            out[key] = raw == "true"
        elif allowed.kind is int:
            try:
                out[key] = int(raw)
            except ValueError:
                problems.append(f"{key}: expected a whole number: {allowed.expected}, got {raw[:40]!r}")
        elif allowed.kind is float:
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                problems.append(f"{key}: expected a number: {allowed.expected}, got {raw[:40]!r}")
            else:
                out[key] = value
        else:
            out[key] = raw
    return out, problems


@router.get("/halls/{hall_code}/config")
def config_page(
    hall_code: str,
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    saved: int | None = None,
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    try:
        hall = hall_config.visible_hall(session, who, hall_code)
    except CentralError:
        return _hall_not_found(request, who, token, session, settings, now, hall_code)
    context = _config_context(session, who, token, hall)
    context["saved"] = saved
    return _render(request, "hall_config.html", context, settings=settings, now=now)


@router.post("/halls/{hall_code}/config")
async def save_config_form(hall_code: str, request: Request) -> Response:
    """Reads the form (its field names are the allowed keys), then stores it in the thread pool."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str) and len(v) <= 400}
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_save_config, hall_code, request, fields)


def _save_config(hall_code: str, request: Request, form: dict[str, str]) -> Response:
    settings = request.app.state.settings
    now = request.app.state.clock()
    with request.app.state.db.session(write=True) as session:
        found = _session_user(request, session, now)
        if found is None:
            return _to_login(request)
        who, token = found
        if not _csrf_ok(form.get("csrf", ""), security.csrf_of(token)):
            return Response(_CSRF_REFUSED, status_code=403, media_type="text/plain")
        try:
            hall = hall_config.visible_hall(session, who, hall_code)
        except CentralError:
            return _hall_not_found(request, who, token, session, settings, now, hall_code)
        values, problems = _parse(form)
        if not problems:
            try:
                row = hall_config.save(session, hall.code, values, now, by=who.username, via="dashboard")
            except CentralError as exc:
                session.rollback()
                problems = list(getattr(exc, "problems", [exc.message]))
            else:
                session.commit()
                return RedirectResponse(f"{PATH}/halls/{quote(hall.code)}/config?saved={row.version}", status_code=303)
        context = _config_context(session, who, token, hall)
        context.update(problems=problems, values={k: (form.get(k) or "").strip() for k in hall_config.ALLOWED})
        return _render(request, "hall_config.html", context, status=422, settings=settings, now=now)
