"""Live metric plots: loss, accuracy and learning rate against the epoch.

Each plot makes its curves once and afterwards only hands them new arrays. A curve
holds the true value of every epoch; only the drawing is clipped to the view and
peak-downsampled, so 200,000 epochs cost about as much to draw as a few thousand.
"""

from __future__ import annotations

import numpy as np

from nngui.engine import HistoryView, learning_rate_schedule

from .qt import FOREGROUND, QtCore, QtGui, QtWidgets, pg
from .theme import SERIES_COLORS

# the planned schedule is a smooth formula: this many samples keep its shape at any length
PLAN_DENSE_STEPS = 512
PLAN_SAMPLES = 1024
TITLE_POINT_SIZE = 12.0
LEGEND_POINT_SIZE = 9.0
TITLE_ROW_HEIGHT = 30
#: The previous run's curve: thinner than the live ones, and drawn beneath them.
PREVIOUS_WIDTH = 1.5


def scale_plot_text(item: pg.PlotItem, title: str, text_scale: float, **title_args) -> None:
    """Title, axis labels and tick labels of ``item`` at ``text_scale`` × their normal size.

    At 1 every font goes back to pyqtgraph's default; otherwise the ticks and labels take
    the application's font (already enlarged by projector mode).
    """
    item.setTitle(title, size=f"{TITLE_POINT_SIZE * text_scale:g}pt", **title_args)
    height = round(TITLE_ROW_HEIGHT * text_scale)
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
    font = None if text_scale == 1 else QtGui.QFont(QtWidgets.QApplication.font())
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setTickFont(font)
        axis.label.setFont(font if font is not None else QtGui.QFont())
        # re-setting the text makes the axis measure the label again
        axis.setLabel(axis.labelText)


class _FromZeroViewBox(pg.ViewBox):
    """Auto-range that always includes y = 0, so a falling curve is seen against zero."""

    def childrenBounds(self, *args, **kwargs):
        bounds = super().childrenBounds(*args, **kwargs)
        if bounds[1] is not None:
            bounds[1] = [min(0.0, bounds[1][0]), max(0.0, bounds[1][1])]
        return bounds


class _EpochIndex:
    """Integer epochs ``0 … n-1`` shared by every update, grown by doubling.

    Integer x tells pyqtgraph the x values are finite, which spares it a scan of the
    whole array on every update; a slice of this array is a view, not a copy.
    """

    def __init__(self):
        self._array = np.arange(0)

    def matches(self, epoch: np.ndarray) -> bool:
        """Whether ``epoch`` is ``0, 1, …, n-1`` (the engine's numbering), checked at its ends."""
        n = len(epoch)
        return n == 0 or (epoch[0] == 0 and epoch[-1] == n - 1)

    def take(self, n: int) -> np.ndarray:
        if n > len(self._array):
            self._array = np.arange(max(n, 1024, 2 * len(self._array)))
            self._array.flags.writeable = False
        return self._array[:n]


