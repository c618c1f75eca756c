"""Tick labels keep apart: the spacing follows the axis length and the labels' measured size."""

from __future__ import annotations

import pytest

from nngui.gui.qt import QtGui, QtWidgets, pg
from nngui.gui.plots.ticks import FittedAxis, minor_spacing, next_spacing

from .tick_labels import drawn_labels

PROJECTOR_POINTS = 16.8   # 10.5 pt × 1.6


def test_round_spacings_step_1_2_5():
    assert [next_spacing(s) for s in (1, 2, 5, 10, 0.2, 0.5, 2000, 5000)] == [2, 5, 10, 20, 0.5, 1, 5000, 10000]
    assert [minor_spacing(s) for s in (1, 2, 5, 1000)] == [0.2, 1, 1, 200]


def _overlapping(labels):
    return [(a, b) for i, (ra, a) in enumerate(labels) for rb, b in labels[i + 1:] if ra.intersects(rb)]


def _plot(shown, axis, width, height):
    plot = pg.PlotWidget(axisItems={axis.orientation: axis})
    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPointSizeF(PROJECTOR_POINTS)
    axis.setTickFont(font)
    shown(plot, width, height)
    plot.setXRange(0, 10_000, padding=0.05)
    plot.setYRange(0, 1.6, padding=0)
    return plot


@pytest.mark.parametrize("width", [230, 300, 420])
def test_large_labels_on_a_narrow_plot_keep_apart(shown, qtbot, width):
    axis = FittedAxis("bottom")
    plot = _plot(shown, axis, width, 200)  # noqa: F841  (kept alive while its axis is measured)
    qtbot.waitUntil(lambda: len(drawn_labels(axis)) >= 2)
    labels = drawn_labels(axis)
    assert not _overlapping(labels), labels
    gap = QtGui.QFontMetricsF(axis.style["tickFont"]).horizontalAdvance("M")
    rects = sorted((r.left(), r.right()) for r, _ in labels)
    assert all(b[0] - a[1] >= gap * 0.5 for a, b in zip(rects, rects[1:]))


def test_pyqtgraphs_own_axis_would_run_them_together(shown, qtbot):
    # the guard matters: the plain axis at the same size and font draws "0200040006000…" into each other
    axis = pg.AxisItem("bottom")
    plot = _plot(shown, axis, 230, 200)  # noqa: F841
    qtbot.waitUntil(lambda: len(drawn_labels(axis)) >= 2)
    assert _overlapping(drawn_labels(axis))


def test_a_short_left_axis_keeps_its_labels_apart(shown, qtbot):
    axis = FittedAxis("left")
    plot = _plot(shown, axis, 300, 110)  # noqa: F841
    qtbot.waitUntil(lambda: len(drawn_labels(axis)) >= 1)
    labels = drawn_labels(axis)
    assert not _overlapping(labels), labels



def test_a_side_axis_says_its_short_name_on_a_plot_too_short_for_the_whole_one(shown, qtbot):
    plot = pg.PlotWidget(axisItems={"left": FittedAxis("left")})
    axis = plot.getPlotItem().getAxis("left")
    plot.getPlotItem().setLabel("left", "learning rate")
    axis.set_short_label("lr")
    shown(plot, 300, 400)
    qtbot.waitUntil(lambda: axis.size().height() > 300)
    assert axis.labelText == "learning rate"
    plot.resize(300, 90)
    qtbot.waitUntil(lambda: axis.labelText == "lr")
    plot.resize(300, 400)
    qtbot.waitUntil(lambda: axis.labelText == "learning rate")
