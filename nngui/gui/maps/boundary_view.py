"""The decision boundary: class probabilities over the input plane, behind the data points."""

from __future__ import annotations

import numpy as np

from nngui.gui.window import themes
from nngui.gui.qt import QtCore, QtGui, pg
from nngui.gui.plots.plots import TITLE_POINT_SIZE, scale_plot_text
from nngui.gui.window.theme import class_color  # noqa: F401  (the light theme's, kept for those who import it here)
from nngui.gui.plots.ticks import FittedAxis

POINT_SIZE = 8
TITLE = "Decision boundary"
# how far the map moves from white toward the class colour: a little where the network
# is unsure, more where it is confident, never all the way so the points stay visible
MIN_TINT = 0.12
MAX_TINT = 0.55


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
    """

    def __init__(self, parent=None, title: str | None = TITLE):
        super().__init__(parent=parent, axisItems={"bottom": FittedAxis("bottom"), "left": FittedAxis("left")})
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "x1")
        item.setLabel("left", "x2")
        self.title = title
        if title is not None:
            item.setTitle(title, size=f"{TITLE_POINT_SIZE:g}pt")
        self.view_box = item.getViewBox()
        self.view_box.setAspectLocked(True, ratio=1.0)
        # with the aspect locked, a narrower tick label ("-1" for "-1.5") widens the map, which changes
        # the ticks again: an axis that only ever grows ends that loop
        item.getAxis("left").setStyle(autoReduceTextSpace=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.scatter = pg.ScatterPlotItem(pxMode=True)
        self.scatter.setZValue(10)
        item.addItem(self.scatter)
        self.bounds: tuple[float, float, float, float] | None = None
        self.n_classes = 0
        self._colors = class_rgb(3)
        self._image_rect = None
        self.point_size = POINT_SIZE
        self.text_scale = 1.0
        self.setToolTip("The network's class probabilities over the input plane: each region takes the "
                        "colour of the class it predicts, paler where it is unsure. Filled circles are "
                        "training points, hollow circles test points. Double-click to reset the view.")
        self.setMinimumSize(160, 160)

    def set_data(self, X, y, n_classes: int, bounds, test_mask=None) -> None:
        """Show the points ``X`` (n, 2) with labels ``y``; ``bounds`` = (x_min, x_max, y_min, y_max)."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes)
        self._colors = class_rgb(self.n_classes)
        self.bounds = tuple(float(b) for b in bounds)
        test = np.zeros(len(X), dtype=bool) if test_mask is None else np.asarray(test_mask, dtype=bool)
        theme = themes.current()
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
        self.reset_view()

    def set_scale(self, text_scale: float, point_scale: float) -> None:
        """Draw text at ``text_scale`` and the points at ``point_scale`` × their normal size (1, 1: normal)."""
        self.text_scale = text_scale
        # measured afresh at the new size (it grows to fit on the next paint)
        self.getPlotItem().getAxis("left").textWidth = 0
        scale_plot_text(self.getPlotItem(), self.title, text_scale)
        self.point_size = POINT_SIZE * point_scale
        self.scatter.setSize(self.point_size)

    def set_probabilities(self, probabilities) -> None:
        """Colour the plane by ``probabilities`` (res, res, classes), row i = y index, column j = x index."""
        probabilities = np.asarray(probabilities, dtype=np.float32)
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
