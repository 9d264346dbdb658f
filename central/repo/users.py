"""Supervisors and administrators: accounts, the halls they look after, logins (with a throttle
per username), bearer tokens and dashboard sessions.

Tokens are opaque (256 random bits), stored as their SHA-256 with an expiry, like the kiosks'
credentials: a logout or a removed user ends them at once, and there is no signing key to keep.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central import security
from central.errors import CentralError
from central.models import Hall, LoginFailure, User, UserHall, UserToken
from central.repo import halls

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,39}$"
ROLES = ("admin", "supervisor")
TOKEN_KINDS = ("api", "dashboard")
#: Outside --demo a password needs this many characters.
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Supervisor:
    """Who is calling, resolved: an administrator (every hall) or a supervisor of `halls`."""

    username: str
    role: str
    #: The halls a supervisor looks after (for an administrator: empty, and unused).
    halls: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see(self, hall_code: str) -> bool:
        return self.is_admin or hall_code in self.halls

    def hall_filter(self) -> frozenset[str] | None:
        """The halls to restrict a query to; None: every hall."""
        return None if self.is_admin else self.halls


#: The operator token (Settings.admin_token) acting on the fleet API: an administrator.
OPERATOR = Supervisor("operator", "admin", frozenset())


def normalize(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalize(username)
    if not re.fullmatch(USERNAME_PATTERN, name):
        raise CentralError(
            "request.invalid", f"username {username!r}: 2..40 characters a-z, 0-9, '.', '_' or '-' (first a-z or 0-9)"
        )
    return name


def add(
    session: Session,
    username: str,
    password: str,
    role: str,
    hall_codes: list[str],
    now: datetime,
    *,
    demo: bool = False,
) -> User:
    """A new user; request.invalid when a value is wrong, the name is taken or a hall unknown."""
    name = check_username(username)
    if role not in ROLES:
        raise CentralError("request.invalid", f"role {role!r}: one of {', '.join(ROLES)}")
    if role == "admin" and hall_codes:
        raise CentralError("request.invalid", "an admin sees every hall: --hall is for supervisors")
    if role == "supervisor" and not hall_codes:
        raise CentralError("request.invalid", "a supervisor needs one or more halls (--hall CODE)")
    if not demo and len(password) < MIN_PASSWORD:
        raise CentralError("request.invalid", f"the password needs {MIN_PASSWORD} or more characters")
    if len(password) > 1024:
        raise CentralError("request.invalid", "the password: at most 1024 characters")
    if session.get(User, name) is not None:
        raise CentralError("request.invalid", f"user {name} exists already")
    codes = sorted({halls.get(session, code).code for code in hall_codes})
    user = User(username=name, password_hash=security.hash_password(password), role=role, demo=demo, created_at=now)
    session.add(user)
    session.flush()
    session.add_all(UserHall(username=name, hall_code=code) for code in codes)
    session.flush()
    return user


def halls_of(session: Session, username: str) -> list[str]:
    return list(session.scalars(select(UserHall.hall_code).where(UserHall.username == username).order_by("hall_code")))


def all_users(session: Session) -> list[tuple[User, list[str]]]:
    return [(u, halls_of(session, u.username)) for u in session.scalars(select(User).order_by(User.username))]


def _supervisor(session: Session, user: User) -> Supervisor:
    return Supervisor(user.username, user.role, frozenset(halls_of(session, user.username)))


@dataclass(frozen=True)
class Login:
    """What a login attempt came to: `who` and `token` when it succeeded, else `refused`."""

    username: str
    who: Supervisor | None = None
    token: str | None = None
    expires_at: datetime | None = None
    #: failed (wrong name or password), locked (too many failures), demo (a demo user outside --demo)
    refused: str | None = None
    #: Seconds until a locked username may try again.
    retry_after: int = 0
    #: Whether this failure locked the username.
    now_locked: bool = False


def login(
    session: Session,
    username: str,
    password: str,
    now: datetime,
    *,
    kind: str,
    token_hours: float,
    max_failures: int,
    lock_minutes: float,
    demo_mode: bool,
) -> Login:
    """Check the password and issue a token of `kind`; the caller audits and commits either way.

    Throttle: `max_failures` failures in a row for one username (known or not) lock it for
    `lock_minutes`; while locked no password is even checked. A success clears the count.
    """
    assert kind in TOKEN_KINDS
    name = normalize(username)[:40]
    # The username's counter row exists before it is locked for update, so two first failures at
    # once (two workers) wait for each other instead of both inserting it.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginFailure)
        .values(username=name, failures=0, first_failed_at=now)
        .on_conflict_do_nothing(index_elements=["username"])
    )
    failure = session.scalars(select(LoginFailure).where(LoginFailure.username == name).with_for_update()).one()
    if failure.locked_until is not None:
        if failure.locked_until > now:
            wait = math.ceil((failure.locked_until - now).total_seconds())
            return Login(name, refused="locked", retry_after=wait)
        failure.failures, failure.locked_until, failure.first_failed_at = 0, None, now
    user = session.get(User, name) if re.fullmatch(USERNAME_PATTERN, name) else None
    ok = security.password_matches(password, user.password_hash if user is not None else None)
    if ok and user is not None and user.demo and not demo_mode:
        return Login(name, refused="demo")
    if not ok or user is None:
        failure.failures += 1
        locked = failure.failures >= max_failures
        if locked:
            failure.locked_until = now + timedelta(minutes=lock_minutes)
        session.flush()
        return Login(
            name,
            refused="failed",
            now_locked=locked,
            retry_after=math.ceil(lock_minutes * 60) if locked else 0,
        )
    session.delete(failure)
    session.execute(delete(UserToken).where(UserToken.username == name, UserToken.expires_at <= now))
    token = security.new_user_token()
    expires = now + timedelta(hours=token_hours)
    session.add(
        UserToken(token_hash=security.sha256_hex(token), username=name, kind=kind, created_at=now, expires_at=expires)
    )
    session.flush()
    return Login(name, who=_supervisor(session, user), token=token, expires_at=expires)


def resolve(session: Session, token: str, now: datetime, *, kind: str) -> Supervisor | None:
    """The user of a live token of `kind`; None when it is unknown, expired or another kind."""
    if not token or len(token) > 200:
        return None
    row = session.get(UserToken, security.sha256_hex(token))
    if row is None or row.kind != kind or row.expires_at <= now:
        return None
    user = session.get(User, row.username)
    return _supervisor(session, user) if user is not None else None


def logout(session: Session, token: str) -> bool:
    """End the token (or session); whether there was one."""
    done = session.execute(delete(UserToken).where(UserToken.token_hash == security.sha256_hex(token)))
    session.flush()
    return bool(done.rowcount)


def visible_halls(session: Session, who: Supervisor) -> list[Hall]:
    """The halls `who` sees, by code."""
    query = select(Hall).order_by(Hall.code)
    scope = who.hall_filter()
    if scope is not None:
        query = query.where(Hall.code.in_(scope))
    return list(session.scalars(query))
