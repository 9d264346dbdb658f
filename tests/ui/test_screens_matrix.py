"""Every screen, in both languages and every look, at the three supported sizes: a PNG of each in
SCREENSHOTS, and the checks a person would make by eye (nothing cut off, no word broken across
lines, text >= 24 px, touch targets >= 90 px, every button named for a screen reader, no text in
the other language).

One window per size walks through the screens (the list is `window.screens`, so a screen added
there is included), switching language and look with the header's own buttons on the same window:
this is also the test that switching keeps the visitor's progress.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from uikit import (
    SCREENSHOTS,
    Languages,
    language_problems,
    layout_problems,
    pass_identity,
    settle,
    tap,
    unnamed_buttons,
)

from kiosk.session import PrintState, Step

LOOKS = ("normal", "large", "contrast")


def take_a_ticket(qtbot, w):
    """A real visitor's way to a printed ticket; its state is the template every screen is drawn from."""
    w.on_start("id")
    w.on_agency("DUKCAPIL")
    w.on_service("KTP-EL")
    settle(qtbot, w)
    w.on_take()
    pass_identity(qtbot, w)
    w.on_confirm()
    qtbot.waitUntil(lambda: w.session.state.print_state == PrintState.PRINTED, timeout=10000)
    settle(qtbot, w)
    return w.session.state


def go_to(qtbot, w, step: Step, full) -> None:
    """Put the visitor on `step`, with the choices of a full walk (keeps language and look)."""
    state = w.session.state
    w.session.state = replace(
        full,
        step=step,
        language=state.language,
        large_text=state.large_text,
        high_contrast=state.high_contrast,
        countdown=None,
        error=None,
        print_state=full.print_state if step == Step.TICKET else PrintState.NONE,
    )
    w.flow._reload_step_facts()
    w.render()
    w.resize(*w.expected_size)  # a screen before that did not fit may have grown the window
    settle(qtbot, w)


def progress(w) -> tuple:
    s = w.session.state
    return (s.step, s.agency_code, s.service_code, s.ticket)


def switch_language(qtbot, w, language: str) -> None:
    if w.session.state.language == language:
        return
    before = progress(w)
    if w.header.language.isVisible():
        tap(qtbot, w.header.language)
    else:
        w.flow.switch_language(language)
    settle(qtbot, w)
    assert w.session.state.language == language
    assert progress(w) == before, "switching the language lost the visitor's progress"


def switch_look(qtbot, w, look: str) -> None:
    before = progress(w)
    want = (look == "large", look == "contrast")
    for button, on in ((w.header.large_text, want[0]), (w.header.contrast, want[1])):
        if button.isChecked() != on:
            tap(qtbot, button)
            settle(qtbot, w)
    state = w.session.state
    assert (state.large_text, state.high_contrast) == want
    assert (w.theme.large_text, w.theme.high_contrast) == want
    assert progress(w) == before, "switching the look lost the visitor's progress"


@pytest.mark.parametrize("size", ["portrait", "landscape", "small"])
def test_every_screen_in_every_language_and_look(qtbot, make_window, size):
    started = time.monotonic()
    w = make_window(size)
    languages = Languages(w.kiosk.catalog)
    full = take_a_ticket(qtbot, w)
    w.resize(*w.expected_size)
    steps = list(w.screens)  # every screen the window hosts, the ones added later included
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    for look in LOOKS:
        switch_look(qtbot, w, look)
        for i, step in enumerate(steps):
            go_to(qtbot, w, step, full)
            for language in ("id", "en"):
                switch_language(qtbot, w, language)
                assert w.stack.currentWidget() is w.screens[step]
                name = f"matrix_{size}_{language}_{look}_{i:02d}_{step.value}"
                assert w.grab().save(str(SCREENSHOTS / f"{name}.png"))
                found = layout_problems(w) + unnamed_buttons(w) + language_problems(w, languages)
                if found:
                    problems[name] = found
    elapsed = time.monotonic() - started
    print(f"{size}: {len(LOOKS) * len(steps) * 2} screens in {elapsed:.1f} s")
    assert not problems, "\n".join(f"{name}: " + "; ".join(found) for name, found in problems.items())


def test_a_new_visitor_after_the_wipe_starts_in_the_normal_look(qtbot, make_window, clock):
    w = make_window("portrait")
    tap(qtbot, w.header.large_text)  # on the idle screen, before any language
    tap(qtbot, w.header.contrast)
    assert w.theme.large_text and w.theme.high_contrast
    w.on_start("en")
    w.on_agency("SAMSAT")
    clock.advance(seconds=w.settings.timeouts.inactivity_seconds + 1)
    w.on_tick()
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.IDLE and not state.large_text and not state.high_contrast
    assert not w.theme.large_text and not w.theme.high_contrast
    assert not w.header.large_text.isChecked() and not w.header.contrast.isChecked()


def test_a_look_chosen_on_the_idle_screen_is_wiped_when_nobody_starts(qtbot, make_window, clock):
    w = make_window("landscape")
    tap(qtbot, w.header.large_text)
    assert w.theme.large_text
    clock.advance(seconds=w.settings.timeouts.inactivity_seconds + 1)
    w.on_tick()
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE and not w.theme.large_text


def test_the_checks_find_a_wrong_language_and_a_broken_word(qtbot, make_window):
    """The matrix's own checks, on purpose-made faults: an English message on an Indonesian screen,
    a catalog name in the wrong language, and a word that a plain QLabel breaks at its hyphen."""
    from PySide6.QtWidgets import QLabel

    from ui.widgets import bilingual, label

    w = make_window("portrait")
    languages = Languages(w.kiosk.catalog)
    w.on_start("id")
    settle(qtbot, w)
    assert language_problems(w, languages) == []
    w.agencies.hint.setText("Touch one to see its services.")  # the English source of the hint
    assert language_problems(w, languages) == ["English on a id screen: 'Touch one to see its services.'"]
    bilingual(w.agencies.hint)
    assert language_problems(w, languages) == []
    bilingual(w.agencies.hint, False)
    w.agencies.hint.setText("Electronic ID card (KTP-el)")  # a catalog name in English
    assert language_problems(w, languages)
    text = "Perekaman & Cetak KTP-el"
    plain, ours = QLabel(text), label(text, "h1")
    plain.setWordWrap(True)
    for lab in (plain, ours):
        qtbot.addWidget(lab)
        lab.setStyleSheet("font-size: 64px; font-weight: 800;")
        lab.ensurePolished()
        lab.setFixedWidth(lab.fontMetrics().horizontalAdvance("Perekaman & Cetak KTP-") + 12)
        lab.show()
    from uikit import broken_words

    assert broken_words(plain) == ["KTP-|el"]
    assert broken_words(ours) == [] and ours.text() == text
