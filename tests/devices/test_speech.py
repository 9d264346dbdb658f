"""The speech adapters: real espeak-ng audio, interruption, a missing or failing program, no blocking."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from devices.health import Status
from devices.speech import EspeakSpeaker, RecordingSpeaker, SilentSpeaker, make_speaker
from kiosk.config import SpeechSettings

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng is not installed (.ci/run installs it: apt-get install espeak-ng)"
)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def fake_espeak(folder: Path, body: str) -> Path:
    """An `espeak-ng` shell script in `folder` (put on PATH by the caller)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "espeak-ng"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@needs_espeak
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Selamat datang. Nomor antrean Anda: A, satu, tujuh."),
        ("en", "Welcome. Your queue number is A, one, seven."),
    ],
)
def test_espeak_writes_real_audio_for_each_language(tmp_path, language, text):
    speaker = EspeakSpeaker(output_dir=tmp_path)
    try:
        speaker.say(text, language)
        assert wait_for(lambda: speaker.spoken == 1), speaker.describe()
    finally:
        speaker.close()
    (wav,) = tmp_path.glob("*.wav")
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert len(data) > 20_000, len(data)  # about a second or more of 22 kHz 16-bit audio, not a header
    assert speaker.health().status == Status.OK


@needs_espeak
def test_espeak_command_uses_the_voice_rate_and_volume():
    speaker = EspeakSpeaker(rate=120, volume=80)
    assert speaker.command("id")[1:7] == ["-v", "id", "-s", "120", "-a", "80"]
    assert speaker.command("en")[2] == "en" and speaker.command("xx")[2] == "en"


def test_espeak_say_returns_at_once_and_a_newer_say_kills_the_older_process(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    fake_espeak(tmp_path / "bin", f'echo $$ >> "{pids}"\nexec sleep 30\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    speaker = EspeakSpeaker()
    try:
        started = time.perf_counter()
        speaker.say("Selamat datang.", "id")
        assert time.perf_counter() - started < 0.05  # handed over, not spoken
        assert wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 1)
        first = int(pids.read_text().split()[0])
        assert alive(first)

        started = time.perf_counter()
        speaker.say("Pilih instansi.", "id")
        assert time.perf_counter() - started < 0.05
        assert wait_for(lambda: len(pids.read_text().split()) == 2)
        assert wait_for(lambda: not alive(first), timeout=5), "the first utterance is still speaking"
        second = int(pids.read_text().split()[1])
        assert alive(second)
        assert speaker.available  # being cut off is not a failure

        speaker.stop()
        assert wait_for(lambda: not alive(second), timeout=5)
    finally:
        speaker.close()


def test_espeak_drops_queued_prompts_when_tapped_fast(tmp_path, monkeypatch):
    spoken = tmp_path / "spoken"
    # One write per prompt (text and newline together): a prompt cut off by a newer one must not
    # leave half a line for the next to run into.
    fake_espeak(tmp_path / "bin", f'printf "%s\\n" "$(cat)" >> "{spoken}"\nsleep 0.3\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    speaker = EspeakSpeaker()
    try:
        for i in range(20):
            speaker.say(f"prompt {i}", "en")
        assert wait_for(lambda: spoken.exists() and "prompt 19" in spoken.read_text())
        time.sleep(0.5)
    finally:
        speaker.close()
    lines = spoken.read_text().split("\n")
    assert "prompt 19" in lines and len([line for line in lines if line]) <= 3, lines


def test_espeak_missing_program_is_silent_and_logged_once(tmp_path, caplog):
    speaker = EspeakSpeaker(binary=str(tmp_path / "no-such-espeak"))
    with caplog.at_level(logging.INFO, logger="devices.speech"):
        for _ in range(5):
            speaker.say("Selamat datang.", "id")
            time.sleep(0.05)
        assert wait_for(lambda: not speaker.available)
        for _ in range(3):
            speaker.say("Selamat datang.", "id")
    speaker.close()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and "not installed" in messages[0], messages
    assert speaker.health().status == Status.ERROR and "not installed" in speaker.health().reason


def test_espeak_not_on_path_is_unavailable_from_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    speaker = EspeakSpeaker()
    assert not speaker.available and speaker.health().status == Status.ABSENT
    speaker.say("halo", "id")  # no exception, no thread
    assert speaker._thread is None
    silent = make_speaker(SpeechSettings())
    assert isinstance(silent, SilentSpeaker) and "espeak-ng is not installed" in silent.reason


def test_espeak_failing_program_gives_up_after_repeated_failures(tmp_path, monkeypatch, caplog):
    fake_espeak(
        tmp_path / "bin",
        'cat >/dev/null\necho "ALSA lib pcm.c: Unknown PCM default" >&2\necho "error: No such file or directory" >&2\n',
    )
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    speaker = EspeakSpeaker()
    with caplog.at_level(logging.INFO, logger="devices.speech"):
        for _ in range(6):
            speaker.say("halo", "id")
            time.sleep(0.15)
        assert wait_for(lambda: not speaker.available)
    speaker.close()
    health = speaker.health()
    assert health.status == Status.ERROR and "no sound output" in health.reason, health
    assert len(caplog.records) == 2, [r.getMessage() for r in caplog.records]  # the failure, then giving up


def test_make_speaker_follows_the_config(tmp_path, monkeypatch):
    assert isinstance(make_speaker(SpeechSettings(enabled=False)), SilentSpeaker)
    assert isinstance(make_speaker(SpeechSettings(engine="none")), SilentSpeaker)
    assert "touch UI" in make_speaker(SpeechSettings(engine="qt")).reason
    fake_espeak(tmp_path / "bin", "cat >/dev/null\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for engine in ("auto", "espeak"):
        speaker = make_speaker(SpeechSettings(engine=engine, rate=100, volume=50))
        assert isinstance(speaker, EspeakSpeaker) and speaker.rate == 100 and speaker.volume == 50


def test_silent_and_recording_speakers_never_raise(caplog):
    silent = SilentSpeaker("switched off")
    with caplog.at_level(logging.INFO, logger="devices.speech"):
        silent.say("a", "id")
        silent.say("b", "en")
    assert len(caplog.records) == 1 and "switched off" in caplog.records[0].getMessage()
    assert not silent.available and silent.health().status == Status.ABSENT
    recording = RecordingSpeaker()
    recording.say("Selamat datang.", "id")
    recording.stop()
    assert recording.spoken == [("Selamat datang.", "id")] and recording.stops == 1 and recording.available
