"""A hall's tickets in hall order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.models import Ticket


def hall_order(session: Session, hall_code: str, day: date) -> list[Ticket]:
    """The hall's tickets of `day` in the order the counters should call them.

    Kiosk clocks drift and a kiosk may push hours late (offline), so no single clock orders a
    hall. We keep three facts for every ticket: the kiosk's own issue time (with its offset:
    what the visitor saw printed), the kiosk's sequence number (the order inside one kiosk,
    which no clock can scramble) and central's receive time (one clock, but late for a kiosk
    that was offline). The order is: the kiosk's issue instant (a ticket issued first is
    called first, even if it reached central last), then central's receive time (between two
    kiosks showing the same second), then kiosk id and seq (a total, repeatable order).
    A kiosk whose clock is off by more than the skew bound is flagged in the hall's kiosk list
    (heartbeats), so a supervisor can see when this order cannot be trusted.
    """
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.hall_code == hall_code, Ticket.day == day)
            .order_by(Ticket.issued_utc, Ticket.received_at, Ticket.kiosk_id, Ticket.seq)
        )
    )
