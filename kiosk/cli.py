"""The `kiosk` command: the touch UI, or headless commands for staff and scripts.

    kiosk [--config FILE] [--data-dir DIR] [--demo] [COMMAND ...]

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
from pathlib import Path

from kiosk import config as config_mod
from kiosk.errors import CatalogError, ConfigError, KioskError, StoreError

EXIT_REFUSED = 1
EXIT_CONFIG = 2


def parser() -> argparse.ArgumentParser:
    """The argument parser: global options, then a command."""
    ap = argparse.ArgumentParser(
        prog="kiosk",
        description="MPP Kiosk: self-service queue tickets for a Mal Pelayanan Publik hall. "
        "Without a command it opens the touch screen.",
    )
    ap.add_argument("--config", metavar="FILE", help="TOML settings file (default: built-in settings)")
    ap.add_argument("--data-dir", metavar="DIR", type=Path, help="where the local store and prints live")
    ap.add_argument("--demo", action="store_true", help="simulated devices, hall open around the clock")
    ap.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("catalog", help="list agencies and services")
    c.add_argument("--json", action="store_true")
    t = sub.add_parser("ticket", help="issue and print one queue ticket")
    t.add_argument("service_code", metavar="SERVICE_CODE")
    t.add_argument("--language", choices=("id", "en"), help="ticket language (default: the kiosk's)")
    t.add_argument("--json", action="store_true")
    q = sub.add_parser("queue", help="list today's local tickets, their print and sync state")
    q.add_argument("--json", action="store_true")
    s = sub.add_parser("store", help="the local database")
    s_sub = s.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    sc = s_sub.add_parser("check", help="full integrity check (read-only); exit 1 when damaged")
    sc.add_argument("--json", action="store_true")
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
    if args.command is None:
        from ui.main import run

        return run(settings)
    if args.command == "store":
        return cmd_store_check(settings, args)
    from kiosk.app import build
    from kiosk.i18n import translator

    tr = translator(settings.kiosk.language).context("Errors")
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


def cmd_catalog(kiosk, args) -> int:
    """kiosk catalog [--json]"""
    lang = kiosk.settings.kiosk.language
    data = kiosk.catalog.to_json(lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for agency in data["agencies"]:
        print(f"{agency['code']}  {agency['name']}")
        for s in agency["services"]:
            print(f"    {s['code']:<16} {s['prefix']:<2} {s['name']}")
    return 0


def cmd_ticket(kiosk, args) -> int:
    """kiosk ticket SERVICE_CODE [--json]: issue, print, report; raises KioskError when refused.

    Once the ticket is committed the visitor gets it: whatever happens at the printer or while
    recording the outcome, the ticket is reported and the exit code is 0.
    """
    ticket = kiosk.issue_ticket(args.service_code, language=args.language)
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
        print(f"{r['number']:<9} {r['service_code']:<16} {when}  {state:<8} {printed:<13} {r['sync_state']}")
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


COMMANDS = {"catalog": cmd_catalog, "ticket": cmd_ticket, "queue": cmd_queue}

if __name__ == "__main__":
    sys.exit(main())
