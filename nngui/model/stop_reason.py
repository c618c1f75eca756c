"""Why a stretch of training ended: one word the training thread sends and every reader compares.

A ``str`` Enum, so a reason still prints and compares as its word (``StopReason.LIMIT == "limit"``)
in logs, scripts and JSON, while the code names it once.
"""

from __future__ import annotations

from enum import Enum


class StopReason(str, Enum):
    """The reasons a run of the race stops training."""

    PAUSE = "pause"          # the teacher paused (or looked back)
    STEP = "step"            # one epoch of every run was trained (Step)
    WALK = "walk"            # one call of a walked epoch was made (Step into)
    LIMIT = "limit"          # the epoch limit was reached
    DIVERGED = "diverged"    # every run of the race has diverged
    ERROR = "error"          # training raised an error
    RESET = "reset"          # a reset came while training

    def __str__(self) -> str:
        return self.value

    @property
    def is_final(self) -> bool:
        """Whether training cannot go on without a change: the limit, every run diverged, an error."""
        return self in (StopReason.LIMIT, StopReason.DIVERGED, StopReason.ERROR)
