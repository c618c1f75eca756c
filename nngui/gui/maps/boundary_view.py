"""The decision boundary: class probabilities over the input plane, behind the data points."""

from __future__ import annotations

import math

import numpy as np

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, pg
from nngui.gui.plots.plots import TITLE_POINT_SIZE, scale_plot_text
from nngui.gui.window.theme import class_color  # noqa: F401  (the light theme's, kept for those who import it here)
from nngui.gui.plots.ticks import FittedAxis

#: The points' diameter in pixels at normal size, the most they grow to on a large map.
POINT_SIZE = 8
#: The points' diameter as a share of the data's side on screen: small maps get small points, so the
#: boundary between them stays visible (a 160-pixel spiral: 4.8 px; 260 pixels: 7.8 px).
POINT_SHARE = 0.03
#: The smallest diameter the points are drawn at, in pixels, however small the map.
POINT_MINIMUM = 4.0
#: The data's side on screen, in pixels, that a map asks its layout for (its size hint): normally, and at
#: projector sizes. A layout that must guarantee it raises the least size to it (``set_scale``'s ``data_minimum``).
DATA_MINIMUM = 160
PROJECTOR_DATA_MINIMUM = 260
#: The data's least side on screen, in pixels, unless a layout asks for more: still readable, never cut.
DATA_FLOOR = 50
#: The room a map leaves around the data, each side, as a share of their span: enough for the edge points'
#: largest circles (a 260-pixel spiral: 10 px), little enough that the data fill the map (``data_bounds``).
MAP_MARGIN = 0.04
#: What the data take of the map along each axis.
DATA_SHARE = 1 / (1 + 2 * MAP_MARGIN)
#: The ticks' length, in pixels, inside the map.
TICK_LENGTH = 5
#: The most numbers along each of a map's axes.
MAX_TICK_LABELS = 3
#: How far, in pixels, an x tick's label may reach past the end of the axis.
LABEL_OVERHANG = 40
#: The gap between the x axis's labels, in widths of "M".
LABEL_GAP_EMS = 0.5
#: The map's frame when its axes stand aside (projector mode), in pixels.
FRAME_PEN_WIDTH = 1
TITLE = "Decision boundary"
#: What the tooltip says of the axes (the race's maps leave their names out).
AXES_TIP = "The plane is the two inputs: x1 across, x2 up."
# how far the map moves from white toward the class colour: a little where the network
# is unsure, more where it is confident, never all the way so the points stay visible
MIN_TINT = 0.12
MAX_TINT = 0.55


def point_diameter(data_side: float, point_scale: float = 1.0) -> float:
    """The points' diameter in pixels for data ``data_side`` pixels a side: ``POINT_SHARE`` of it, within limits."""
    return min(max(data_side * POINT_SHARE, POINT_MINIMUM), POINT_SIZE) * point_scale


def class_rgb(n_classes: int) -> np.ndarray:
    """The current theme's class colours as a float32 ``(n_classes, 3)`` array of 0…255."""
    theme = themes.current()
    return np.array([QtGui.QColor(theme.class_color(k)).getRgb()[:3] for k in range(n_classes)], dtype=np.float32)


def probability_image(probabilities: np.ndarray, colors: np.ndarray, background=255.0,
                      tints: tuple[float, float] = (MIN_TINT, MAX_TINT)) -> np.ndarray:
    """A uint8 RGB image: the probability-weighted class colour, faded toward ``background`` (white).

    ``probabilities`` is ``(rows, columns, classes)``; ``colors`` is ``(classes, 3)``; ``background``
    a grey level or an RGB triple. Confidence (the top probability, 1/classes … 1 mapped to
    ``tints[0]`` … ``tints[1]``) sets how strongly it is tinted.
    """
    k = probabilities.shape[-1]
    min_tint, max_tint = tints
    base = np.asarray(background, dtype=np.float32)
    # the rows of probabilities sum to 1, so probs @ (colors - base) is the blend minus the background
    tint = probabilities @ (colors - base)
    if k > 1:
        confidence = probabilities.max(axis=-1)
        confidence -= np.float32(1.0 / k)
        confidence *= np.float32((max_tint - min_tint) * k / (k - 1))
        confidence += np.float32(min_tint)
    else:
        confidence = np.full(probabilities.shape[:-1], max_tint, dtype=np.float32)
    tint *= confidence[..., None]
    tint += base
    # a diverged network gives NaN: show it as the background rather than garbage
    bad = np.isnan(tint)
    if bad.any():
        tint[bad] = np.broadcast_to(base, tint.shape)[bad]
    np.clip(tint, 0.0, 255.0, out=tint)
    return tint.astype(np.uint8)


