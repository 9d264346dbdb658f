from __future__ import annotations

from kiosk.config import TimeoutSettings
from kiosk.errors import QuotaFull
from kiosk.session import PrintState, Session, Step


def make(clock):
    return Session(clock, TimeoutSettings(inactivity_seconds=60, countdown_seconds=15, ticket_seconds=30), "id")


def test_session_walks_the_ticket_flow(clock):
    s = make(clock)
    assert s.start("en").step == Step.AGENCIES
    assert s.choose_agency("DUKCAPIL").agency_code == "DUKCAPIL"
    assert s.choose_service("KTP-EL").step == Step.DETAIL
    assert s.to_confirm().step == Step.CONFIRM
    assert s.issuing().step == Step.ISSUING
    st = s.issued(ticket=object())
    assert st.step == Step.TICKET and st.print_state == PrintState.PRINTING and st.language == "en"
    assert s.print_finished(None).print_state == PrintState.PRINTED


def test_session_back_steps_one_screen(clock):
    s = make(clock)
    s.start()
    s.choose_agency("POLRI")
    s.choose_service("SKCK-BARU")
    assert [s.back().step for _ in range(4)] == [Step.SERVICES, Step.AGENCIES, Step.IDLE, Step.IDLE]


def test_session_timeout_shows_countdown_then_wipes(clock):
    s = make(clock)
    s.start("en")
    s.choose_agency("POLRI")
    clock.advance(seconds=44)
    assert s.tick().countdown is None
    clock.advance(seconds=2)
    assert s.tick().countdown == 14
    s.touch()
    assert s.state.countdown is None
    clock.advance(seconds=60)
    st = s.tick()
    assert st.step == Step.IDLE and st.agency_code is None and st.language == "id"


def test_session_ticket_screen_returns_to_idle(clock):
    s = make(clock)
    s.start()
    s.issued(ticket=object())
    clock.advance(seconds=31)
    st = s.tick()
    assert st.step == Step.IDLE and st.ticket is None


def test_session_never_times_out_while_issuing(clock):
    s = make(clock)
    s.start()
    s.issuing()
    clock.advance(seconds=600)
    assert s.tick().step == Step.ISSUING


def test_session_refused_ticket_returns_to_service_with_reason(clock):
    s = make(clock)
    s.start()
    s.choose_agency("POLRI")
    s.choose_service("SKCK-BARU")
    s.to_confirm()
    s.issuing()
    err = QuotaFull(service="SKCK", quota=10, opens_at="-")
    st = s.issue_failed(err)
    assert st.step == Step.DETAIL and st.error is err and st.service_code == "SKCK-BARU"
