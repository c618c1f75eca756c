"""Curves beside the per-epoch ones: each update's batch loss, and the effective step size with momentum.

With mini-batches each update's batch loss is drawn faintly behind its run's loss curve, in
the run's colour, so a class sees the noise the per-epoch curve hides (and that momentum
smooths). With momentum β the learning-rate plot also shows each momentum run's effective
step size ``current_learning_rate / (1 − β)`` — how far a steady gradient carries the weights
per unit of gradient once the momentum has built up — on its own axis at the right, since
it is ``1 / (1 − β)`` times the rate (10× for the chapter's 0.9) and would flatten the rates.
"""

from __future__ import annotations

import numpy as np

from .plot_ranges import PADDING, nice_ceiling
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from .run_styles import RunStyle, lightened

#: Per-update losses: a thin line this far toward white (opaque: Qt strokes translucent paths slowly).
UPDATE_LIGHTEN = 0.62
UPDATE_WIDTH = 1.0
#: The effective step size: the run's colour in long dashes, a little thinner than the run's curve.
EFFECTIVE_WIDTH = 1.5
EFFECTIVE_DASHES = (7.0, 3.0)
#: The right axis says what it holds in few words (a 1024-pixel window gives the plot little height); the
#: plot's tooltip says it whole. In projector mode's larger text only the formula fits.
EFFECTIVE_LABEL = "step η/(1−β)"
EFFECTIVE_SHORT_LABEL = "η/(1−β)"
#: The right axis reaches this much above the largest effective step: more room than the rates' axis
#: leaves, so the dashed curve runs below the rates it is a multiple of instead of exactly on them.
EFFECTIVE_ROOM = 1.5


def update_pen(style: RunStyle, scale: float = 1.0) -> QtGui.QPen:
    """The faint pen of a run's per-update losses."""
    pen = QtGui.QPen(lightened(style.color, UPDATE_LIGHTEN))
    pen.setWidthF(UPDATE_WIDTH * scale)
    pen.setCosmetic(True)
    return pen


def effective_pen(style: RunStyle, scale: float = 1.0) -> QtGui.QPen:
    """The long-dashed pen of a run's effective step size, in the run's colour."""
    pen = QtGui.QPen(QtGui.QColor(style.color))
    pen.setWidthF(EFFECTIVE_WIDTH * scale)
    pen.setCosmetic(True)
    pen.setDashPattern(list(EFFECTIVE_DASHES))
    pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    return pen


def show_update_losses(curve: pg.PlotDataItem, updates) -> None:
    """Set ``curve`` to the kept updates' batch losses (an engine ``UpdateLogView``), or empty it."""
    if updates is None or len(updates) == 0:
        if curve.xData is not None and len(curve.xData):
            curve.setData([], [])
        return
    curve.setData(updates.epoch, updates.loss)


def planned_batch_rates(learning_rate: float, decay: float, x: np.ndarray, per_epoch: int) -> np.ndarray:
    """The rate of the last update of each epoch ``x`` with ``per_epoch`` updates an epoch: decay follows updates.

    Epoch ``e``'s last update is step ``(e + 1) · per_epoch − 1``: ``learning_rate / (1 + decay · step)``.
    """
    steps = (np.asarray(x, dtype=np.float64) + 1) * per_epoch - 1
    return learning_rate * (1 / (1 + decay * steps))


def momentum_by_epoch(settings, epochs: int) -> np.ndarray:
    """The momentum each of ``epochs`` epochs trained with, from a run's ``((first epoch, config), ...)``."""
    momentum = np.zeros(epochs)
    for first, config in settings:
        momentum[first:] = config.effective_momentum
    return momentum


def effective_steps(history, settings) -> np.ndarray | None:
    """``learning_rate / (1 − momentum)`` of every epoch that trained with momentum (NaN where none); None if none did."""
    n = len(history)
    if n == 0:
        return None
    momentum = momentum_by_epoch(settings, n)
    if not momentum.any():
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(momentum > 0, history.learning_rate / (1.0 - momentum), np.nan)


class EffectiveSteps:
    """A right-hand axis on a learning-rate plot with each momentum run's effective step size.

    The axis and its curves show only while some run has momentum; its range steps to a
    round number above the largest value, like the other plots' ranges.
    """

    def __init__(self, plot: pg.PlotWidget):
        self.plot = plot
        item = plot.getPlotItem()
        self.view = pg.ViewBox()
        self.view.setMenuEnabled(False)
        self.view.setMouseEnabled(False, False)
        item.scene().addItem(self.view)
        item.showAxis("right")
        self.axis = item.getAxis("right")
        self.axis.linkToView(self.view)
        self.axis.setLabel(EFFECTIVE_LABEL)
        self.axis.enableAutoSIPrefix(False)
        self.axis.setStyle(maxTickLevel=1)
        self.axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.view.setXLink(item)
        item.vb.sigResized.connect(self._fit_geometry)
        self.curves: list[pg.PlotDataItem] = []
        self.styles: tuple[RunStyle, ...] = ()
        self.top = None
        self.line_scale = 1.0
        self._show(False)

    def _fit_geometry(self, *_):
        self.view.setGeometry(self.plot.getPlotItem().vb.sceneBoundingRect())

    def _show(self, shown: bool) -> None:
        self.axis.setVisible(shown)
        # a hidden axis takes no width, and pyqtgraph measures it again only when its numbers grow:
        # measured now, the axis shown gets the room for its numbers and its label (they were cut)
        self.axis.setWidth(None)
        self.view.setVisible(shown)
        self.shown = shown

    def set_runs(self, styles) -> None:
        """One (empty) curve per run, in the run's colour."""
        for curve in self.curves:
            self.view.removeItem(curve)
        self.styles = tuple(styles)
        self.curves = []
        for index, style in enumerate(self.styles):
            curve = pg.PlotDataItem([], [], pen=effective_pen(style, self.line_scale), connect="finite",
                                    autoDownsampleFactor=1.0)
            curve.setObjectName(f"effective {index + 1}")
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.view.addItem(curve)
            self.curves.append(curve)
        self.top = None
        self._show(False)

    def update(self, runs) -> None:
        """Draw each run's effective step size from its snapshot (history and settings)."""
        top = -np.inf
        for curve, run in zip(self.curves, runs):
            steps = None if run is None else effective_steps(run.history, run.settings)
            if steps is None:
                if curve.xData is not None and len(curve.xData):
                    curve.setData([], [])
                continue
            curve.setData(np.arange(len(steps)), steps)
            finite = steps[np.isfinite(steps)]
            if finite.size:
                top = max(top, float(finite.max()))
        shown = bool(np.isfinite(top))
        if shown != self.shown:
            self._show(shown)
        if shown:
            top = nice_ceiling(top * EFFECTIVE_ROOM)
            if top != self.top:
                self.top = top
                self.view.setYRange(0, top, padding=PADDING)
            self._fit_geometry()

    def clear(self) -> None:
        for curve in self.curves:
            curve.setData([], [])
        self.top = None
        self._show(False)

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        self.line_scale = line_scale
        for curve, style in zip(self.curves, self.styles):
            curve.setPen(effective_pen(style, line_scale))
        font = None if text_scale == 1 else QtGui.QFont(QtWidgets.QApplication.font())
        self.axis.setTickFont(font)
        self.axis.label.setFont(font if font is not None else QtGui.QFont())
        self.axis.setLabel(EFFECTIVE_LABEL if text_scale == 1 else EFFECTIVE_SHORT_LABEL)