class MetricPlot(pg.PlotWidget):
    """A plot of one metric against the epoch with one data item per curve, made once."""

    #: The HistoryView column drawn for the previous run.
    previous_column = ""

    def __init__(self, title: str, y_label: str, parent=None, *, from_zero: bool = True,
                 legend_offset=(-10, 10)):
        view_box = _FromZeroViewBox() if from_zero else pg.ViewBox()
        super().__init__(parent=parent, viewBox=view_box)
        # PlotWidget binds plotItem.clear (which removes every item) onto the instance; ours empties the curves
        del self.clear
        item = self.getPlotItem()
        item.setTitle(title, color=FOREGROUND, size=f"{TITLE_POINT_SIZE:g}pt")
        item.setLabel("bottom", "epoch")
        item.setLabel("left", y_label)
        item.showGrid(x=True, y=True, alpha=0.3)
        for side in ("left", "bottom"):
            # two tick levels: the finest one turns the grid into noise on a projector
            item.getAxis(side).setStyle(maxTickLevel=1)
        # room above and below the data so the grid leaves the end tick labels visible
        view_box.setDefaultPadding(0.05)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.setMenuEnabled(False)
        self.legend = item.addLegend(offset=legend_offset, labelTextColor=FOREGROUND,
                                     labelTextSize=f"{LEGEND_POINT_SIZE:g}pt")
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._title = title
        self._widths: dict[str, float] = {}
        self.text_scale = self.line_scale = 1.0
        self._epochs = _EpochIndex()
        self.setMinimumSize(160, 120)

    def _add_curve(self, name: str, label: str | None, color: str, *, style=QtCore.Qt.PenStyle.SolidLine,
                   width: float = 2.0) -> pg.PlotDataItem:
        pen = pg.mkPen(color, width=width, style=style)
        # about one peak pair per pixel column (the default draws five): the look is the same, the path 5x shorter
        curve = self.getPlotItem().plot([], [], pen=pen, name=label, connect="finite", autoDownsampleFactor=1.0)
        curve.setObjectName(name)
        self.curves[name] = curve
        self._widths[name] = width
        return curve

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        """Draw text at ``text_scale`` and curves at ``line_scale`` × their normal size (1, 1: normal)."""
        self.text_scale, self.line_scale = text_scale, line_scale
        scale_plot_text(self.getPlotItem(), self._title, text_scale, color=FOREGROUND)
        self.legend.setLabelTextSize(f"{LEGEND_POINT_SIZE * text_scale:g}pt")
        for _sample, label in self.legend.items:
            label.setText(label.text)  # a label redraws its text only when given it again
        for name, curve in self.curves.items():
            pen = QtGui.QPen(curve.opts["pen"])
            pen.setWidthF(self._widths[name] * line_scale)
            curve.setPen(pen)

    def _epoch_axis(self, history: HistoryView) -> np.ndarray:
        epoch = history.epoch
        return self._epochs.take(len(epoch)) if self._epochs.matches(epoch) else epoch

    def _show_in_legend(self, curve: pg.PlotDataItem, shown: bool) -> None:
        label = curve.name()
        listed = any(sample.item is curve for sample, _ in self.legend.items)
        if shown and not listed:
            self.legend.addItem(curve, label)
        elif not shown and listed:
            self.legend.removeItem(curve)

    def update_history(self, history: HistoryView) -> None:
        """Show every epoch of ``history``; subclasses pick the columns."""
        raise NotImplementedError

    def _add_previous_curve(self) -> None:
        # beneath the live curves, and out of the legend until a run is shown in it
        curve = self._add_curve("previous", None, SERIES_COLORS["previous"], width=PREVIOUS_WIDTH)
        curve.setZValue(-1)
        curve.setVisible(False)
        # it never changes within a view range: drawn once into a pixmap, blitted every frame after
        curve.curve.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_previous(self, history: HistoryView | None, label: str = "") -> None:
        """Draw ``history`` (a finished run) as the faint previous-run curve named ``label``; None hides it.

        The curve holds the run's own read-only arrays: they never change, so it is set once.
        """
        curve = self.curves["previous"]
        if any(sample.item is curve for sample, _ in self.legend.items):
            self.legend.removeItem(curve)
        if history is None or len(history) == 0:
            curve.setData([], [])
            curve.setVisible(False)
            return
        curve.setData(self._epoch_axis(history), getattr(history, self.previous_column))
        curve.setVisible(True)
        self.legend.addItem(curve, label)

    def clear(self) -> None:
        """Empty every live curve (the items themselves stay; the previous run stays drawn)."""
        for name, curve in self.curves.items():
            if name != "previous":
                curve.setData([], [])
        self.getPlotItem().enableAutoRange()


class _TrainTestPlot(MetricPlot):
    """Train curve, and a test curve shown only when the data has a test split."""

    columns = ("", "")

    def __init__(self, title, y_label, parent=None, **kwargs):
        super().__init__(title, y_label, parent, **kwargs)
        self.previous_column = self.columns[0]
        self._add_previous_curve()
        self._add_curve("train", "train", SERIES_COLORS["train"])
        self._add_curve("test", "test", SERIES_COLORS["test"],
                        style=QtCore.Qt.PenStyle.DashLine)
        self._test_shown = True
        self._set_test_shown(False)

    def _set_test_shown(self, shown: bool) -> None:
        if shown != self._test_shown:
            self._test_shown = shown
            self.curves["test"].setVisible(shown)
            self._show_in_legend(self.curves["test"], shown)

    def update_history(self, history: HistoryView) -> None:
        """Set the train (and test) curve to one point per epoch of ``history``."""
        train_column, test_column = self.columns
        if len(history) == 0:
            self.clear()
            return
        x = self._epoch_axis(history)
        self.curves["train"].setData(x, getattr(history, train_column))
        test = getattr(history, test_column)
        # no split: the engine records NaN for every epoch, so the first one tells
        has_test = not np.isnan(test[0])
        if has_test:
            self.curves["test"].setData(x, test)
        elif self._test_shown:
            self.curves["test"].setData([], [])
        self._set_test_shown(has_test)

    def clear(self) -> None:
        super().clear()
        self._set_test_shown(False)


