"""Driving kiosk/flow.py without a screen."""

from __future__ import annotations


class SyncRunner:
    """Runs the work at once on the calling thread; `later` calls are kept, not run."""

    def __init__(self) -> None:
        self.later_calls: list = []

    def run(self, fn, *, on_success, on_failure=None, on="writer") -> None:
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - handed over like ui/ops.py does
            if on_failure is None:
                raise
            on_failure(exc)
        else:
            on_success(value)

    def later(self, ms: int, fn) -> None:
        self.later_calls.append((ms, fn))
