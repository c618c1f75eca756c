"""What the class watches: maps cut to their data with equal units, never cut by their column; a legend
strip that never overlaps itself. Geometry is read from the widgets and the view boxes."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.engine import Trainer
from nngui.engine.experiment import Experiment
from nngui.gui.maps.boundary_grid import BoundaryGrid
from nngui.gui.maps.boundary_view import (DATA_MINIMUM, POINT_SIZE, PROJECTOR_DATA_MINIMUM, BoundaryView,
                                          point_diameter)
from nngui.gui.plots.run_label import RunLabel
from nngui.gui.plots.run_legend import RunLegend
from nngui.gui.plots.run_styles import run_styles
from nngui.gui.qt import QtCore, QtWidgets
from nngui.gui.window.projector import FONT_SCALE, POINT_SCALE
from nngui.model.pins import PinnedRun
from nngui.engine import HistoryView

from .tick_labels import drawn_labels

LABELS = ("SGD", "SGD + decay", "SGD + momentum 0.9")


def settle():
    for _ in range(3):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()


def chapter_data():
    """The chapter's spiral: its points and the bounds the worker computes its probability grid over."""
    trainer = Trainer(Experiment())
    return trainer.X, trainer.y, trainer.data_bounds()


def measure(view: BoundaryView, X):
    """What a map shows: the data's share of each axis, pixels per unit along x and y, the data's
    side on screen, and whether every point is inside the shown range."""
    (x0, x1), (y0, y1) = view.view_box.viewRange()
    box = view.view_box.sceneBoundingRect()
    span = X.max(axis=0) - X.min(axis=0)
    inside = bool(((X[:, 0] >= x0) & (X[:, 0] <= x1) & (X[:, 1] >= y0) & (X[:, 1] <= y1)).all())
    return {
        "fill": (span[0] / (x1 - x0), span[1] / (y1 - y0)),
        "units": (box.width() / (x1 - x0), box.height() / (y1 - y0)),
        "data px": (span[0] / (x1 - x0) * box.width(), span[1] / (y1 - y0) * box.height()),
        "inside": inside,
    }


def assert_uncut(view: BoundaryView, container: QtWidgets.QWidget):
    """The whole plot (axes included) lies inside the view, and the view inside ``container``."""
    plot = view.getPlotItem().sceneBoundingRect()
    assert QtCore.QRectF(view.rect()).adjusted(-0.5, -0.5, 0.5, 0.5).contains(plot), (plot, view.rect())
    top_left = view.mapTo(container, QtCore.QPoint(0, 0))
    assert container.rect().contains(QtCore.QRect(top_left, view.size())), (top_left, view.size(), container.size())


def grid_of(shown, runs=3, width=900, height=400):
    X, y, bounds = chapter_data()
    grid = shown(BoundaryGrid(), width, height)
    grid.set_runs(LABELS[:runs] if runs <= 3 else (*LABELS, "SGD (lr 0.5)"), run_styles(runs))
    grid.set_data(X, y, 3, bounds)
    settle()
    return grid, X


def fit(widget, hint):
    """Give ``widget`` the size ``hint()`` asks, as a layout does again each time the hint changes."""
    for _ in range(4):
        widget.resize(hint())
        settle()
        if widget.size() == hint():
            return
    raise AssertionError(f"the size hint does not settle: {widget.size()} != {hint()}")


# ----- one map

@pytest.mark.parametrize("size", [(240, 240), (500, 260), (260, 500), (900, 700)])
def test_a_map_is_cut_to_its_data_with_equal_units_whatever_its_shape(shown, size):
    X, y, bounds = chapter_data()
    view = shown(BoundaryView(title=None), *size)
    view.set_data(X, y, 3, bounds)
    settle()
    seen = measure(view, X)
    assert seen["inside"]
    assert min(seen["fill"]) >= 0.8, seen
    assert seen["units"][0] == pytest.approx(seen["units"][1], rel=0.01)
    assert_uncut(view, view)


def test_the_probability_grid_covers_what_the_map_shows(shown):
    X, y, bounds = chapter_data()
    view = shown(BoundaryView(title=None), 420, 300)
    view.set_data(X, y, 3, bounds)
    view.set_probabilities(np.full((50, 50, 3), 1 / 3, dtype=np.float32))
    settle()
    (x0, x1), (y0, y1) = view.view_box.viewRange()
    image = view.image.mapRectToParent(view.image.boundingRect())
    assert image.left() <= x0 and image.right() >= x1 and image.top() <= y0 and image.bottom() >= y1


