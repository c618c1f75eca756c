"""The base of the live metric plots: axes, fonts, the shared epoch index, curves made once.

``MetricPlot`` holds the machinery every metric plot shares: its curves by name, each
with the pen it is drawn with at any line scale; a race's runs (one run is a race of one)
and pins. The plots themselves are in ``plots.py``.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from nngui.engine import HistoryView

from nngui.model.pins import PinnedRun
from nngui.gui.window import themes
from nngui.gui.qt import FOREGROUND, QtCore, QtGui, QtWidgets, pg
from .ticks import GAP_LINES, FittedAxis
from .run_styles import PIN_WIDTH, RunStyle, pinned_style
from .run_styles import pen as run_pen

TITLE_POINT_SIZE = 12.0
TITLE_ROW_HEIGHT = 30
#: A race's test marks (hollow, like the decision boundary's test points, filled with the background): size.
MARK_SIZE = 7.0
#: At its least height the loss plot's y axis still labels three ticks, which a data area this many label
#: steps tall guarantees: the ranges' round tops (``plot_ranges``) put their ticks at most a quarter of the
#: axis apart (8 · 10^k ticked at 2 · 10^k), plus the padding.
LABEL_STEPS = 4.2
#: A y axis starts as wide as this label (the loss's and the rates' usual ones are no wider).
Y_LABEL_SAMPLE = "0.25"
#: The least width of a plot, in pixels.
MIN_WIDTH = 160
#: The data area's height, in pixels, the loss plot asks for (its size hint) at normal and at projector sizes.
LOSS_DATA_HEIGHT = 160
PROJECTOR_LOSS_DATA_HEIGHT = 250

def scale_plot_text(item: pg.PlotItem, title: str | None, text_scale: float, **title_args) -> None:
    """Title, axis labels and tick labels of ``item`` at ``text_scale`` × their normal size.

    At 1 every font goes back to pyqtgraph's default; otherwise the ticks and labels take
    the application's font (already enlarged by projector mode). A ``title`` of None leaves
    the plot without a title row.
    """
    if title is not None:
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


class EpochAxis(FittedAxis):
    """An epoch axis whose thousands read ``2k``, ``10k``: five labels fit a plot a third of 1024 pixels wide."""

    #: How far (pixels) a label may reach left of the axis: the "0" at the corner needs a little.
    LABEL_ROOM = 10

    def boundingRect(self):
        # labels outside this rectangle are not drawn: a narrow plot lost its "0"
        return super().boundingRect().adjusted(-self.LABEL_ROOM, 0, 0, 0)

    def tickStrings(self, values, scale, spacing):
        if spacing * scale >= 1000:
            return [f"{v * scale / 1000:g}k" if v else "0" for v in values]
        return [f"{v * scale:g}" for v in values]


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
    """A plot of one metric against the epoch with one data item per curve, made once.

    ``set_runs(labels, styles)`` makes each run's curves, ``update_runs(histories)``
    hands them new arrays every frame and ``set_pins(pins)`` draws finished runs beneath
    them; the runs' names are shown by a ``RunLegend`` beside the plots, never over the data
    (an exported picture names them in a legend of its own, ``exports.py``).
    """

    #: The HistoryView column drawn for a pinned run.
    pin_column = ""
    #: Where an exported picture's legend sits (pyqtgraph's offset: from the top right corner).
    legend_offset = (-10, 10)
    #: The data area's least height in label steps (``LABEL_STEPS``: three labelled ticks on any range).
    label_steps = LABEL_STEPS

    def __init__(self, title: str, y_label: str, parent=None, *, from_zero: bool = True):
        view_box = _FromZeroViewBox() if from_zero else pg.ViewBox()
        super().__init__(parent=parent, viewBox=view_box, axisItems={"bottom": EpochAxis("bottom"),
                                                                     "left": FittedAxis("left")})
        # PlotWidget binds plotItem.clear (which removes every item) onto the instance; ours empties the curves
        del self.clear
        item = self.getPlotItem()
        item.setTitle(title, color=FOREGROUND, size=f"{TITLE_POINT_SIZE:g}pt")
        # the title spans the axes' columns too: in the data's column alone its width would be the data
        # area's least width, and on a narrow plot the axes beside it were pushed out of the widget
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 0, 1, 3)
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
        #: Every curve item by name: a race's ``train 1``, ``test 1``, ``marks 1``, ``pin 1``, …
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._pens: dict[str, object] = {}      # name -> pen at a line scale (marks: their outline)
        self._runs: list[dict[str, pg.PlotDataItem]] = []   # per run: role -> curve
        self._pin_curves: list[pg.PlotDataItem] = []
        self.labels: tuple[str, ...] = ()
        self.styles: tuple[RunStyle, ...] = ()
        self.pins: tuple[PinnedRun, ...] = ()
        self._title = title
        self.text_scale = self.line_scale = 1.0
        self._epochs = _EpochIndex()
        self._data_minimum: int | None = None
        self._hints = None
        self._keep_label_room()
        # the room around the data changes with the fonts and the title row: the layout learns the new hints
        view_box.sigResized.connect(self._check_hints)

    # --- curves ---------------------------------------------------------------------------

    def _add_curve(self, name: str, label: str | None, make_pen, *, z: float = 0.0,
                   symbol: str | None = None) -> pg.PlotDataItem:
        """A curve named ``name`` drawn with ``make_pen(line_scale)``; ``symbol``: marks only, no line."""
        self._pens[name] = make_pen
        if symbol is None:
            # about one peak pair per pixel column (the default draws five): the look is the same, the path 5x shorter
            curve = pg.PlotDataItem([], [], pen=make_pen(self.line_scale), connect="finite",
                                    autoDownsampleFactor=1.0)
        else:
            curve = pg.PlotDataItem([], [], pen=None, symbol=symbol, symbolSize=MARK_SIZE * self.line_scale,
                                    symbolPen=make_pen(self.line_scale),
                                    symbolBrush=themes.current().plot_background)
        curve.setObjectName(name)
        curve.setZValue(z)
        self.getPlotItem().addItem(curve)
        # named after it is added: a plot item would list a named curve in a legend of its own
        curve.opts["name"] = label
        self.curves[name] = curve
        return curve

    def _remove_curve(self, name: str) -> None:
        curve = self.curves.pop(name)
        self._pens.pop(name)
        self.getPlotItem().removeItem(curve)

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        """Draw text at ``text_scale`` and curves at ``line_scale`` × their normal size (1, 1: normal)."""
        self.text_scale, self.line_scale = text_scale, line_scale
        scale_plot_text(self.getPlotItem(), self._title, text_scale, color=themes.current().plot_foreground)
        for name, curve in self.curves.items():
            pen = self._pens[name](line_scale)
            if curve.opts["symbol"] is None:
                curve.setPen(pen)
            else:
                curve.setSymbolPen(pen)
                curve.setSymbolSize(MARK_SIZE * line_scale)
        self._keep_label_room()
        self._check_hints()

    def _keep_label_room(self) -> None:
        # the y axis's top label reaches half its height above the data: room for it under the plot's edge
        # even without a title row (projector mode gives that row to the data)
        axis = self.getPlotItem().getAxis("left")
        overhang = math.ceil(axis.ink_overhang())
        self.getPlotItem().layout.setContentsMargins(1, max(1, overhang), 1, 1)
        # nothing moves while training: the y axis starts as wide as a usual label and only ever grows
        # (narrower labels as the loss falls would widen the data under the class's eyes)
        axis.textWidth = math.ceil(axis.label_metrics().horizontalAdvance(Y_LABEL_SAMPLE))
        axis.setStyle(autoReduceTextSpace=False)   # which also sizes the axis for that width

    # --- size: the least that reads, the height a layout is asked for -----------------------------

    def label_step(self) -> float:
        """The least distance between two labels of the y axis, in pixels (its font's line and a gap)."""
        return self.getPlotItem().getAxis("left").label_metrics().height() * (1 + GAP_LINES)

    def data_floor(self) -> int:
        """The data area's least height: ``label_steps`` label steps (or what a layout set)."""
        if self._data_minimum is not None:
            return self._data_minimum
        return math.ceil(self.label_steps * self.label_step())

    def data_target(self) -> int:
        """The data area's height this plot asks for (the floor; more for the loss plot)."""
        return self.data_floor()

    def set_data_minimum(self, pixels: int | None) -> None:
        """Keep the data area at least ``pixels`` tall (None: ``label_steps`` label steps)."""
        self._data_minimum = None if pixels is None else int(pixels)
        self.updateGeometry()

    def room(self) -> float:
        """What the title row, the x axis and the margins take of the plot's height, in pixels."""
        item = self.getPlotItem()
        box = item.getViewBox()
        if item.size().height() > 0 and box.size().height() > 0:
            return item.size().height() - box.size().height()
        title = item.titleLabel.maximumHeight() if item.titleLabel.isVisible() else 0
        return title + item.getAxis("bottom").maximumHeight() + 2

    def height_for_data(self, pixels: float) -> int:
        """The widget's height that gives the data area ``pixels``."""
        return math.ceil(pixels + self.room())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(MIN_WIDTH, self.height_for_data(self.data_floor()))

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(2 * MIN_WIDTH, self.height_for_data(max(self.data_floor(), self.data_target())))

    def _check_hints(self, *_) -> None:
        hints = (self.minimumSizeHint(), self.sizeHint())
        if hints != self._hints:
            self._hints = hints
            self.updateGeometry()

    def _epoch_axis(self, history: HistoryView) -> np.ndarray:
        epoch = history.epoch
        return self._epochs.take(len(epoch)) if self._epochs.matches(epoch) else epoch

    # --- a race ---------------------------------------------------------------------------

    def set_runs(self, labels, styles) -> None:
        """Make the curves of a race of ``len(labels)`` runs, run ``i`` named ``labels[i]`` and drawn in ``styles[i]``.

        Called once per race (the items are then only given new arrays); the previous
        race's curves are removed. Pins stay.
        """
        labels, styles = tuple(labels), tuple(styles)
        if len(labels) != len(styles):
            raise ValueError(f"{len(labels)} run names for {len(styles)} styles")
        for name in [n for n in self.curves if not n.startswith("pin ")]:
            self._remove_curve(name)
        self.labels, self.styles = labels, styles
        self._runs = [self._add_run(i, label, style) for i, (label, style) in enumerate(zip(labels, styles))]
        self.getPlotItem().enableAutoRange()

    def _add_run(self, index: int, label: str, style: RunStyle) -> dict[str, pg.PlotDataItem]:
        """The curves of run ``index`` (0-based), by role."""
        raise NotImplementedError

    def update_runs(self, histories) -> None:
        """Show every epoch of each run's history (``histories[i]`` for run ``i``; missing ones are emptied)."""
        histories = tuple(histories)
        for index in range(len(self._runs)):
            self._update_run(index, histories[index] if index < len(histories) else None)

    def _update_run(self, index: int, history: HistoryView | None) -> None:
        raise NotImplementedError

    def update_snapshots(self, runs) -> None:
        """Draw what each run's snapshot (``runs[i]``, an engine ``Snapshot``) holds beyond its history; nothing here."""

    def set_pins(self, pins) -> None:
        """Draw each ``PinnedRun`` of ``pins`` beneath the live curves, in grey with its run's dashes; () removes them.

        A pin's arrays never change: its curve is set once here, drawn once into a pixmap
        and blitted every frame after.
        """
        self.pins = tuple(pins)
        for number, pin in enumerate(self.pins):
            name = f"pin {number + 1}"
            style = pinned_style(pin.style_index, number)
            make_pen = partial(run_pen, style, PIN_WIDTH)
            if name not in self.curves:
                curve = self._add_curve(name, None, make_pen, z=-1.0)
                curve.curve.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self._pin_curves.append(curve)
            curve = self.curves[name]
            self._pens[name] = make_pen
            curve.setPen(make_pen(self.line_scale))
            curve.opts["name"] = pin.label
            history = pin.history
            curve.setData(self._epoch_axis(history), getattr(history, self.pin_column))
        while len(self._pin_curves) > len(self.pins):
            self._remove_curve(f"pin {len(self._pin_curves)}")
            self._pin_curves.pop()

    def run_curve(self, index: int, role: str) -> pg.PlotDataItem:
        """Run ``index``'s (0-based) curve for ``role`` (``train``, ``test``, ``marks``, ``lr``, ``planned``)."""
        return self._runs[index][role]

    def pin_curves(self) -> list[pg.PlotDataItem]:
        """The pinned runs' curves, in the order of ``pins``."""
        return list(self._pin_curves)

    def clear(self) -> None:
        """Empty every live curve (the items themselves stay; pins stay drawn)."""
        for index in range(len(self._runs)):
            self._update_run(index, None)
        self.getPlotItem().enableAutoRange()
