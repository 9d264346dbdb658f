"""The looks: large text and high contrast, switched from any screen, keeping the visitor's progress."""

from __future__ import annotations

import re

import pytest
from uikit import settle, tap

from kiosk.session import Step
from ui.main import demo_size
from ui.theme import HIGH_CONTRAST, MIN_FONT_PX, MIN_LARGE_FONT_PX, MIN_TOUCH_PX, Theme


def contrast(a: str, b: str) -> float:
    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_high_contrast_text_is_at_least_7_to_1():
    p = HIGH_CONTRAST
    pairs = [
        (p.ink, p.bg),
        (p.muted, p.bg),
        (p.on_primary, p.primary),
        (p.accent, p.bg),
        (p.ink, p.pressed),
        (p.accent, p.card),
        (p.danger, p.danger_bg),
        (p.ok, p.ok_bg),
        (p.on_header, p.header),
        (p.on_primary, p.primary_down),
    ]
    for fg, bg in pairs:
        assert contrast(fg, bg) >= 7, (fg, bg, contrast(fg, bg))


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1080, 1920), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("large", [False, True])
def test_no_font_under_the_minimum_and_no_target_under_90_px_at_any_size(size, large):
    theme = Theme.for_size(*size, large_text=large)
    sheet = theme.stylesheet()
    fonts = [int(n) for n in re.findall(r"font-size: (\d+)px", sheet)]
    assert min(fonts) >= (MIN_LARGE_FONT_PX if large else MIN_FONT_PX)
    heights = [int(n) for n in re.findall(r"QPushButton[^{]*\{[^}]*?min-height: (\d+)px", sheet)]
    assert heights and min(heights) >= MIN_TOUCH_PX >= 90


def test_large_text_draws_every_font_about_a_third_larger():
    normal, large = Theme(1.0), Theme(1.0, large_text=True)
    assert 1.3 <= large.font(52) / normal.font(52) <= 1.4


def test_high_contrast_overrides_the_agency_colours():
    assert "#" in Theme().tint_style("#123456") and Theme(high_contrast=True).tint_style("#123456") == ""


@pytest.mark.parametrize(
    ("available", "landscape", "expected"),
    [
        ((3840, 2160), False, (1080, 1920)),
        ((1920, 1032), False, (580, 1032)),
        ((1920, 1032), True, (1834, 1032)),
        ((2560, 1400), True, (1920, 1080)),
    ],
)
def test_the_demo_window_is_a_kiosk_screen_fitted_to_the_desktop(available, landscape, expected):
    assert demo_size(available, landscape=landscape) == expected


def test_the_look_toggles_are_on_every_screen_with_names_in_both_languages_on_idle(qtbot, make_window):
    w = make_window("portrait")
    for b in (w.header.large_text, w.header.contrast):
        assert b.isVisible() and b.property("bilingual")
    assert w.header.large_text.accessibleName() == "Huruf besar / Large text"
    assert w.header.contrast.accessibleName() == "Kontras tinggi / High contrast"
    w.on_start("en")
    settle(qtbot, w)
    assert w.header.large_text.accessibleName() == "Large text" and w.header.large_text.accessibleDescription()
    assert not w.header.large_text.property("bilingual")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    before = w.session.state
    tap(qtbot, w.header.large_text)
    tap(qtbot, w.header.contrast)
    after = w.session.state
    assert after.large_text and after.high_contrast and w.theme.large_text and w.theme.high_contrast
    assert (after.step, after.agency_code, after.service_code, after.language) == (
        Step.DETAIL,
        before.agency_code,
        before.service_code,
        "en",
    )
    assert w.header.large_text.isChecked() and w.header.contrast.isChecked()
    tap(qtbot, w.header.large_text)
    assert not w.session.state.large_text and w.session.state.high_contrast
    assert w.stack.currentWidget() is w.detail


def test_a_look_change_starts_the_touch_guard(qtbot, make_window):
    w = make_window("landscape")
    w.on_start("id")
    settle(qtbot, w)
    w.monotonic.advance(1)
    assert not w.guarding()
    tap(qtbot, w.header.large_text)
    assert w.guarding()  # the layout moved under the finger: the next tap waits a moment
