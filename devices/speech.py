"""Spoken prompts: one small Protocol, an espeak-ng adapter, a silent one and a recording one.

No Qt here; `ui.speech` adds Qt's text to speech in front of these when it has a voice.

What every `Speaker` promises:

* `say(text, language)` returns at once (it never waits for audio) and never raises. A newer
  utterance replaces an older one: the one speaking is cut off, one still waiting is dropped, so
  a visitor tapping quickly hears the current screen, not a backlog of prompts.
* `stop()` silences it (the visitor walked away, the session was wiped).
* `available` is False when it cannot make a sound (not installed, switched off, or failing);
  `health()` says why, as a DeviceHealth of kind "speech", and never raises.
* `close()` stops it and ends its worker thread (at shutdown).

A speaker that cannot speak logs why once, at the first `say`, and stays silent.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Protocol

from devices.health import DeviceHealth, Status

log = logging.getLogger(__name__)

ESPEAK_BINARY = "espeak-ng"
#: espeak-ng voice per kiosk language (any other language is spoken with the English voice).
ESPEAK_VOICES = {"id": "id", "en": "en"}
#: espeak-ng's own speed, words per minute (`-s`): our `rate` is given in the same unit.
ESPEAK_DEFAULT_RATE = 175
#: Longest one utterance may take before its process is killed (a hung audio device).
MAX_UTTERANCE_SECONDS = 60.0
#: Failed runs in a row after which the espeak speaker gives up and stays silent.
MAX_FAILURES = 3


class Speaker(Protocol):
    """Says short texts aloud, never blocking and never raising (see the module docstring)."""

    name: str

    @property
    def available(self) -> bool: ...

    def say(self, text: str, language: str) -> None: ...

    def stop(self) -> None: ...

    def health(self) -> DeviceHealth: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...


class SilentSpeaker:
    """Says nothing; logs once, at the first `say`, why the kiosk is silent."""

    kind = "speech"

    def __init__(self, reason: str, *, status: Status = Status.ABSENT, name: str = "speech (silent)") -> None:
        self.name = name
        self.reason = reason
        self.status = status
        self._logged = False

    @property
    def available(self) -> bool:
        return False

    def say(self, text: str, language: str) -> None:
        if not self._logged:
            self._logged = True
            log.info("spoken prompts are silent: %s", self.reason)

    def stop(self) -> None:
        pass

    def health(self) -> DeviceHealth:
        return DeviceHealth(self.name, self.kind, self.status, self.reason)

    def describe(self) -> str:
        return f"silent: {self.reason}"

    def close(self) -> None:
        pass


class RecordingSpeaker:
    """Keeps what it was asked to say, for tests: `spoken` lists (text, language), `stops` counts
    `stop()` calls. Says nothing aloud."""

    kind = "speech"

    def __init__(self, name: str = "speech (recording)") -> None:
        self.name = name
        self.spoken: list[tuple[str, str]] = []
        self.stops = 0

    @property
    def available(self) -> bool:
        return True

    @property
    def last(self) -> tuple[str, str] | None:
        """The latest (text, language), or None."""
        return self.spoken[-1] if self.spoken else None

    def say(self, text: str, language: str) -> None:
        self.spoken.append((text, language))

    def stop(self) -> None:
        self.stops += 1

    def health(self) -> DeviceHealth:
        return DeviceHealth(self.name, self.kind, Status.OK, f"recorded {len(self.spoken)} utterances")

    def describe(self) -> str:
        return "recording (tests)"

    def close(self) -> None:
        pass


class EspeakSpeaker:
    """Speaks with the espeak-ng program, one process per utterance, on a worker thread of its own.

    `say` only hands the text to the worker (and kills the process still speaking, if any); the
    worker runs `espeak-ng -v id|en -s RATE -a AMPLITUDE -b 1 --stdin`. With `output_dir`, each
    utterance is written to `<output_dir>/utterance-<n>.wav` (`-w`) instead of the sound card:
    the file sink tests use to prove real audio is made, and a technician can listen to.

    A missing program, or one that fails `MAX_FAILURES` times in a row (no sound card, a missing
    voice), is logged once and leaves the speaker silent; `health()` says which.
    """

    kind = "speech"

    def __init__(
        self,
        *,
        binary: str | None = None,
        rate: int = 150,
        volume: int = 100,
        output_dir: Path | None = None,
        name: str = "speech (espeak-ng)",
    ) -> None:
        self.name = name
        self.binary = binary if binary is not None else shutil.which(ESPEAK_BINARY)
        self.rate = rate
        self.volume = volume
        self.output_dir = Path(output_dir) if output_dir is not None else None
        self.spoken = 0  # utterances that ran to their end
        self._cond = threading.Condition()
        self._pending: tuple[str, str] | None = None
        self._generation = 0  # bumped by every say() and stop(): a process of an older one is stale
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._failures = 0
        self._broken: str | None = None if self.binary else f"{ESPEAK_BINARY} is not installed"
        self._logged: set[str] = set()
        self._files = 0

    @property
    def available(self) -> bool:
        return self._broken is None and not self._closed

    def command(self, language: str) -> list[str]:
        """The espeak-ng command line for one utterance in `language` (the text goes to stdin)."""
        voice = ESPEAK_VOICES.get(language, ESPEAK_VOICES["en"])
        # Our volume 0..100 % is espeak-ng's amplitude 0..100 (its default; it goes to 200, distorted).
        return [str(self.binary), "-v", voice, "-s", str(self.rate), "-a", str(self.volume), "-b", "1", "--stdin"]

    # --- the caller's side: nothing here waits for audio --------------------------------------

    def say(self, text: str, language: str) -> None:
        try:
            if not text.strip():
                return
            if self._broken is not None or self._closed:
                self._log_once(self._broken or "closed", "spoken prompts are silent: %s")
                return
            with self._cond:
                self._generation += 1
                self._pending = (text, language)
                self._kill_current()
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="kiosk-speech", daemon=True)
                    self._thread.start()
                self._cond.notify()
        except Exception:  # never raise into the UI
            log.exception("speech: say() failed")

    def stop(self) -> None:
        try:
            with self._cond:
                self._generation += 1
                self._pending = None
                self._kill_current()
        except Exception:
            log.exception("speech: stop() failed")

    def close(self) -> None:
        """Stop speaking and end the worker thread (waits up to 2 s for it)."""
        with self._cond:
            self._closed = True
            self._generation += 1
            self._pending = None
            self._kill_current()
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)

    def health(self) -> DeviceHealth:
        if self._broken is not None:
            status = Status.ABSENT if not self.binary else Status.ERROR
            return DeviceHealth(self.name, self.kind, status, self._broken)
        where = f"writes WAV files to {self.output_dir}" if self.output_dir else "speaks on the sound card"
        return DeviceHealth(self.name, self.kind, Status.OK, f"{self.binary}, {where}, rate {self.rate} wpm")

    def describe(self) -> str:
        h = self.health()
        return f"{h.status}: {h.reason}"

    def _kill_current(self) -> None:
        """Cut off the utterance speaking now (caller holds the lock). Sending a signal: no wait."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                proc.kill()
            except OSError:
                pass

    # --- the worker thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                (text, language), generation = self._pending, self._generation
                self._pending = None
            try:
                self._speak(text, language, generation)
            except Exception:  # keep the worker alive whatever happens
                log.exception("speech: the espeak-ng worker failed")

    def _speak(self, text: str, language: str, generation: int) -> None:
        command = self.command(language)
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            self._files += 1
            command[1:1] = ["-w", str(self.output_dir / f"utterance-{self._files:04d}.wav")]
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                close_fds=True,
            )
        except FileNotFoundError:
            self._give_up(f"{self.binary} is not installed")
            return
        except OSError as exc:
            self._give_up(f"{self.binary} could not be started: {exc.strerror or exc}")
            return
        with self._cond:
            self._proc = proc
            if generation != self._generation:  # a newer say() or stop() came while it started
                self._kill_current()
        try:
            _, err = proc.communicate(text.encode("utf-8"), timeout=MAX_UTTERANCE_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            err = (err or b"") + b"\nerror: timed out"
        with self._cond:
            self._proc = None
            interrupted = generation != self._generation
        if interrupted:
            return
        problem = _failure(proc.returncode, err or b"")
        if problem is None:
            self._failures = 0
            self.spoken += 1
            return
        self._failures += 1
        self._log_once(problem, "speech: espeak-ng failed: %s")
        if self._failures >= MAX_FAILURES:
            self._give_up(f"{ESPEAK_BINARY} failed {self._failures} times in a row: {problem}")

    def _give_up(self, reason: str) -> None:
        self._broken = reason
        self._log_once(reason, "spoken prompts are silent: %s")

    def _log_once(self, reason: str, message: str) -> None:
        if reason not in self._logged:
            self._logged.add(reason)
            log.warning(message, reason)


def _failure(returncode: int | None, stderr: bytes) -> str | None:
    """Why an espeak-ng run failed, or None. espeak-ng exits 0 even when it found no sound card,
    so its "error: ..." lines on stderr count as well (ALSA's own chatter does not)."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    errors = [line.strip() for line in lines if line.lower().startswith("error")]
    if errors and any("alsa" in line.lower() or "pulse" in line.lower() for line in lines):
        errors[-1] = f"no sound output ({errors[-1]})"
    if returncode:
        detail = errors[-1] if errors else (lines[-1].strip() if lines else "")
        return f"exit code {returncode}" + (f" ({detail})" if detail else "")
    if errors:
        return errors[-1]
    return None


def make_speaker(speech_settings, *, output_dir: Path | None = None) -> Speaker:
    """The speaker `[speech]` asks for, without Qt: espeak-ng for "auto" and "espeak", else silent.

    `speech_settings` is `settings.speech` (enabled, engine, rate, volume). "qt" needs the touch
    UI (`ui.speech.make_speaker`); here it is silent, with that reason.
    """
    s = speech_settings
    if not s.enabled:
        return SilentSpeaker("switched off ([speech] enabled = false)")
    if s.engine == "none":
        return SilentSpeaker('switched off ([speech] engine = "none")')
    if s.engine == "qt":
        return SilentSpeaker("Qt text to speech is only available in the touch UI")
    speaker = EspeakSpeaker(rate=s.rate, volume=s.volume, output_dir=output_dir)
    if not speaker.available:
        return SilentSpeaker(f"{ESPEAK_BINARY} is not installed (apt-get install espeak-ng)")
    return speaker
