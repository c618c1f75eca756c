"""Stepped axis ranges for the live plots.

Left to auto-range, a plot's axes move a hair with every new epoch, and pyqtgraph then
re-lays-out and redraws both axes (ticks and grid) each frame. Ranges that step —
the epoch axis to 100, 200, 500, 1000, … or the epoch limit; the loss and learning
rate to a round number above their largest value — change a handful of times in a
run, so the axes stay cached pictures and a frame only redraws the curves.
"""

from __future__ import annotations

import math

import numpy as np

from .qt import QtWidgets

NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
PADDING = 0.02
#: Room above the largest value, so a flat curve at its maximum never hides under the frame.
HEADROOM = 1.05


def x_range_end(epoch: int, limit: int = 0) -> int:
    """The end of the epoch axis: the first of 100, 200, 500, 1000, 2000, … past ``epoch``.

    With an epoch limit, the limit itself once the next step would pass it, so the
    curves end at the right edge when training stops.
    """
    end = 100
    while end <= epoch:
        end = end * 5 // 2 if str(end)[0] == "2" else end * 2
    return limit if limit and epoch <= limit and end * 5 // 4 >= limit else end


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is at least ``value`` (> 0)."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * scale >= value * (1 - 1e-12):
            return float(f"{step * scale:.12g}")  # 0.3, not 0.30000000000000004
    return float(f"{10.0 * scale:.12g}")


def _finite_max(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else -math.inf


class PlotRanges:
    """Keeps the loss, accuracy and learning-rate plots on stepped ranges."""

    def __init__(self, loss_plot, accuracy_plot, learning_rate_plot):
        self.loss_plot, self.accuracy_plot, self.learning_rate_plot = loss_plot, accuracy_plot, learning_rate_plot
        self.plots = (loss_plot, accuracy_plot, learning_rate_plot)
        for plot in self.plots:
            # a loss axis up to 0.8 must read 0.2 … 0.8, not "loss (x0.001)" with 200 … 800
            plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
            for side in ("left", "bottom"):
                # an axis (with its grid lines) is drawn once into a pixmap and blitted until it changes
                plot.getPlotItem().getAxis(side).setCacheMode(
                    QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._previous_loss_max = self._previous_rate_max = -math.inf
        self.reset()

    def set_previous(self, history):
        """Keep the previous run's curves (a HistoryView, or None) inside the y ranges; applied by the next ``update``.

        Only its maxima count: the epoch axis keeps stepping with the live run.
        """
        if history is None or len(history) == 0:
            self._previous_loss_max = self._previous_rate_max = -math.inf
        else:
            # one scan of the finished run, once per reset
            self._previous_loss_max = _finite_max(history.loss)
            self._previous_rate_max = _finite_max(history.learning_rate)
        self.loss_top = self.rate_top = None

    def reset(self):
        """Forget the live run's extremes (after the plots were cleared); the previous run's stay."""
        self.x_end = self.x_limit = None
        self.loss_top = self.rate_top = None
        self._loss_max = self._rate_max = -math.inf
        self._scanned = 0

    def update(self, history, limit: int, planned_rate: float):
        """Fit the ranges to ``history`` (a HistoryView), the epoch ``limit`` and the set learning rate."""
        n = len(history)
        if n < self._scanned:
            self.reset()
        if n > self._scanned:
            # only the epochs added since the last frame: the maxima never need a full scan
            new = slice(self._scanned, n)
            self._loss_max = max(self._loss_max, _finite_max(history.loss[new]),
                                 _finite_max(history.test_loss[new]))
            self._rate_max = max(self._rate_max, _finite_max(history.learning_rate[new]))
            self._scanned = n
        self.set_x_end(x_range_end(n, limit), limit)
        loss_max = max(self._loss_max, self._previous_loss_max)
        loss_top = nice_ceiling(loss_max * HEADROOM) if loss_max > 0 else 1.5
        if loss_top != self.loss_top:
            self.loss_top = loss_top
            self.loss_plot.getPlotItem().setYRange(0, loss_top, padding=PADDING)
        rate_top = nice_ceiling(max(self._rate_max, self._previous_rate_max, planned_rate) * HEADROOM)
        if rate_top != self.rate_top:
            self.rate_top = rate_top
            self.learning_rate_plot.getPlotItem().setYRange(0, rate_top, padding=PADDING)

    def set_x_end(self, end: int, limit: int = 0):
        """Show epochs 0 … ``end`` on the metric plots, and the learning rate's whole plan up to ``limit``."""
        if (end, limit) != (self.x_end, self.x_limit):
            self.x_end, self.x_limit = end, limit
            # the schedule is known before training: the class sees the whole planned decay at once
            for plot, plot_end in ((self.loss_plot, end), (self.accuracy_plot, end),
                                   (self.learning_rate_plot, max(end, limit))):
                plot.getPlotItem().setXRange(0, plot_end, padding=PADDING)
