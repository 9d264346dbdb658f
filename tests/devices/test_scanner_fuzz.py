"""The serial suffix parser and the wedge classifier never raise, whatever comes in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.scanner import ENTER_KEYS, Deduper, WedgeScanner
from devices.scanner_serial import SUFFIXES, SuffixParser

keys = st.one_of(st.text(max_size=3), st.sampled_from(["\r", "\n", "\r\n", "", "\t", "\x08", "\x1b"]))
times = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 1e6))


@settings(max_examples=300, deadline=None)
@given(
    suffix=st.sampled_from(list(SUFFIXES)),
    chunks=st.lists(st.tuples(st.binary(max_size=64), st.floats(0, 100)), max_size=30),
)
def test_suffix_parser_never_raises(suffix, chunks):
    p = SuffixParser(suffix, idle_seconds=0.05)
    for data, now in chunks:
        for code in p.feed(data, now) + p.flush(now + 1):
            assert code and all(ord(ch) >= 32 for ch in code)


@settings(max_examples=300, deadline=None)
@given(
    suffix=st.sampled_from(["CR", "LF", "CRLF", "TAB"]),
    codes=st.lists(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=1), max_size=5),
    cuts=st.lists(st.integers(0, 10_000), max_size=5),
)
def test_suffix_parser_finds_every_code_however_it_is_cut(suffix, codes, cuts):
    codes = [c for c in codes if c.isprintable()]
    stream = b"".join(c.encode() + SUFFIXES[suffix] for c in codes)
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    p = SuffixParser(suffix)
    got = [code for a, b in zip(points, points[1:], strict=False) for code in p.feed(stream[a:b])]
    assert got == codes


@settings(max_examples=300, deadline=None)
@given(events=st.lists(st.tuples(keys, times), max_size=60), min_length=st.integers(1, 10))
def test_wedge_classifier_never_raises_and_loses_no_typed_key(events, min_length):
    scans = []
    wedge = WedgeScanner(min_length=min_length, deduper=Deduper(0))
    wedge.start(scans.append)
    out = []
    for key, at in events:
        held = wedge.feed(key, at)
        assert isinstance(held, bool)
        out.append(wedge.release(at))
        assert wedge.deadline() is None or isinstance(wedge.deadline(), float)
    out.append(wedge.release(float("inf")))
    wedge.stop()
    out.append(wedge.release(float("inf")))
    assert not wedge.holding
    # every key with text that is not Enter or a control key is either typed or part of a scan
    typed = [k for k, _ in events if k and k not in ENTER_KEYS and not any(ord(c) < 32 or ord(c) == 127 for c in k)]
    assert len("".join(out)) + sum(len(s.text) for s in scans) == len("".join(typed))
