"""The network's own loss landscape: the training loss over the plane of the runs' paths, each path on it.

The view listens to the training controller: it keeps the newest race snapshot and the
training points, and computes a landscape (``landscape_worker``, off the GUI thread) when
Compute is pressed, and by itself when training pauses or stops while the view is on screen.
A reset drops whatever is being computed: its answer would show the old race.
"""

from __future__ import annotations

import math

import numpy as np

from nngui.model import StopReason
from nngui.surfaces.landscape import LANDSCAPE_RESOLUTION

from nngui.gui.training.landscape_worker import LandscapeComputer, LandscapePicture, percent, ramp_colors
from nngui.gui.plots.metric_plot import scale_plot_text
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from nngui.gui.plots.run_styles import RUN_WIDTH, pen, run_styles
from nngui.gui.window.theme import MUTED_TEXT_COLOR

TAB_TIP = ("The training loss of the network itself over the plane of weight space its runs moved in most, "
           "with each run's path projected onto it")
START_COLOR = "#000000"
CONTOUR_COLOR = "#A08660"
#: A path is drawn a little thicker than a curve on the plots: it crosses a shaded background.
PATH_WIDTH = 1.25 * RUN_WIDTH
START_SIZE = 18
END_SIZE = 9
#: Loss values a colour bar may label (and ten times, a hundred times them).
NICE_STEPS = (1.0, 2.0, 5.0)
KEY_TEXT = ("Lighter is lower loss. ★ the shared start; each run's path in its colour and line style, "
            "its latest epoch marked.")
KEY_TIP = ("Shading: the training loss at each point of the plane, in bands a constant factor apart (lighter is "
           "lower). The axes are the two directions the runs moved in most, with each one's share of the "
           "movement; distances are from the start, in weight space.")


