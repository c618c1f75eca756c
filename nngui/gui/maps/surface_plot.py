"""A loss surface drawn as filled contours, with the runs' paths on it; a click chooses the start.

Every item is made once per surface (the image, its contour lines, the minima) or per race
(each run's path and current point) and afterwards only given new data.

The fill runs from pale yellow at the bottom of the surface to deep blue high up (viridis,
reversed), on a logarithmic scale so both Rosenbrock's floor and its walls show; dark contour
lines mark equal loss. A path is its run's colour and dash pattern over a white halo, so it
reads on every part of the fill, and its current point carries the run's symbol.
"""

from __future__ import annotations

import numpy as np

from nngui.gui.plots.metric_plot import scale_plot_text
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from nngui.gui.plots.run_styles import RUN_WIDTH, pen as run_pen

#: Loss samples per side of the drawn surface.
RESOLUTION = 241
#: Contour lines drawn over the fill.
CONTOUR_LEVELS = 12
CONTOUR_COLOR = (30, 30, 30, 150)
PATH_WIDTH = RUN_WIDTH * 1.25
HALO_WIDTH = PATH_WIDTH + 2.0
POINT_SIZE = 13
START_SIZE = 15
MINIMUM_SIZE = 16
MARK_COLOR = "#1A1A1A"
LABEL_FILL = (255, 255, 255, 170)


def fill_values(values: np.ndarray) -> np.ndarray:
    """The loss as the fill shows it: ``log(1 + loss − lowest)``, so 0 at the bottom, growing slowly."""
    return np.log1p(values - values.min())


def contour_levels(filled: np.ndarray, count: int = CONTOUR_LEVELS) -> np.ndarray:
    """``count`` levels evenly spaced in the fill's scale, the lowest near the bottom."""
    top = float(np.percentile(filled, 99))
    return np.linspace(0.0, top, count + 2)[1:-1]


