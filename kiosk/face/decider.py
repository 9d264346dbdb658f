"""A decision needs agreement over several consecutive frames.

Feed every frame's `FrameResult` to `Decider.feed`. A usable frame (reason "ok") extends the run
when it names the same person as the run (or, for "nobody enrolled", also nobody); anything else
starts the run afresh: another name, or a frame without a usable face (a face that left, turned
away or blurred). When the run reaches `frames`, `feed` returns the `Decision` (the run's largest
distance: the weakest frame speaks for it) and starts again; until then it returns None. One bad
frame thus never decides, and a photo flashed for one frame never passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.face.pipeline import FrameResult

_UNSET = object()


@dataclass(frozen=True)
class Decision:
    """`name` the person the frames agreed on, None for "not enrolled"; `distance` the largest of
    the run; `frames` how many frames agreed."""

    name: str | None
    distance: float
    frames: int


class Decider:
    """Agreement over `frames` consecutive usable frames (`[face] frames`)."""

    def __init__(self, frames: int = 3) -> None:
        if frames < 1:
            raise ValueError("frames must be at least 1")
        self.frames = frames
        self.reset()

    def reset(self) -> None:
        """Forget the run (a new visitor, or the session was wiped)."""
        self._name: object = _UNSET
        self._count = 0
        self._worst = 0.0

    @property
    def run(self) -> int:
        """How many consecutive frames agree so far."""
        return self._count

    def feed(self, result: FrameResult) -> Decision | None:
        """One frame's result; the `Decision` once `frames` consecutive frames agree, else None."""
        if not result.ok or result.distance is None:
            self.reset()
            return None
        if self._count and result.name == self._name:
            self._count += 1
            self._worst = max(self._worst, result.distance)
        else:
            self._name, self._count, self._worst = result.name, 1, result.distance
        if self._count >= self.frames:
            decision = Decision(result.name, self._worst, self._count)
            self.reset()
            return decision
        return None
