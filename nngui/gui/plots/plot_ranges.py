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

from nngui.gui.qt import QtWidgets

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
    """Keeps the loss, accuracy and learning-rate plots on stepped ranges that hold everything shown.

    Everything shown: every live run of a race (``update_runs``), the pinned runs
    (``set_pins``) and the planned learning rates.
    """

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
        self._pin_loss_max = self._pin_rate_max = -math.inf
        self._pin_epochs = 0
        self.reset()

    def set_pins(self, histories):
        """Keep the pinned runs' histories (HistoryViews; () for none) inside the ranges; applied by the next update.

        Their highest loss and learning rate count, and their length: the epoch axis
        reaches at least to a pin's last epoch, so a pinned run is seen whole.
        """
        histories = [h for h in histories if h is not None and len(h)]
        # one scan of each finished run, once per change of pins
        self._pin_loss_max = max((_finite_max(h.loss) for h in histories), default=-math.inf)
        self._pin_rate_max = max((_finite_max(h.learning_rate) for h in histories), default=-math.inf)
        self._pin_epochs = max((len(h) for h in histories), default=0)
        self.loss_top = self.rate_top = None

    def reset(self):
        """Forget the live runs' extremes (after the plots were cleared); the pins' stay."""
        self.x_end = self.x_limit = None
        self.loss_top = self.rate_top = None
        self._loss_max: list[float] = []
        self._rate_max: list[float] = []
        self._scanned: list[int] = []

    def update_runs(self, histories, limit: int, planned_rates=()):
        """Fit the ranges to every run's history, the epoch ``limit`` and each run's set learning rate."""
        histories = tuple(histories)
        if len(histories) != len(self._scanned):
            self.reset()
            self._loss_max = [-math.inf] * len(histories)
            self._rate_max = [-math.inf] * len(histories)
            self._scanned = [0] * len(histories)
        for i, history in enumerate(histories):
            self._scan(i, history)
        n = max((len(h) for h in histories), default=0)
        end = max(x_range_end(n, limit), self._pin_epochs)
        self.set_x_end(end, limit)
        loss_max = max(*self._loss_max, self._pin_loss_max, -math.inf)
        loss_top = nice_ceiling(loss_max * HEADROOM) if loss_max > 0 else 1.5
        if loss_top != self.loss_top:
            self.loss_top = loss_top
            self.loss_plot.getPlotItem().setYRange(0, loss_top, padding=PADDING)
        planned = max((float(r) for r in _as_tuple(planned_rates)), default=-math.inf)
        rate_top = nice_ceiling(max(*self._rate_max, self._pin_rate_max, planned) * HEADROOM)
        if rate_top != self.rate_top:
            self.rate_top = rate_top
            self.learning_rate_plot.getPlotItem().setYRange(0, rate_top, padding=PADDING)

    def _scan(self, i: int, history) -> None:
        """Take run ``i``'s new epochs into its maxima (all of them after a reset of that run)."""
        n = len(history)
        if n < self._scanned[i]:
            # a new race started under the same plots: its run begins again from epoch 0
            self._loss_max[i] = self._rate_max[i] = -math.inf
            self._scanned[i] = 0
            self.loss_top = self.rate_top = None
        if n > self._scanned[i]:
            # only the epochs added since the last frame: the maxima never need a full scan
            new = slice(self._scanned[i], n)
            self._loss_max[i] = max(self._loss_max[i], _finite_max(history.loss[new]),
                                    _finite_max(history.test_loss[new]))
            self._rate_max[i] = max(self._rate_max[i], _finite_max(history.learning_rate[new]))
            self._scanned[i] = n

    def set_x_end(self, end: int, limit: int = 0):
        """Show epochs 0 … ``end`` on the metric plots, and the learning rate's whole plan up to ``limit``."""
        if (end, limit) != (self.x_end, self.x_limit):
            self.x_end, self.x_limit = end, limit
            # the schedule is known before training: the class sees the whole planned decay at once
            for plot, plot_end in ((self.loss_plot, end), (self.accuracy_plot, end),
                                   (self.learning_rate_plot, max(end, limit))):
                plot.getPlotItem().setXRange(0, plot_end, padding=PADDING)


def _as_tuple(values) -> tuple:
    """A single number as a 1-tuple; any sequence as a tuple."""
    return (values,) if isinstance(values, (int, float)) else tuple(values)
