"""The metric plots in a race: one curve per run in its colour and dashes, pins beneath, ranges over all."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.engine import HistoryView, learning_rate_schedule
from nngui.model.pins import PinnedRun
from nngui.gui.plots.plot_ranges import PlotRanges, nice_ceiling
from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot, mark_epochs
from nngui.gui.plots.run_styles import PIN_WIDTH, RUN_STYLES, RUN_WIDTH, pinned_style, run_styles
from nngui.gui.plots.run_styles import pen as run_pen
from nngui.gui.qt import pg

LABELS = ("SGD", "SGD + decay", "SGD + momentum 0.9")
STYLES = run_styles(3)


def history(loss, *, accuracy=None, rate=None, test=False):
    """A HistoryView with ``loss`` (and made-up other columns); test columns when ``test``."""
    loss = np.asarray(loss, float)
    n = len(loss)
    accuracy = np.linspace(0.3, 0.9, n) if accuracy is None else np.asarray(accuracy, float)
    rate = np.full(n, 0.5) if rate is None else np.asarray(rate, float)
    test_loss = loss * 1.1 if test else np.full(n, np.nan)
    test_accuracy = accuracy * 0.9 if test else np.full(n, np.nan)
    columns = [np.arange(n, dtype=float), loss, accuracy, rate, test_loss, test_accuracy]
    for column in columns:
        column.flags.writeable = False
    return HistoryView(*columns)


def race_histories(n=200, test=False):
    epochs = np.arange(n)
    return [history(1.1 / (1 + epochs / scale), rate=1 / (1 + 1e-3 * epochs), test=test)
            for scale in (50.0, 100.0, 400.0)]



def data(curve):
    x, y = curve.getOriginalDataset()
    return (np.asarray([]) if x is None else np.asarray(x)), (np.asarray([]) if y is None else np.asarray(y))


def same_pen(actual, expected):
    return (actual.color().name(), actual.widthF(), actual.style(), list(actual.dashPattern())) == (
        expected.color().name(), expected.widthF(), expected.style(), list(expected.dashPattern()))


@pytest.mark.parametrize("plot_class, column", [(LossPlot, "loss"), (AccuracyPlot, "accuracy")])
def test_one_curve_per_run_in_its_colour_and_dashes_holding_its_history(shown, plot_class, column):
    plot = shown(plot_class())
    plot.set_runs(LABELS, STYLES)
    histories = race_histories()
    plot.update_runs(histories)
    for i, (label, style, h) in enumerate(zip(LABELS, STYLES, histories)):
        curve = plot.run_curve(i, "train")
        assert curve.name() == label and curve.isVisible()
        assert same_pen(curve.opts["pen"], run_pen(style, RUN_WIDTH))
        x, y = data(curve)
        np.testing.assert_array_equal(x, h.epoch)
        np.testing.assert_array_equal(y, getattr(h, column))
        # no split: no test curve, no marks
        assert not plot.run_curve(i, "test").isVisible() and not plot.run_curve(i, "marks").isVisible()
    # the names are in the legend strip, never over the data: the plot has no legend of its own
    assert not [item for item in plot.scene().items() if isinstance(item, pg.LegendItem)]
    assert len({tuple(plot.run_curve(i, "train").opts["pen"].dashPattern()) for i in range(3)}) == 3


def test_test_curves_are_thinner_in_the_runs_style_with_marks_and_named(shown):
    plot = shown(LossPlot())
    plot.set_runs(LABELS, STYLES)
    histories = race_histories(n=1000, test=True)
    plot.update_runs(histories)
    for i, (label, style, h) in enumerate(zip(LABELS, STYLES, histories)):
        test, marks, train = (plot.run_curve(i, role) for role in ("test", "marks", "train"))
        assert test.isVisible() and marks.isVisible() and plot.test_shown(i)
        assert test.name() == f"{label} test"
        assert test.opts["pen"].color() == train.opts["pen"].color()
        assert test.opts["pen"].dashPattern() == train.opts["pen"].dashPattern()
        assert test.opts["pen"].widthF() < train.opts["pen"].widthF()
        np.testing.assert_array_equal(data(test)[1], h.test_loss)
        # hollow marks in the run's colour, at round epochs, on the test curve
        assert marks.opts["symbol"] == style.symbol and marks.opts["pen"] is None
        assert marks.opts["symbolPen"].color().name() == style.color.lower()
        at = mark_epochs(1000, i, 3)
        x, y = data(marks)
        np.testing.assert_array_equal(x, at)
        np.testing.assert_array_equal(y, h.test_loss[at])
        assert 8 <= len(at) <= 12
    # marks of runs lying on each other are shifted apart
    assert len({int(data(plot.run_curve(i, "marks"))[0][0]) for i in range(3)}) == 3


def test_mark_epochs_step_through_round_numbers():
    assert list(mark_epochs(5)) == [0, 1, 2, 3, 4]
    assert list(mark_epochs(1000))[:3] == [0, 100, 200]
    assert list(mark_epochs(10_001))[:3] == [0, 2000, 4000]
    assert list(mark_epochs(1000, 1, 2))[:2] == [50, 150]
    assert len(mark_epochs(0)) == 0


def test_a_new_race_makes_new_curves_and_the_last_races_disappear(shown):
    plot = shown(LossPlot())
    assert plot.getPlotItem().listDataItems() == []   # no curve before the first race
    plot.set_runs(LABELS[:1], STYLES[:1])
    assert sorted(plot.curves) == ["marks 1", "test 1", "train 1"]
    plot.set_runs(LABELS, STYLES)
    assert len(plot.getPlotItem().listDataItems()) == 3 * 3
    plot.set_runs(LABELS[:2], STYLES[:2])
    assert len(plot.getPlotItem().listDataItems()) == 2 * 3
    plot.update_runs(race_histories()[:2])
    # same items from frame to frame: only their arrays change
    items = plot.getPlotItem().listDataItems()
    plot.update_runs(race_histories(n=50)[:2])
    assert plot.getPlotItem().listDataItems() == items
    assert len(data(plot.run_curve(1, "train"))[1]) == 50
    plot.clear()
    assert len(data(plot.run_curve(0, "train"))[1]) == 0
    with pytest.raises(ValueError):
        plot.set_runs(LABELS, STYLES[:2])


@pytest.mark.parametrize("plot_class, column", [(LossPlot, "loss"), (AccuracyPlot, "accuracy"),
                                                (LearningRatePlot, "learning_rate")])
def test_pins_are_drawn_in_grey_beneath_the_live_curves_until_removed(shown, plot_class, column):
    plot = shown(plot_class())
    plot.set_runs(LABELS, STYLES)
    plot.update_runs(race_histories())
    old = [history(np.linspace(2, 1, 300), rate=np.full(300, 3.0)), history(np.linspace(1.5, 0.5, 80))]
    pins = [PinnedRun("SGD: lr 3 · 300 epochs", old[0], 2), PinnedRun("SGD: lr 1 · 80 epochs", old[1], 0)]
    plot.set_pins(pins)
    curves = plot.pin_curves()
    assert len(curves) == 2
    live = plot.run_curve(0, "lr" if column == "learning_rate" else "train")
    for number, (curve, pin) in enumerate(zip(curves, pins)):
        assert curve.name() == pin.label and curve.isVisible()
        assert same_pen(curve.opts["pen"], run_pen(pinned_style(pin.style_index, number), PIN_WIDTH))
        assert curve.zValue() < live.zValue()
        np.testing.assert_array_equal(data(curve)[1], getattr(pin.history, column))
    assert curves[0].opts["pen"].dashPattern() == list(RUN_STYLES[2].dashes)
    # a pin stays through the race's frames and a clear
    plot.update_runs(race_histories(n=20))
    plot.clear()
    assert len(data(plot.pin_curves()[1])[1]) == 80
    plot.set_pins(pins[1:])
    assert len(plot.pin_curves()) == 1 and data(plot.pin_curves()[0])[1][0] == getattr(old[1], column)[0]
    plot.set_pins(())
    assert plot.pin_curves() == [] and not any(n.startswith("pin") for n in plot.curves)


def test_projector_scale_thickens_every_curve_and_mark(shown):
    plot = shown(LossPlot())
    plot.set_runs(LABELS, STYLES)
    plot.set_pins([PinnedRun("old", history([1.0, 0.9]), 1)])
    plot.update_runs(race_histories(test=True))
    widths = {name: c.opts["pen"].widthF() for name, c in plot.curves.items() if c.opts["pen"] is not None}
    mark_size = plot.run_curve(0, "marks").opts["symbolSize"]
    plot.set_scale(1.35, 1.5)
    for name, width in widths.items():
        assert plot.curves[name].opts["pen"].widthF() == pytest.approx(width * 1.5), name
    assert plot.run_curve(0, "marks").opts["symbolSize"] == pytest.approx(mark_size * 1.5)
    assert plot.run_curve(1, "train").opts["pen"].dashPattern() == list(RUN_STYLES[1].dashes)
    plot.set_scale(1.0, 1.0)
    assert {name: plot.curves[name].opts["pen"].widthF() for name in widths} == widths


def test_each_runs_planned_learning_rate_in_its_colour(shown):
    plot = shown(LearningRatePlot())
    plot.set_runs(LABELS, STYLES)
    plot.set_plans([(1.0, 0.0), (1.0, 1e-3), None], 10_001)
    flat, decaying, none = (plot.run_curve(i, "planned") for i in range(3))
    x, y = data(decaying)
    np.testing.assert_allclose(y, learning_rate_schedule(1.0, 1e-3, 10_001)[x.astype(int)], rtol=1e-15)
    assert x[-1] == 10_000
    assert np.all(data(flat)[1] == 1.0) and len(data(none)[1]) == 0
    # lighter and thinner than the rate used, in the same colour family and dashes
    used, planned = plot.run_curve(1, "lr").opts["pen"], decaying.opts["pen"]
    assert planned.widthF() < used.widthF() and planned.dashPattern() == used.dashPattern()
    assert planned.color().lightness() > used.color().lightness()
    assert planned.color().hue() == pytest.approx(used.color().hue(), abs=3)
    h = race_histories()
    plot.update_runs(h)
    np.testing.assert_array_equal(data(plot.run_curve(2, "lr"))[1], h[2].learning_rate)
    plot.clear()
    assert len(data(plot.run_curve(2, "lr"))[1]) == 0 and len(data(decaying)[1]) > 0
    assert plot.plan == (1.0, 0.0, 10_001)
    plot.set_plans(((0.5, 0.1),), 100)  # the first run's plan alone
    assert plot.plans == ((0.5, 0.1),) and len(data(decaying)[1]) == 0
    plot.set_plans((), 0)
    assert plot.plan is None and len(data(flat)[1]) == 0


def grey_runs_along(image, row, x0, x1):
    """Ink runs (dark pixels in a row of pixels, in greyscale) between x0 and x1: how a printout shows a line."""
    grey = [QtGray(image.pixelColor(x, row)) for x in range(x0, x1)]
    dark = np.array(grey) < 190
    return int(np.sum(dark[1:] & ~dark[:-1]) + dark[0]), float(dark.mean())


def QtGray(color):
    return 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()


def test_in_greyscale_every_run_draws_a_different_pattern(shown):
    plot = shown(LossPlot(), 600, 400)
    plot.set_runs([f"run {i}" for i in range(4)], run_styles(4))
    n = 1000
    plot.update_runs([history(np.full(n, level)) for level in (0.4, 0.8, 1.2, 1.6)])
    plot.getPlotItem().setRange(xRange=(0, n - 1), yRange=(0, 2), padding=0)
    image = plot.grab().toImage()
    view = plot.getPlotItem().getViewBox()
    patterns = []
    for level in (0.4, 0.8, 1.2, 1.6):
        left = plot.mapFromScene(view.mapViewToScene(pg_point(100, level)))
        right = plot.mapFromScene(view.mapViewToScene(pg_point(900, level)))
        patterns.append(grey_runs_along(image, left.y(), left.x(), right.x()))
    runs = [count for count, _ in patterns]
    # solid: one unbroken run; dashed, dotted, dash-dot: gaps at different rates
    assert runs[0] == 1 and patterns[0][1] > 0.95
    assert len(set(runs)) == 4 and min(runs[1:]) >= 5
    assert all(abs(a - b) >= 3 for a, b in zip(sorted(runs), sorted(runs)[1:]))


def pg_point(x, y):
    from nngui.gui.qt import QtCore
    return QtCore.QPointF(x, y)


# ----- ranges


def ranges_for(qtbot):
    plots = LossPlot(), AccuracyPlot(), LearningRatePlot()
    for plot in plots:
        qtbot.addWidget(plot)
    return PlotRanges(*plots), plots


def test_ranges_hold_every_run(qtbot):
    ranges, plots = ranges_for(qtbot)
    short = history(np.full(40, 0.5), rate=np.full(40, 0.2))
    high = history(np.r_[3.1, np.full(149, 0.4)], rate=np.full(150, 0.5))
    tall_rate = history(np.full(90, 0.3), rate=np.full(90, 4.0))
    ranges.update_runs((short, high, tall_rate), 0, (0.2, 0.5, 4.0))
    # the longest run sets the epoch axis; the highest loss and rate of any run the tops
    assert ranges.x_end == 200
    assert ranges.loss_top == nice_ceiling(3.1 * 1.05) == 4.0
    assert ranges.rate_top == nice_ceiling(4.0 * 1.05) == 5.0
    # a planned rate above every used one counts too
    ranges.update_runs((short, high, tall_rate), 0, (0.2, 0.5, 7.0))
    assert ranges.rate_top == 8.0
    # a new race of fewer runs starts afresh
    ranges.update_runs((short,), 0, (0.2,))
    assert (ranges.x_end, ranges.loss_top, ranges.rate_top) == (100, nice_ceiling(0.5 * 1.05), nice_ceiling(0.21))


def test_ranges_hold_the_pins_and_forget_them_when_unpinned(qtbot):
    ranges, plots = ranges_for(qtbot)
    live = [history(np.full(40, 1.1), rate=np.full(40, 1.0))] * 2
    loss = np.full(5000, 0.5)
    loss[10], loss[11] = 7.0, np.inf  # a diverging spike: infinity never counts
    ranges.set_pins([history(loss, rate=np.full(5000, 3.0))])
    ranges.update_runs(live, 10001, (1.0, 1.0))
    # the whole pinned run is seen: its 5,000 epochs, its highest loss and rate
    assert (ranges.loss_top, ranges.rate_top, ranges.x_end) == (8.0, 4.0, 5000)
    assert plots[0].getPlotItem().viewRange()[0][1] >= 5000
    ranges.set_pins(())
    ranges.update_runs(live, 10001, (1.0, 1.0))
    assert (ranges.loss_top, ranges.rate_top, ranges.x_end) == (1.2, 1.2, 100)
    assert plots[2].getPlotItem().viewRange()[0][1] >= 10001  # the plan still reaches the limit


def test_ranges_scan_only_new_epochs_and_restart_with_a_new_race(qtbot):
    ranges, _ = ranges_for(qtbot)
    loss = np.r_[np.full(100, 0.5), np.full(100, 2.0)]
    ranges.update_runs((history(loss[:100]), history(loss[:100])), 0, (1.0, 1.0))
    assert ranges.loss_top == nice_ceiling(0.525)
    ranges.update_runs((history(loss), history(loss[:100])), 0, (1.0, 1.0))
    assert ranges.loss_top == nice_ceiling(2.1) and ranges.x_end == 500
    # back to epoch 10 (a reset under the same plots): the old maxima are forgotten
    ranges.update_runs((history(loss[:10]), history(loss[:10])), 0, (1.0, 1.0))
    assert ranges.loss_top == nice_ceiling(0.525) and ranges.x_end == 100
