"""The spoken prompts: numbers in words in both languages, ticket numbers, translated sentences."""

from __future__ import annotations

import pytest

from kiosk.speech_text import (
    PROMPTS,
    Step,
    confirm_prompt,
    number_words,
    prompt,
    speakable,
    ticket_number_words,
    ticket_prompt,
)

NUMBERS = [
    (0, "nol", "zero"),
    (7, "tujuh", "seven"),
    (10, "sepuluh", "ten"),
    (11, "sebelas", "eleven"),
    (15, "lima belas", "fifteen"),
    (20, "dua puluh", "twenty"),
    (21, "dua puluh satu", "twenty-one"),
    (100, "seratus", "one hundred"),
    (101, "seratus satu", "one hundred and one"),
    (110, "seratus sepuluh", "one hundred and ten"),
    (111, "seratus sebelas", "one hundred and eleven"),
    (119, "seratus sembilan belas", "one hundred and nineteen"),
    (200, "dua ratus", "two hundred"),
    (1000, "seribu", "one thousand"),
    (1001, "seribu satu", "one thousand and one"),
    (1100, "seribu seratus", "one thousand one hundred"),
    (1111, "seribu seratus sebelas", "one thousand one hundred and eleven"),
    (2026, "dua ribu dua puluh enam", "two thousand and twenty-six"),
    (9999, "sembilan ribu sembilan ratus sembilan puluh sembilan", "nine thousand nine hundred and ninety-nine"),
]


@pytest.mark.parametrize(("n", "indonesian", "english"), NUMBERS, ids=[str(n[0]) for n in NUMBERS])
def test_number_words_in_both_languages(n, indonesian, english):
    assert number_words(n, "id") == indonesian
    assert number_words(n, "en") == english


def test_number_words_every_number_is_words_only():
    for n in range(10000):
        for language in ("id", "en"):
            words = number_words(n, language)
            assert words and not any(ch.isdigit() for ch in words) and "  " not in words, (n, language)
    assert len({number_words(n, "id") for n in range(10000)}) == 10000


@pytest.mark.parametrize("n", [-1, 10000])
def test_number_words_refuses_out_of_range(n):
    with pytest.raises(ValueError):
        number_words(n, "id")


def test_ticket_number_words_letters_code_then_sequence():
    assert ticket_number_words("A1-007", "id") == "A, satu, tujuh"
    assert ticket_number_words("A1-023", "en") == "A, one, twenty-three"
    assert ticket_number_words("AB12-111", "id") == "A, B, satu, dua, seratus sebelas"
    assert ticket_number_words("C9-1000", "en") == "C, nine, one thousand"
    assert ticket_number_words("??", "id") == ""


def test_speakable_says_counter_ranges_in_words():
    assert speakable("Loket 1-5", "id") == "Loket satu sampai lima"
    assert speakable("Loket 1-5", "en") == "Loket one to five"
    assert speakable("Loket 12", "id") == "Loket dua belas"


def test_ticket_prompt_reads_the_number_and_the_counter():
    text = ticket_prompt("A1-007", "Loket 1-5", "id")
    assert text.startswith("Nomor antrean Anda: A, satu, tujuh.")
    assert "Loket satu sampai lima" in text and not any(ch.isdigit() for ch in text)
    english = ticket_prompt("A1-007", "Loket 1-5", "en")
    assert english.startswith("Your queue number is A, one, seven.") and "Loket one to five" in english


def test_ticket_prompt_when_printing_failed_asks_to_write_the_number_down():
    text = ticket_prompt("B2-015", "", "id", printed=False)
    assert text.count("B, dua, lima belas") == 2 and "tulis" in text.lower()
    english = ticket_prompt("B2-015", "", "en", printed=False)
    assert "write down your number: B, two, fifteen" in english and "printer below" not in english


def test_prompts_exist_and_are_translated_for_every_step():
    for step in Step:
        assert step in PROMPTS
        indonesian, english = prompt(step, "id"), prompt(step, "en")
        assert english == PROMPTS[step] and indonesian and indonesian != english, step
    assert prompt("idle", "id").startswith("Selamat datang.")
    assert confirm_prompt("KTP-el", "id").startswith("KTP-el.")
