"""Reading a hall: its tickets in hall order, its kiosks. A kiosk reads its own hall; the
operator token reads every hall."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from central.deps import CurrentOperator, CurrentPrincipal, NowDep, ReadSessionDep, SettingsDep
from central.errors import CentralError
from central.models import Hall
from central.repo import hallqueue, halls, kiosks, tickets
from central.schemas import (
    HallKiosksOut,
    HallQueueOut,
    HallTicketsOut,
    KioskOut,
    QueueKioskOut,
    QueueLetterOut,
    TicketOut,
)
from central.timezones import hall_today, iso_utc

router = APIRouter(prefix="/halls", tags=["halls"])


def _readable(session, who, code: str) -> Hall:
    hall = halls.get(session, code)
    if not who.may_read_hall(hall.code):
        raise CentralError("auth.forbidden", f"kiosk {who.kiosk.id} may read its own hall only, not {hall.code}")
    return hall


@router.get("")
def list_halls(_: CurrentOperator, session: ReadSessionDep) -> dict:
    """Every hall (operator only)."""
    return {"halls": [{"code": h.code, "name": h.name, "timezone": h.timezone} for h in halls.all_halls(session)]}


@router.get("/{hall_code}/tickets", response_model=HallTicketsOut)
def hall_tickets(
    hall_code: str,
    who: CurrentPrincipal,
    session: ReadSessionDep,
    now: NowDep,
    day: Annotated[date | None, Query(description="YYYY-MM-DD; default: today in the hall's zone")] = None,
) -> HallTicketsOut:
    """The day's tickets in hall order (see repo.tickets.hall_order)."""
    hall = _readable(session, who, hall_code)
    day = day or hall_today(hall.timezone, now)
    return HallTicketsOut(
        hall_code=hall.code,
        day=day.isoformat(),
        tickets=[
            TicketOut(
                number=t.number,
                service_code=t.service_code,
                kiosk_id=t.kiosk_id,
                ticket_id=str(t.id),
                seq=t.seq,
                day=t.day.isoformat(),
                issued_at=t.issued_at,
                received_at=iso_utc(t.received_at),
                print_state=t.print_state,
                print_error=t.print_error,
                priority=t.priority,
            )
            for t in tickets.hall_order(session, hall.code, day)
        ],
    )


@router.get("/{hall_code}/kiosks", response_model=HallKiosksOut)
def hall_kiosks(hall_code: str, who: CurrentPrincipal, session: ReadSessionDep, settings: SettingsDep) -> HallKiosksOut:
    """Each kiosk's last heartbeat, backlog, clock skew (flagged over the bound), revocation, gaps."""
    hall = _readable(session, who, hall_code)
    bound = settings.clock_skew_bound_seconds
    return HallKiosksOut(
        hall_code=hall.code,
        clock_skew_bound_seconds=bound,
        kiosks=[
            KioskOut(
                kiosk_id=k.id,
                short_code=k.short_code,
                enrolled=k.secret_hash is not None,
                revoked=k.revoked_at is not None,
                revoked_at=iso_utc(k.revoked_at),
                last_heartbeat_at=iso_utc(k.heartbeat_at),
                kiosk_time=k.kiosk_time,
                clock_skew_seconds=k.clock_skew_seconds,
                clock_skew_flagged=k.clock_skew_seconds is not None and abs(k.clock_skew_seconds) > bound,
                backlog=k.backlog,
                oldest_unsent_age_seconds=k.oldest_unsent_age_seconds,
                last_sync_at=k.last_sync_at,
                last_push_at=iso_utc(k.last_push_at),
                app_version=k.app_version,
                devices=k.devices or [],
                highest_seq=k.max_seq,
                gaps=gaps,
            )
            for k, gaps in kiosks.of_hall(session, hall.code)
        ],
    )


@router.get("/{hall_code}/queue", response_model=HallQueueOut)
def hall_queue(
    hall_code: str, who: CurrentPrincipal, session: ReadSessionDep, settings: SettingsDep, now: NowDep
) -> HallQueueOut:
    """One hall, one queue: today's tickets of every kiosk merged per letter, and the counter
    model over them (see repo.hallqueue). A kiosk's own tickets are counted up to the part of its
    sequence central holds without a gap (`counted_seq`); it adds its later ones itself."""
    hall = _readable(session, who, hall_code)
    q = hallqueue.hall_queue(session, hall, now, asking=who.kiosk, skew_bound=settings.clock_skew_bound_seconds)
    return HallQueueOut(
        hall_code=q.hall_code,
        day=q.day,
        as_of=iso_utc(q.as_of),
        catalog_version=q.catalog_version,
        counted_seq=q.counted_seq,
        clock_skew_bound_seconds=settings.clock_skew_bound_seconds,
        letters=[
            QueueLetterOut(
                prefix=lq.prefix,
                counters=lq.counters,
                tickets=lq.tickets,
                own_tickets=lq.own,
                waiting=lq.waiting,
                wait_seconds=lq.wait_seconds,
                call_in_seconds=list(lq.call_in),
                free_in_seconds=list(lq.free_in),
                own_priority_tickets=lq.own_priority,
                priority_waiting=len(lq.priority_call_in),
                priority_wait_seconds=lq.priority_wait_seconds,
                priority_call_in_seconds=list(lq.priority_call_in),
                priority_free_in_seconds=list(lq.priority_free_in),
            )
            for lq in q.letters
        ],
        kiosks=[
            QueueKioskOut(
                kiosk_id=k.kiosk_id,
                tickets=k.tickets,
                clock_skew_seconds=k.clock_skew_seconds,
                corrected_seconds=k.corrected_seconds,
                clock_skew_flagged=k.clock_skew_flagged,
            )
            for k in q.kiosks
        ],
        unknown_letter_tickets=q.unknown_letter_tickets,
    )
