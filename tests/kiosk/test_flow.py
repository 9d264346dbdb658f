"""The visitor's flow without a screen: kiosk/flow.py driven with a synchronous runner."""

from __future__ import annotations

import json

import pytest
from flowkit import SyncRunner

from kiosk.app import build
from kiosk.flow import Flow
from kiosk.session import PrintState, Step


@pytest.fixture
def flow(settings, clock):
    f = Flow(settings, clock, SyncRunner())
    kiosk = build(settings, clock=clock)
    f.backend_ready(kiosk)
    yield f
    kiosk.close()


def test_flow_need_to_ticket_with_priority(flow):
    assert flow.step == Step.IDLE and flow.search_ready
    flow.open_priority()
    assert flow.step == Step.PRIORITY
    flow.choose_priority("disability")
    assert flow.step == Step.IDLE and flow.state.priority == "disability"
    need = next(n for n in flow.kiosk.catalog.needs if n.service_code == "PKB-TAHUNAN")
    flow.choose_service(need.service_code)
    state = flow.state
    assert state.step == Step.DETAIL and state.agency_code == "SAMSAT" and state.origin == Step.IDLE
    assert flow.availability is not None and flow.availability.open
    flow.take()
    assert flow.step == Step.CONFIRM
    flow.confirm()
    state = flow.state
    assert state.step == Step.TICKET and state.print_state == PrintState.PRINTED
    ticket = state.ticket
    assert ticket.priority == "disability" and ticket.service_code == "PKB-TAHUNAN"
    store = flow.kiosk.store
    assert store.conn.execute("SELECT priority FROM tickets").fetchone() == ("disability",)
    payloads = [json.loads(p) for (p,) in store.conn.execute("SELECT payload FROM outbox")]
    assert any(p.get("id") == ticket.id and p.get("priority") == "disability" for p in payloads)
    flow.home()
    assert flow.state.priority is None and flow.step == Step.IDLE


def test_flow_ticket_without_priority_is_normal(flow):
    flow.choose_service("PKB-TAHUNAN")
    flow.take()
    flow.confirm()
    assert flow.state.ticket.priority is None
    assert flow.kiosk.store.conn.execute("SELECT priority FROM tickets").fetchone() == (None,)


def test_flow_search_finds_and_opens_a_service_and_back_returns_to_the_results(flow):
    flow.search_text("paspor")  # not on the search screen: nothing happens
    assert flow.state.query == "" and flow.step == Step.IDLE
    flow.open_search()
    assert flow.step == Step.SEARCH and flow.search_hits == ()
    flow.search_text("perpanjang paspor")
    assert flow.search_hits[0].service.code == "PASPOR-GANTI"
    flow.switch_language("en")
    assert flow.search_hits[0].service.code == "PASPOR-GANTI"
    flow.choose_service("PASPOR-GANTI")
    assert flow.step == Step.DETAIL and flow.state.agency_code == "IMIGRASI"
    flow.back()
    assert flow.step == Step.SEARCH and flow.state.query == "perpanjang paspor" and flow.search_hits
    flow.search_text("x" * 200)
    assert len(flow.state.query) == 60
    flow.search_text("")
    assert flow.search_hits == ()
    flow.start()  # the way out: browse by agency
    assert flow.step == Step.AGENCIES
    flow.back()
    assert flow.step == Step.IDLE


def test_flow_priority_from_confirm_returns_to_confirm(flow):
    flow.choose_service("PKB-TAHUNAN")
    flow.take()
    flow.open_priority()
    assert flow.step == Step.PRIORITY
    flow.choose_priority("infant")
    assert flow.step == Step.CONFIRM and flow.state.priority == "infant"
    flow.open_priority()
    flow.back()
    assert flow.step == Step.CONFIRM and flow.state.priority == "infant"
    flow.open_priority()
    flow.choose_priority(None)
    assert flow.step == Step.CONFIRM and flow.state.priority is None
    with pytest.raises(ValueError):
        flow.session.open_priority()
        flow.choose_priority("vip")


def test_flow_commands_of_another_step_do_nothing(flow):
    flow.choose_priority("elderly")  # not on the chooser
    assert flow.state.priority is None and flow.step == Step.IDLE
    flow.choose_service("PKB-TAHUNAN")
    flow.open_search()  # not from the detail screen
    flow.open_priority()
    assert flow.step == Step.DETAIL


def test_flow_choices_on_the_idle_screen_are_wiped_when_the_visitor_walks_away(flow, clock):
    flow.open_priority()
    flow.choose_priority("pregnant")
    flow.tick()
    assert flow.state.priority == "pregnant"
    clock.advance(seconds=flow.settings.timeouts.inactivity_seconds + 1)
    flow.tick()
    assert flow.state.priority is None and flow.step == Step.IDLE


def test_flow_search_index_follows_a_catalog_reload(flow):
    old = flow._search
    flow.open_search()
    flow.search_text("skck")
    flow.kiosk.reload_catalog()
    flow.catalog_reloaded()
    assert flow._search is not old and flow.search_ready
    assert flow.search_hits[0].service.code == "SKCK-BARU"
