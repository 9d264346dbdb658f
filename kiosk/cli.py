"""The `kiosk` command: the touch UI, or headless commands for staff and scripts.

    kiosk [--config FILE] [--data-dir DIR] [--demo] [--central URL] [COMMAND ...]

With no COMMAND it opens the touch UI. Every command goes through the same
Kiosk object as the touch flow. Errors print one line and exit non-zero:
2 for a broken config or catalog, 1 for a refused request.
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from kiosk import config as config_mod
from kiosk.errors import CatalogError, ConfigError, KioskError, StoreError, UnknownService
from kiosk.tr import QT_TRANSLATE_NOOP

EXIT_REFUSED = 1
EXIT_CONFIG = 2


def parser() -> argparse.ArgumentParser:
    """The argument parser: global options, then a command."""
    from kiosk.priority import PRIORITY_KINDS

    ap = argparse.ArgumentParser(
        prog="kiosk",
        description="MPP Kiosk: self-service queue tickets for a Mal Pelayanan Publik hall. "
        "Without a command it opens the touch screen.",
    )
    ap.add_argument("--config", metavar="FILE", help="TOML settings file (default: built-in settings)")
    ap.add_argument("--data-dir", metavar="DIR", type=Path, help="where the local store and prints live")
    ap.add_argument("--demo", action="store_true", help="simulated devices, hall open around the clock")
    ap.add_argument(
        "--landscape",
        action="store_true",
        help="with --demo: a 1920x1080 landscape kiosk window (default: 1080x1920 portrait)",
    )
    ap.add_argument("--central", metavar="URL", help="the central service (overrides [central] url)")
    ap.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("catalog", help="list agencies and services, open or closed now; or search them")
    c.add_argument(
        "--search", metavar="TEXT", help="the services that answer TEXT (words a visitor would type), best first"
    )
    c.add_argument(
        "--language", choices=("id", "en"), help="names and messages in this language (default: the kiosk's)"
    )
    c.add_argument("--json", action="store_true")
    t = sub.add_parser("ticket", help="issue and print one queue ticket")
    t.add_argument("service_code", metavar="SERVICE_CODE")
    t.add_argument("--language", choices=("id", "en"), help="ticket language (default: the kiosk's)")
    t.add_argument(
        "--priority",
        choices=PRIORITY_KINDS,
        help="a priority ticket for an elderly visitor, a person with a disability, a pregnant woman or a "
        "parent with an infant: its own number series (A1-P001), called first",
    )
    t.add_argument("--json", action="store_true")
    st = sub.add_parser(
        "status", help="a supervisor's remote commands in force (locked, paused services) and the last commands"
    )
    st.add_argument("--json", action="store_true")
    q = sub.add_parser("queue", help="list today's local tickets, their print and sync state")
    q.add_argument("--json", action="store_true")
    s = sub.add_parser("store", help="the local database")
    s_sub = s.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    sc = s_sub.add_parser("check", help="full integrity check (read-only); exit 1 when damaged")
    sc.add_argument("--json", action="store_true")
    e = sub.add_parser("enroll", help="exchange an enrolment token for this kiosk's central credential")
    e.add_argument("token", metavar="TOKEN", help="the one-time token from 'central kiosk add'")
    y = sub.add_parser("sync", help="sync with central: one round (--once), or until stopped")
    y.add_argument("--once", action="store_true", help="one round: push, pull, heartbeat; exit 1 when it fails")
    y.add_argument("--json", action="store_true", help="print the round's report as one JSON object")
    pn = sub.add_parser("pin", help="the technician PIN: make the hash to put in the config")
    pn_sub = pn.add_subparsers(dest="pin_command", metavar="ACTION", required=True)
    ph = pn_sub.add_parser("hash", help="read a new PIN twice (not shown) and print its [technician] pin_hash line")
    ph.add_argument("--stdin", action="store_true", help="read the PIN from one line of standard input")
    r = sub.add_parser("reprint", help="print the last ticket issued today again, marked COPY / SALINAN (staff)")
    r.add_argument("--json", action="store_true")
    cr = sub.add_parser("credential", help="signed QR credentials (MPP1....): check one offline")
    cr_sub = cr.add_subparsers(dest="credential_command", metavar="ACTION", required=True)
    cv = cr_sub.add_parser(
        "verify", help="check a QR text with the keys this kiosk keeps, without using it up; exit 1 when not valid"
    )
    cv.add_argument("text", metavar="TEXT", help="the QR code's text")
    cv.add_argument(
        "--kind",
        action="append",
        choices=("account", "booking", "ticket", "badge"),
        help="accept only this kind (repeatable)",
    )
    cv.add_argument(
        "--json", action="store_true", help="one JSON object: valid, reason, kind, subject, expires_at, ..."
    )
    d = sub.add_parser(
        "diag",
        help="technician diagnostics: devices, central, sync backlog, disk, store, versions, log; "
        "exit 1 when a configured device is ERROR",
    )
    d.add_argument("--json", action="store_true", help="one JSON object with a devices list")
    d.add_argument("--print-test", action="store_true", help="print the test page (QR, barcode, code page, ruler)")
    d.add_argument("--snapshot", metavar="FILE", type=Path, help="save one camera frame to FILE")
    d.add_argument("--bundle", metavar="DIR", type=Path, help="write a diagnostics zip (no secrets) into DIR")
    d.add_argument("--log-lines", metavar="N", type=int, default=20, help="log lines to show (default 20)")
    au = sub.add_parser("audit", help="the tamper-evident audit log")
    au_sub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    av = au_sub.add_parser(
        "verify", help="check the audit chain and the facts it covers (read-only); exit 1 naming the first bad entry"
    )
    av.add_argument("--json", action="store_true", help="one JSON object: ok, events, first_bad, problems, last_hash")
    from kiosk.face.commands import add_parser as add_face_parser

    add_face_parser(sub)
    return ap


class _Version(argparse.Action):
    """--version, with the version looked up only when asked (importlib.metadata costs ~20 ms)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mpp-kiosk")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the `kiosk` command; returns the exit code (0, 1 refused, 2 config, 3 no screen)."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `kiosk catalog | head` ends quietly
    args = parser().parse_args(argv)
    try:
        settings = config_mod.load(args.config, demo=args.demo, data_dir=_data_dir(args))
    except ConfigError as exc:
        print(f"kiosk: config error: {exc.message}", file=sys.stderr)
        return EXIT_CONFIG
    if args.central is not None:
        rule = config_mod.RULES["central.url"]
        if not rule.accepts(args.central):
            print(
                f"kiosk: --central: expected {rule.expected}, got {config_mod.show_value(args.central)}",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        settings = replace(settings, central=replace(settings.central, url=args.central))
    if args.command is None:
        from ui.main import run

        return run(settings, landscape=args.landscape)
    if args.command == "store":
        return cmd_store_check(settings, args)
    if args.command == "audit":
        return cmd_audit_verify(settings, args)
    if args.command == "pin":
        from kiosk.pin import hash_command

        return hash_command(stdin=args.stdin)
    if args.command in ("enroll", "sync", "diag", "reprint"):
        _log_to_file(settings)
    if args.command == "diag":  # no Kiosk: diagnostics must run on a damaged store too
        return cmd_diag(settings, args)
    if args.command == "enroll":
        return cmd_enroll(settings, args)
    if args.command == "sync" and not settings.central.url:
        print(f"kiosk: {_not_configured()}", file=sys.stderr)
        return EXIT_REFUSED
    from kiosk.app import build
    from kiosk.i18n import translator

    tr = translator(getattr(args, "language", None) or settings.kiosk.language).context("Errors")
    try:
        kiosk = build(settings)
    except (ConfigError, CatalogError) as exc:
        print(f"kiosk: {exc.render(tr)}", file=sys.stderr)
        return EXIT_CONFIG
    except KioskError as exc:
        print(f"kiosk: {exc.render(tr)}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        return COMMANDS[args.command](kiosk, args)
    except UnknownService as exc:
        print(f"kiosk: {exc.render(tr)}. {_nearest(kiosk, exc, tr)}", file=sys.stderr)
        return EXIT_REFUSED
    except KioskError as exc:
        print(f"kiosk: {exc.render(tr)}", file=sys.stderr)
        return EXIT_REFUSED
    except sqlite3.Error as exc:  # a read outside Store's own error handling: still one line
        print(f"kiosk: {StoreError(reason=f'{kiosk.store.path}: {exc}').render(tr)}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        try:
            kiosk.close()
        except Exception:  # noqa: BLE001 - closing must not turn a printed answer into a traceback
            pass


def _data_dir(args) -> Path:
    if args.data_dir:
        return args.data_dir
    base = config_mod.default_data_dir()
    return base / "demo" if args.demo else base


T_NEAREST = QT_TRANSLATE_NOOP("Errors", "Did you mean {codes}? 'kiosk catalog' lists every service.")
T_NO_NEAREST = QT_TRANSLATE_NOOP("Errors", "'kiosk catalog' lists every service.")
T_OPEN = QT_TRANSLATE_NOOP("Cli", "open")
T_CLOSED = QT_TRANSLATE_NOOP("Cli", "closed, opens {when}")
T_FULL = QT_TRANSLATE_NOOP("Cli", "full today, opens {when}")
T_ONLINE_ONLY = QT_TRANSLATE_NOOP("Cli", "needs the central link")
T_PAUSED = QT_TRANSLATE_NOOP("Cli", "paused by a supervisor")
T_NO_MATCH = QT_TRANSLATE_NOOP(
    "Cli", "Nothing matched '{text}'. Try other words, or 'kiosk catalog' for every service."
)


def _nearest(kiosk, exc: UnknownService, tr) -> str:
    """For an unknown service code: the codes it may have meant and where to look them up."""
    typed = str(exc.params.get("service_code", ""))
    near = kiosk.catalog.nearest_codes(typed)
    if not near:
        from kiosk.search import Search

        near = [h.service.code for h in Search(kiosk.catalog).search(typed, limit=3)]
    return tr(T_NEAREST).format(codes=", ".join(near)) if near else tr(T_NO_NEAREST)


def _status(kiosk, service) -> dict:
    """Whether `service` takes tickets now, for `kiosk catalog`: status open / closed / full, when
    it opens (ISO, hall time) and whether it needs the central link (offline = false)."""
    a = kiosk.queue.availability(service)
    status = "closed" if not a.open else "paused" if a.paused else "full" if a.quota_left <= 0 else "open"
    return {
        "status": status,
        "open": status == "open",
        "opens_at": a.opens_at.isoformat(timespec="minutes") if a.opens_at else None,
        "quota_left": a.quota_left,
        "online_only": not service.offline,
    }


def _status_words(kiosk, state: dict, tr) -> str:
    from kiosk.clock import hall_time_label

    opens_at = state["opens_at"]
    when = hall_time_label(datetime.fromisoformat(opens_at).astimezone(kiosk.settings.tz)) if opens_at else "-"
    words = {"open": tr(T_OPEN), "closed": tr(T_CLOSED), "full": tr(T_FULL), "paused": tr(T_PAUSED)}
    words = words[state["status"]].format(when=when)
    return f"{words}; {tr(T_ONLINE_ONLY)}" if state["online_only"] else words


def cmd_catalog(kiosk, args) -> int:
    """kiosk catalog [--search TEXT] [--language id|en] [--json]: every service (or the ones that
    answer TEXT, best first) with whether it takes tickets now."""
    from kiosk.i18n import translator

    lang = args.language or kiosk.settings.kiosk.language
    tr = translator(lang).context("Cli")
    if args.search is not None:
        return _catalog_search(kiosk, args, lang, tr)
    data = kiosk.catalog.to_json(lang)
    for agency in data["agencies"]:
        for s in agency["services"]:
            s.update(_status(kiosk, kiosk.catalog.service(s["code"])))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for agency in data["agencies"]:
        print(f"{agency['code']}  {agency['name']}")
        for s in agency["services"]:
            print(f"    {s['code']:<16} {s['prefix']:<2} {s['name']}  [{_status_words(kiosk, s, tr)}]")
    return 0


def _catalog_search(kiosk, args, lang: str, tr) -> int:
    from kiosk.search import Search

    found = []
    for hit in Search(kiosk.catalog).search(args.search, lang, limit=10):
        s = hit.service
        agency = kiosk.catalog.agency(s.agency_code)
        found.append(
            {
                "code": s.code,
                "name": s.name(lang),
                "agency_code": s.agency_code,
                "agency": agency.short(lang),
                "score": round(hit.score, 3),
                "prefix": s.prefix,
                "counter": s.counter_name(lang),
                "location": s.location(lang) if s.location is not None else None,
                **_status(kiosk, s),
            }
        )
    if args.json:
        print(json.dumps({"query": args.search, "language": lang, "services": found}, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(tr(T_NO_MATCH).format(text=" ".join(args.search.split())[:60]))
        return 0
    for s in found:
        print(f"{s['code']:<16} {s['agency']:<18} {s['name']}  [{_status_words(kiosk, s, tr)}]")
    return 0


def cmd_ticket(kiosk, args) -> int:
    """kiosk ticket SERVICE_CODE [--json]: issue, print, report; raises KioskError when refused.

    Once the ticket is committed the visitor gets it: whatever happens at the printer or while
    recording the outcome, the ticket is reported and the exit code is 0.
    """
    ticket = kiosk.issue_ticket(args.service_code, language=args.language, priority=args.priority)
    outcome = kiosk.print_ticket(ticket)
    out = {
        "number": ticket.number,
        "service_code": ticket.service_code,
        "issued_at": ticket.issued_at,
        "people_ahead": ticket.people_ahead,
        "estimated_wait_minutes": ticket.estimated_wait_minutes,
        "printed": outcome.printed,
        "print_state": str(outcome.state),
        "id": ticket.id,
        "day": ticket.day,
        "language": ticket.language,
        "priority": ticket.priority,
        "qr_payload": ticket.qr_payload(kiosk.settings.hall.code),
    }
    if outcome.output:
        out["printer_output"] = outcome.output
    if outcome.error:
        out["print_error"] = outcome.error.message
        out["print_fault"] = outcome.fault
    out["print_recorded"] = outcome.record_error is None
    if outcome.record_error:
        out["print_record_error"] = outcome.record_error.message
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(
            f"{ticket.number}  {ticket.service_code}  ahead {ticket.people_ahead}  "
            f"~{ticket.estimated_wait_minutes} min  {_print_words(str(outcome.state))}"
            + (f"  PRIORITY {ticket.priority}" if ticket.priority else "")
        )
    if outcome.error:
        print(f"kiosk: ticket {ticket.number} issued, not printed: {outcome.error.message}", file=sys.stderr)
    if outcome.record_error:
        print(
            f"kiosk: ticket {ticket.number} issued; its print outcome is saved at the next start "
            f"({outcome.record_error.message})",
            file=sys.stderr,
        )
    return 0


def _print_words(state: str) -> str:
    return {"printed": "printed", "failed": "NOT printed", "unconfirmed": "printed?", "pending": "print pending"}.get(
        state, state
    )


def cmd_status(kiosk, args) -> int:
    """kiosk status [--json]: what a supervisor's remote commands hold in force (kiosk/commands.py):
    locked (out of service) since when, the paused services, and the last commands with their
    outcome and whether central took it."""
    lock = kiosk.store.lock_state()
    paused = kiosk.store.paused_services()
    recent = kiosk.store.query(
        "SELECT id, kind, args, state, detail, received_at, done_at, acked_at FROM commands "
        "ORDER BY cursor DESC, id LIMIT 10"
    )
    central = _central_config_status(kiosk)
    if args.json:
        out = {"locked": lock is not None, "lock": lock, "paused": paused, "commands": recent}
        out["central_config"] = central
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"locked: yes, since {lock['since']} (command {lock['command_id']})" if lock else "locked: no")
    print(f"central config: {central['words']}")
    print("paused: " + (", ".join(f"{code} (since {p['paused_at']})" for code, p in paused.items()) or "none"))
    for c in recent:
        acked = "central has it" if c["acked_at"] else "not acknowledged yet" if c["state"] != "pending" else ""
        print(f"  {c['received_at']}  {c['kind']:<18} {c['state']:<8} {c['detail'] or ''}  {acked}".rstrip())
    return 0


def _central_config_status(kiosk) -> dict:
    """The hall config from central (kiosk/central_config.py): the version merged at this start,
    the one stored (taken by sync since), the last one refused."""
    from kiosk.central_config import version_in_force

    settings = kiosk.settings
    merged, stored = settings.central_config_version, version_in_force(settings.data_dir)
    refused = kiosk.store.sync_state().get("config_refused")
    if stored is None:
        words = "none"
    elif stored == merged:
        words = f"version {stored} in force"
    else:
        words = f"version {stored} stored (in force from the next start; now {merged or 'none'})"
    if stored is not None and dict(_central_overrides(settings)).get("supervisor.pin_hash") is not None:
        words += "; supervisor PIN from central"
    if refused:
        words += f"; refused: {refused}"
    return {"version_in_force": merged, "version_stored": stored, "refused": refused, "words": words}


def _central_overrides(settings) -> tuple:
    from kiosk.central_config import read

    data = read(settings.data_dir)
    return tuple(data["settings"].items()) if data is not None else ()


def cmd_queue(kiosk, args) -> int:
    """kiosk queue [--json]"""
    rows = kiosk.queue.today()
    if args.json:
        keep = (
            "number",
            "service_code",
            "issued_at",
            "people_ahead",
            "estimated_wait_minutes",
            "status",
            "print_state",
            "sync_state",
            "id",
            "printed_at",
            "print_error",
            "priority",
        )
        print(
            json.dumps(
                {"day": kiosk.queue.now().date().isoformat(), "tickets": [{k: r[k] for k in keep} for r in rows]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        printed = _print_words(r["print_state"])
        when, state = r["issued_at"], r["status"]
        line = f"{r['number']:<9} {r['service_code']:<16} {when}  {state:<8} {printed:<13} {r['sync_state']}"
        print(f"{line}  PRIORITY {r['priority']}" if r["priority"] else line)
    if not rows:
        print("no tickets today")
    return 0


def cmd_store_check(settings, args) -> int:
    """kiosk store check [--json]: SQLite's full integrity check, read-only; exit 1 when damaged."""
    from kiosk.store import check_file

    path = settings.data_dir / "kiosk.sqlite3"
    try:
        problems = check_file(path)
    except StoreError as exc:
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    if args.json:
        print(json.dumps({"path": str(path), "ok": not problems, "problems": problems}, ensure_ascii=False))
    elif problems:
        print(f"{path}: DAMAGED ({len(problems)} problem(s) shown)")
        for p in problems:
            print(f"  {p}")
    else:
        print(f"{path}: ok")
    return EXIT_REFUSED if problems else 0


def cmd_audit_verify(settings, args) -> int:
    """kiosk audit verify [--json]: the audit chain and the facts it covers, read-only (no
    migration, no write); exit 0 when whole, 1 naming the first bad entry (kiosk/audit.py)."""
    from kiosk import audit

    try:
        report = audit.verify(settings.data_dir / "kiosk.sqlite3")
    except StoreError as exc:
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    elif report.ok:
        print(f"audit chain whole: {report.events} events, last hash {report.last_hash}")
    else:
        for problem in report.problems:
            print(problem.line())
    if not report.ok:
        print(
            f"kiosk: audit chain not whole ({len(report.problems)} problem(s)); first bad entry: "
            f"{report.first_bad.line()}",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    return 0


def _log_to_file(settings) -> None:
    """Sync's log lines go to DATA_DIR/logs/kiosk.log, not the terminal: a command answers in one line."""
    import logging

    from kiosk import logs

    if logs.setup(settings.data_dir, tz=settings.tz) is None:
        logging.getLogger().addHandler(logging.NullHandler())


def _not_configured() -> str:
    from sync.errors import SyncNotConfigured

    return SyncNotConfigured().message


def cmd_enroll(settings, args) -> int:
    """kiosk enroll TOKEN: exchange the token for a credential, saved in DATA_DIR/central.json."""
    from sync.client import CentralClient
    from sync.credentials import save_credential
    from sync.errors import SyncError

    url = settings.central.url
    if not url:
        print(f"kiosk: {_not_configured()}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        with CentralClient(url) as client:
            got = client.enroll(args.token)
        path = save_credential(
            settings.data_dir,
            credential=got.credential,
            hall_code=got.hall_code,
            short_code=got.short_code,
            central_url=url,
            now=_now(settings),
        )
    except SyncError as exc:
        print(f"kiosk: enrolment failed: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    except ValueError as exc:  # central's credential is not usable; nothing was written
        print(f"kiosk: enrolment failed: central's credential is not usable ({exc})", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"enrolled as {got.kiosk_id} (hall {got.hall_code}, short code {got.short_code}) at {url}; credential in {path}"
    )
    mine = (settings.kiosk.id, settings.hall.code, settings.kiosk.short_code)
    if mine != (got.kiosk_id, got.hall_code, got.short_code):
        print(
            f"kiosk: note: the config says kiosk {mine[0]} of hall {mine[1]}, short code {mine[2]}; set [kiosk] id = "
            f'"{got.kiosk_id}", short_code = "{got.short_code}" and [hall] code = "{got.hall_code}" before syncing',
            file=sys.stderr,
        )
    return 0


def _now(settings):
    from kiosk.clock import SystemClock

    return SystemClock(settings.tz).now()


def cmd_sync(kiosk, args) -> int:
    """kiosk sync --once [--json]: one round; or, without --once, rounds until SIGINT/SIGTERM."""
    if not args.once:
        return _sync_forever(kiosk, args)
    report = kiosk.sync_once()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    elif report.ok:
        print(_report_line(report))
    if not report.ok:
        print(f"kiosk: sync failed: {report.error}{_kept(report.backlog)}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _kept(backlog: int) -> str:
    return f"; {backlog} unsent record(s) kept for the next sync" if backlog > 0 else ""


def _report_line(report) -> str:
    parts = [f"pushed {report.pushed}", f"pulled {report.pulled}", f"backlog {report.backlog}"]
    if report.conflicts:
        parts.append(f"{report.conflicts} conflict(s) logged")
    if report.set_aside:
        parts.append(f"{report.set_aside} record(s) refused by central, set aside (see the log)")
    if report.catalog_changed:
        parts.append(f"catalog version {report.catalog_version} from central")
    if report.catalogs_refused:
        parts.append(f"{report.catalogs_refused} catalog(s) from central refused (see the log)")
    if report.commands_executed or report.commands_acked:
        parts.append(f"{report.commands_executed} command(s) executed, {report.commands_acked} acknowledged")
    if report.restart_requested:
        parts.append("restart requested (the touch app restarts; nothing to do here)")
    if report.clock_skew_seconds is not None:
        parts.append(f"clock skew {report.clock_skew_seconds:+.1f} s")
    return "synced: " + ", ".join(parts)


def _sync_forever(kiosk, args) -> int:
    """Run the sync worker in the foreground, one line per state change, until a signal."""
    import threading

    done = threading.Event()

    def show(status) -> None:
        if args.json:
            from dataclasses import asdict

            print(json.dumps(asdict(status), ensure_ascii=False), flush=True)
        else:
            extra = f": {status.last_error}" if status.last_error else ""
            print(f"sync {status.state}, backlog {status.backlog}{extra}", flush=True)

    from kiosk import logs

    why: list[str] = []

    def stop(signum, _frame) -> None:
        why.append(signal.Signals(signum).name)
        done.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    logs.started(kiosk.settings, "kiosk sync")
    kiosk.start_sync(on_state=show)
    while not done.wait(0.5):
        pass
    kiosk.close()
    logs.stopped("kiosk sync", why[0] if why else "normal exit")
    return 0


def cmd_reprint(kiosk, args) -> int:
    """kiosk reprint [--json]: the last ticket issued today, again, marked COPY / SALINAN;
    exit 1 when there is none or the printer failed."""
    t = kiosk.last_ticket()
    if t is None:
        print("kiosk: no ticket issued today: nothing to reprint", file=sys.stderr)
        return EXIT_REFUSED
    outcome = kiosk.reprint(t, by="technician (kiosk reprint)")
    out = {
        "number": t.number,
        "service_code": t.service_code,
        "id": t.id,
        "day": t.day,
        "issued_at": t.issued_at,
        "copy": True,
        "printed": outcome.printed,
        "print_state": str(outcome.state),
        "recorded": outcome.record_error is None,
    }
    if outcome.output:
        out["printer_output"] = outcome.output
    if outcome.error:
        out["print_error"] = outcome.error.message
        out["print_fault"] = outcome.fault
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{t.number}  {t.service_code}  copy  {_print_words(str(outcome.state))}")
    if outcome.error:
        print(f"kiosk: ticket {t.number} not reprinted: {outcome.error.message}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


def cmd_diag(settings, args) -> int:
    """kiosk diag [--json] [--print-test] [--snapshot FILE] [--bundle DIR]: every check headless;
    exit 1 when a configured device is ERROR (or the test page, snapshot or bundle failed)."""
    from devices.health import Status
    from kiosk import diag

    report = diag.run_checks(settings, log_lines=max(0, args.log_lines))
    extra: dict = {}
    failed = report.failed
    if args.print_test:
        check = diag.print_test_page(settings)
        extra["print_test"] = check.to_json()
        failed = failed or check.status == Status.ERROR
    if args.snapshot is not None:
        check = diag.snapshot(settings, args.snapshot)
        extra["snapshot"] = check.to_json()
        failed = failed or check.status != Status.OK
    if args.bundle is not None:
        try:
            extra["bundle"] = str(diag.export_bundle(settings, args.bundle, report=report))
        except OSError as exc:
            extra["bundle_error"] = f"{args.bundle}: {exc.strerror or exc}"
            failed = True
    if args.json:
        print(json.dumps({**report.to_json(), **extra, "failed": failed}, ensure_ascii=False, indent=2))
    else:
        print(report.table())
        for key in ("print_test", "snapshot"):
            if key in extra:
                print(f"{key.replace('_', '-')}: {extra[key]['status']}: {extra[key]['detail']}")
        if "bundle" in extra:
            print(f"bundle: {extra['bundle']}")
    if "bundle_error" in extra:
        print(f"kiosk: diagnostics bundle not written: {extra['bundle_error']}", file=sys.stderr)
    bad = [f"{d.name}: {d.reason}" for d in report.devices if d.status == Status.ERROR]
    if bad:
        print(f"kiosk: device error: {'; '.join(bad)}", file=sys.stderr)
    return EXIT_REFUSED if failed else 0


def cmd_credential(kiosk, args) -> int:
    """kiosk credential verify TEXT [--kind K] [--json]: offline, with the kiosk's keys (and the
    demo key under --demo), revocations and used nonces; uses nothing up; exit 1 when not valid."""
    from kiosk import credential

    verdict = credential.check(kiosk.store, args.text, kiosk.clock.now(), demo=kiosk.settings.demo, kinds=args.kind)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    elif verdict.valid:
        print(f"valid: {verdict.kind} {verdict.subject}, until {verdict.expires_at} (key {verdict.key_id})")
    if not verdict.valid:
        print(f"kiosk: credential refused ({verdict.reason_code}): {verdict.reason}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _face(kiosk, args) -> int:
    from kiosk.face.commands import cmd_face

    return cmd_face(kiosk, args)


COMMANDS = {
    "catalog": cmd_catalog,
    "ticket": cmd_ticket,
    "queue": cmd_queue,
    "status": cmd_status,
    "sync": cmd_sync,
    "reprint": cmd_reprint,
    "credential": cmd_credential,
    "face": _face,
}

if __name__ == "__main__":
    sys.exit(main())
