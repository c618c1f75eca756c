"""Pictures and numbers to take away: a plot or a map as PNG or SVG, the window as PNG.

Plots and maps are drawn by pyqtgraph's own exporters from the very items the window shows,
so a picture is what the class saw. Every file is written atomically (``engine.files``);
a failure raises ``ExperimentError`` naming the file.
"""

from __future__ import annotations

import math
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from nngui.files import guards as files
from nngui.engine.checks import ExperimentError

from nngui.gui.maps.boundary_view import BoundaryView
from nngui.gui.plots.plots import TITLE_POINT_SIZE
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from nngui.gui.window import themes
from pyqtgraph import exporters

#: What the picture formats are called in file dialogs, by suffix.
PICTURE_FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}
#: A picture has twice the pixels it has on screen, as on a high-resolution screen: sharp on a slide.
PNG_SCALE = 2
#: A map's picture is at least this many pixels a side, however small the map on screen …
MAP_PNG_SIDE = 1000
#: … drawn by a map of this size (in pixels, as the slide pack's: ``export_pack.MAP_SIZE``).
MAP_EXPORT_SIZE = (560, 560)
BACKGROUND = "#FFFFFF"


def png_bytes(image: QtGui.QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExperimentError("", "the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def _background(widget) -> QtGui.QColor:
    brush = widget.backgroundBrush()
    if brush.style() == QtCore.Qt.BrushStyle.NoBrush or brush.color().alpha() == 0:
        return QtGui.QColor(BACKGROUND)
    return brush.color()


@contextmanager
def _legend_shown(widget):
    """A plot of runs names them in a legend of its own while it is exported (the window names them
    beside it), its names as large as the tick labels' numbers."""
    labels = getattr(widget, "labels", ())
    if not labels or not hasattr(widget, "run_curve"):
        yield
        return
    item = widget.getPlotItem()
    legend = pg.LegendItem(offset=getattr(widget, "legend_offset", (-10, 10)),
                           labelTextColor=themes.current().plot_foreground,
                           # in pixels, as the ticks' font resolves on screen (a size in points is
                           # turned into pixels at another resolution by the label's text document)
                           labelTextSize=f"{QtGui.QFontInfo(tick_font(widget)).pixelSize()}px")
    # pyqtgraph's legend ignores the painter's scale (it keeps its size when a view zooms): a picture drawn
    # at twice the size would have its names at half the ticks' size
    legend.setFlag(legend.GraphicsItemFlag.ItemIgnoresTransformations, False)
    legend.setParentItem(item.getViewBox())
    for index, label in enumerate(labels):
        for role in ("train", "lr"):
            try:
                curve = widget.run_curve(index, role)
            except KeyError:
                continue
            legend.addItem(curve, label)
            break
    try:
        yield
    finally:
        legend.scene().removeItem(legend)


def tick_font(widget: pg.PlotWidget) -> QtGui.QFont:
    """The font ``widget``'s tick labels are drawn in (pyqtgraph's default: the application's)."""
    font = widget.getPlotItem().getAxis("bottom").style.get("tickFont")
    return QtGui.QFont(font) if font is not None else QtGui.QFont(QtWidgets.QApplication.font())


def plot_png(widget: pg.PlotWidget, scale: float | None = None) -> bytes:
    """A plot widget's whole plot (title, axes, curves or map) as PNG bytes, ``scale`` times its size on screen
    (None: ``PNG_SCALE``, or for a map as much as makes it ``MAP_PNG_SIDE`` pixels a side)."""
    least_side = MAP_PNG_SIDE if scale is None and isinstance(widget, BoundaryView) else 0
    with _legend_shown(widget):
        return _plot_png(widget, PNG_SCALE if scale is None else scale, least_side)


def _plot_png(widget, scale, least_side=0):
    exporter = exporters.ImageExporter(widget.getPlotItem())
    exporter.parameters()["background"] = _background(widget)
    width, height = exporter.parameters()["width"], exporter.parameters()["height"]
    scale = max(scale, least_side / max(min(width, height), 1.0))
    # setting the width sets the height to keep the plot's shape
    exporter.parameters()["width"] = math.ceil(width * scale)
    if exporter.parameters()["height"] < least_side:   # rounded below it
        exporter.parameters()["width"] += math.ceil((least_side - exporter.parameters()["height"]) * width / height)
    return png_bytes(exporter.export(toBytes=True))


_MATRIX = re.compile(r"matrix\(([^)]*)\)")
_POINT = re.compile(r"([A-Za-z]?)(-?[0-9.]+(?:[eE][-+]?[0-9]+)?),(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)")
_CLOSE = ("Z", "z")


def _transformed_path(d: str, matrix: str) -> str | None:
    """A path's ``d`` (``Mx,y Lx,y Cx,y x,y x,y … Z``) moved by its group's ``matrix(a,b,c,d,e,f)``.

    None if it holds anything else (left to the exporter, as before).
    """
    tokens = d.split()
    points = [token for token in tokens if token not in _CLOSE]
    matches = [_POINT.fullmatch(token) for token in points]
    if not matches or not all(matches) or matches[0].group(1) in _CLOSE:
        return None
    found = _MATRIX.match(matrix)
    a, b, c, e_, x0, y0 = [float(v) for v in found.group(1).split(",")] if found else (1, 0, 0, 1, 0, 0)
    xy = np.array([(float(m.group(2)), float(m.group(3))) for m in matches])
    xs = (a * xy[:, 0] + c * xy[:, 1] + x0).tolist()
    ys = (b * xy[:, 0] + e_ * xy[:, 1] + y0).tolist()
    moved = iter(f"{m.group(1)}{x!r},{y!r}" for m, x, y in zip(matches, xs, ys))
    out = [token if token in _CLOSE else next(moved) for token in tokens]
    if not out[0].startswith("M"):
        # as the exporter does: a path must begin by moving (Qt drops a first point that is not finite)
        out[0] = "M" + out[0].lstrip("ABCDEFGHIJKLNOPQRSTUVWXYabcdefghijklmnopqrstuvwxy")
    return " ".join(out)


@contextmanager
def _paths_moved_at_once():
    """pyqtgraph 0.14's SVG exporter moves each path into place point by point (seconds for a long curve) and
    fails on the ``Z`` that Qt 6 writes to close one (a view box's frame). While exporting, simple paths are
    moved here, all their points at once, and the exporter is given them empty (it then only drops the
    group's transform); anything else is left to it."""
    module = sys.modules[exporters.SVGExporter.__module__]
    original = getattr(module, "correctCoordinates", None)
    if original is None:
        yield
        return

    def correct(node, defs, item, options):
        moved = []
        for path in node.getElementsByTagName("path"):
            group = path.parentNode
            if group is None or getattr(group, "tagName", "") != "g":
                continue
            matrix = group.getAttribute("transform")
            d = _transformed_path(path.getAttribute("d"), matrix)
            if d is None:
                continue
            moved.append((path, d, matrix, group.getAttribute("stroke-width")))
            path.setAttribute("d", "")
        result = original(node, defs, item, options)
        for path, d, matrix, width in moved:
            path.setAttribute("d", d)
            # as the exporter does for the paths it moves: a scaling pen's width is moved with its path
            if width and path.getAttribute("vector-effect") != "non-scaling-stroke":
                ends = _transformed_path(f"M{float(width)!r},0 L0,0", matrix).replace("M", "").replace("L", "")
                (x1, y1), (x2, y2) = (map(float, pair.split(",")) for pair in ends.split())
                path.setAttribute("stroke-width", repr(((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5))
        return result

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


def plot_svg(widget: pg.PlotWidget) -> bytes:
    """A plot widget's whole plot as SVG: curves as paths, a map's picture embedded as an image."""
    with _legend_shown(widget), _paths_moved_at_once():
        exporter = exporters.SVGExporter(widget.getPlotItem())
        exporter.parameters()["background"] = _background(widget)
        text = exporter.export(toBytes=True)
    return text if isinstance(text, bytes) else str(text).encode("utf-8")


@contextmanager
def _titled(widget, title):
    """``widget``'s plot with ``title`` above it while it is exported (a race's map is titled beside the plot)."""
    item = widget.getPlotItem()
    if not title or item.titleLabel.isVisible():
        yield
        return
    item.setTitle(title, size=f"{TITLE_POINT_SIZE * getattr(widget, 'text_scale', 1.0):g}pt")
    item.layout.activate()
    try:
        yield
    finally:
        item.setTitle(None)
        item.layout.activate()


def export_plot(widget: pg.PlotWidget, path, title: str | None = None) -> str:
    """Write ``widget``'s plot to ``path`` as PNG or SVG, by its suffix, titled ``title`` if it has none.

    A map is drawn afresh at ``MAP_EXPORT_SIZE`` (``map_copy``): the same data, colours and scale, with
    room for its title, whatever room the window gives it.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in PICTURE_FORMATS:
        raise ExperimentError("", "a picture is saved as .png or .svg", str(path))
    if isinstance(widget, BoundaryView) and widget.bounds is not None:
        copy = map_copy(widget, title if title is not None else widget.title)
        try:
            content = plot_svg(copy) if suffix == ".svg" else plot_png(copy)
        finally:
            copy.close()
            copy.deleteLater()
    else:
        with _titled(widget, title):
            content = plot_svg(widget) if suffix == ".svg" else plot_png(widget)
    files.write_file_atomically(path, content)
    return str(path)


def map_copy(view: BoundaryView, title: str | None) -> BoundaryView:
    """A map like ``view`` (its points, probabilities, theme and scale) at ``MAP_EXPORT_SIZE``, titled
    ``title``, laid out but never shown on screen.

    The window's map may be small and its title stands outside it; and pyqtgraph's SVG exporter
    placed a small map's points beside the image once a title was put above it for the export.
    """
    copy = BoundaryView(title=title)
    copy.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    copy.set_scale(view.text_scale, view.point_scale)
    copy.resize(*MAP_EXPORT_SIZE)
    copy.set_data(*view.data)
    if view.probabilities is not None:
        copy.set_probabilities(view.probabilities)
    copy.show()
    for _ in range(2):   # the axes measure their labels once painted: lay out again with their room
        QtCore.QCoreApplication.sendPostedEvents()
        copy.grab()
        copy.fit_plot()
    return copy


def export_window(window, path) -> str:
    """Write a PNG of the whole window as it is on screen; the path written."""
    files.write_file_atomically(path, png_bytes(window.grab().toImage()))
    return str(path)
