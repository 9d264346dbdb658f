"""The spoken prompts follow the flow: each step said once, the ticket number read aloud in the
visitor's language, a language switch says the step again, the end of a visit stops the voice."""

from __future__ import annotations

import pytest
from flowkit import SyncRunner

from devices.speech import RecordingSpeaker
from kiosk.app import build
from kiosk.flow import Flow
from kiosk.speech_text import ticket_number_words


@pytest.fixture
def heard(settings, clock):
    flow = Flow(settings, clock, SyncRunner())
    kiosk = build(settings, clock=clock)
    flow.backend_ready(kiosk)
    speaker = RecordingSpeaker()
    flow.speak, flow.hush = speaker.say, speaker.stop
    yield flow, speaker
    kiosk.close()


def test_each_step_is_said_once_and_the_number_is_read_aloud(heard):
    flow, speaker = heard
    flow.start("id")
    assert len(speaker.spoken) == 1 and speaker.last[1] == "id"
    said = len(speaker.spoken)
    flow.on_change()  # a redraw on the same step says nothing again
    flow.announce()
    assert len(speaker.spoken) == said
    flow.choose_agency("SAMSAT")
    flow.choose_service("PKB-TAHUNAN")
    flow.take()
    flow.confirm()
    text, language = speaker.last
    number = flow.state.ticket.number
    assert language == "id" and ticket_number_words(number, "id") in text
    assert "Loket" in text or "loket" in text


def test_a_language_switch_says_the_step_again_in_the_new_language(heard):
    flow, speaker = heard
    flow.start("id")
    flow.switch_language("en")
    assert speaker.last[1] == "en" and speaker.spoken[-2][1] == "id"


def test_a_failed_print_asks_to_write_the_number_down_in_english(heard):
    flow, speaker = heard
    flow.kiosk.printer.paper = False
    flow.switch_language("en")
    flow.choose_service("PKB-TAHUNAN")  # a need tile on the idle screen
    flow.take()
    flow.confirm()
    text, language = speaker.last
    assert language == "en" and "write down" in text
    assert ticket_number_words(flow.state.ticket.number, "en") in text


def test_the_end_of_a_visit_stops_the_voice(heard):
    flow, speaker = heard
    flow.start("id")
    flow.home()
    assert speaker.stops == 1
