"""ui.speech: Qt's voice where it has one for the language, espeak-ng (or silence) for the rest.

PySide6-Addons (QtTextToSpeech) is not a dependency, so a stand-in with the same methods plays
the Qt engine; the choice logic and the threading are the real ones.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QLocale, QObject, Signal

from devices.speech import RecordingSpeaker, SilentSpeaker
from kiosk.config import Settings, SpeechSettings
from ui.speech import QtSpeaker, make_speaker


class FakeVoice:
    def __init__(self, name: str, language) -> None:
        self._name, self._locale = name, QLocale(language)

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return self._locale


class FakeTTS(QObject):
    """The parts of QTextToSpeech that ui.speech uses."""

    class State:
        Ready, Speaking, Error = 0, 1, 3

    stateChanged = Signal(int)

    def __init__(self, languages=(QLocale.Language.English,)) -> None:
        super().__init__()
        self.voices_by_language = {lang: FakeVoice(f"voice-{lang.name}", lang) for lang in languages}
        self.said: list[tuple[str, str]] = []
        self.stops = 0
        self.current = None
        self.rate = self.volume = None

    def state(self):
        return FakeTTS.State.Ready

    def availableLocales(self):
        return [QLocale(lang) for lang in self.voices_by_language]

    def findVoices(self, locale):
        voice = self.voices_by_language.get(locale.language())
        return [voice] if voice else []

    def voice(self):
        return self.current

    def setVoice(self, voice):
        self.current = voice

    def setLocale(self, locale):
        pass

    def setRate(self, rate):
        self.rate = rate

    def setVolume(self, volume):
        self.volume = volume

    def say(self, text):
        self.said.append((text, self.current.name()))

    def stop(self, *_):
        self.stops += 1


def test_qt_speaks_the_languages_it_has_a_voice_for_and_espeak_the_rest(qtbot):
    tts, fallback = FakeTTS(), RecordingSpeaker()
    speaker = QtSpeaker(tts, fallback, rate=175, volume=50)
    speaker.say("Welcome.", "en")
    speaker.say("Selamat datang.", "id")
    assert tts.said == [("Welcome.", "voice-English")]
    assert fallback.spoken == [("Selamat datang.", "id")]
    assert tts.rate == 0.0 and tts.volume == 0.5
    assert speaker.voices() == {"en": "voice-English"} and "id via" in speaker.health().reason
    speaker.say("Welcome again.", "en")
    assert fallback.stops >= 1  # the espeak prompt is cut off when Qt speaks


def test_qt_speaker_called_from_another_thread_speaks_on_the_gui_thread(qtbot):
    tts = FakeTTS(languages=(QLocale.Language.Indonesian,))
    speaker = QtSpeaker(tts, RecordingSpeaker())
    worker = threading.Thread(target=speaker.say, args=("Selamat datang.", "id"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: tts.said == [("Selamat datang.", "voice-Indonesian")], timeout=2000)


def test_make_speaker_without_qt_text_to_speech_falls_back(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng either
    settings = Settings()
    speaker = make_speaker(settings, tts_factory=lambda parent: None)
    assert isinstance(speaker, SilentSpeaker) and "espeak-ng is not installed" in speaker.reason
    qt_only = replace(settings, speech=SpeechSettings(engine="qt"))
    assert "Qt text to speech is not installed" in make_speaker(qt_only, tts_factory=lambda parent: None).reason
    off = replace(settings, speech=SpeechSettings(enabled=False))
    assert isinstance(make_speaker(off, tts_factory=lambda parent: FakeTTS()), SilentSpeaker)
    assert isinstance(make_speaker(settings, tts_factory=lambda parent: FakeTTS()), QtSpeaker)


def test_make_speaker_real_qt_import_never_fails(qtbot):
    speaker = make_speaker(Settings())  # QtTextToSpeech absent here (no PySide6-Addons): espeak or silent
    speaker.say("Selamat datang.", "id")
    speaker.stop()
    speaker.close()
