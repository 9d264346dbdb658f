"""Test setup: Qt offscreen, no files outside tmp, a fixed hall clock."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(tempfile.gettempdir()) / "mpp-kiosk-test-escpos"))
Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)
os.environ["KIOSK_DATA_DIR"] = tempfile.mkdtemp(prefix="mpp-kiosk-test-")  # never the user's own folder
atexit.register(shutil.rmtree, os.environ["KIOSK_DATA_DIR"], ignore_errors=True)

import pytest  # noqa: E402

from kiosk.clock import ZONES, FixedClock  # noqa: E402
from kiosk.config import load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FACES = ROOT.parent / "shared" / "fixtures" / "faces"

#: A Tuesday morning in a WIB hall, inside every service's opening hours.
TUESDAY_0900 = datetime(2026, 11, 24, 9, 0, tzinfo=ZONES["WIB"])


@pytest.fixture(autouse=True)
def _keep_sigpipe_ignored():
    """`kiosk.cli.main` sets SIGPIPE to its default (so `kiosk catalog | head` ends quietly); a test
    that calls it in-process must not leave that behind, or a later test writing to a closed
    socket kills the whole test process (exit 141) instead of raising BrokenPipeError."""
    import signal

    old = signal.getsignal(signal.SIGPIPE)
    yield
    if signal.getsignal(signal.SIGPIPE) != old:
        signal.signal(signal.SIGPIPE, old)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY_0900)


@pytest.fixture
def settings(tmp_path):
    """Real-hall settings (opening hours enforced) with the simulated file printer."""
    cfg = tmp_path / "kiosk.toml"
    # Silent: a test that wants to hear the kiosk passes a RecordingSpeaker (devices/speech.py).
    cfg.write_text(
        '[printer]\nkind = "file"\n[kiosk]\nshort_code = "1"\nid = "test-kiosk-1"\n[speech]\nengine = "none"\n'
        # No camera or scanner unless a test brings its own (the window would start them).
        '[camera]\nkind = "none"\n[scanner]\nkind = "none"\n'
    )
    return load(cfg, data_dir=tmp_path / "data")


@pytest.fixture
def kiosk(settings, clock):
    from kiosk.app import build

    k = build(settings, clock=clock)
    yield k
    k.close()


_exit_status = {"code": 0}


def pytest_sessionfinish(session, exitstatus):
    _exit_status["code"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's finalisation once pytest has reported everything.

    About one full run in ten to forty ended in a "Fatal Python error" after the summary, with
    the main thread back at pytest's top level: a crash while Python tears down Qt's objects
    and the test servers' threads at exit, not in any test. The exit handlers (the throwaway
    PostgreSQL server, the test data folder) still run; then the process ends with pytest's own
    status. The kiosk app itself closes its window, threads and store before it returns.
    """
    import atexit
    import sys

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status["code"])
