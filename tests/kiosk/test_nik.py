"""NIK: structure checked (province, region, birth date with +40 for women, serial), each invalid
input explained, masking, and arbitrary strings never crash the check."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kiosk import i18n
from kiosk.nik import FEMALE, MALE, PROVINCES, VISITOR_MESSAGES, check_nik, mask

TODAY = dt.date(2026, 11, 30)


def test_check_nik_valid_male():
    c = check_nik("3201011705900001", TODAY)  # Jawa Barat, born 17-05-1990
    assert (c.valid, c.reason_code, c.province, c.sex, c.birth_date) == (
        True,
        "nik.ok",
        "Jawa Barat",
        MALE,
        dt.date(1990, 5, 17),
    )
    assert c.masked == "3201********0001"


def test_check_nik_valid_female_day_plus_40():
    c = check_nik("3578 0157 0805 0123", TODAY)  # spaces ignored; day 57 = a woman born on the 17th
    assert (c.valid, c.sex, c.birth_date, c.province) == (True, FEMALE, dt.date(2005, 8, 17), "Jawa Timur")


def test_check_nik_two_digit_year_this_century_unless_after_this_year():
    assert check_nik("3171013011260001", TODAY).birth_date == dt.date(2026, 11, 30)  # born today
    assert check_nik("3171010101270001", TODAY).birth_date == dt.date(1927, 1, 1)
    assert check_nik("9471010101000001", TODAY).birth_date == dt.date(2000, 1, 1)  # 94: older Papua NIKs


def test_check_nik_leap_day():
    assert check_nik("3201012902000001", TODAY).valid  # 2000 was a leap year
    c = check_nik("3201016902010001", TODAY)  # a woman born 29-02-2001: no such day
    assert (c.valid, c.reason_code) == (False, "nik.date")
    assert "02/2001 has no day 29" in c.reason


def test_check_nik_each_invalid_case_explained():
    cases = {
        "": "nik.empty",
        "   ": "nik.empty",
        "32010117059000O1": "nik.not_digits",  # a letter O
        "3201-0117-0590-0001": "nik.not_digits",
        "３２０１０１１７０５９０００１": "nik.not_digits",  # full-width digits
        "320101170590001": "nik.length",
        "32010117059000011": "nik.length",
        "2001011705900001": "nik.province",
        "9901011705900001": "nik.province",
        "3200011705900001": "nik.region",
        "3201001705900001": "nik.region",
        "3201010005900001": "nik.date",  # day 00
        "3201013505900001": "nik.date",  # day 35: neither a man's nor a woman's
        "3201017505900001": "nik.date",  # day 75
        "3201011713900001": "nik.date",  # month 13
        "3201013104900001": "nik.date",  # 31 April
        "3201010112260001": "nik.future_date",  # 1 December 2026, tomorrow-ish
        "3201011705900000": "nik.serial",
    }
    for text, code in cases.items():
        c = check_nik(text, TODAY)
        assert (c.valid, c.reason_code) == (False, code), text
        assert c.reason and c.visitor == VISITOR_MESSAGES[code]
        assert c.province is None and c.birth_date is None
    assert "this has 15" in check_nik("320101170590001", TODAY).reason
    assert "code 99" in check_nik("9901011705900001", TODAY).reason


def test_check_nik_visitor_text_in_indonesian():
    translate = i18n.translator("id")
    c = check_nik("320101170590001", TODAY)
    assert c.visitor_text() == "A NIK has 16 digits. You entered 15."
    assert c.visitor_text(translate) == "NIK terdiri atas 16 angka. Anda memasukkan 15."
    for code, text in VISITOR_MESSAGES.items():
        assert translate("Nik", text) != text, code


def test_provinces_list():
    assert len(PROVINCES) == 38
    assert PROVINCES["11"] == "Aceh" and PROVINCES["31"] == "DKI Jakarta" and PROVINCES["96"] == "Papua Barat Daya"
    assert all(len(code) == 2 and code.isdigit() for code in PROVINCES)


def test_mask_keeps_first_and_last_four():
    assert mask("3201011705900001") == "3201********0001"
    assert mask(" 3201 0117 0590 0001 ") == "3201********0001"
    assert mask("320101170590001") == "*" * 15  # not a NIK: nothing shown
    assert mask("abc") == "***"
    assert mask("") == ""
    assert mask(None) == ""


def test_check_nik_never_holds_the_full_nik_in_its_text():
    c = check_nik("3201011705900001", TODAY)
    assert "3201011705900001" not in repr(c)
    bad = check_nik("3201013104900001", TODAY)
    assert "3201013104900001" not in repr(bad)


@given(st.text(max_size=40))
def test_check_nik_arbitrary_strings_never_crash(text):
    c = check_nik(text, TODAY)
    assert isinstance(c.valid, bool) and c.reason_code in VISITOR_MESSAGES
    assert c.valid == (c.reason_code == "nik.ok")
    assert isinstance(mask(text), str)
    c.visitor_text()


@given(st.from_regex(r"\A[0-9]{16}\Z"), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_check_nik_arbitrary_digit_strings_and_days(text, today):
    c = check_nik(text, today)
    if c.valid:
        assert c.birth_date <= today and c.province and c.sex in (MALE, FEMALE)
        assert mask(text) == text[:4] + "********" + text[12:]
