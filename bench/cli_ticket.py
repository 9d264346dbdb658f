"""`kiosk --demo ticket KTP-EL --json` as a whole process, against bare Python start-up in the same run.

    uv run python bench/cli_ticket.py [RUNS]

Runs the venv's `kiosk` console script directly (not through `uv run`, which adds its own sync
check), RUNS times (default 15) per row, interleaved with two baselines so machine noise hits
all three alike:

    python -c pass                                       the interpreter alone
    python -c "import sqlite3, tomllib, json, argparse, uuid"   the bare modules the command needs

Each in three bytecode states (PYTHONPYCACHEPREFIX points every run at its own cache folder):

    compiled      every module's .pyc is cached (a deployed kiosk: `uv sync --compile-bytecode`,
                  then its own sources compiled on the first start, or the PyInstaller bundle)
    ours cold     the same cache without the .pyc of this project's own sources (kiosk/, devices/,
                  ...), so they are compiled on every start (PYTHONDONTWRITEBYTECODE=1)
    nothing       an empty cache folder with PYTHONDONTWRITEBYTECODE=1: every module that is not
                  frozen into the interpreter (the stdlib too) is compiled on every start

Each ticket goes into a fresh temp data folder's store (one store for all runs of a row; the
demo hall is open around the clock). Target: median <= 0.35 s, compiled.
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
BIN = Path(sys.executable).parent
KIOSK = BIN / "kiosk"
TARGET = 0.35
BARE_IMPORTS = "import sqlite3, tomllib, json, argparse, uuid"


def run(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed


def p90(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(len(values) * 0.9)) - 1)]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    if not KIOSK.exists():
        raise SystemExit(f"{KIOSK} not found: run `uv sync` first")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPYCACHEPREFIX", "KIOSK_"))}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        tmp = Path(tmp)
        warm, ours_cold, nothing = tmp / "pyc-warm", tmp / "pyc-ours-cold", tmp / "pyc-empty"
        nothing.mkdir()

        def kiosk_cmd(data: Path) -> list[str]:
            return [str(KIOSK), "--demo", "--data-dir", str(data), "ticket", "KTP-EL", "--json"]

        commands = {
            "python -c pass": lambda _data: [sys.executable, "-c", "pass"],
            "python -c 'import <bare modules>'": lambda _data: [sys.executable, "-c", BARE_IMPORTS],
            "kiosk ticket": kiosk_cmd,
        }
        # Fill the warm cache: every command once, writing .pyc files.
        for make in commands.values():
            run(make(tmp / "data-warm-up"), {**base_env, "PYTHONPYCACHEPREFIX": str(warm)})
        shutil.copytree(warm, ours_cold)
        mirrored = ours_cold / ROOT.relative_to(ROOT.anchor)
        removed = sum(1 for _ in mirrored.rglob("*.pyc"))
        shutil.rmtree(mirrored, ignore_errors=True)
        states = {
            "compiled": warm,
            "ours cold": ours_cold,
            "nothing": nothing,
        }
        results: dict[tuple[str, str], list[float]] = {}
        for state, cache in states.items():
            env = {**base_env, "PYTHONPYCACHEPREFIX": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
            data = tmp / f"data-{state.replace(' ', '-')}"
            for _ in range(runs):
                for name, make in commands.items():  # interleaved: noise hits every row alike
                    results.setdefault((state, name), []).append(run(make(data), env))

    print(f"`kiosk --demo --data-dir TMP ticket KTP-EL --json`, run as {KIOSK} (the console script, not `uv run`)")
    print(f"{runs} runs per row, interleaved; seconds; 'ours cold' dropped {removed} .pyc files of this project")
    print(f"{'bytecode':<10} {'command':<36} {'median':>7} {'p90':>7}   ratio to 'pass'   ratio to bare imports")
    for state in states:
        base = statistics.median(results[(state, "python -c pass")])
        bare = statistics.median(results[(state, "python -c 'import <bare modules>'")])
        for name in commands:
            values = results[(state, name)]
            med = statistics.median(values)
            print(f"{state:<10} {name:<36} {med:7.3f} {p90(values):7.3f}   {med / base:14.2f}   {med / bare:20.2f}")
    compiled = statistics.median(results[("compiled", "kiosk ticket")])
    verdict = "PASS" if compiled <= TARGET else "FAIL"
    print(f"target: kiosk ticket median <= {TARGET:.2f} s with bytecode compiled -> {verdict} ({compiled:.3f} s)")
    extra = compiled - statistics.median(results[("compiled", "python -c 'import <bare modules>'")])
    print(f"kiosk ticket minus the bare imports, compiled: {extra * 1000:.0f} ms (our imports, the store, the print)")


if __name__ == "__main__":
    main()
