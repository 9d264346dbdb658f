"""Start-up time: process start to the idle screen painted, and to interactive (store open, catalog loaded).

    uv run python bench/startup.py [RUNS]

Runs `kiosk --demo` offscreen RUNS times (default 9) in fresh processes and prints the median,
next to a bare PySide6 window measured the same way in the same run, for scale.
Target (issue #2): median <= 1.0 s on the 2-core reference machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = (
    "import time\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    "app = QApplication([])\n"
    "w = QLabel('hello'); w.resize(1080, 1920); w.show(); app.processEvents()\n"
    "print(f'ready {time.time():.6f}', flush=True)\n"
)


def time_to(cmd: list[str], env: dict) -> dict[str, float]:
    """Seconds from spawning `cmd` to each "<event> <epoch>" line it prints ("shown", "ready")."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    seen = {}
    for line in proc.stdout:
        event, _, stamp = line.partition(" ")
        seen[event] = float(stamp) - start
        if event == "ready":
            break
    proc.wait(timeout=30)
    if "ready" not in seen:
        raise SystemExit(f"no 'ready' line from {cmd}")
    return seen


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STARTUP_PROBE": "1", "PYTHONPATH": str(ROOT)}
    kiosk, shown, bare = [], [], []
    with tempfile.TemporaryDirectory() as data:
        for _ in range(runs):
            seen = time_to([sys.executable, "-m", "kiosk.cli", "--demo", "--data-dir", data], env)
            kiosk.append(seen["ready"])
            shown.append(seen["shown"])
            bare.append(time_to([sys.executable, "-c", BARE], env)["ready"])
    k, s, b = statistics.median(kiosk), statistics.median(shown), statistics.median(bare)
    print(f"idle screen painted:                      median {s * 1000:.0f} ms")
    print(
        f"interactive (store open, catalog loaded): median {k * 1000:.0f} ms "
        f"(min {min(kiosk) * 1000:.0f}, max {max(kiosk) * 1000:.0f}, {runs} runs)"
    )
    print(f"bare PySide6 window, same run:            median {b * 1000:.0f} ms")
    print(f"ratio kiosk / bare window: {k / b:.2f}; target: median <= 1000 ms -> {'PASS' if k <= 1.0 else 'FAIL'}")


if __name__ == "__main__":
    main()
