"""The supervisor's way in (PIN pad with its own lockout, or a signed badge QR), every attempt
audited, and the supervisor screen's facts and actions, without a screen."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from flowkit import SyncRunner

from central import demo, signing
from devices.scanner import ScanEvent
from kiosk.app import build
from kiosk.flow import Flow
from kiosk.pin import DEMO_SUPERVISOR_PIN, MAX_TRIES, Outcome, supervisor_gate
from kiosk.session import Step
from kiosk.wording import PAUSED

WRONG = "0000"


def credential(clock, *, kind="badge", subject="SPV-7", minutes=30):
    private = signing.keypair_of(signing.unb64(demo.DEMO_KEY_SEED))[0]
    now = clock.now()
    return signing.sign(
        private_key=private,
        key_id="DEMO-1",
        kind=kind,
        subject=subject,
        issued_at=now,
        not_before=now,
        expires_at=now + timedelta(minutes=minutes),
    ).text


@pytest.fixture
def flow(settings, clock):
    f = Flow(dataclasses.replace(settings, demo=True), clock, SyncRunner())
    f.backend_ready(build(f.settings, clock=clock))
    yield f
    f.kiosk.close()


def audits(flow) -> list[dict]:
    rows = flow.kiosk.store.query("SELECT kind, data FROM audit ORDER BY seq")
    return [{"kind": r["kind"], **json.loads(r["data"])} for r in rows if r["kind"].startswith("supervisor.")]


def test_only_from_the_idle_screen(flow):
    flow.start()
    flow.open_supervisor()
    assert flow.step == Step.AGENCIES
    flow.home()
    flow.open_supervisor()
    assert flow.step == Step.SUPERVISOR_PIN
    assert flow.supervisor.pin_status.tries_left == MAX_TRIES


def test_right_pin_opens_the_supervisor_screen_with_todays_tickets(flow):
    flow.choose_service("PKB-TAHUNAN")
    flow.take()
    flow.confirm()
    flow.home()
    flow.open_supervisor()
    flow.supervisor.enter_pin(DEMO_SUPERVISOR_PIN)
    assert flow.step == Step.SUPERVISOR
    assert flow.supervisor.tickets_today == {"PKB-TAHUNAN": 1}
    found = audits(flow)
    assert found and found[-1]["outcome"] == "ok" and found[-1]["method"] == "pin"
    assert DEMO_SUPERVISOR_PIN not in json.dumps(found)
    flow.supervisor.leave()
    assert flow.step == Step.IDLE


def test_five_wrong_pins_lock_supervisor_entry_across_restarts(flow, clock):
    flow.open_supervisor()
    for _ in range(MAX_TRIES):
        flow.supervisor.enter_pin(WRONG)
    status = flow.supervisor.pin_status
    assert status.locked_until is not None and status.tries_left == 0
    flow.supervisor.enter_pin(DEMO_SUPERVISOR_PIN)  # right, but locked
    assert flow.step == Step.SUPERVISOR_PIN
    assert flow.supervisor.pin_status.outcome == Outcome.LOCKED
    again = supervisor_gate(flow.settings, clock)  # a restart: a new gate on the same data dir
    assert again.status().locked_until is not None
    assert again.check(DEMO_SUPERVISOR_PIN).outcome == Outcome.LOCKED
    outcomes = [a["outcome"] for a in audits(flow) if a["kind"] == "supervisor.attempt"]
    assert outcomes == ["wrong"] * MAX_TRIES + ["locked"]
    # The technician's gate is another one: not locked by the supervisor's tries.
    assert flow.tech.gate.status().locked_until is None


def test_a_badge_qr_opens_it_a_booking_qr_does_not(flow, clock):
    flow.open_supervisor()
    flow.scanned(ScanEvent(credential(clock, kind="booking"), "QRCODE", "simulated"))
    assert flow.step == Step.SUPERVISOR_PIN
    assert flow.supervisor.badge_refused
    flow.scanned(ScanEvent(credential(clock), "QRCODE", "simulated"))
    assert flow.step == Step.SUPERVISOR
    found = [a for a in audits(flow) if a["kind"] == "supervisor.attempt"]
    assert [a["outcome"] for a in found] == ["refused", "ok"]
    assert found[-1]["subject"] == "SPV-7"


def test_a_badge_is_ignored_outside_the_pin_pad(flow, clock):
    flow.scanned(ScanEvent(credential(clock), "QRCODE", "simulated"))
    assert flow.step == Step.IDLE


def test_out_of_service_pause_and_exit(flow):
    flow.open_supervisor()
    flow.supervisor.enter_pin(DEMO_SUPERVISOR_PIN)
    sup = flow.supervisor
    sup.set_out_of_service(True)
    assert flow.locked and sup.store_locked
    assert flow.kiosk.store.lock_state() is not None
    sup.set_paused("PKB-TAHUNAN", True)
    assert sup.paused == ("PKB-TAHUNAN",)
    assert flow.state_of("PKB-TAHUNAN").kind == PAUSED
    sup.set_paused("PKB-TAHUNAN", False)
    assert sup.paused == ()
    sup.set_out_of_service(False)
    assert not flow.locked and flow.kiosk.store.lock_state() is None
    exited = []
    sup.exit_app = lambda: exited.append(True)
    sup.exit_to_desktop()
    assert exited == [True]
    actions = [a["action"] for a in audits(flow) if a["kind"] == "supervisor.action"]
    assert actions == ["lock", "pause", "resume", "unlock", "exit"]


def test_diagnostics_from_the_supervisor_screen(flow):
    flow.open_supervisor()
    flow.supervisor.enter_pin(DEMO_SUPERVISOR_PIN)
    flow.supervisor.diagnostics()
    assert flow.step == Step.DIAGNOSTICS