def contour_segments(xs, ys, values, level) -> np.ndarray:
    """Line segments where ``values`` (rows: ``ys``, columns: ``xs``) crosses ``level``: ``(n, 2, 2)``.

    Marching squares: each edge of a cell whose two corners lie on either side of the level
    is crossed at the linearly interpolated point; a cell crossed on two edges holds one
    segment, a cell crossed on all four (a saddle of the grid) two. Only the crossed cells
    are interpolated, all at once.
    """
    above = values > level
    # the edges in order around a cell: bottom, right, top, left, each as (corner, corner)
    corners = ((0, 0), (0, 1)), ((0, 1), (1, 1)), ((1, 0), (1, 1)), ((0, 0), (1, 0))
    rows, columns = values.shape[0] - 1, values.shape[1] - 1

    def at(grid, corner):
        return grid[corner[0]:corner[0] + rows, corner[1]:corner[1] + columns]

    crossed = np.stack([at(above, p) != at(above, q) for p, q in corners])   # (4, rows, columns)
    i, j = np.nonzero(crossed.sum(axis=0) >= 2)
    crossed = crossed[:, i, j]                                               # (4, cells)
    points = np.empty((4, len(i), 2))
    for edge, (p, q) in enumerate(corners):
        vp, vq = values[i + p[0], j + p[1]], values[i + q[0], j + q[1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(crossed[edge], (level - vp) / (vq - vp), 0.0)
        points[edge, :, 0] = xs[j + p[1]] + t * (xs[j + q[1]] - xs[j + p[1]])
        points[edge, :, 1] = ys[i + p[0]] + t * (ys[i + q[0]] - ys[i + p[0]])
    cells = np.arange(len(i))
    two = crossed.sum(axis=0) == 2
    # a cell crossed twice joins its first and second crossed edges, in edge order
    order = np.argsort(~crossed[:, two], axis=0, kind="stable")[:2]
    segments = [np.stack([points[order[0], cells[two]], points[order[1], cells[two]]], axis=1)]
    four = ~two
    for first, second in ((0, 3), (1, 2)):   # bottom with left, right with top
        segments.append(np.stack([points[first, four], points[second, four]], axis=1))
    return np.concatenate(segments)


class SurfacePlot(pg.PlotWidget):
    """One surface's contours, its minima, the start and each run's path; emits ``start_chosen(x, y)``."""

    start_chosen = QtCore.Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "x (weight 1)")
        item.setLabel("left", "y (weight 2)")
        self.view_box = item.getViewBox()
        # a click chooses the start: no dragging or wheel zoom to confuse it
        self.view_box.setMouseEnabled(x=False, y=False)
        item.getAxis("left").setStyle(autoReduceTextSpace=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        colormap = pg.colormap.get("viridis")
        colormap.reverse()
        self.image.setLookupTable(colormap.getLookupTable(nPts=256))
        item.addItem(self.image)
        # every contour line of every level: one item, drawn as pairs of points
        self.contours = pg.PlotDataItem(connect="pairs", pen=pg.mkPen(CONTOUR_COLOR, width=1.0))
        self.contours.setZValue(-5)
        item.addItem(self.contours)
        self.minima = pg.ScatterPlotItem(pxMode=True, symbol="+", size=MINIMUM_SIZE,
                                         pen=pg.mkPen(MARK_COLOR, width=2.5),
                                         brush=pg.mkBrush(MARK_COLOR))
        self.minima.setZValue(5)
        item.addItem(self.minima)
        self._minima_labels: list[pg.TextItem] = []
        self.start_mark = pg.ScatterPlotItem(pxMode=True, symbol="o", size=START_SIZE,
                                             pen=pg.mkPen(MARK_COLOR, width=2.5), brush=pg.mkBrush("w"))
        self.start_mark.setZValue(20)
        item.addItem(self.start_mark)
        self.surface = None
        self.line_scale = self.point_scale = self.text_scale = 1.0
        self._styles = ()
        self.halos: list[pg.PlotDataItem] = []
        self.paths: list[pg.PlotDataItem] = []
        self.points: list[pg.ScatterPlotItem] = []
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        # short enough that the notes below fit a 1024×768 window under a lesson bar
        self.setMinimumSize(200, 150)

    # --- the surface ----------------------------------------------------------------------

    def set_surface(self, surface) -> None:
        """Draw ``surface`` (an engine ``Surface``): its fill, contour lines and minima, and show its range."""
        self.surface = surface
        xs, ys, values = surface.grid(RESOLUTION)
        filled = fill_values(values)
        levels = contour_levels(filled)
        self.image.setImage(filled, autoLevels=False, levels=(0.0, float(levels[-1]) * 1.1))
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        self.image.setRect(QtCore.QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys)))
        segments = np.concatenate([contour_segments(xs, ys, filled, level) for level in levels])
        self.contours.setData(segments[:, :, 0].ravel(), segments[:, :, 1].ravel())
        self._mark_minima(surface)
        scale_plot_text(self.getPlotItem(), self.title(), self.text_scale)
        self.reset_view()

    def title(self) -> str:
        # the surface's name is in the box above: the formula alone fits beside a race at 1024 pixels
        return self.surface.formula if self.surface is not None else ""

    def set_scale(self, text_scale: float, line_scale: float, point_scale: float) -> None:
        """Text, paths and marks at these multiples of their normal size (projector mode); 1, 1, 1: normal."""
        self.text_scale, self.line_scale, self.point_scale = text_scale, line_scale, point_scale
        self.getPlotItem().getAxis("left").textWidth = 0
        scale_plot_text(self.getPlotItem(), self.title(), text_scale)
        for label in self._minima_labels:
            label.setFont(self._label_font())
        self.minima.setSize(MINIMUM_SIZE * point_scale)
        self.start_mark.setSize(START_SIZE * point_scale)
        for style, halo, path, point in zip(self._styles, self.halos, self.paths, self.points):
            self._style_run(style, halo, path, point)

    def _label_font(self):
        font = QtWidgets.QApplication.font() if self.text_scale != 1 else QtGui.QFont()
        return QtGui.QFont(font)

    def _style_run(self, style, halo, path, point) -> None:
        halo.setPen(pg.mkPen("w", width=HALO_WIDTH * self.line_scale))
        path.setPen(run_pen(style, PATH_WIDTH, self.line_scale))
        point.setSize(POINT_SIZE * self.point_scale)

    def _mark_minima(self, surface) -> None:
        for label in self._minima_labels:
            self.removeItem(label)
        self._minima_labels = []
        self.minima.setData(pos=np.array(surface.minima, dtype=float))
        lowest = min(surface.loss(*m) for m in surface.minima)
        for x, y in surface.minima:
            words = "minimum" if surface.loss(x, y) <= lowest + 1e-12 else "local minimum"
            label = pg.TextItem(words, color=MARK_COLOR, anchor=(0.5, -0.3), fill=LABEL_FILL)
            label.setFont(self._label_font())
            label.setPos(x, y)
            label.setZValue(6)
            self.addItem(label)
            self._minima_labels.append(label)

    def reset_view(self) -> None:
        if self.surface is not None:
            x_min, x_max, y_min, y_max = self.surface.bounds
            self.view_box.setRange(xRange=(x_min, x_max), yRange=(y_min, y_max), padding=0.0)

    # --- the runs -------------------------------------------------------------------------

    def set_runs(self, styles) -> None:
        """One path (with its halo) and one current point per run, in each run's style."""
        for items in (self.halos, self.paths, self.points):
            for old in items:
                self.removeItem(old)
            items.clear()
        self._styles = tuple(styles)
        for index, style in enumerate(styles):
            halo, path = pg.PlotDataItem(), pg.PlotDataItem()
            point = pg.ScatterPlotItem(pxMode=True, symbol=style.symbol, brush=pg.mkBrush(style.color),
                                       pen=pg.mkPen("w", width=1.5))
            self._style_run(style, halo, path, point)
            for z, part, items in ((10 + index, halo, self.halos), (11 + index, path, self.paths),
                                   (15 + index, point, self.points)):
                part.setZValue(z)
                self.addItem(part)
                items.append(part)

    def set_paths(self, paths) -> None:
        """Each run's path so far, an ``(n, 2)`` array; its last point is the run's current point."""
        for path, halo, line, point in zip(paths, self.halos, self.paths, self.points):
            halo.setData(path[:, 0], path[:, 1])
            line.setData(path[:, 0], path[:, 1])
            point.setData(pos=path[-1:])

    def set_start(self, x: float, y: float) -> None:
        self.start_mark.setData(pos=[(x, y)])

    def start_position(self) -> tuple[float, float]:
        """Where the start marker is drawn."""
        x, y = self.start_mark.getData()
        return float(x[0]), float(y[0])

    def path_data(self, index: int) -> np.ndarray:
        """The points run ``index``'s path is drawn through, ``(n, 2)``."""
        x, y = self.paths[index].getData()
        if x is None:
            return np.empty((0, 2))
        return np.column_stack([x, y])

    def data_to_widget(self, x: float, y: float) -> QtCore.QPoint:
        """The pixel of the view (its viewport) where the point ``(x, y)`` is drawn."""
        scene = self.view_box.mapViewToScene(QtCore.QPointF(x, y))
        return self.mapFromScene(scene)

    # --- clicks -----------------------------------------------------------------------------

    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton or self.surface is None:
            return
        point = self.view_box.mapSceneToView(event.scenePos())
        x, y = point.x(), point.y()
        if self.surface.contains(x, y):
            event.accept()
            self.start_chosen.emit(float(x), float(y))

    def mouseDoubleClickEvent(self, event):
        # the start is chosen by the click itself; a double-click is two of them, nothing more
        event.accept()

