"""The touch UI's speaker: Qt's text to speech where it has a voice, else espeak-ng, else silence.

    speaker = make_speaker(settings)            # once, on the GUI thread, at start-up
    speaker.say(prompt(Step.IDLE, "id"), "id")  # from a screen: returns at once
    speaker.stop()                              # session wiped
    speaker.close()                             # at shutdown

`PySide6.QtTextToSpeech` ships in PySide6-Addons, which the kiosk does not depend on; without it
(or without a voice for the language: an Indonesian voice for "id") the kiosk speaks with
espeak-ng (`devices.speech.EspeakSpeaker`), and without that it is silent and says why in the log
and in `health()`. Nothing here waits for audio: QTextToSpeech synthesises asynchronously on the
GUI thread's event loop, espeak-ng runs on its own worker thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal

from devices.health import DeviceHealth, Status
from devices.speech import SilentSpeaker, Speaker
from devices.speech import make_speaker as make_device_speaker

log = logging.getLogger(__name__)

#: Kiosk language -> the QLocale language a Qt voice must speak.
QT_LANGUAGES = {"id": QLocale.Language.Indonesian, "en": QLocale.Language.English}


class QtSpeaker(QObject):
    """Speaks through a QTextToSpeech for the languages it has a voice for, through `fallback`
    for the others (and until the Qt engine is ready). A newer `say` cuts off the older one in
    both. May be called from any thread: the work is done on the thread that owns this object."""

    kind = "speech"
    _say_requested = Signal(str, str)
    _stop_requested = Signal()

    def __init__(
        self, tts: Any, fallback: Speaker, *, rate: int = 150, volume: int = 100, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.name = "speech (Qt text to speech)"
        self._tts = tts
        self._fallback = fallback
        self._voices: dict[str, Any] = {}  # language -> QVoice (or None: no voice), while ready
        try:
            # Qt's rate is -1..1 around the engine's normal speed; ours is words per minute.
            tts.setRate(max(-1.0, min(1.0, rate / 175 - 1)))
            tts.setVolume(max(0.0, min(1.0, volume / 100)))
            tts.stateChanged.connect(self._forget_voices)
        except Exception:
            log.exception("speech: could not set up Qt text to speech")
        self._say_requested.connect(self._do_say)
        self._stop_requested.connect(self._do_stop)

    @property
    def available(self) -> bool:
        return any(self._voice(language) is not None for language in QT_LANGUAGES) or self._fallback.available

    def say(self, text: str, language: str) -> None:
        try:
            self._say_requested.emit(text, language)
        except Exception:  # never raise into a screen
            log.exception("speech: say() failed")

    def stop(self) -> None:
        try:
            self._stop_requested.emit()
        except Exception:
            log.exception("speech: stop() failed")

    def close(self) -> None:
        self._do_stop()
        self._fallback.close()

    def voices(self) -> dict[str, str]:
        """{language: Qt voice name} for the kiosk languages Qt can speak now."""
        return {lang: voice.name() for lang in QT_LANGUAGES if (voice := self._voice(lang)) is not None}

    def health(self) -> DeviceHealth:
        voices = self.voices()
        if not voices:
            fallback = self._fallback.health()
            return DeviceHealth(self.name, self.kind, fallback.status, f"Qt has no voice; {fallback.reason}")
        missing = [lang for lang in QT_LANGUAGES if lang not in voices]
        reason = "Qt voices: " + ", ".join(f"{lang} {name}" for lang, name in voices.items())
        if missing:
            reason += f"; {', '.join(missing)} via {self._fallback.describe()}"
        return DeviceHealth(self.name, self.kind, Status.OK, reason)

    def describe(self) -> str:
        h = self.health()
        return f"{h.status}: {h.reason}"

    # --- on the owning (GUI) thread ------------------------------------------------------------

    def _do_say(self, text: str, language: str) -> None:
        try:
            voice = self._voice(language)
            if voice is None:
                self._stop_qt()
                self._fallback.say(text, language)
                return
            self._fallback.stop()
            self._stop_qt()
            if self._tts.voice() != voice:
                self._tts.setLocale(voice.locale())
                self._tts.setVoice(voice)
            self._tts.say(text)
        except Exception:
            log.exception("speech: Qt text to speech failed")

    def _do_stop(self) -> None:
        self._stop_qt()
        self._fallback.stop()

    def _stop_qt(self) -> None:
        try:
            self._tts.stop()
        except Exception:
            log.exception("speech: Qt text to speech could not stop")

    def _forget_voices(self, *_: Any) -> None:
        self._voices.clear()

    def _voice(self, language: str) -> Any | None:
        """The Qt voice for `language`, or None (not ready, failed, or no voice for it)."""
        if language in self._voices:
            return self._voices[language]
        try:
            state = self._tts.state()
            if state == type(self._tts).State.Error:
                return None
            if not self._tts.availableLocales():
                return None  # still starting: ask again at the next say (stateChanged clears the cache)
            found = _find_voice(self._tts, QT_LANGUAGES.get(language))
        except Exception:
            log.exception("speech: could not list Qt voices")
            found = None
        self._voices[language] = found
        return found


def _find_voice(tts: Any, qt_language: Any) -> Any | None:
    """A voice of `tts` that speaks `qt_language`, or None."""
    if qt_language is None:
        return None
    for locale in tts.availableLocales():
        if locale.language() != qt_language:
            continue
        if hasattr(tts, "findVoices"):  # Qt 6.6+
            voices = tts.findVoices(locale)
        else:
            tts.setLocale(locale)
            voices = tts.availableVoices()
        if voices:
            return voices[0]
    return None


def qt_text_to_speech(parent: QObject | None = None) -> Any | None:
    """A QTextToSpeech on the default engine, or None when PySide6-Addons is not installed or no
    engine loads. Build it on the GUI thread."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        log.info("speech: Qt text to speech is not installed (PySide6-Addons); trying espeak-ng")
        return None
    try:
        tts = QTextToSpeech(parent)
    except Exception:
        log.exception("speech: Qt text to speech did not start")
        return None
    if tts.state() == QTextToSpeech.State.Error:
        log.info("speech: Qt text to speech has no working engine (%s)", tts.errorString())
        return None
    return tts


def make_speaker(settings, *, parent: QObject | None = None, tts_factory=qt_text_to_speech) -> Speaker:
    """The speaker `settings.speech` asks for; call on the GUI thread.

    engine "auto": Qt's voice per language, espeak-ng where Qt has none, silent without either;
    "qt": Qt only; "espeak": espeak-ng only; "none" or enabled = false: silent.
    """
    s = settings.speech
    if not s.enabled or s.engine in ("none", "espeak"):
        return make_device_speaker(s)
    tts = tts_factory(parent)
    if s.engine == "qt":
        fallback: Speaker = SilentSpeaker('Qt has no voice for this language ([speech] engine = "qt")')
        if tts is None:
            return SilentSpeaker('Qt text to speech is not installed or has no engine ([speech] engine = "qt")')
    else:
        fallback = make_device_speaker(s)
        if tts is None:
            return fallback
    return QtSpeaker(tts, fallback, rate=s.rate, volume=s.volume, parent=parent)