def test_points_are_sized_to_the_map(shown):
    X, y, bounds = chapter_data()
    view = shown(BoundaryView(title=None), 220, 220)
    view.set_data(X, y, 3, bounds)
    settle()
    small = view.point_size
    view.resize(700, 700)
    settle()
    large = view.point_size
    assert small < large <= POINT_SIZE
    assert large == pytest.approx(point_diameter(min(view.data_pixels())))
    assert set(np.asarray(view.scatter.data["size"])) <= {-1.0, large} or view.scatter.opts["size"] == large
    view.set_scale(FONT_SCALE, POINT_SCALE)
    settle()
    assert view.point_size == pytest.approx(point_diameter(min(view.data_pixels()), POINT_SCALE))


def test_a_map_asks_for_its_data_at_160_pixels_and_260_at_projector_sizes(shown):
    X, y, bounds = chapter_data()
    view = shown(BoundaryView(title=None), 100, 100)
    view.set_data(X, y, 3, bounds)
    settle()
    for text_scale, target in ((1.0, DATA_MINIMUM), (FONT_SCALE, PROJECTOR_DATA_MINIMUM)):
        view.set_scale(text_scale, 1.0)
        fit(view, view.sizeHint)
        assert min(measure(view, X)["data px"]) >= target - 1
        # and when a layout must guarantee it, the least size says so
        view.set_scale(text_scale, 1.0, data_minimum=target)
        fit(view, view.minimumSizeHint)
        assert min(measure(view, X)["data px"]) >= target - 1
        assert_uncut(view, view)


# ----- the grid of maps

@pytest.mark.parametrize("runs", [1, 2, 3, 4])
@pytest.mark.parametrize("projector", [False, True])
def test_at_its_least_size_every_map_has_its_data_whole_and_uncut(shown, runs, projector):
    grid, X = grid_of(shown, runs)
    if projector:
        grid.set_scale(FONT_SCALE, POINT_SCALE)
    target = PROJECTOR_DATA_MINIMUM if projector else DATA_MINIMUM
    grid.set_data_minimum(target)
    settle()
    for shape in grid.minimum_shapes():
        grid.set_minimum_shape(shape)
        fit(grid, grid.minimumSizeHint)
        for view in grid.views():
            seen = measure(view, X)
            assert seen["inside"] and min(seen["fill"]) >= 0.8, (shape, seen)
            assert seen["units"][0] == pytest.approx(seen["units"][1], rel=0.01)
            assert min(seen["data px"]) >= target - 1, (shape, seen)
            assert_uncut(view, grid)


def test_a_large_area_grows_the_maps_and_keeps_equal_units(shown):
    grid, X = grid_of(shown, 3, 1400, 700)
    sides = []
    for view in grid.views():
        seen = measure(view, X)
        assert min(seen["fill"]) >= 0.8 and seen["units"][0] == pytest.approx(seen["units"][1], rel=0.01)
        assert_uncut(view, grid)
        sides.append(min(seen["data px"]))
    assert min(sides) > 300


# ----- the legend strip

def visible_entries(legend):
    return [label for label in legend.findChildren(RunLabel) if label.isVisible()]


def overlaps(widgets):
    rects = [w.geometry() for w in widgets]
    return [(widgets[i].text(), widgets[j].text()) for i in range(len(rects)) for j in range(i + 1, len(rects))
            if rects[i].intersects(rects[j])]


@pytest.mark.parametrize("width", [200, 330, 900])
def test_a_new_race_never_draws_a_name_over_another(shown, width):
    legend = shown(RunLegend(), width, 60)
    legend.set_runs(("SGD + momentum 0.9",), run_styles(1))
    legend.set_key(test=False)
    settle()
    legend.set_runs(LABELS, run_styles(3))
    # before the event loop lays anything out again: the old name is gone and the new ones placed
    assert sorted(e.text() for e in visible_entries(legend)) == sorted([*LABELS, "planned learning rate"])
    assert overlaps(visible_entries(legend)) == []
    settle()
    assert overlaps(visible_entries(legend)) == []