class BoundaryView(pg.PlotWidget):
    """The probability map as one image item, the data as one scatter item; both made once.

    ``title`` None: no title row (a ``BoundaryGrid`` titles each view itself).
    ``names``: the axes carry their names (x1, x2) at normal text; ``numbers_at_large_text``: their numbers
    stay at projector sizes too. An exported map keeps both; the race's maps give that room to the data
    (``set_axes``).
    """

    # pyqtgraph resizes the widget while it is being built: no fitting until it is whole
    _fitting = True

    def __init__(self, parent=None, title: str | None = TITLE):
        super().__init__(parent=parent, axisItems={"bottom": FittedAxis("bottom"), "left": FittedAxis("left")})
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "x1")
        item.setLabel("left", "x2")
        self.title = title
        self.axis_names = True
        self.numbers_at_large_text = True
        if title is not None:
            item.setTitle(title, size=f"{TITLE_POINT_SIZE:g}pt")
        self.view_box = item.getViewBox()
        self.view_box.setAspectLocked(True, ratio=1.0)
        # with the aspect locked, a narrower tick label ("-1" for "-1.5") widens the map, which changes
        # the ticks again: an axis that only ever grows ends that loop
        item.getAxis("left").setStyle(autoReduceTextSpace=False)
        # the data reach close to the map's edges, so the outer ticks' labels do too: let them run a little
        # past the axis's ends (under the empty corner at the left) rather than drop "-1" from a ±1 spiral
        item.getAxis("bottom").setStyle(hideOverlappingLabels=LABEL_OVERHANG)
        # short labels ("-1", "0", "1"): half an "M" apart reads well and keeps three on a small map
        item.getAxis("bottom").gap_ems = LABEL_GAP_EMS
        # three numbers an axis at most: the data's scale, not a ruler (and none run past the map's edge)
        for side in ("bottom", "left"):
            item.getAxis(side).max_labels = MAX_TICK_LABELS
            # the ticks point into the map: the axes' room goes to their numbers alone
            item.getAxis(side).setStyle(tickLength=-TICK_LENGTH)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.scatter = pg.ScatterPlotItem(pxMode=True)
        self.scatter.setZValue(10)
        item.addItem(self.scatter)
        self.bounds: tuple[float, float, float, float] | None = None
        #: what the map shows: ``set_data``'s arguments, and the probabilities (None: none shown)
        self.data: tuple | None = None
        self.probabilities: np.ndarray | None = None
        self.n_classes = 0
        self._colors = class_rgb(3)
        self._image_rect = None
        self.point_size = POINT_SIZE
        self.point_scale = 1.0
        self.text_scale = 1.0
        self.data_minimum = DATA_FLOOR
        #: the data's span over the shown span, along x and y (``data_bounds``' margin)
        self.data_share = (DATA_SHARE, DATA_SHARE)
        self._hints = None
        self._fit_margins()
        self._fitting = False
        # a tick label that widens the left axis narrows the view box: fit the plot to the data's shape again
        self.view_box.sigResized.connect(self.fit_plot)
        self.setToolTip("The network's class probabilities over the input plane: each region takes the "
                        "colour of the class it predicts, paler where it is unsure. Filled circles are "
                        f"training points, hollow circles test points. {AXES_TIP} Double-click to reset the view.")

    def set_data(self, X, y, n_classes: int, bounds, test_mask=None) -> None:
        """Show the points ``X`` (n, 2) with labels ``y``; ``bounds`` = (x_min, x_max, y_min, y_max)."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes)
        self._colors = class_rgb(self.n_classes)
        self.bounds = tuple(float(b) for b in bounds)
        self.data = (X, y, self.n_classes, self.bounds, test_mask)
        x_min, x_max, y_min, y_max = self.bounds
        if len(X):
            spans = X.max(axis=0) - X.min(axis=0)
            self.data_share = (float(spans[0] / max(x_max - x_min, 1e-12)), float(spans[1] / max(y_max - y_min, 1e-12)))
        test = np.zeros(len(X), dtype=bool) if test_mask is None else np.asarray(test_mask, dtype=bool)
        theme = themes.current()
        self._draw_frame()   # in the theme's colours
        outline = pg.mkPen(theme.point_outline, width=theme.point_outline_width)
        brushes = [pg.mkBrush(theme.class_color(k)) for k in range(self.n_classes)]
        rings = [pg.mkPen(theme.class_color(k), width=2.2) for k in range(self.n_classes)]
        hollow = pg.mkBrush(QtGui.QColor(theme.plot_background).getRgb()[:3] + (200,))
        self.scatter.setData(
            x=X[:, 0], y=X[:, 1], size=self.point_size,
            symbol=["s" if t else "o" for t in test],
            brush=[hollow if t else brushes[c] for c, t in zip(y, test)],
            pen=[rings[c] if t else outline for c, t in zip(y, test)],
        )
        self._image_rect = None
        self.updateGeometry()
        self.fit_plot()
        self.reset_view()

    def set_scale(self, text_scale: float, point_scale: float, data_minimum: int | None = None) -> None:
        """Draw text at ``text_scale`` and the points at ``point_scale`` × their normal size (1, 1: normal).

        The map may then be no smaller than ``data_minimum`` pixels of data a side (None: ``DATA_FLOOR``);
        it asks for ``data_target`` (``DATA_MINIMUM`` at normal text, ``PROJECTOR_DATA_MINIMUM`` at larger).
        """
        self.text_scale = text_scale
        self.point_scale = point_scale
        self.data_minimum = DATA_FLOOR if data_minimum is None else int(data_minimum)
        # measured afresh at the new size (it grows to fit on the next paint)
        self.getPlotItem().getAxis("left").textWidth = 0
        scale_plot_text(self.getPlotItem(), self.title, text_scale)
        self._show_axes()   # (which fits the plot again)
        self._size_points()

    def set_axes(self, names: bool, numbers_at_large_text: bool) -> None:
        """Whether the axes carry their names (x1, x2; at normal text only) and keep their numbers at
        projector sizes (without them the map is a framed picture, its room all data)."""
        self.axis_names, self.numbers_at_large_text = names, numbers_at_large_text
        self._show_axes()

    def _show_axes(self) -> None:
        item = self.getPlotItem()
        # at projector sizes the words x1 and x2 give their rows to the data
        names = self.axis_names and self.text_scale == 1.0
        numbers = self.numbers_at_large_text or self.text_scale == 1.0
        for side in ("bottom", "left"):
            axis = item.getAxis(side)
            if axis.isVisibleTo(item) != numbers:
                item.showAxis(side, numbers)
            axis.showLabel(names)
        self._draw_frame()
        self._fit_margins()
        self.updateGeometry()
        self.fit_plot()

    def framed(self) -> bool:
        """Whether the map is drawn without axes, in a frame (projector mode's race)."""
        return not self.getPlotItem().getAxis("left").isVisibleTo(self.getPlotItem())

    def _draw_frame(self) -> None:
        # a map without axes keeps a frame: the edge of the plane stays drawn
        self.view_box.setBorder(pg.mkPen(themes.current().plot_foreground, width=FRAME_PEN_WIDTH) if self.framed()
                                else None)

    def _fit_margins(self) -> None:
        # room above the map for the ink of a number centred on its top edge ("1" at the top of a ±1 map):
        # half the line, less the room over a digit's top that every line keeps (none without numbers)
        top = 1 if self.framed() else math.ceil(self.getPlotItem().getAxis("left").ink_overhang())
        self.getPlotItem().layout.setContentsMargins(1, max(top, 1), 1, 1)

    # --- the map's shape: equal units, the data's own proportions --------------------------------

    def _axes_room(self) -> tuple[float, float]:
        """What the axes, labels and title take of the plot's width and height, in pixels."""
        item = self.getPlotItem()
        box = self.view_box.geometry()
        return item.size().width() - box.width(), item.size().height() - box.height()

    def _aspect(self) -> float:
        """The shown span's height over its width (1 before any data)."""
        if self.bounds is None:
            return 1.0
        x_min, x_max, y_min, y_max = self.bounds
        return max(y_max - y_min, 1e-12) / max(x_max - x_min, 1e-12)

    def fit_plot(self, *_) -> None:
        """Size the plot so its view box has the data's proportions, centred in the widget (again after a
        title row is added or taken away, as an export does).

        With equal units, a view box of another shape would show empty plane beside the data;
        instead the spare room stays around the plot (in the background colour), and the data
        fill the map along both axes.
        """
        if self._fitting or self.getPlotItem() is None:   # (closed)
            return
        self._fitting = True
        try:
            item = self.getPlotItem()
            for _ in range(3):   # the axes' room may change once with the new size; then it holds
                extra_w, extra_h = self._axes_room()
                width, height = self.width(), self.height()
                aspect = self._aspect()
                box_w = max(min(width - extra_w, (height - extra_h) / aspect), 1.0)
                box_h = box_w * aspect
                w, h = min(box_w + extra_w, width), min(box_h + extra_h, height)
                # centred across, at the top: the map stays under its title
                rect = QtCore.QRectF(round((width - w) / 2), 0, w, h)
                if (abs(rect.width() - item.size().width()) < 0.5 and abs(rect.height() - item.size().height()) < 0.5
                        and abs(rect.x() - item.pos().x()) < 0.5 and abs(rect.y() - item.pos().y()) < 0.5):
                    break
                item.setGeometry(rect)
        finally:
            self._fitting = False
        self._size_points()
        self.reset_view()
        # the axes' room grows with their tick labels once painted: the layout learns the new hints
        hints = (self.minimumSizeHint(), self.sizeHint())
        if hints != self._hints:
            self._hints = hints
            self.updateGeometry()

    def data_pixels(self) -> tuple[float, float]:
        """The data's width and height on screen, in pixels (the view box's size times the data's share)."""
        box = self.view_box.geometry()
        return box.width() * self.data_share[0], box.height() * self.data_share[1]

    def _size_points(self) -> None:
        size = point_diameter(min(self.data_pixels()), self.point_scale)
        if abs(size - self.point_size) > 0.05:
            self.point_size = size
            self.scatter.setSize(size)

    @property
    def data_target(self) -> int:
        """The data's side on screen, in pixels, the map asks for: ``DATA_MINIMUM``, or more at projector sizes."""
        return max(self.data_minimum, DATA_MINIMUM if self.text_scale <= 1.0 else PROJECTOR_DATA_MINIMUM)

    def size_for_data(self, data_side: float) -> QtCore.QSize:
        """The widget's size that draws the data ``data_side`` pixels a side, with the axes beside and below."""
        item = self.getPlotItem()
        left, bottom = item.getAxis("left"), item.getAxis("bottom")
        # an axis hidden (projector mode) takes no room
        extra_w = (left.maximumWidth() if left.isVisibleTo(item) else 0) + 2
        top = item.layout.getContentsMargins()[1]
        extra_h = ((bottom.maximumHeight() if bottom.isVisibleTo(item) else 0) + 1 + top
                   + (item.titleLabel.maximumHeight() if self.title is not None else 0))
        box_w = data_side / max(self.data_share[0], 0.1)
        box_h = data_side / max(self.data_share[1], 0.1)
        side = max(box_w, box_h / self._aspect())   # equal units: the narrower span sets the width
        return QtCore.QSize(int(math.ceil(side + extra_w)), int(math.ceil(side * self._aspect() + extra_h)))

    def minimumSizeHint(self) -> QtCore.QSize:
        """Room for ``data_minimum`` pixels of data a side: a layout that keeps it never cuts the map."""
        return self.size_for_data(self.data_minimum)

    def sizeHint(self) -> QtCore.QSize:
        """Room for ``data_target`` pixels of data a side."""
        return self.size_for_data(self.data_target)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)   # fills the widget with the plot …
        self.fit_plot()             # … which takes the data's shape again

    def set_probabilities(self, probabilities) -> None:
        """Colour the plane by ``probabilities`` (res, res, classes), row i = y index, column j = x index."""
        probabilities = np.asarray(probabilities, dtype=np.float32)
        self.probabilities = probabilities
        colors = self._colors
        if len(colors) != probabilities.shape[-1]:
            colors = self._colors = class_rgb(probabilities.shape[-1])
        theme = themes.current()
        rgb = probability_image(probabilities, colors, theme.background_rgb(), theme.map_tint)
        self.image.setImage(rgb, autoLevels=False, levels=(0, 255))
        self._place_image(probabilities.shape[0], probabilities.shape[1])
        self.image.setVisible(True)

    def _place_image(self, rows: int, columns: int) -> None:
        # probability_grid samples at linspace(min, max, res): centre each pixel on its sample
        if self.bounds is None or self._image_rect == (rows, columns):
            return
        x_min, x_max, y_min, y_max = self.bounds
        dx = (x_max - x_min) / max(columns - 1, 1)
        dy = (y_max - y_min) / max(rows - 1, 1)
        self.image.setRect(QtCore.QRectF(x_min - dx / 2, y_min - dy / 2, dx * columns, dy * rows))
        self._image_rect = (rows, columns)

    def clear_probabilities(self) -> None:
        """Hide the probability map, leaving the points."""
        self.probabilities = None
        self.image.clear()
        self.image.setVisible(False)

    def reset_view(self) -> None:
        """Show exactly the data bounds."""
        if self.bounds is not None:
            x_min, x_max, y_min, y_max = self.bounds
            self.view_box.setRange(xRange=(x_min, x_max), yRange=(y_min, y_max), padding=0.0)

    def mouseDoubleClickEvent(self, event):
        """Double-click restores the view after any pan or zoom."""
        self.reset_view()
        event.accept()
