"""Request dependencies as typed aliases: the session, the clock, who is calling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from central import security
from central.db import Database
from central.errors import CentralError
from central.models import Kiosk
from central.repo import kiosks, users
from central.repo.users import Supervisor
from central.settings import Settings


def _db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def get_session(request: Request) -> Iterator[Session]:
    """A writing session (BEGIN IMMEDIATE on SQLite); the route commits, else it rolls back."""
    with _db(request).session(write=True) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A reading session: on SQLite it does not queue behind writers."""
    with _db(request).session(write=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
NowDep = Annotated[datetime, Depends(get_now)]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a kiosk, or the operator (kiosk None)."""

    kiosk: Kiosk | None

    @property
    def is_operator(self) -> bool:
        return self.kiosk is None

    def may_read_hall(self, hall_code: str) -> bool:
        return self.kiosk is None or self.kiosk.hall_code == hall_code


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise CentralError("auth.missing", "no 'Authorization: Bearer <credential>' header")
    return credential


def _principal(request: Request, session: Session) -> Principal:
    credential = _bearer(request)
    if security.same_token(credential, get_settings(request).admin_token):
        return Principal(None)
    return Principal(kiosks.authenticate(session, credential))


def _kiosk(request: Request, session: Session) -> Kiosk:
    who = _principal(request, session)
    if who.kiosk is None:
        raise CentralError("auth.forbidden", "this route is for kiosks: use a kiosk credential, not the operator token")
    return who.kiosk


def _current_kiosk(request: Request, session: SessionDep) -> Kiosk:
    return _kiosk(request, session)


def _current_kiosk_reading(request: Request, session: ReadSessionDep) -> Kiosk:
    return _kiosk(request, session)


def _current_principal(request: Request, session: ReadSessionDep) -> Principal:
    return _principal(request, session)


def _current_operator(request: Request, session: ReadSessionDep) -> Principal:
    who = _principal(request, session)
    if not who.is_operator:
        raise CentralError("auth.forbidden", "this route is for the operator token")
    return who


#: The kiosk calling, in the request's writing session.
CurrentKiosk = Annotated[Kiosk, Depends(_current_kiosk)]
#: The kiosk calling, in the request's reading session.
CurrentKioskReading = Annotated[Kiosk, Depends(_current_kiosk_reading)]
#: A kiosk or the operator (reading routes).
CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]
#: Only the operator.
CurrentOperator = Annotated[Principal, Depends(_current_operator)]


def _current_supervisor(request: Request, session: ReadSessionDep) -> Supervisor:
    """A supervisor's or an administrator's bearer token (POST /auth/token); the operator token
    acts as an administrator."""
    credential = _bearer(request)
    if security.same_token(credential, get_settings(request).admin_token):
        return users.OPERATOR
    who = users.resolve(session, credential, get_now(request), kind="api")
    if who is None:
        raise CentralError("auth.token_invalid", "unknown or expired token: log in again (POST /api/v1/auth/token)")
    return who


#: A supervisor or an administrator (a user's bearer token, or the operator token).
CurrentSupervisor = Annotated[Supervisor, Depends(_current_supervisor)]