class LossPlot(_TrainTestPlot):
    """Mean cross-entropy loss per epoch; the y axis starts at 0."""

    columns = ("loss", "test_loss")

    def __init__(self, parent=None):
        super().__init__("Loss", "loss", parent)


class AccuracyPlot(_TrainTestPlot):
    """Accuracy per epoch on a fixed 0 … 1 axis."""

    columns = ("accuracy", "test_accuracy")

    def __init__(self, parent=None):
        # the curve climbs toward 1: the legend sits bottom right, out of its way
        super().__init__("Accuracy", "accuracy", parent, from_zero=False, legend_offset=(-10, -10))
        self._fix_y_range()

    def _fix_y_range(self) -> None:
        self.getPlotItem().setYRange(0.0, 1.0, padding=0.05)
        self.getPlotItem().enableAutoRange(x=True, y=False)

    def clear(self) -> None:
        super().clear()
        self._fix_y_range()


class LearningRatePlot(MetricPlot):
    """The rate each epoch's update used, over the dashed schedule planned from the settings."""

    def __init__(self, parent=None):
        super().__init__("Learning rate", "learning rate", parent)
        self.previous_column = "learning_rate"
        self._add_previous_curve()
        self._add_curve("planned", "planned", SERIES_COLORS["planned"],
                        style=QtCore.Qt.PenStyle.DashLine, width=1.5)
        self._add_curve("lr", "used", SERIES_COLORS["lr"])
        self.plan: tuple[float, float, int] | None = None

    def update_history(self, history: HistoryView) -> None:
        """Set the learning-rate curve to the rate of every epoch of ``history``."""
        if len(history) == 0:
            self.curves["lr"].setData([], [])
            return
        self.curves["lr"].setData(self._epoch_axis(history), history.learning_rate)

    def set_plan(self, learning_rate: float, decay: float, epochs: int) -> None:
        """Draw ``learning_rate / (1 + decay·epoch)`` for the planned epochs, before training starts."""
        epochs = int(epochs)
        self.plan = (float(learning_rate), float(decay), epochs)
        if epochs <= 0:
            self.curves["planned"].setData([], [])
            return
        x = planned_epochs(epochs)
        self.curves["planned"].setData(x, planned_rates(learning_rate, decay, x))

    def clear(self) -> None:
        """Empty the used-rate curve; the plan stays until ``set_plan`` changes it."""
        self.curves["lr"].setData([], [])
        self.getPlotItem().enableAutoRange()

    def clear_plan(self) -> None:
        """Remove the planned schedule."""
        self.plan = None
        self.curves["planned"].setData([], [])


def planned_epochs(epochs: int) -> np.ndarray:
    """Epochs at which to draw a schedule of ``epochs`` steps: every one, or a shape-keeping sample.

    Dense at the start, where a decay bends the curve most, then spread evenly and
    geometrically to the last epoch.
    """
    last = epochs - 1
    if epochs <= PLAN_DENSE_STEPS + PLAN_SAMPLES:
        return np.arange(epochs)
    parts = (np.arange(PLAN_DENSE_STEPS), np.linspace(0, last, PLAN_SAMPLES),
             np.geomspace(1, last, PLAN_SAMPLES), [last])
    return np.unique(np.concatenate(parts).round().astype(np.int64))


def planned_rates(learning_rate: float, decay: float, x: np.ndarray) -> np.ndarray:
    """``learning_rate_schedule`` at the integer epochs ``x`` (sorted)."""
    if len(x) == 0:
        return np.empty(0)
    steps = int(x[-1]) + 1
    if steps <= 1 << 20:
        return learning_rate_schedule(learning_rate, decay, steps)[x]
    # the same formula, without a schedule array of millions of entries
    return learning_rate * (1 / (1 + decay * x.astype(np.float64)))
