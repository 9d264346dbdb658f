"""One way to say each thing: the wait, the people ahead, when a service opens, its state."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk import wording
from kiosk.clock import ZONES
from kiosk.flow import ServiceState, service_state
from kiosk.queue import Availability, WaitMinutes

WIB = ZONES["WIB"]
TUESDAY_0900 = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)


def test_no_wait_is_said_one_way_in_each_language():
    assert wording.wait(0, "id") == wording.no_wait("id") == "Tanpa antre"
    assert wording.wait(0, "en") == wording.no_wait("en") == "No wait"


def test_people_ahead_reads_as_a_sentence():
    assert wording.people_ahead(3, "id") == "3 orang di depan Anda"
    assert wording.people_ahead(3, "en") == "3 people ahead of you"
    assert wording.people_ahead(1, "en") == "1 person ahead of you"
    assert wording.people_ahead(0, "id") == "Tidak ada orang di depan Anda"


def test_wait_is_a_number_when_certain_and_a_range_when_not():
    assert wording.wait(15, "id", people_ahead=2) == "sekitar 15 menit"
    assert wording.wait(15, "en", people_ahead=2) == "about 15 min"
    # Many people ahead: the counters' pace varies, so a range.
    assert wording.wait(15, "id", people_ahead=12) == "sekitar 10\u201320 menit"
    # This kiosk's own estimate where the hall's count was expected: a range too.
    assert wording.wait(WaitMinutes(15, kiosk_only=True), "en") == "about 10\u201320 min"
    assert wording.wait(WaitMinutes(40, kiosk_only=True), "en") == "about 30\u201350 min"
    assert wording.wait(WaitMinutes(0, kiosk_only=True), "en") == "No wait"


def test_opening_is_relative_in_the_halls_time_with_the_languages_clock():
    now = TUESDAY_0900
    assert wording.opening(now.replace(hour=13), now, "id") == "hari ini 13.00"
    assert wording.opening(now.replace(hour=13), now, "en") == "today 13:00"
    assert wording.opening(datetime(2026, 11, 25, 8, 0, tzinfo=WIB), now, "id") == "besok 08.00"
    assert wording.opening(datetime(2026, 11, 25, 8, 0, tzinfo=WIB), now, "en") == "tomorrow 08:00"
    assert wording.opening(datetime(2026, 11, 30, 8, 0, tzinfo=WIB), now, "id") == "Senin 08.00"
    assert wording.opening(datetime(2026, 11, 30, 8, 0, tzinfo=WIB), now, "en") == "Monday 08:00"
    assert wording.opening(datetime(2026, 12, 8, 8, 0, tzinfo=WIB), now, "id") == "8 Des 08.00"
    assert wording.opening(datetime(2026, 12, 8, 8, 0, tzinfo=WIB), now, "en") == "8 Dec 08:00"


def test_opening_uses_the_halls_zone_not_the_moments():
    from datetime import UTC

    now = datetime(2026, 11, 24, 23, 30, tzinfo=WIB)
    # 00:00 UTC on the 25th is 07:00 WIB on the 25th: tomorrow, at seven, in the hall.
    assert wording.opening(datetime(2026, 11, 25, 0, 0, tzinfo=UTC), now, "id") == "besok 07.00"


def _availability(**kw) -> Availability:
    base = dict(open=True, opens_at=None, issued_today=0, quota_left=10, people_ahead=0, estimated_wait_minutes=0)
    return Availability(**(base | kw))


class _Service:
    def __init__(self, offline: bool = True) -> None:
        self.offline = offline


def test_service_state_is_decided_from_the_queue_and_the_link():
    opens = TUESDAY_0900 + timedelta(days=1)
    assert service_state(_Service(), _availability(), online=False) == ServiceState("open")
    assert service_state(_Service(), None, online=False).available
    assert service_state(_Service(offline=False), _availability(), online=False).kind == "online_only_offline"
    assert service_state(_Service(), _availability(open=False, opens_at=opens), online=True) == ServiceState(
        "closed", opens
    )
    assert service_state(_Service(), _availability(quota_left=0, opens_at=opens), online=True).kind == "full"
    assert service_state(_Service(), _availability(quota_left=0, lease_used=True), online=True).kind == "lease_used"


def test_state_reason_says_why_in_words():
    now, opens = TUESDAY_0900, datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    assert wording.state_reason("closed", opens, now, "id") == "Tutup \u00b7 buka besok 08.00"
    assert wording.state_reason("closed", opens, now, "en") == "Closed \u00b7 opens tomorrow 08:00"
    assert wording.state_reason("full", None, now, "id") == "Kuota hari ini penuh"
    assert wording.state_reason("lease_used", None, now, "en") == "No numbers left at this kiosk"
    assert wording.state_reason("online_only_offline", None, now, "id") == "Tidak tersedia saat kios offline"
    assert wording.state_reason("open", None, now, "id") == ""
    assert wording.hall_closed(opens, now, "en") == "The hall is closed now. It opens tomorrow 08:00."