def test_compare_in_the_window_never_overlaps_the_legend(window, user, qtbot):
    legend = window.run_legend
    seen = []

    def look():
        seen.append(overlaps(visible_entries(legend)))
    timer = QtCore.QTimer()
    timer.timeout.connect(look)
    timer.start(0)
    user.click("compareToolButton")
    look()
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    qtbot.waitUntil(lambda: window.latest.epoch >= 1)
    timer.stop()
    look()
    assert [e.text() for e in legend.entries()[:3]] == list(LABELS)
    assert all(o == [] for o in seen), [o for o in seen if o]


def history(n):
    return HistoryView(*(np.linspace(1, 0, n) for _ in range(6)))


def test_a_long_pin_keeps_both_ends_of_its_name_and_says_it_whole_in_its_tooltip(shown):
    name = "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 10,001 epochs"
    legend = shown(RunLegend(), 260, 60)
    legend.set_runs(LABELS, run_styles(3))
    legend.set_pins([PinnedRun(name, history(100), 2)])
    settle()
    pin = legend.entries()[3]
    shown_text = pin.shown_text()
    assert pin.is_elided() and "…" in shown_text
    head, tail = shown_text.split("…")
    assert head and tail and name.startswith(head) and name.endswith(tail)
    assert shown_text.startswith("SGD") and shown_text.endswith("epochs")
    assert name in pin.toolTip()


# ----- the first launch's pace

def test_the_first_launch_runs_at_a_narratable_pace_and_the_teachers_pace_is_remembered(qtbot, close_window):
    from nngui.gui import MainWindow

    def launch():
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.data is not None)
        return window, window.findChild(QtWidgets.QComboBox, "paceControl")

    window, pace = launch()
    assert window.model.pace == 30 and pace.currentData() == 30 and window.controller.worker.pace == 30
    for label, value in (("10/s", 10), ("max", None)):
        index = pace.findText(label)
        assert index >= 0, [pace.itemText(i) for i in range(pace.count())]
        pace.setCurrentIndex(index)
        assert window.model.pace == value
        close_window(window)
        window, pace = launch()
        assert window.model.pace == value and pace.currentText() == label
    close_window(window)


# ----- plots readable when short

def y_labels(plot):
    """The y axis's labels as drawn now: ``[(text, rect in the plot widget's pixels)]``."""
    return axis_labels(plot, "left")


def axis_labels(plot, side):
    axis = plot.getPlotItem().getAxis(side)
    labels = []
    for rect, text in drawn_labels(axis):
        scene = axis.mapRectToScene(rect)
        top_left = plot.mapFromScene(scene.topLeft())
        labels.append((text, QtCore.QRectF(top_left.x(), top_left.y(), scene.width(), scene.height())))
    return labels


