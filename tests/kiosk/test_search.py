"""Need-first search over the shipped catalog: what visitors type finds the service they need."""

from __future__ import annotations

import random
import time

import pytest

from kiosk.catalog import load_catalog
from kiosk.search import MAX_QUERY_CHARS, Hit, Search, fold


@pytest.fixture(scope="module")
def search() -> Search:
    return Search(load_catalog())


def codes(search: Search, text: str, language: str, limit: int = 3) -> list[str]:
    return [h.service.code for h in search.search(text, language, limit=limit)]


#: (what a visitor types, the service they need)
NEEDS = [
    ("perpanjang paspor", "PASPOR-GANTI"),
    ("paspor hilang", "PASPOR-GANTI"),
    ("akta lahir", "AKTA-LAHIR-MATI"),
    ("akta kelahiran bayi", "AKTA-LAHIR-MATI"),
    ("SKCK", "SKCK-BARU"),
    ("surat kelakuan baik", "SKCK-BARU"),
    ("ktp hilang", "KTP-EL"),
    ("bpjs", "JKN-DAFTAR"),
    # typos, as typed on a touch keyboard
    ("pasport", "PASPOR-GANTI"),
    ("paspr", "PASPOR-BARU"),
    ("perpanjng paspor", "PASPOR-GANTI"),
    ("akte lahir", "AKTA-LAHIR-MATI"),
    ("skck baru", "SKCK-BARU"),
    ("ktp ilang", "KTP-EL"),
    ("ktp hilng", "KTP-EL"),
    ("bpjs kesehatan", "JKN-DAFTAR"),
    # English phrasings
    ("renew passport", "PASPOR-GANTI"),
    ("lost passport", "PASPOR-GANTI"),
    ("birth certificate", "AKTA-LAHIR-MATI"),
    ("newborn", "AKTA-LAHIR-MATI"),
    ("police clearance", "SKCK-BARU"),
    ("police clearance for a job", "SKCK-BARU"),
    ("lost id card", "KTP-EL"),
    ("lost my KTP", "KTP-EL"),
    ("health insurance", "JKN-DAFTAR"),
    # filler words, word order, case, punctuation, accents
    ("saya mau perpanjang paspor", "PASPOR-GANTI"),
    ("PASPOR, HILANG!", "PASPOR-GANTI"),
    ("hilang paspor", "PASPOR-GANTI"),
    ("PásPor hílang", "PASPOR-GANTI"),
    ("I need to renew my passport", "PASPOR-GANTI"),
    ("ktp-el", "KTP-EL"),
    ("pajak motor", "PKB-TAHUNAN"),
    ("balik nama tanah", "BPN-BALIK-NAMA"),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("text", "code"), NEEDS)
def test_search_finds_the_needed_service_in_the_top_three(search, text, code, language):
    assert code in codes(search, text, language), (text, codes(search, text, language, 8))


@pytest.mark.parametrize(("text", "code"), [("paspor hilang", "PASPOR-GANTI"), ("ktp hilang", "KTP-EL")])
def test_search_puts_the_service_whose_keyword_holds_every_word_first(search, text, code):
    hits = search.search(text, "id")
    assert hits[0].service.code == code and hits[0].score > hits[1].score


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("pasp", {"PASPOR-BARU", "PASPOR-GANTI"}),
        ("skc", {"SKCK-BARU", "SKCK-PANJANG"}),
        ("akta la", {"AKTA-LAHIR-MATI"}),
    ],
)
def test_search_finds_words_typed_half_way(search, typed, expected):
    assert expected <= set(codes(search, typed, "id", limit=len(expected)))


def test_search_matches_agency_names_and_codes(search):
    found = set(codes(search, "dukcapil", "id", limit=4))
    assert found == {"KTP-EL", "KARTU-KELUARGA", "PINDAH-DATANG", "AKTA-LAHIR-MATI"}
    assert codes(search, "imigrasi", "en", limit=2) == ["PASPOR-BARU", "PASPOR-GANTI"]
    assert codes(search, "STNK-5-TAHUN", "id", limit=1) == ["STNK-5-TAHUN"]


def test_search_results_are_best_first_hits_within_the_limit(search):
    hits = search.search("paspor", "id", limit=2)
    assert len(hits) == 2 and all(isinstance(h, Hit) for h in hits)
    assert hits[0].score >= hits[1].score
    assert search.search("paspor", "id", limit=0) == []


@pytest.mark.parametrize(
    "text",
    ["", " ", "   \t\n ", "🙂🙂🙂", "!!!???", "x" * 200, "qzxv wqpt", "zzzzzzzzzzzzzz", "\u0000\u200b", "ǅ" * 50],
)
def test_search_garbage_finds_nothing_and_never_raises(search, text):
    assert search.search(text, "id") == [] and search.search(text, "en") == []


def test_search_is_deterministic(search):
    first = [(h.service.code, h.score) for h in search.search("baru", "id", limit=20)]
    again = Search(load_catalog())
    assert [(h.service.code, h.score) for h in again.search("baru", "id", limit=20)] == first
    assert [(h.service.code, h.score) for h in search.search("baru", "id", limit=20)] == first


def test_search_random_text_never_raises_and_keeps_the_limit(search):
    """Seeded arbitrary text (any code point but surrogates): no error, at most `limit` hits."""
    rng = random.Random(11)
    alphabet = "abcdefghijklmnopqrstuvwxyz paspor ktp -.,!?éüñ\u0301\u200b🙂漢字" + "".join(map(chr, range(32, 127)))
    for _ in range(2000):
        size = rng.randint(0, 300)
        if rng.random() < 0.3:
            text = "".join(
                chr(rng.choice([rng.randint(0, 0xD7FF), rng.randint(0xE000, 0x10FFFF)])) for _ in range(size)
            )
        else:
            text = "".join(rng.choice(alphabet) for _ in range(size))
        limit = rng.randint(0, 12)
        hits = search.search(text, rng.choice(["id", "en"]), limit=limit)
        assert len(hits) <= limit and all(h.score > 0 for h in hits)


def test_search_arbitrary_text_with_hypothesis(search):
    import hypothesis
    from hypothesis import strategies as st

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(max_size=300), st.sampled_from(["id", "en"]), st.integers(0, 20))
    def check(text, language, limit):
        assert len(search.search(text, language, limit=limit)) <= limit

    check()


def test_search_long_input_is_cut_and_stays_fast(search):
    text = "perpanjang paspor " * 50
    start = time.perf_counter()
    hits = search.search(text, "id")
    assert time.perf_counter() - start < 0.5
    assert hits and hits[0].service.code == "PASPOR-GANTI"
    assert len(fold(text[: MAX_QUERY_CHARS * 4])) >= MAX_QUERY_CHARS


def test_fold_drops_case_accents_and_punctuation():
    assert fold("Akta Kélahiran (Bayi)!") == "akta kelahiran bayi"
    assert fold("KTP-el") == "ktp el"
    assert fold("🙂") == ""
