"""Start-up time: process start to the idle screen's first real paint, and to interactive.

    uv run python bench/startup.py [RUNS]

Runs `python -m kiosk --demo` offscreen RUNS times (default 9) per bytecode state in fresh
processes, interleaved with a bare PySide6 window (QApplication + one QLabel) for scale.
`KIOSK_STARTUP_PROBE` (ui/window/probe.py, startup_probe) makes the kiosk print

    shown <epoch>   the first paint pass that drew the idle screen has returned (all widgets
                    painted and the backing store flushed), caught on the real expose/update
                    event, not on a timer
    ready <epoch>   a tap would be served: the backend started (store open, catalog loaded)
                    and the event loop turned once after it

The bare window is measured with the same paint probe. Bytecode states, as in bench/cli_ticket.py
(PYTHONPYCACHEPREFIX points each run at its own cache folder):

    compiled      every module's .pyc cached
    ours cold     the same without this project's own .pyc: kiosk/, ui/, devices/ compiled on each start
    nothing       an empty cache (PYTHONDONTWRITEBYTECODE=1): everything not frozen is compiled each start

Target: interactive median <= 0.6 s, compiled and ours cold.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.6
BARE = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
w = QLabel("hello")

class Probe(QObject):
    inside = painted = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is w:
            self.painted = True
        if self.inside or event.type() not in (QEvent.Type.Expose, QEvent.Type.UpdateRequest):
            return False
        self.inside = True
        QApplication.sendEvent(watched, event)
        self.inside = False
        if self.painted:
            app.removeEventFilter(self)
            print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return True

probe = Probe()
app.installEventFilter(probe)
w.resize(1080, 1920)
w.show()
app.exec()
"""


def time_to(cmd: list[str], env: dict) -> dict[str, float]:
    """Seconds from spawning `cmd` to each "<event> <epoch>" line it prints."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    seen = {}
    for line in out.splitlines():
        event, _, stamp = line.partition(" ")
        if stamp:
            seen[event] = float(stamp) - start
    if "shown" not in seen:
        raise SystemExit(f"no 'shown' line from {cmd[:4]}...: {err[-2000:]}")
    return seen


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPYCACHEPREFIX", "KIOSK_"))}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    base_env.update({"QT_QPA_PLATFORM": "offscreen", "KIOSK_STARTUP_PROBE": "1", "PYTHONPATH": str(ROOT)})
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        kiosk_cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(data)]
        bare_cmd = [sys.executable, "-c", BARE]
        warm, ours_cold, nothing = tmp / "pyc-warm", tmp / "pyc-ours-cold", tmp / "pyc-empty"
        nothing.mkdir()
        for cmd in (kiosk_cmd, bare_cmd):  # fill the warm cache (and create the demo store)
            time_to(cmd, {**base_env, "PYTHONPYCACHEPREFIX": str(warm)})
        shutil.copytree(warm, ours_cold)
        shutil.rmtree(ours_cold / ROOT.relative_to(ROOT.anchor), ignore_errors=True)
        states = {"compiled": warm, "ours cold": ours_cold, "nothing": nothing}
        shown: dict[str, list[float]] = {s: [] for s in states}
        ready: dict[str, list[float]] = {s: [] for s in states}
        bare: dict[str, list[float]] = {s: [] for s in states}
        for _ in range(runs):
            for state, cache in states.items():  # interleaved: machine noise hits every state alike
                env = {**base_env, "PYTHONPYCACHEPREFIX": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
                seen = time_to(kiosk_cmd, env)
                if "ready" not in seen:
                    raise SystemExit("the kiosk printed no 'ready' line")
                shown[state].append(seen["shown"])
                ready[state].append(seen["ready"])
                bare[state].append(time_to(bare_cmd, env)["shown"])

    print(f"`python -m kiosk --demo`, offscreen, {runs} runs per state, interleaved; medians in ms (min-max)")
    print(f"{'bytecode':<10} {'idle screen painted':>22} {'interactive':>20} {'bare window painted':>22}  ratios")

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"

    verdicts = []
    for state in states:
        b = statistics.median(bare[state])
        s, r = statistics.median(shown[state]), statistics.median(ready[state])
        print(
            f"{state:<10} {cell(shown[state]):>22} {cell(ready[state]):>20} {cell(bare[state]):>22}"
            f"  painted/bare {s / b:.2f}, interactive/bare {r / b:.2f}"
        )
        if state != "nothing":
            verdicts.append(f"{state} {r * 1000:.0f} ms {'PASS' if r <= TARGET else 'FAIL'}")
    print(f"target: interactive median <= {TARGET * 1000:.0f} ms -> " + ", ".join(verdicts))


if __name__ == "__main__":
    main()
