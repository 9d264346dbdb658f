"""The `central` command: serve the central MPP service, or manage halls, kiosks, catalogs and
commands in its database.

    central [--db URL] [--host H] [--port P] [--workers N] [--demo]   serve (the default)
    central [--db URL] hall add CODE NAME [--timezone WIB]
    central [--db URL] kiosk add HALL KIOSK_ID [--short-code C]       prints a one-time token
    central [--db URL] kiosk revoke KIOSK_ID
    central [--db URL] kiosks HALL [--json]
    central [--db URL] catalog set HALL FILE
    central [--db URL] command add KIOSK KIND [--args JSON]
    central [--db URL] tickets HALL [--day YYYY-MM-DD] [--json]
    central [--db URL] key rotate HALL | key revoke KEY_ID | key list HALL [--json]
    central [--db URL] [--demo] credential issue --kind K --subject S [--valid-minutes M]
                                  [--not-before ISO] [--hall HALL]         prints the QR text
    central [--db URL] credential revoke HALL (--nonce=N | --subject S)
    central [--db URL] credential conflicts HALL [--json]
    central [--db URL] audit verify KIOSK_ID [--json]     a kiosk's audit chain; exit 1 when broken
    central [--db URL] user add USERNAME --role admin|supervisor [--hall CODE ...]
                                  the password from stdin (one line) or a prompt, never an argument
    central [--db URL] user list [--json]
    central [--db URL] supervisor-pin set HALL   the PIN from stdin (one line) or a prompt: a new
                                  hall config version whose supervisor.pin_hash its kiosks take

Every start brings the database to the newest schema. An error is one line on stderr and a
non-zero exit (1: the request failed, 2: a wrong command line), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from central.errors import CentralError
from central.settings import Settings, SettingsError, default_db_url

log = logging.getLogger("central")

EPILOG = """\
database: --db URL, else $CENTRAL_DB_URL, else a SQLite file in your data folder
(%(default)s; with --demo a separate central-demo.sqlite3).
URLs: sqlite:///PATH or postgresql://USER:PASSWORD@HOST:5432/DB (psycopg 3).
Operator token (reads every hall): $CENTRAL_ADMIN_TOKEN (16+ characters); --demo uses demo-admin.
"""


class Failed(Exception):
    """A one-line error for the user."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS, help="the database (sqlite:///PATH or postgresql://...)"
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="demo mode: hall DEMO, kiosks kiosk-1/kiosk-2 with demo credentials, admin token demo-admin; "
        "hall DEMO2 with kiosk-3; dashboard users admin, spv-demo, spv-demo2 (password demo)",
    )
    parser = argparse.ArgumentParser(
        prog="central",
        description="The reference central MPP service the kiosks sync with (docs/sync-api.md).",
        epilog=EPILOG % {"default": default_db_url()},
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (default 1); more than 1 is for PostgreSQL, settings reach them via CENTRAL_* variables",
    )
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    hall = sub.add_parser("hall", help="halls", parents=[common]).add_subparsers(dest="action", required=True)
    p = hall.add_parser("add", help="add a hall", parents=[common])
    p.add_argument("code", help="2..8 characters A-Z or 0-9, e.g. BDG")
    p.add_argument("name", help='the hall\'s name, e.g. "MPP Kota Bandung"')
    p.add_argument("--timezone", default="WIB", choices=["WIB", "WITA", "WIT"])

    kiosk = sub.add_parser("kiosk", help="kiosks", parents=[common]).add_subparsers(dest="action", required=True)
    p = kiosk.add_parser("add", help="add a kiosk (or re-enrol one): prints its one-time token", parents=[common])
    p.add_argument("hall")
    p.add_argument("kiosk_id")
    p.add_argument("--short-code", help="1-2 characters 0-9 or A-Z, unique in the hall (default: the next free)")
    p = kiosk.add_parser("revoke", help="revoke a kiosk's credential", parents=[common])
    p.add_argument("kiosk_id")

    p = sub.add_parser("kiosks", help="a hall's kiosks: heartbeat, backlog, clock skew", parents=[common])
    p.add_argument("hall")
    p.add_argument("--json", action="store_true")

    catalog = sub.add_parser("catalog", help="service catalogs", parents=[common]).add_subparsers(
        dest="action", required=True
    )
    p = catalog.add_parser("set", help="store FILE as the hall's next catalog version", parents=[common])
    p.add_argument("hall")
    p.add_argument("file", type=Path)

    command = sub.add_parser("command", help="kiosk commands", parents=[common]).add_subparsers(
        dest="action", required=True
    )
    p = command.add_parser("add", help="send a command to a kiosk (it gets it on its next pull)", parents=[common])
    p.add_argument("kiosk_id")
    p.add_argument("kind", help="e.g. refresh_catalog")
    p.add_argument("--args", default="{}", metavar="JSON", help="a JSON object, e.g. '{\"minutes\": 10}'")

    p = sub.add_parser("tickets", help="a hall's tickets in hall order", parents=[common])
    p.add_argument("hall")
    p.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: today in the hall's zone)")
    p.add_argument("--json", action="store_true")

    key = sub.add_parser("key", help="a hall's keys for signed QR credentials", parents=[common]).add_subparsers(
        dest="action", required=True
    )
    p = key.add_parser(
        "rotate", help="a new signing key for the hall (older keys stay trusted until revoked)", parents=[common]
    )
    p.add_argument("hall")
    p = key.add_parser(
        "revoke", help="revoke a key: kiosks refuse what it signed after their next pull", parents=[common]
    )
    p.add_argument("key_id")
    p = key.add_parser("list", help="the hall's keys", parents=[common])
    p.add_argument("hall")
    p.add_argument("--json", action="store_true")

    cred = sub.add_parser("credential", help="signed QR credentials", parents=[common]).add_subparsers(
        dest="action", required=True
    )
    p = cred.add_parser("issue", help="sign a credential with the hall's key; prints its QR text", parents=[common])
    p.add_argument("--kind", required=True, choices=["account", "booking", "ticket", "badge"])
    p.add_argument("--subject", required=True, help="whose it is: an account id, a booking code, ... (1..48 bytes)")
    p.add_argument("--valid-minutes", type=int, default=60, metavar="M", help="valid for M minutes (default 60)")
    p.add_argument("--not-before", metavar="ISO", help="valid from this time, with its offset (default: now)")
    p.add_argument("--hall", help="the hall whose key signs (default with --demo: DEMO)")
    p = cred.add_parser(
        "revoke", help="revoke one credential (--nonce) or a subject's credentials so far", parents=[common]
    )
    p.add_argument("hall")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--nonce",
        help="the credential's nonce (kiosk credential verify --json shows it); write --nonce=N, as a nonce may "
        "start with '-'",
    )
    who.add_argument("--subject", help="every credential of this subject issued until now")
    p = cred.add_parser(
        "conflicts", help="credentials used more than once in the hall (offline kiosks)", parents=[common]
    )
    p.add_argument("hall")
    p.add_argument("--json", action="store_true")

    user = sub.add_parser("user", help="supervisors and administrators (the dashboard)", parents=[common])
    user = user.add_subparsers(dest="action", required=True)
    p = user.add_parser(
        "add",
        help="add a user; the password is read from stdin (one line) or prompted for",
        parents=[common],
    )
    p.add_argument("username", help="2..40 characters a-z 0-9 . _ -")
    p.add_argument("--role", required=True, choices=["admin", "supervisor"], help="admin: every hall")
    p.add_argument(
        "--hall", action="append", default=[], metavar="CODE", help="a hall the supervisor looks after (repeatable)"
    )
    p = user.add_parser("list", help="the users and their halls", parents=[common])
    p.add_argument("--json", action="store_true")
    spin = sub.add_parser("supervisor-pin", help="the hall's supervisor PIN at its kiosks", parents=[common])
    spin = spin.add_subparsers(dest="action", required=True)
    p = spin.add_parser(
        "set",
        help="store the PIN's argon2id hash in a new hall config version (kiosks take it with their next pull); "
        "the PIN is read from stdin (one line) or prompted for",
        parents=[common],
    )
    p.add_argument("hall")
    audit = sub.add_parser("audit", help="kiosks' audit chains", parents=[common]).add_subparsers(
        dest="action", required=True
    )
    p = audit.add_parser(
        "verify", help="check the audit chain a kiosk pushed; exit 1 naming the first bad entry", parents=[common]
    )
    p.add_argument("kiosk_id")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(db_url=getattr(args, "db", None), demo=getattr(args, "demo", False) or None)
        if args.command is None:
            return _serve(args, settings)
        if args.command == "audit":
            return _audit_verify(args, settings)
        if (args.command, getattr(args, "action", None)) == ("user", "add"):
            args.password = _read_password()
        if (args.command, getattr(args, "action", None)) == ("supervisor-pin", "set"):
            args.pin = _read_pin()
        return _manage(args, settings)
    except (Failed, CentralError, SettingsError) as exc:
        print(f"central: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _database(settings: Settings):
    """The database, migrated to the newest schema; Failed with one line if it cannot be."""
    from sqlalchemy.exc import SQLAlchemyError

    from central.db import Database, redacted
    from central.migrations import upgrade

    try:
        db = Database(settings)
        upgrade(db.engine)
        return db
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise Failed(f"cannot open the database {redacted(settings.db_url)}: {reason}") from None
    except OSError as exc:
        raise Failed(f"cannot open the database {redacted(settings.db_url)}: {exc.strerror or exc}") from None


def _now() -> datetime:
    return datetime.now(UTC)


def _manage(args: argparse.Namespace, settings: Settings) -> int:
    """One management command in one transaction; its output is printed after the commit."""
    from sqlalchemy.exc import IntegrityError, SQLAlchemyError

    handler = COMMANDS[(args.command, getattr(args, "action", None))]
    db = _database(settings)
    try:
        with db.transaction() as session:
            out, note = handler(args, settings, session, _now())
    except IntegrityError as exc:
        raise Failed(f"refused by the database (another change came first?): {_first_line(exc)}") from None
    except SQLAlchemyError as exc:
        raise Failed(f"database error: {_first_line(exc)}") from None
    finally:
        db.dispose()
    if note:
        print(note, file=sys.stderr)
    if out:
        print(out)
    return 0


def _audit_verify(args, settings: Settings) -> int:
    """central audit verify KIOSK_ID [--json]: the chain the kiosk pushed, checked again
    (central/repo/audit_chain.py); exit 0 when whole, 1 naming the first bad entry."""
    from sqlalchemy.exc import SQLAlchemyError

    from central.models import Kiosk
    from central.repo import audit_chain

    db = _database(settings)
    try:
        with db.transaction() as session:
            if session.get(Kiosk, args.kiosk_id) is None:
                raise Failed(f"no kiosk {args.kiosk_id}")
            report = audit_chain.verify(session, args.kiosk_id)
    except SQLAlchemyError as exc:
        raise Failed(f"database error: {_first_line(exc)}") from None
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    elif report.ok:
        pending = f"; {report.facts_pending} fact(s) not received yet" if report.facts_pending else ""
        print(f"{args.kiosk_id}: audit chain whole: {report.events} events, last hash {report.last_hash}{pending}")
    else:
        for problem in report.problems:
            print(f"{args.kiosk_id}: {problem.line()}")
    if not report.ok:
        print(
            f"central: audit chain of {args.kiosk_id} not whole ({len(report.problems)} problem(s)); "
            f"first bad entry: {report.first_bad.line()}",
            file=sys.stderr,
        )
        return 1
    return 0


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


Output = tuple[str, str | None]  # (stdout, a note for stderr)


def _hall_add(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import halls

    hall = halls.add(session, args.code, args.name, args.timezone, now)
    return f"central: hall {hall.code} ({hall.name}, {hall.timezone}) added", None


def _kiosk_add(args, settings: Settings, session, now: datetime) -> Output:
    """The token alone on stdout (for scripts); what it is for on stderr."""
    from central.repo import kiosks

    enrolment = kiosks.add_enrolment(
        session,
        args.hall,
        args.kiosk_id,
        now,
        ttl=timedelta(hours=settings.enrol_token_hours),
        short_code=args.short_code,
    )
    k = enrolment.kiosk
    what = "added" if enrolment.created else "to be enrolled again"
    note = (
        f"central: kiosk {k.id} (hall {k.hall_code}, short code {k.short_code}) {what}; its one-time "
        f"enrolment token, valid until {enrolment.expires_at:%Y-%m-%d %H:%M} UTC:"
    )
    return enrolment.token, note


def _kiosk_revoke(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import kiosks

    k = kiosks.revoke(session, args.kiosk_id, now)
    return f"central: kiosk {k.id} revoked; it cannot sync until it is enrolled again (central kiosk add)", None


def _catalog_set(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import changes, halls

    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise Failed(f"{args.file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise Failed(f"{args.file}: not UTF-8 text") from None
    halls.get(session, args.hall)
    catalog = changes.set_catalog(session, args.hall, text, now, created_by="cli")
    return (
        f"central: hall {catalog.hall_code} catalog version {catalog.version} stored; "
        "its kiosks get it on their next pull",
        None,
    )


def _command_add(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import changes

    try:
        cmd_args = json.loads(args.args)
    except ValueError:
        raise Failed(f"--args: not JSON: {args.args!r}") from None
    command = changes.add_command(session, args.kiosk_id, args.kind, cmd_args, now)
    from central.models import Kiosk
    from central.repo import audit

    audit.record(
        session,
        now,
        actor="cli",
        action="command.sent",
        via="cli",
        hall_code=session.get(Kiosk, command.kiosk_id).hall_code,
        kiosk_id=command.kiosk_id,
        detail={"command_id": command.id, "kind": command.kind, "args": command.args},
    )
    return command.id, None


def _tickets(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import halls, tickets
    from central.timezones import hall_today, iso_utc

    hall = halls.get(session, args.hall)
    day = args.day or hall_today(hall.timezone, now)
    rows = tickets.hall_order(session, hall.code, day)
    if args.json:
        listed = [
            {
                "number": t.number,
                "service_code": t.service_code,
                "kiosk_id": t.kiosk_id,
                "ticket_id": str(t.id),
                "seq": t.seq,
                "day": t.day.isoformat(),
                "issued_at": t.issued_at,
                "received_at": iso_utc(t.received_at),
                "print_state": t.print_state,
                "print_error": t.print_error,
                "priority": t.priority,
            }
            for t in rows
        ]
        return json.dumps({"hall_code": hall.code, "day": day.isoformat(), "tickets": listed}, ensure_ascii=False), None
    lines = [f"{hall.code} {day.isoformat()}: {len(rows)} ticket(s), in hall order"]
    lines += [
        f"{t.number:<10} {t.service_code:<16} {t.kiosk_id:<16} {t.issued_at:<26} {t.print_state}"
        + (f"  PRIORITY {t.priority}" if t.priority else "")
        for t in rows
    ]
    return "\n".join(lines), None


def _kiosks(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import halls, kiosks
    from central.timezones import iso_utc

    hall = halls.get(session, args.hall)
    bound = settings.clock_skew_bound_seconds
    rows = [
        {
            "kiosk_id": k.id,
            "short_code": k.short_code,
            "enrolled": k.secret_hash is not None,
            "revoked": k.revoked_at is not None,
            "last_heartbeat_at": iso_utc(k.heartbeat_at),
            "clock_skew_seconds": k.clock_skew_seconds,
            "clock_skew_flagged": k.clock_skew_seconds is not None and abs(k.clock_skew_seconds) > bound,
            "backlog": k.backlog,
            "last_push_at": iso_utc(k.last_push_at),
            "highest_seq": k.max_seq,
            "gaps": gaps,
            "devices": k.devices or [],
        }
        for k, gaps in kiosks.of_hall(session, hall.code)
    ]
    if args.json:
        return json.dumps({"hall_code": hall.code, "kiosks": rows}), None
    lines = [f"{hall.code}: {len(rows)} kiosk(s)"]
    for r in rows:
        state = "revoked" if r["revoked"] else ("enrolled" if r["enrolled"] else "not enrolled")
        skew = "-" if r["clock_skew_seconds"] is None else f"{r['clock_skew_seconds']:+.0f}s"
        flag = " CLOCK OFF" if r["clock_skew_flagged"] else ""
        gaps = ", ".join(f"{a}-{b}" for a, b in r["gaps"]) or "none"
        backlog = "-" if r["backlog"] is None else r["backlog"]
        lines.append(
            f"{r['kiosk_id']:<16} {r['short_code']:<2} {state:<12} heartbeat {r['last_heartbeat_at'] or '-'} "
            f"skew {skew}{flag} backlog {backlog} gaps {gaps}{_device_words(r['devices'])}"
        )
    return "\n".join(lines), None


def _device_words(devices: list) -> str:
    """The devices of a kiosk's last heartbeat that are not OK: " PRINTER WARNING (paper near end)"."""
    words = []
    for d in devices:
        if isinstance(d, dict) and d.get("status") in ("WARNING", "ERROR"):
            reason = f" ({d['reason']})" if d.get("reason") else ""
            words.append(f"{str(d.get('kind', 'device')).upper()} {d['status']}{reason}")
    return (" " + "; ".join(words)) if words else ""


def _key_rotate(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import credentials, halls

    halls.get(session, args.hall)
    k = credentials.add_key(session, args.hall, now)
    return (
        f"central: hall {k.hall_code} signs credentials with key {k.key_id} from now on; older keys stay "
        "trusted until 'central key revoke KEY_ID'. Kiosks get it on their next pull",
        None,
    )


def _key_revoke(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import credentials

    k = credentials.revoke_key(session, args.key_id, now)
    return (
        f"central: key {k.key_id} of hall {k.hall_code} revoked; kiosks refuse what it signed after their next pull",
        None,
    )


def _key_list(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import credentials, halls
    from central.timezones import iso_utc

    hall = halls.get(session, args.hall)
    rows = [
        {
            "key_id": k.key_id,
            "public_key": k.public_key,
            "created_at": iso_utc(k.created_at),
            "valid_until": iso_utc(k.valid_until),
            "revoked_at": iso_utc(k.revoked_at),
        }
        for k in credentials.keys_of(session, hall.code)
    ]
    if args.json:
        return json.dumps({"hall_code": hall.code, "keys": rows}), None
    lines = [f"{hall.code}: {len(rows)} key(s)"]
    lines += [
        f"{r['key_id']:<16} {r['created_at']}  {'REVOKED ' + r['revoked_at'] if r['revoked_at'] else 'trusted'}"
        for r in rows
    ]
    return "\n".join(lines), None


def _credential_issue(args, settings: Settings, session, now: datetime) -> Output:
    """The QR text alone on stdout (for scripts); what it is on stderr."""
    from central.repo import credentials

    hall = args.hall
    if settings.demo:
        from central import demo

        demo.seed(session, now)
        hall = hall or demo.HALL_CODE
    if not hall:
        raise Failed("credential issue: --hall HALL (or --demo for the demo hall)")
    not_before = None
    if args.not_before:
        try:
            not_before = datetime.fromisoformat(args.not_before)
        except ValueError:
            raise Failed(
                f"--not-before {args.not_before!r}: an ISO-8601 time, e.g. 2026-11-24T09:00:00+07:00"
            ) from None
        if not_before.utcoffset() is None:
            raise Failed(f"--not-before {args.not_before!r}: give its offset, e.g. +07:00 or Z")
    issued = credentials.issue(
        session, hall, args.kind, args.subject, now, valid_minutes=args.valid_minutes, not_before=not_before
    )
    note = (
        f"central: {args.kind} credential of {args.subject} (hall {hall}, key {issued.key_id}, nonce {issued.nonce}), "
        f"valid {issued.not_before:%Y-%m-%d %H:%M} to {issued.expires_at:%Y-%m-%d %H:%M} UTC:"
    )
    return issued.text, note


def _credential_revoke(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import credentials, halls

    halls.get(session, args.hall)
    credentials.revoke(session, args.hall, now, nonce=args.nonce, subject=args.subject)
    what = f"credential {args.nonce}" if args.nonce else f"the credentials of {args.subject} issued until now"
    return f"central: {what} revoked in hall {args.hall}; kiosks refuse it after their next pull", None


def _credential_conflicts(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import credentials, halls

    hall = halls.get(session, args.hall)
    found = credentials.conflicts(session, hall.code)
    if args.json:
        return json.dumps({"hall_code": hall.code, "conflicts": [c.to_json() for c in found]}, ensure_ascii=False), None
    lines = [f"{hall.code}: {len(found)} credential(s) used more than once"]
    for c in found:
        where = ", ".join(f"{u['kiosk_id']} (ticket {u['ticket_id'] or '-'}, {u['used_at']})" for u in c.uses)
        lines.append(f"{c.nonce}  {c.kind} {c.subject}  used at {where}")
    return "\n".join(lines), None


def _read_password() -> str:
    """The new user's password: prompted for twice on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise Failed("the two passwords differ")
        return first
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password.removesuffix("\r")
    if not password:
        raise Failed("user add: give the password on stdin (one line), e.g. from a password manager")
    return password


def _user_add(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import audit, users

    user = users.add(session, args.username, args.password, args.role, args.hall, now)
    halls = users.halls_of(session, user.username)
    audit.record(
        session,
        now,
        actor="cli",
        action="user.added",
        via="cli",
        hall_code=halls[0] if len(halls) == 1 else None,
        detail={"username": user.username, "role": user.role, "halls": halls},
    )
    sees = "every hall" if user.role == "admin" else "hall(s) " + ", ".join(halls)
    return f"central: {user.role} {user.username} added; sees {sees}", None


def _user_list(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import users

    rows = [
        {"username": u.username, "role": u.role, "halls": halls, "demo": u.demo}
        for u, halls in users.all_users(session)
    ]
    if args.json:
        return json.dumps({"users": rows}), None
    lines = [f"{len(rows)} user(s)"]
    for r in rows:
        sees = "every hall" if r["role"] == "admin" else ", ".join(r["halls"])
        lines.append(f"{r['username']:<24} {r['role']:<10} {sees}{'  (demo)' if r['demo'] else ''}")
    return "\n".join(lines), None


def _read_pin() -> str:
    """The supervisor PIN: prompted for twice on a terminal (not shown), else the first line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("supervisor PIN (digits): ")
        if getpass.getpass("again: ") != first:
            raise Failed("the two PINs differ; nothing changed")
        return first
    pin = sys.stdin.readline().strip()
    if not pin:
        raise Failed("supervisor-pin set: give the PIN on stdin (one line)")
    return pin


def _supervisor_pin_set(args, settings: Settings, session, now: datetime) -> Output:
    from central.repo import hall_config

    row = hall_config.set_supervisor_pin(session, args.hall, args.pin, now, by="cli", via="cli")
    return (
        f"central: hall {row.hall_code} config version {row.version} stored with the new supervisor PIN; "
        "its kiosks take it with their next pull",
        None,
    )


COMMANDS = {
    ("supervisor-pin", "set"): _supervisor_pin_set,
    ("hall", "add"): _hall_add,
    ("kiosk", "add"): _kiosk_add,
    ("kiosk", "revoke"): _kiosk_revoke,
    ("catalog", "set"): _catalog_set,
    ("command", "add"): _command_add,
    ("tickets", None): _tickets,
    ("kiosks", None): _kiosks,
    ("key", "rotate"): _key_rotate,
    ("key", "revoke"): _key_revoke,
    ("key", "list"): _key_list,
    ("credential", "issue"): _credential_issue,
    ("credential", "revoke"): _credential_revoke,
    ("credential", "conflicts"): _credential_conflicts,
    ("user", "add"): _user_add,
    ("user", "list"): _user_list,
}


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so a taken port is one line, not a uvicorn log."""
    if not 0 <= port <= 65535:
        raise Failed(f"--port {port}: 0..65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        raise Failed(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from central.db import redacted

    if args.workers < 1:
        raise Failed("--workers: 1 or more")
    db = _database(settings)
    try:
        if settings.demo:
            from central import demo

            with db.transaction() as session:
                created = demo.seed(session, _now())
                more = demo.seed_supervisors(session, _now())
            print(
                f"central: demo hall {demo.HALL_CODE} ({'created ' + ', '.join(created) if created else 'as it was'}); "
                "kiosks kiosk-1, kiosk-2 (credential kiosk-N:demo-secret-kiosk-N), admin token demo-admin",
                flush=True,
            )
            print(
                f"central: demo hall {demo.HALL2_CODE} ({'created ' + ', '.join(more) if more else 'as it was'}); "
                f"kiosk kiosk-3; dashboard users admin, spv-demo ({demo.HALL_CODE}), spv-demo2 ({demo.HALL2_CODE}), "
                f"password {demo.USER_PASSWORD!r} (demo only)",
                flush=True,
            )
    finally:
        db.dispose()
    sock = _bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    admin = "" if settings.admin_token else "; no operator token (set CENTRAL_ADMIN_TOKEN to read every hall)"
    workers = f" with {args.workers} workers" if args.workers > 1 else ""
    print(
        f"central: serving on http://{shown}:{port}{workers} (database {redacted(settings.db_url)}){admin}; "
        f"supervisors' dashboard http://{shown}:{port}/dashboard/",
        flush=True,
    )
    if args.workers == 1:
        from central.app import create_app

        config = uvicorn.Config(create_app(settings), log_level=args.log_level)
        uvicorn.Server(config).run(sockets=[sock])
        return 0
    from uvicorn.supervisors import Multiprocess

    os.environ.update(settings.env())  # the workers build their app from these (central.app:factory)
    config = uvicorn.Config("central.app:factory", factory=True, workers=args.workers, log_level=args.log_level)
    Multiprocess(config, sockets=[sock]).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
