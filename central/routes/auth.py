"""Supervisors' login: OAuth2's password flow (POST /auth/token, form fields `username` and
`password`) gives an opaque bearer token for the fleet routes; POST /auth/logout ends it.

Every attempt is audited. `login_max_failures` wrong passwords in a row for one username lock
it for `login_lock_minutes` (429 with Retry-After), whatever the password then.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from central.deps import CurrentSupervisor, NowDep, ReadSessionDep, SessionDep, SettingsDep, _bearer
from central.errors import CentralError
from central.repo import audit, users
from central.schemas import MeOut, TokenOut

router = APIRouter(prefix="/auth", tags=["auth"])


def attempt_login(session, settings, now, username: str, password: str, *, kind: str, via: str) -> users.Login:
    """Log in and audit it (committed either way); CentralError when refused."""
    result = users.login(
        session,
        username,
        password,
        now,
        kind=kind,
        token_hours=settings.token_hours,
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        demo_mode=settings.demo,
    )
    if result.who is not None:
        halls = sorted(result.who.halls)
        audit.record(
            session,
            now,
            actor=result.username,
            action="login.ok",
            via=via,
            hall_code=halls[0] if len(halls) == 1 else None,
            detail={"role": result.who.role, "halls": halls},
        )
        session.commit()
        return result
    action = "login.locked" if result.refused == "locked" else "login.failed"
    audit.record(session, now, actor=result.username or "-", action=action, via=via, detail={"reason": result.refused})
    session.commit()
    if result.refused == "locked":
        raise CentralError(
            "auth.locked",
            f"too many failed logins for {result.username}: try again in {result.retry_after} s",
            headers={"Retry-After": str(result.retry_after)},
        )
    if result.refused == "demo":
        raise CentralError("auth.failed", "demo users can log in only while central runs with --demo")
    locked = f"; {result.username} is now locked for {result.retry_after} s" if result.now_locked else ""
    raise CentralError("auth.failed", f"wrong username or password{locked}")


@router.post("/token", response_model=TokenOut)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> TokenOut:
    """A bearer token for the fleet routes (OAuth2 password flow). Wrong name or password: 401."""
    result = attempt_login(session, settings, now, form.username, form.password, kind="api", via="api")
    assert result.token is not None and result.expires_at is not None
    return TokenOut(access_token=result.token, expires_in=int((result.expires_at - now).total_seconds()))


@router.post("/logout", status_code=204)
def logout(request: Request, who: CurrentSupervisor, session: SessionDep, now: NowDep) -> None:
    """End this bearer token."""
    if who is users.OPERATOR:
        raise CentralError("request.invalid", "the operator token is not a session: it cannot log out")
    users.logout(session, _bearer(request))
    audit.record(session, now, actor=who.username, action="logout", via="api")
    session.commit()


@router.get("/me", response_model=MeOut)
def me(who: CurrentSupervisor, session: ReadSessionDep) -> MeOut:
    """Who the token is and which halls it sees."""
    seen = [h.code for h in users.visible_halls(session, who)]
    return MeOut(username=who.username, role=who.role, halls=seen)
