"""The standalone views: metric plots, decision boundary and network drawing, offscreen."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nngui.engine import (DatasetConfig, Experiment, HistoryView, NetworkConfig, Trainer, learning_rate_schedule,
                          probability_grid)
from nngui.gui.maps.boundary_view import BoundaryView, class_rgb, probability_image
from nngui.gui.maps.network_view import MAX_SHOWN, NetworkView
from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
from nngui.gui.plots.run_styles import run_styles
from nngui.gui.qt import QtCore, QtGui
from nngui.gui.window.theme import CLASS_COLORS, NEGATIVE_COLOR, POSITIVE_COLOR, class_color


def trained_history(test_split, epochs=40):
    exp = Experiment(dataset=DatasetConfig(samples=30, classes=3, test_split=test_split),
                     network=NetworkConfig(hidden=(8,)), seed=1)
    trainer = Trainer(exp)
    trainer.run(epochs)
    return trainer.snapshot().history


def history_of(loss, accuracy=None):
    n = len(loss)
    nan = np.full(n, np.nan)
    accuracy = np.linspace(0.3, 0.9, n) if accuracy is None else np.asarray(accuracy, float)
    return HistoryView(np.arange(n, dtype=float), np.asarray(loss, float), accuracy,
                       np.full(n, 0.5), nan, nan)


def one_run(plot, history=None, label="SGD"):
    """``plot`` made for a race of one run named ``label`` (as the window makes it), showing ``history``."""
    plot.set_runs((label,), run_styles(1))
    if history is not None:
        plot.update_runs((history,))
    return plot


def curve(plot, role):
    return plot.run_curve(0, role)


# ----- plots

@pytest.mark.parametrize("plot_class, train, test", [(LossPlot, "loss", "test_loss"),
                                                     (AccuracyPlot, "accuracy", "test_accuracy")])
def test_train_and_test_curves_hold_every_epoch(shown, plot_class, train, test):
    history = trained_history(test_split=0.25)
    plot = one_run(shown(plot_class()), history)
    # train, test and the test curve's marks
    assert len(plot.getPlotItem().listDataItems()) == 3
    np.testing.assert_array_equal(curve(plot, "train").xData, history.epoch)
    np.testing.assert_array_equal(curve(plot, "train").yData, getattr(history, train))
    np.testing.assert_array_equal(curve(plot, "test").xData, history.epoch)
    np.testing.assert_array_equal(curve(plot, "test").yData, getattr(history, test))
    assert curve(plot, "test").isVisible() and curve(plot, "marks").isVisible() and plot.test_shown(0)
    assert [curve(plot, role).name() for role in ("train", "test")] == ["SGD", "SGD test"]


def test_without_split_the_test_curve_is_hidden_and_empty(shown):
    history = trained_history(test_split=0.0)
    plot = one_run(shown(LossPlot()), history)
    assert len(curve(plot, "train").yData) == len(history) == 40
    assert curve(plot, "test").yData is None
    assert not curve(plot, "test").isVisible() and not curve(plot, "marks").isVisible() and not plot.test_shown(0)


def test_clear_empties_every_curve(shown):
    plot = one_run(shown(LossPlot()), trained_history(test_split=0.25))
    plot.clear()
    for item in plot.curves.values():
        assert len(item.xData if item.xData is not None else []) == 0
        assert len(item.yData if item.yData is not None else []) == 0
    assert not curve(plot, "test").isVisible()
    # curves are made once: clearing and refilling reuses the same items
    items = list(plot.getPlotItem().listDataItems())
    plot.update_runs((trained_history(test_split=0.0, epochs=5),))
    assert plot.getPlotItem().listDataItems() == items
    assert len(curve(plot, "train").yData) == 5


def test_nan_and_inf_neither_raise_nor_blow_the_range(shown):
    loss = [1.1, 1.0, 0.9, np.inf, np.nan, 2.0, np.nan]
    plot = one_run(shown(LossPlot()), history_of(loss))
    plot.grab()  # paints the curve with its gaps
    (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
    assert all(math.isfinite(v) for v in (x0, x1, y0, y1))
    assert y0 <= 0.0 < 2.0 < y1 < 3.0
    np.testing.assert_array_equal(curve(plot, "train").yData, loss)  # NaN equal to NaN here


def test_loss_axis_starts_at_zero_and_accuracy_axis_is_zero_to_one(shown, qtbot):
    loss = one_run(shown(LossPlot()), history_of(np.linspace(2.0, 1.0, 50)))
    accuracy = one_run(shown(AccuracyPlot()), history_of(np.ones(50), np.linspace(0.4, 0.5, 50)))
    qtbot.waitUntil(lambda: loss.getPlotItem().viewRange()[0][1] >= 49)
    (lx0, lx1), (ly0, ly1) = loss.getPlotItem().viewRange()
    assert ly0 <= 0.0 and 2.0 < ly1 < 2.5
    assert lx0 <= 0 and lx1 >= 49
    (ax0, ax1), (ay0, ay1) = accuracy.getPlotItem().viewRange()
    assert ay0 == pytest.approx(-0.05) and ay1 == pytest.approx(1.05)


def test_200k_epochs_are_all_held_though_drawing_is_thinned(shown):
    n = 200_000
    rng = np.random.default_rng(0)
    loss = 1.0 / (1 + np.arange(n) / 1000) + 0.01 * rng.random(n)
    history = history_of(loss)
    plot = one_run(shown(LossPlot(), 400, 300), history)
    plot.grab()
    train = curve(plot, "train")
    assert len(train.xData) == n
    np.testing.assert_array_equal(train.yData, loss)
    drawn_x, drawn_y = train.getData()
    assert len(drawn_x) < n // 10
    # peak downsampling draws true values only, and keeps the extremes
    assert np.isin(drawn_y, loss).all()
    assert drawn_y.max() == loss.max()


def test_learning_rate_curve_is_the_rate_of_each_epoch(shown):
    history = trained_history(test_split=0.0)
    plot = one_run(shown(LearningRatePlot()), history)
    np.testing.assert_array_equal(curve(plot, "lr").xData, history.epoch)
    np.testing.assert_array_equal(curve(plot, "lr").yData, history.learning_rate)
    # the lesson's default decay 1e-3: epoch 39 used 1 / (1 + 0.039)
    assert curve(plot, "lr").yData[39] == pytest.approx(1 / 1.039)


@pytest.mark.parametrize("epochs", [1, 100, 10_001, 200_000])
def test_planned_curve_is_the_schedule(shown, epochs):
    plot = one_run(shown(LearningRatePlot()))
    plot.set_plans(((1.0, 1e-3),), epochs)
    x, y = curve(plot, "planned").xData, curve(plot, "planned").yData
    schedule = learning_rate_schedule(1.0, 1e-3, epochs)
    assert x[0] == 0 and x[-1] == epochs - 1
    assert np.all(np.diff(x) > 0)
    np.testing.assert_allclose(y, schedule[x.astype(int)], rtol=1e-15)
    if epochs <= 1000:
        np.testing.assert_array_equal(x, np.arange(epochs))
    else:
        # thinned, but dense where the decay bends the curve most
        assert len(x) < 3000
        np.testing.assert_array_equal(x[:512], np.arange(512))
    plot.clear()
    used = curve(plot, "lr").yData
    assert curve(plot, "planned").yData is not None and (used is None or len(used) == 0)


def test_planned_curve_beyond_a_million_epochs_uses_the_same_formula(shown):
    plot = one_run(shown(LearningRatePlot()))
    plot.set_plans(((0.5, 0.1),), 5_000_000)
    x, y = curve(plot, "planned").xData, curve(plot, "planned").yData
    assert x[-1] == 4_999_999
    np.testing.assert_allclose(y, 0.5 / (1 + 0.1 * x), rtol=1e-15)
    assert y[10] == pytest.approx(0.25)


# ----- decision boundary

BOUNDS = (-1.0, 3.0, -2.0, 0.0)


def boundary_with(shown, weights, bias, resolution=41):
    """A view over BOUNDS coloured by a one-layer 'network' with logits ``[x, y] @ weights + bias``."""
    view = shown(BoundaryView(), 500, 400)
    view.set_data(np.array([[0.0, -1.0], [2.0, -1.5]]), np.array([0, 1]), 2, BOUNDS)
    parameters = ((np.array(weights, float), np.array([bias], float)),)
    view.set_probabilities(probability_grid(parameters, "relu", BOUNDS, resolution))
    return view


def pixel_at(view, x, y):
    """The colour painted at data point (x, y) of the view."""
    image = view.grab().toImage()
    point = view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(x, y)))
    return np.array(image.pixelColor(point.x(), point.y()).getRgb()[:3], float)


def nearest(rgb, colors):
    return int(np.argmin(np.linalg.norm(colors.astype(float) - rgb, axis=1)))


# the map's colour where a class is certain
SURE = probability_image(np.array([[[1.0, 0.0], [0.0, 1.0]]], np.float32), class_rgb(2))[0]


def test_probability_map_follows_x_not_y(shown):
    # class 0 where x > 1: logits (4(x - 1), -4(x - 1))
    view = boundary_with(shown, [[4.0, -4.0], [0.0, 0.0]], [-4.0, 4.0])
    rgb = view.image.image
    assert rgb.shape == (41, 41, 3) and rgb.dtype == np.uint8
    assert np.all(rgb == rgb[:1])  # every row the same: nothing depends on y
    assert np.array_equal(rgb[0, -1], SURE[0]) and np.array_equal(rgb[0, 0], SURE[1])
    # the image's pixel (row i, column j) is centred on the grid sample (x_j, y_i)
    centre = view.image.mapToView(QtCore.QPointF(40.5, 0.5))
    assert (centre.x(), centre.y()) == pytest.approx((3.0, -2.0))
    # and on screen: class 0's colour right of x = 1, class 1's left of it
    assert nearest(pixel_at(view, 2.5, -1.0), SURE) == 0
    assert nearest(pixel_at(view, -0.5, -1.0), SURE) == 1


def test_probability_map_follows_y_not_x(shown):
    # class 0 where y > -1: logits (4(y + 1), -4(y + 1)); y grows upward on screen
    view = boundary_with(shown, [[0.0, 0.0], [4.0, -4.0]], [4.0, -4.0])
    rgb = view.image.image
    assert np.all(rgb == rgb[:, :1])  # every column the same: nothing depends on x
    assert np.array_equal(rgb[-1, 0], SURE[0]) and np.array_equal(rgb[0, 0], SURE[1])
    assert nearest(pixel_at(view, 1.0, -0.2), SURE) == 0
    assert nearest(pixel_at(view, 1.0, -1.8), SURE) == 1
    top = view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(1.0, -0.2)))
    bottom = view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(1.0, -1.8)))
    assert top.y() < bottom.y()


def test_image_levels_stay_fixed(shown):
    view = boundary_with(shown, [[1.0, -1.0], [0.0, 0.0]], [0.0, 0.0])
    assert list(view.image.getLevels()) == [0, 255]
    uniform = np.full((30, 30, 2), 0.5, np.float32)
    view.set_probabilities(uniform)
    assert list(view.image.getLevels()) == [0, 255]
    view.set_probabilities(np.full((30, 30, 2), np.nan, np.float32))  # diverged: white, no warning
    assert np.all(view.image.image == 255)
    view.clear_probabilities()
    assert not view.image.isVisible()


def test_confident_regions_are_more_saturated_and_never_solid():
    colors = class_rgb(3)
    sure = probability_image(np.array([[[1.0, 0, 0]]], np.float32), colors)[0, 0].astype(float)
    unsure = probability_image(np.array([[[0.5, 0.25, 0.25]]], np.float32), colors)[0, 0].astype(float)
    white = np.full(3, 255.0)
    assert np.linalg.norm(white - sure) > np.linalg.norm(white - unsure)
    # tinted toward class 0's colour but lighter than it, so its points stay visible
    np.testing.assert_allclose(sure, 255 + 0.55 * (colors[0] - 255), atol=1)


def test_scatter_has_one_spot_per_point_in_its_class_colour(shown):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 2))
    y = np.arange(12) % 4
    test = np.arange(12) >= 9
    view = shown(BoundaryView())
    view.set_data(X, y, 4, (-3, 3, -3, 3), test_mask=test)
    spots = view.scatter.points()
    assert len(spots) == 12
    for spot, label, is_test, point in zip(spots, y, test, X):
        assert (spot.pos().x(), spot.pos().y()) == pytest.approx(tuple(point))
        if is_test:
            assert spot.symbol() == "s"
            assert spot.pen().color().name() == class_color(label).lower()
        else:
            assert spot.symbol() == "o"
            assert spot.brush().color().name() == class_color(label).lower()
    (x0, x1), (y0, y1) = view.view_box.viewRange()
    assert x0 <= -3 and x1 >= 3 and y0 <= -3 and y1 >= 3


def test_palette_is_okabe_ito_without_red():
    assert len(CLASS_COLORS) == 6 and len(set(CLASS_COLORS)) == 6
    assert "#FF0000" not in CLASS_COLORS and "#00FF00" not in CLASS_COLORS


# ----- network drawing

def color_distance(qimage, point, hex_color):
    rgb = np.array(qimage.pixelColor(int(point.x()), int(point.y())).getRgb()[:3], float)
    return float(np.linalg.norm(rgb - np.array(QtGui.QColor(hex_color).getRgb()[:3], float)))


def midpoint(a, b):
    return QtCore.QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)


def test_weight_signs_are_drawn_in_their_colours(shown):
    view = shown(NetworkView(), 420, 320)
    W1 = np.array([[5.0, 0.01], [0.01, 0.01]])   # x1 → h1 strongly positive
    W2 = np.array([[0.01, 0.01], [0.01, -5.0]])  # h2 → class 2 strongly negative
    view.set_parameters((2, 2, 2), ((W1, np.zeros((1, 2))), (W2, np.zeros((1, 2)))))
    image = view.grab().toImage()
    positive = midpoint(view.neuron_position(0, 0), view.neuron_position(1, 0))
    negative = midpoint(view.neuron_position(1, 1), view.neuron_position(2, 1))
    faint = midpoint(view.neuron_position(1, 0), view.neuron_position(2, 0))
    assert color_distance(image, positive, POSITIVE_COLOR) < 40
    assert color_distance(image, negative, NEGATIVE_COLOR) < 40
    # a weight of 0.01 beside one of 5 is drawn faint: far from both full colours
    assert color_distance(image, faint, POSITIVE_COLOR) > 100
    assert color_distance(image, faint, NEGATIVE_COLOR) > 100


def test_architecture_alone_draws_neutral_edges(shown):
    view = shown(NetworkView())
    view.set_architecture((2, 3, 2))
    assert len(view._groups) == 1
    assert len(view._groups[0][1]) == 2 * 3 + 3 * 2
    view.grab()
    assert view.neuron_position(2, 1) is not None


def test_four_layers_of_256_show_a_truthful_subset(shown):
    sizes = (2, 256, 256, 256, 256, 3)
    rng = np.random.default_rng(7)
    parameters = tuple((rng.normal(size=(a, b)), np.zeros((1, b))) for a, b in zip(sizes[:-1], sizes[1:]))
    view = shown(NetworkView(), 900, 500)
    view.set_parameters(sizes, parameters)
    view.grab()
    assert [len(s) for s in view.shown] == [2, MAX_SHOWN, MAX_SHOWN, MAX_SHOWN, MAX_SHOWN, 3]
    assert view.hidden_count(1) == 256 - MAX_SHOWN and view.hidden_count(5) == 0
    assert "evenly spread" in view.caption()
    drawn = [W[np.ix_(view.shown[i], view.shown[i + 1])] for i, (W, _) in enumerate(parameters)]
    positive_pens = {view._pens[1, b].color().rgba() for b in range(8)}
    n_positive = sum(len(lines) for pen, lines in view._groups if pen.color().rgba() in positive_pens)
    n_all = sum(len(lines) for _, lines in view._groups)
    assert n_all == sum(w.size for w in drawn) == 2 * 32 + 3 * 32 * 32 + 32 * 3
    assert n_positive == sum(int((w >= 0).sum()) for w in drawn)
    # the drawn edge from the first shown neuron to the first shown neuron of the next layer
    # starts and ends at those neurons
    a, b = view.neuron_position(1, 0), view.neuron_position(2, 0)
    assert any(line.p1() == a and line.p2() == b for _, lines in view._groups for line in lines)
    assert view.neuron_position(1, 1) is None  # neuron 1 of 256 is not among those drawn


def test_new_weights_coalesce_into_few_repaints(shown, qtbot):
    view = shown(NetworkView())
    sizes = (2, 16, 3)
    rng = np.random.default_rng(0)
    view.set_architecture(sizes)
    qtbot.waitUntil(lambda: view.paint_count > 0)
    before = view.paint_count
    for _ in range(50):
        parameters = tuple((rng.normal(size=(a, b)), np.zeros((1, b))) for a, b in zip(sizes[:-1], sizes[1:]))
        view.set_parameters(sizes, parameters)
    qtbot.waitUntil(lambda: view.paint_count > before)
    assert view.paint_count - before <= 2


def test_nan_weights_are_drawn_without_error(shown):
    view = shown(NetworkView())
    W = np.array([[np.nan, 1.0], [np.inf, -1.0]])
    view.set_parameters((2, 2), ((W, np.zeros((1, 2))),))
    view.grab()
    assert sum(len(lines) for _, lines in view._groups) == 4