class LandscapeView(QtWidgets.QWidget):
    """Filled contours of the loss over the plane, the runs' paths, the start, and what the plane holds."""

    landscape_ready = QtCore.Signal(object)   # LandscapePicture, once drawn

    def __init__(self, controller=None, parent=None):
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.setAccessibleName("landscapeView")
        self.setToolTip(TAB_TIP)
        self.controller = None
        self.latest = None            # the newest RaceSnapshot
        self.points = None            # (X, y) of the training points
        self.picture: LandscapePicture | None = None
        self._requested = None        # the snapshot the last request was made from
        self._paths: list = []
        self._ends: list = []
        self.text_scale = self.line_scale = 1.0
        self.computer = LandscapeComputer(self)
        self.computer.ready.connect(self._on_computer_ready)
        self.computer.failed.connect(self._on_computer_failed)
        self._make_widgets()
        if controller is not None:
            self.attach(controller)

    def _make_widgets(self):
        button = QtWidgets.QPushButton("Compute")
        button.setObjectName("landscapeComputeButton")
        button.setAccessibleName("landscapeComputeButton")
        button.setToolTip("Compute the loss landscape of the runs as they are now (off the window's thread; "
                          "it is also computed by itself when training pauses while this tab is shown)")
        button.clicked.connect(self.compute)
        self.status = QtWidgets.QLabel("Train, then press Compute to see the network's loss landscape.")
        self.status.setObjectName("landscapeStatus")
        self.status.setWordWrap(True)
        self.explained = QtWidgets.QLabel("")
        self.explained.setObjectName("landscapeExplained")
        self.explained.setWordWrap(True)
        self.explained.setStyleSheet("font-weight: bold;")
        self.key = QtWidgets.QLabel(KEY_TEXT)
        self.key.setObjectName("landscapeKey")
        self.key.setWordWrap(True)
        self.key.setStyleSheet(f"color: {MUTED_TEXT_COLOR};")
        self.key.setToolTip(KEY_TIP)

        plot = pg.PlotWidget()
        plot.setObjectName("landscapePlot")
        plot.setAccessibleName("landscapePlot")
        plot.setToolTip(KEY_TIP + " Drag to pan, scroll to zoom.")
        item = plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.getAxis("left").setStyle(autoReduceTextSpace=False)
        self.plot = plot
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.contours = pg.PlotDataItem(pen=pg.mkPen(CONTOUR_COLOR, width=1), connect="finite")
        self.contours.setZValue(-5)
        item.addItem(self.contours)
        self.start = pg.ScatterPlotItem(symbol="star", size=START_SIZE, brush=pg.mkBrush(START_COLOR),
                                        pen=pg.mkPen("w", width=1))
        self.start.setZValue(20)
        item.addItem(self.start)
        self.start_label = pg.TextItem("start", color=START_COLOR, anchor=(-0.15, -0.1))
        self.start_label.setZValue(20)
        item.addItem(self.start_label)
        self.color_bar = pg.ColorBarItem(values=(0, 1), colorMap=_band_map(10), interactive=False,
                                         label="training loss", width=18, colorMapMenu=False)
        item.layout.addItem(self.color_bar, 2, 5)
        self._axis_labels(None)
        self._clear_drawing()

        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(button)
        top.addWidget(self.status, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.explained)
        layout.addWidget(plot, 1)
        layout.addWidget(self.key)

    # --- the training controller's signals --------------------------------------------------

    def attach(self, controller):
        """Follow ``controller`` (a ``TrainingController``): its snapshots, stops and resets."""
        self.controller = controller
        controller.reset_done.connect(self._on_controller_reset_done)
        controller.snapshot_ready.connect(self._on_controller_snapshot_ready)
        controller.stopped.connect(self._on_controller_stopped)
        controller.diverged.connect(self._on_controller_diverged)

    def _on_controller_reset_done(self, data, snapshot, grids):
        train = ~np.asarray(data.test_mask)
        self.points = (data.X[train], data.y[train])
        self.latest = snapshot
        self._requested = None
        self.computer.cancel()
        self.picture = None
        self._clear_drawing()
        self.explained.setText("")
        self.status.setText("A new race: train, then press Compute (or pause with this tab shown).")

    def _on_controller_snapshot_ready(self, snapshot, grids):
        self._set_latest(snapshot)

    def _on_controller_diverged(self, index, snapshot):
        self._set_latest(snapshot)

    def _on_controller_stopped(self, stop):
        if stop.snapshot is None or stop.reason is StopReason.RESET:
            return
        self._set_latest(stop.snapshot)
        if self.isVisible():
            self.compute()

    def _set_latest(self, snapshot):
        was_current = self.picture is not None and self._requested is self.latest
        self.latest = snapshot
        if was_current and not self.computer.busy:
            self.status.setText(f"Shown: epoch {self.picture.epoch:,}. The runs have trained on since: "
                                "press Compute for their landscape now.")

    def showEvent(self, event):
        super().showEvent(event)
        playing = self.controller is not None and self.controller.playing
        if not playing and self.latest is not None and self._requested is not self.latest:
            # the tab opened on paused training: show its landscape without being asked
            QtCore.QTimer.singleShot(0, self._compute_if_shown)

    def _compute_if_shown(self):
        if self.isVisible() and self._requested is not self.latest:
            self.compute()

    # --- computing --------------------------------------------------------------------------

    def compute(self) -> bool:
        """Ask for the landscape of the newest snapshot (off the GUI thread); False if there is none yet."""
        snapshot, points = self.latest, self.points
        if snapshot is None or points is None:
            self.status.setText("Nothing to compute yet: the network is still being built.")
            return False
        runs = tuple((run.label, run.trajectory) for run in snapshot.runs)
        self._requested = snapshot
        self.computer.request(runs, snapshot.runs[0].activation, points[0], points[1], snapshot.epoch)
        n = LANDSCAPE_RESOLUTION
        self.status.setText(f"Computing the loss of {n} × {n} networks on the plane (epoch {snapshot.epoch:,})…")
        return True

    def _on_computer_failed(self, message):
        self.status.setText(f"The landscape could not be computed: {message}")

    def _on_computer_ready(self, picture: LandscapePicture):
        self.picture = picture
        self._draw(picture)
        landscape = picture.landscape
        notes = list(landscape.notes)
        snapshot = self._requested
        if snapshot is not None:
            notes += [f"{path.label} diverged: its path ends where it stopped." for path in landscape.paths
                      if path.index < len(snapshot.runs) and snapshot.runs[path.index].divergence]
        words = landscape.explained_words()
        if landscape.plane.rank == 2:
            first, second = (percent(share) for share in landscape.plane.shares)
            words += f" Direction 1 holds {first}, direction 2 {second}."
        self.explained.setText(" ".join((words, *notes)))
        self.status.setText(f"Epoch {picture.epoch:,} · {len(landscape.alphas)} × {len(landscape.betas)} "
                            f"points · {picture.seconds:.2f} s")
        self.landscape_ready.emit(picture)

    # --- drawing ----------------------------------------------------------------------------

    def _clear_drawing(self):
        self.image.clear()
        self.contours.setData([], [])
        self.start.setData([], [])
        self.start_label.setVisible(False)
        for curve in self._paths + self._ends:
            self.plot.getPlotItem().removeItem(curve)
        self._paths, self._ends = [], []

    def _draw(self, picture: LandscapePicture):
        self._clear_drawing()
        landscape = picture.landscape
        alphas, betas = landscape.alphas, landscape.betas
        self.image.setImage(picture.image, autoLevels=False)
        # each pixel centred on the point its colour was computed for
        rows, columns = picture.image.shape[:2]
        dx, dy = (alphas[-1] - alphas[0]) / (columns - 1), (betas[-1] - betas[0]) / (rows - 1)
        self.image.setRect(QtCore.QRectF(alphas[0] - dx / 2, betas[0] - dy / 2, columns * dx, rows * dy))
        self.contours.setData(picture.contour_x, picture.contour_y)
        item = self.plot.getPlotItem()
        count = len(self.latest.runs) if self.latest is not None else 0
        styles = run_styles(max(count, 1 + max((p.index for p in landscape.paths), default=0)))
        for path in landscape.paths:
            style = styles[path.index]
            x, y = path.coordinates[:, 0], path.coordinates[:, 1]
            curve = pg.PlotDataItem(x, y, pen=pen(style, PATH_WIDTH, self.line_scale), name=path.label)
            curve.setZValue(10)
            item.addItem(curve)
            end = pg.ScatterPlotItem([x[-1]], [y[-1]], symbol=style.symbol, size=END_SIZE * self.line_scale,
                                     brush=pg.mkBrush(style.color), pen=pg.mkPen("w", width=1))
            end.setZValue(15)
            item.addItem(end)
            self._paths.append(curve)
            self._ends.append(end)
        self.start.setData([0.0], [0.0])
        self.start_label.setPos(0.0, 0.0)
        self.start_label.setVisible(True)
        self._axis_labels(landscape.plane)
        self._color_bar(picture.levels)
        item.setXRange(alphas[0], alphas[-1], padding=0)
        item.setYRange(betas[0], betas[-1], padding=0)

    def _axis_labels(self, plane):
        item = self.plot.getPlotItem()
        for side, k in (("bottom", 0), ("left", 1)):
            if plane is None:
                text = f"direction {k + 1}"
            elif k >= plane.rank:
                text = f"direction {k + 1} (random)"
            else:
                text = f"direction {k + 1} ({percent(plane.shares[k])})"
            item.setLabel(side, text)

    def _color_bar(self, levels):
        bands = len(levels) - 1
        self.color_bar.setColorMap(_band_map(bands))
        low, high = math.log10(levels[0]), math.log10(levels[-1])
        self.color_bar.setLevels((low, high))
        self.color_bar.axis.setTicks([_loss_ticks(levels[0], levels[-1])])

    def set_scale(self, text_scale: float, line_scale: float) -> None:
        """Projector mode: axis text at ``text_scale``, paths and marks at ``line_scale`` × their size.

        1, 1 is the normal look.
        """
        self.text_scale, self.line_scale = text_scale, line_scale
        scale_plot_text(self.plot.getPlotItem(), None, text_scale)
        font = None if text_scale == 1 else QtGui.QFont(QtWidgets.QApplication.font())
        axis = self.color_bar.axis
        axis.setTickFont(font)
        axis.label.setFont(font if font is not None else QtGui.QFont())
        axis.setLabel(axis.labelText)
        self.start_label.setFont(font if font is not None else QtGui.QFont())
        self.start.setSize(START_SIZE * line_scale)
        if self.picture is not None:
            self._draw(self.picture)

    # --- what is shown, for a reader of the view ----------------------------------------------

    def path_data(self):
        """Each drawn path's ``(x, y)`` arrays, in run order of the paths shown."""
        return [tuple(np.asarray(a) for a in curve.getData()) for curve in self._paths]

    def shutdown(self):
        """End the landscape thread (the window calls this when it closes)."""
        self.computer.shutdown()


def _band_map(bands: int) -> pg.ColorMap:
    """A colour map of ``bands`` flat bands of the ramp (what the picture is painted with)."""
    positions = np.repeat(np.linspace(0, 1, bands + 1), 2)[1:-1]
    colors = np.repeat(ramp_colors(bands), 2, axis=0)
    return pg.ColorMap(positions, colors)


def _loss_ticks(low: float, high: float):
    """``[(log10 value, label), ...]`` for round loss values between ``low`` and ``high`` (the ends if none)."""
    ticks = []
    for power in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for step in NICE_STEPS:
            value = step * 10.0 ** power
            if low <= value <= high:
                ticks.append((math.log10(value), f"{value:g}"))
    if len(ticks) < 2:
        ticks = [(math.log10(v), f"{v:.3g}") for v in (low, high)]
    return ticks
