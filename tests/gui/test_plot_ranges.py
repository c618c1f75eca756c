"""Stepped plot ranges: the epoch axis and the loss/learning-rate tops move rarely, and in round numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nngui.engine import Experiment, Trainer
from nngui.gui.plots.plot_ranges import PlotRanges, nice_ceiling, x_range_end
from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot


@pytest.mark.parametrize("epoch, limit, end", [
    (0, 0, 100), (99, 0, 100), (100, 0, 200), (199, 0, 200), (200, 0, 500), (500, 0, 1000),
    (1000, 0, 2000), (2000, 0, 5000), (5000, 0, 10000), (150_000, 0, 200_000),
    (0, 10001, 100), (3000, 10001, 5000), (5000, 10001, 10001), (10001, 10001, 10001), (12000, 10001, 20000),
    (50, 120, 120), (0, 90, 90),
])
def test_the_epoch_axis_steps_through_round_numbers_and_the_limit(epoch, limit, end):
    assert x_range_end(epoch, limit) == end


@pytest.mark.parametrize("value, top", [
    (0.05, 0.05), (0.3, 0.3), (0.31, 0.4), (0.8, 0.8), (1.0, 1.0), (1.01, 1.2), (2.1, 2.5), (7, 8),
    (21, 25), (100, 100), (1e-4, 1e-4), (0, 1.0), (math.inf, 1.0), (math.nan, 1.0),
])
def test_nice_ceiling(value, top):
    assert nice_ceiling(value) == top


def test_ranges_follow_a_run_and_change_rarely(qtbot):
    plots = LossPlot(), AccuracyPlot(), LearningRatePlot()
    for plot in plots:
        qtbot.addWidget(plot)
    ranges = PlotRanges(*plots)
    trainer = Trainer(Experiment())
    changes = []
    for _ in range(30):
        trainer.run(40)
        before = (ranges.x_end, ranges.loss_top, ranges.rate_top)
        ranges.update_runs((trainer.history.view(),), 0, (1.0,))
        if (ranges.x_end, ranges.loss_top, ranges.rate_top) != before:
            changes.append((ranges.x_end, ranges.loss_top, ranges.rate_top))
    history = trainer.history.view()
    # 1,200 epochs: the axis went 100, 200, 500, 1000, 2000 — and the tops barely moved
    assert ranges.x_end == 2000 and len(changes) <= 8
    assert ranges.loss_top == nice_ceiling(np.max(history.loss) * 1.05)
    assert ranges.rate_top == 1.2  # 1.0 plus headroom
    x_min, x_max = plots[0].getPlotItem().getViewBox().viewRange()[0]
    assert x_min < 0 < 2000 < x_max < 2100
    y_min, y_max = plots[0].getPlotItem().getViewBox().viewRange()[1]
    assert y_min < 0 and ranges.loss_top < y_max < ranges.loss_top * 1.05


def test_the_learning_rate_plot_shows_the_whole_plan_before_training(qtbot):
    plots = LossPlot(), AccuracyPlot(), LearningRatePlot()
    for plot in plots:
        qtbot.addWidget(plot)
    ranges = PlotRanges(*plots)
    ranges.set_x_end(100, 10001)
    loss_range = plots[0].getPlotItem().viewRange()[0]
    rate_range = plots[2].getPlotItem().viewRange()[0]
    assert loss_range[1] < 200 and rate_range[1] >= 10001
    trainer = Trainer(Experiment())
    trainer.run(300)
    ranges.update_runs((trainer.history.view(),), 10001, (1.0,))
    assert plots[0].getPlotItem().viewRange()[0][1] < 1000
    assert plots[2].getPlotItem().viewRange()[0][1] >= 10001
