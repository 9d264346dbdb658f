"""The supervisors' fleet dashboard: server-rendered pages (Jinja2) under /dashboard/.

- Login with a username and password (the same accounts, throttle and audit as the API's
  POST /auth/token); the session is an opaque token in a cookie (HttpOnly, SameSite=Lax,
  Secure over HTTPS, path /dashboard), stored hashed at central with an expiry; logout deletes it.
- Every form that changes something carries a CSRF token: for a session, an HMAC of its token
  (security.csrf_of); for the login form, a random value also set as a cookie (double submit).
- Pages: the fleet (alerts, kiosks, the halls' queue figures), a kiosk (its state, devices,
  commands, and a form to send one), the audit. A supervisor sees the halls they look after; a
  kiosk of another hall is 404, like one that does not exist.
- The live part of each page refreshes itself: a few lines of JavaScript fetch it again
  (`?part=live`) every `dashboard_refresh_seconds` and swap it in, so a form being filled in is
  left alone; without JavaScript a <meta refresh> reloads the page.
- Responses carry a Content-Security-Policy with a per-response nonce (no other script runs),
  X-Frame-Options DENY and Cache-Control no-store.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from central import security
from central.deps import NowDep, ReadSessionDep, SessionDep, SettingsDep
from central.errors import CentralError
from central.repo import audit, fleet, users
from central.repo.users import Supervisor
from central.settings import Settings
from central.timezones import iso_utc

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "mpp_session"
LOGIN_COOKIE = "mpp_login_csrf"
PATH = "/dashboard"

router = APIRouter(prefix=PATH, include_in_schema=False)


@cache
def _templates():
    from starlette.templating import Jinja2Templates

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["duration"] = duration
    templates.env.filters["since"] = since
    templates.env.filters["utc"] = utc_time
    templates.env.filters["skew"] = skew
    return templates


# --- formatting ---------------------------------------------------------------------------------


def duration(seconds: float | None) -> str:
    """Seconds in plain words: 45 s, 2 min 30 s, 25 min, 3.5 h; a dash for none."""
    if seconds is None:
        return "-"
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s" if minutes < 10 and rest else f"{minutes} min"
    if whole < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def since(value: str | datetime | None, now: datetime) -> str:
    """'2 min 30 s ago' for a time (aware datetime or ISO text); a dash for none."""
    if value is None:
        return "-"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
        if value.tzinfo is None:
            return "-"
    delta = (now - value).total_seconds()
    return "just now" if -1 < delta < 1 else (f"{duration(delta)} ago" if delta > 0 else f"in {duration(-delta)}")


# --- sessions -----------------------------------------------------------------------------------


def _session_user(request: Request, session: Session, now: datetime) -> tuple[Supervisor, str] | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    who = users.resolve(session, token, now, kind="dashboard") if token else None
    return (who, token) if who is not None else None


def _csrf_ok(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    settings: Settings,
    now: datetime,
) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    context = {
        "nonce": nonce,
        "now": now,
        "now_iso": iso_utc(now),
        "refresh_seconds": settings.dashboard_refresh_seconds,
        "offline_minutes": settings.offline_after_minutes,
        "backlog_minutes": settings.backlog_alert_minutes,
        "commands": fleet.COMMAND_KINDS,
        "path": PATH,
        **context,
    }
    response = _templates().TemplateResponse(request, name, context, status_code=status)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _to_login(request: Request, *, part: bool = False) -> Response:
    if part:  # the refresh script reloads the page, which comes here
        return Response(status_code=401, headers={"Cache-Control": "no-store"})
    return RedirectResponse(f"{PATH}/login", status_code=303)


# --- login, logout ------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, settings: SettingsDep, now: NowDep, session: ReadSessionDep) -> Response:
    if _session_user(request, session, now) is not None:
        return RedirectResponse(f"{PATH}/", status_code=303)
    return _login_form(request, settings, now)


def _login_form(
    request: Request, settings: Settings, now: datetime, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    csrf = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = _render(
        request,
        "login.html",
        {"csrf": csrf, "error": error, "username": username, "demo": settings.demo},
        status=status,
        settings=settings,
        now=now,
    )
    response.set_cookie(
        LOGIN_COOKIE, csrf, max_age=3600, path=PATH, httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not _csrf_ok(csrf, request.cookies.get(LOGIN_COOKIE, "")):
        return _login_form(
            request, settings, now, error="The form expired. Please log in again.", username=username, status=403
        )
    if not username.strip() or not password:
        return _login_form(request, settings, now, error="Enter your username and password.", username=username)
    from central.routes.auth import attempt_login

    try:
        result = attempt_login(session, settings, now, username, password, kind="dashboard", via="dashboard")
    except CentralError as exc:
        if exc.code == "auth.locked":
            message = f"Too many failed logins. Try again in {duration(int(exc.headers['Retry-After']))}."
        elif "--demo" in exc.message:
            message = "Demo users can log in only while central runs with --demo."
        else:
            message = "Wrong username or password."
        return _login_form(request, settings, now, error=message, username=username, status=exc.status)
    response = RedirectResponse(f"{PATH}/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        max_age=int(settings.token_hours * 3600),
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path=PATH)
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    now: NowDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    if not _csrf_ok(csrf, security.csrf_of(token)):
        return Response("refused: the form's CSRF token is missing or wrong", status_code=403, media_type="text/plain")
    users.logout(session, token)
    audit.record(session, now, actor=who.username, action="logout", via="dashboard")
    session.commit()
    response = RedirectResponse(f"{PATH}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PATH)
    return response


# --- pages --------------------------------------------------------------------------------------


def _base(who: Supervisor, token: str, session: Session) -> dict[str, Any]:
    return {
        "who": who,
        "csrf": security.csrf_of(token),
        "hall_names": {h.code: h.name for h in users.visible_halls(session, who)},
    }


@router.get("/")
def fleet_page(
    request: Request, session: ReadSessionDep, settings: SettingsDep, now: NowDep, part: str = ""
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request, part=part == "live")
    who, token = found
    rows = fleet.kiosks(session, who, now, settings)
    context = {
        **_base(who, token, session),
        "rows": rows,
        "alerts": sorted(
            (a for r in rows for a in r.alerts), key=lambda a: (a.level != "error", a.hall_code, a.kiosk_id)
        ),
        "figures": [fleet.hall_figures(session, h, now, settings) for h in users.visible_halls(session, who)],
        "counts": {s: sum(1 for r in rows if r.status == s) for s in ("online", "offline", "never")},
    }
    name = "_fleet_live.html" if part == "live" else "fleet.html"
    return _render(request, name, context, settings=settings, now=now)


def _kiosk_context(session: Session, who: Supervisor, token: str, kiosk_id: str, now, settings) -> dict[str, Any]:
    row = fleet.kiosk_row(session, who, kiosk_id, now, settings)
    return {
        **_base(who, token, session),
        "row": row,
        "kiosk_commands": fleet.commands_of(session, row.id, limit=30),
        "services": fleet.catalog_services(session, row.hall_code),
        "events": audit.recent(session, who, limit=15, kiosk_id=row.id),
    }


@router.get("/kiosks/{kiosk_id}")
def kiosk_page(
    kiosk_id: str,
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    part: str = "",
    sent: str = "",
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request, part=part == "live")
    who, token = found
    try:
        context = _kiosk_context(session, who, token, kiosk_id, now, settings)
    except CentralError:
        return _not_found(request, who, token, session, settings, now, kiosk_id)
    name = "_kiosk_live.html" if part == "live" else "kiosk.html"
    context["sent"] = sent
    return _render(request, name, context, settings=settings, now=now)


def _not_found(request, who, token, session, settings, now, kiosk_id: str) -> Response:
    return _render(
        request,
        "error.html",
        {
            **_base(who, token, session),
            "title": "No such kiosk",
            "message": f"There is no kiosk {kiosk_id!r} you can see.",
        },
        status=404,
        settings=settings,
        now=now,
    )


@router.post("/kiosks/{kiosk_id}/commands")
def send_command(
    kiosk_id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    service: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    if not _csrf_ok(csrf, security.csrf_of(token)):
        return Response("refused: the form's CSRF token is missing or wrong", status_code=403, media_type="text/plain")
    args: dict[str, Any] = {}
    if kind in fleet.SERVICE_KINDS:
        args["service"] = service
    if reason.strip():
        args["reason"] = reason
    try:
        command = fleet.send_command(session, who, kiosk_id, kind, args, now, via="dashboard")
    except CentralError as exc:
        session.rollback()
        if exc.code == "not_found":
            return _not_found(request, who, token, session, settings, now, kiosk_id)
        context = _kiosk_context(session, who, token, kiosk_id, now, settings)
        context.update(error=exc.message, chosen=kind, chosen_service=service, reason=reason)
        return _render(request, "kiosk.html", context, status=exc.status, settings=settings, now=now)
    session.commit()
    return RedirectResponse(f"{PATH}/kiosks/{quote(kiosk_id)}?sent={command.id}", status_code=303)


@router.get("/audit")
def audit_page(request: Request, session: ReadSessionDep, settings: SettingsDep, now: NowDep) -> Response:
    found = _session_user(request, session, now)
    if found is None:
        return _to_login(request)
    who, token = found
    context = {**_base(who, token, session), "events": audit.recent(session, who, limit=200)}
    return _render(request, "audit.html", context, settings=settings, now=now)


def skew(seconds: float | None, digits: int = 0) -> str:
    """A clock skew with its sign, to `digits` decimals; "0 s" when it rounds to zero."""
    if seconds is None:
        return "-"
    shown = round(seconds, digits)
    return "0 s" if shown == 0 else f"{shown:+.{digits}f} s"


def utc_time(value: datetime | None) -> str:
    return "-" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# The hall pages (catalog and configuration) register on `router`: imported last, they use the above.
from central.dashboard import halls as _hall_pages  # noqa: E402,F401
