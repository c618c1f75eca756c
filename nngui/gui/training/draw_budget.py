"""How often the window may draw while training runs: a share of the main thread's time, measured.

Training and drawing share one interpreter lock. Whatever the main thread spends — setting a
curve's data, and then Qt painting it, laying out, handling the worker's signals — is time
the training thread waits. Timing the draw calls alone misses the painting that follows them
(on a race at full speed it was two thirds of the main thread's work), so the budget reads
the main thread's own CPU clock over the last half second and stretches every drawing
timer's interval by one factor until the main thread stays near its share. At a pace a class
can follow (30 epochs a second or slower) every epoch is still drawn as it arrives: those draws
answer the snapshots themselves and never wait for the timers.
While training is paused nothing is measured and drawing runs at its nominal rates; the
factor learned is kept for when training resumes, so a short burst of play is not spent
finding it again.
"""

from __future__ import annotations

import time

#: The main thread's share of a core the window aims at while training runs.
MAIN_THREAD_SHARE = 0.05
#: The budget is measured over about this many seconds of wall time.
WINDOW_S = 0.5
#: Drawing never slows below its nominal rate divided by this.
MAX_FACTOR = 6.0
#: How strongly one measurement moves the factor (1: all the way; less: smoother).
GAIN = 0.8


class DrawBudget:
    """The factor by which the drawing timers' nominal intervals are stretched (1 … ``MAX_FACTOR``).

    ``cpu_clock`` is the main thread's CPU clock (``time.thread_time``) and ``wall_clock`` a
    monotonic one; ``factor()`` is called from the main thread at each drawing tick.
    """

    def __init__(self, share: float = MAIN_THREAD_SHARE, cpu_clock=time.thread_time,
                 wall_clock=time.perf_counter):
        if not 0 < share < 1:
            raise ValueError(f"share: must be between 0 and 1, got {share!r}")
        self.share = share
        self._cpu_clock, self._wall_clock = cpu_clock, wall_clock
        self._factor = 1.0
        self.active = False
        self._wall, self._cpu = self._wall_clock(), self._cpu_clock()

    def set_active(self, active: bool):
        """Training runs (measure, and stretch) or is paused (draw at the nominal rates)."""
        self.active = bool(active)
        # each stretch of training is measured afresh, never across a pause
        self._wall, self._cpu = self._wall_clock(), self._cpu_clock()

    def factor(self) -> float:
        """The current stretch (1 while paused); updated once a measuring window has passed."""
        if not self.active:
            return 1.0
        wall, cpu = self._wall_clock(), self._cpu_clock()
        elapsed = wall - self._wall
        if elapsed >= WINDOW_S:
            used = max(0.0, cpu - self._cpu) / elapsed
            # the main thread's time is nearly all drawing, so it scales as 1/factor: aim at share
            wanted = self._factor * (max(used, 1e-6) / self.share) ** GAIN
            self._factor = min(MAX_FACTOR, max(1.0, wanted))
            self._wall, self._cpu = wall, cpu
        return self._factor

    def interval_ms(self, hz: float) -> int:
        """The interval of a timer whose nominal rate is ``hz``, stretched by the current factor."""
        return max(1, round(1000.0 / hz * self.factor()))