def race_of_one(plot, top):
    """``plot`` showing one run whose values reach ``top`` (the loss, the rate), on the window's stepped ranges."""
    n = 300
    values = np.linspace(top, top / 10, n)
    history = HistoryView(np.arange(n, dtype=float), values, np.linspace(0.3, 0.9, n), values,
                          np.full(n, np.nan), np.full(n, np.nan))
    plot.set_runs(("SGD",), run_styles(1))
    plot.update_runs((history,))
    return history


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("top", [0.9, 1.1, 1.45, 2.4, 7.9])
def test_every_plot_at_its_least_height_labels_its_y_axis_and_cuts_no_label(qtbot, projector_font, projector, top):
    from nngui.gui.plots.plot_ranges import PlotRanges
    from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
    if projector:
        projector_font()
    plots = [LossPlot(), AccuracyPlot(), LearningRatePlot()]
    holder = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(holder)
    layout.setSpacing(0)
    for plot in plots:
        layout.addWidget(plot)
        if projector:
            plot.set_scale(FONT_SCALE, 1.5)
            plot.getPlotItem().setTitle(None)   # projector mode gives the title rows to the data
    histories = [race_of_one(plot, top) for plot in plots]
    PlotRanges(*plots).update_runs(histories[:1], 0, (top,))
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    for _ in range(3):   # as a layout does, at each plot's least height
        holder.resize(400, sum(plot.minimumSizeHint().height() for plot in plots))
        settle()
    assert [plot.height() for plot in plots] == [plot.minimumSizeHint().height() for plot in plots]
    wanted = {"LossPlot": 3, "AccuracyPlot": 3, "LearningRatePlot": 2}
    for plot in plots:
        name = type(plot).__name__
        labels = y_labels(plot)
        assert len(labels) >= wanted[name], (name, top, labels)
        inside = QtCore.QRectF(plot.rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
        every = labels + axis_labels(plot, "bottom")
        for text, rect in every:
            assert inside.contains(rect), (name, text, rect, plot.rect())
        assert not [(a, b) for i, (a, r) in enumerate(every) for b, s in every[i + 1:] if r.intersects(s)]


def test_the_loss_plot_asks_for_250_pixels_of_data_at_projector_sizes(qtbot, projector_font):
    from nngui.gui.plots.plots import LossPlot
    projector_font()
    plot = LossPlot()
    plot.set_scale(FONT_SCALE, 1.5)
    plot.getPlotItem().setTitle(None)
    race_of_one(plot, 1.1)
    plot.getPlotItem().setYRange(0, 1.2)
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    for _ in range(3):
        plot.resize(400, plot.sizeHint().height())
        settle()
    assert plot.getPlotItem().getViewBox().height() >= 250
    assert len(y_labels(plot)) >= 3


# ----- in the window

@pytest.mark.parametrize("projector", [False, True])
def test_in_the_window_every_map_shows_all_its_points_cut_to_its_data_and_uncut(window, user, qtbot, projector):
    user.click("compareToolButton")
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    qtbot.waitUntil(lambda: window.latest.epoch >= 1)
    if projector:
        window.projector.projector_action.trigger()
        qtbot.waitUntil(lambda: window.projector.on)
    settle()
    grid = window.boundary_grid
    central = window.centralWidget()
    for view in grid.views():
        X = view.data[0]
        seen = measure(view, X)
        assert seen["inside"] and min(seen["fill"]) >= 0.8, seen
        assert seen["units"][0] == pytest.approx(seen["units"][1], rel=0.01)
        assert_uncut(view, grid)
        top_left = grid.mapTo(central, QtCore.QPoint(0, 0))
        assert central.rect().contains(QtCore.QRect(top_left, grid.size()))
        # the probability grid the worker computed covers the map
        (x0, x1), (y0, y1) = view.view_box.viewRange()
        image = view.image.mapRectToParent(view.image.boundingRect())
        assert image.left() <= x0 and image.right() >= x1 and image.top() <= y0 and image.bottom() >= y1
    if projector:
        window.projector.projector_action.trigger()


def test_a_narrow_strip_with_pins_cuts_names_only_where_that_saves_a_row(shown):
    """Seven entries in a 200-pixel column take a row each however short their names: the runs keep
    theirs whole, and a pin loses only what does not fit the column, from its middle."""
    names = ("SGD: lr 1 · 100 epochs", "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 100 epochs")
    legend = shown(RunLegend(), 200, 60)
    legend.set_runs(LABELS, run_styles(3))
    legend.set_pins([PinnedRun(names[0], history(100), 0), PinnedRun(names[1], history(100), 2)])
    legend.set_key(test=False)
    settle()
    entries = legend.entries()
    assert [e.is_elided() for e in entries[:3]] == [False] * 3
    assert not entries[3].is_elided() and entries[4].is_elided()
    head, tail = entries[4].shown_text().split("…")
    assert names[1].startswith(head) and names[1].endswith(tail) and tail.endswith("epochs")
    assert overlaps(visible_entries(legend)) == []


def test_nothing_moves_while_training(window, user, qtbot):
    """The maps' and plots' data areas are where they were at epoch 1 after 2,000 epochs of a race."""
    user.click("compareToolButton")
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    user.click("stepButton")
    qtbot.waitUntil(lambda: window.latest.epoch >= 1)

    def geometry():
        settle()
        boxes = {view.objectName(): view.view_box for view in window.boundary_grid.views()}
        boxes.update({plot.objectName(): plot.getPlotItem().getViewBox() for plot in window.plots()})
        return {name: (box.getViewWidget().geometry().getRect(), box.sceneBoundingRect().getRect())
                for name, box in boxes.items()}

    first = geometry()
    user.train(2000)
    assert geometry() == first

