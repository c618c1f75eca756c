"""Compare with the previous run: after a reset the old run's curves stay drawn, in grey, under the new one."""

from __future__ import annotations

import numpy as np

from nngui.engine import OptimizerConfig
from nngui.gui import previous_run
from nngui.gui.qt import QtGui, QtWidgets

PLOTS = (("lossPlot", "loss"), ("accuracyPlot", "accuracy"), ("learningRatePlot", "learning_rate"))


def _action(window, name):
    action = window.findChild(QtGui.QAction, name)
    assert action is not None, name
    return action


def _legend(window, plot_name):
    return [label.text for _, label in window.findChild(QtWidgets.QWidget, plot_name).legend.items]


def _previous(user, plot_name):
    return user.curve(plot_name, "previous")


def _train_sgd(user, epochs):
    """Pick plain SGD, train ``epochs`` epochs, and return the history the plots showed."""
    user.choose("optimizerCombo", "SGD")
    user.train(epochs)
    history = user.window.latest.history
    assert len(history) == epochs
    np.testing.assert_array_equal(user.curve("lossPlot")[1], history.loss)
    return history


def test_reset_keeps_the_old_run_drawn_in_grey_with_its_optimizer_named(window, user):
    history = _train_sgd(user, 30)
    # a hand-computed check that the plain SGD run is what was trained: its rate never moves
    np.testing.assert_array_equal(history.learning_rate, np.ones(30))
    old = {column: np.array(getattr(history, column)) for _, column in PLOTS}

    user.click("resetButton")
    qtbot = user.qtbot
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    for plot_name, column in PLOTS:
        x, y = _previous(user, plot_name)
        np.testing.assert_array_equal(x, np.arange(30))
        np.testing.assert_array_equal(y, old[column])
        curve = user.find(plot_name).curves["previous"]
        assert curve.isVisible()
        assert curve.zValue() < user.find(plot_name).curves["train" if column != "learning_rate" else "lr"].zValue()
        assert curve.opts["pen"].color().name() == "#9e9e9e"
        assert _legend(window, plot_name)[-1] == "before: SGD, lr 1"
        # the live curve starts afresh
        live = "lr" if column == "learning_rate" else "train"
        assert len(user.curve(plot_name, live)[1]) == 0
    # the loss axis leaves room for the old run's highest loss
    assert window.ranges.loss_top >= old["loss"].max()

    # the teacher switches to momentum and trains again: the grey curves do not move
    user.choose("optimizerCombo", "SGD + momentum")
    user.train(40)
    assert len(user.curve("lossPlot")[1]) == 40
    for plot_name, column in PLOTS:
        x, y = _previous(user, plot_name)
        np.testing.assert_array_equal(y, old[column])
        assert len(x) == 30
    assert not np.array_equal(user.curve("lossPlot")[1][:30], old["loss"])

    # the next reset makes the momentum run the previous one (only one is kept)
    momentum_loss = np.array(window.latest.history.loss)
    user.click("resetButton")
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    np.testing.assert_array_equal(_previous(user, "lossPlot")[1], momentum_loss)
    assert _legend(window, "lossPlot").count("before: SGD + momentum<br>lr 1, decay 0.001, μ 0.9") == 1
    assert not any(text == "before: SGD, lr 1" for text in _legend(window, "lossPlot"))


def test_a_reset_with_nothing_trained_keeps_the_previous_run(window, user):
    history = _train_sgd(user, 12)
    old = np.array(history.accuracy)
    user.click("resetButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    # a second reset at epoch 0, and a rebuild for new data, replace nothing
    user.click("resetButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    user.type_into("seedSpin", "5")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    np.testing.assert_array_equal(_previous(user, "accuracyPlot")[1], old)
    assert _legend(window, "accuracyPlot")[-1] == "before: SGD, lr 1"


def test_new_data_makes_the_trained_run_the_previous_one(window, user):
    history = _train_sgd(user, 8)
    old = np.array(history.loss)
    user.type_into("seedSpin", "3")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    np.testing.assert_array_equal(_previous(user, "lossPlot")[1], old)


def test_show_previous_run_hides_and_shows_the_curves(window, user):
    action = _action(window, "previousRunAction")
    assert action.isCheckable() and action.isChecked() and action.toolTip().strip()
    assert action in window.menuBar().findChild(QtWidgets.QMenu, "viewMenu").actions()
    _train_sgd(user, 10)
    user.click("resetButton")
    curves = [user.find(name).curves["previous"] for name, _ in PLOTS]
    assert all(c.isVisible() for c in curves)

    action.trigger()
    assert not action.isChecked()
    assert not any(c.isVisible() for c in curves)
    assert not any(text.startswith("before:") for name, _ in PLOTS for text in _legend(window, name))

    action.trigger()
    assert all(c.isVisible() for c in curves)
    assert _legend(window, "learningRatePlot")[-1] == "before: SGD, lr 1"
    assert len(_previous(user, "learningRatePlot")[1]) == 10


def test_forget_previous_run_empties_the_curves(window, user):
    forget = _action(window, "forgetPreviousRunAction")
    assert forget.toolTip().strip() and not forget.isEnabled()
    _train_sgd(user, 10)
    user.click("resetButton")
    assert forget.isEnabled()
    forget.trigger()
    for name, _ in PLOTS:
        assert not user.find(name).curves["previous"].isVisible()
        assert len(_previous(user, name)[1]) == 0
        assert not any(text.startswith("before:") for text in _legend(window, name))
    assert window.previous_run.history is None and not forget.isEnabled()
    # nothing to bring back: showing again draws nothing
    _action(window, "previousRunAction").trigger()
    _action(window, "previousRunAction").trigger()
    assert not any(user.find(name).curves["previous"].isVisible() for name, _ in PLOTS)


def test_projector_mode_thickens_the_previous_curves_too(window, user):
    _train_sgd(user, 5)
    user.click("resetButton")
    curve = window.loss_plot.curves["previous"]
    normal = curve.opts["pen"].widthF()
    assert normal < window.loss_plot.curves["train"].opts["pen"].widthF()
    _action(window, "projectorAction").trigger()
    assert curve.opts["pen"].widthF() == normal * 1.5
    _action(window, "projectorAction").trigger()
    assert curve.opts["pen"].widthF() == normal


def test_legend_names_say_what_the_run_was():
    assert previous_run.describe(OptimizerConfig("sgd", 1.0, 1e-3, 0.9)) == "before: SGD, lr 1"
    assert previous_run.describe(OptimizerConfig("decay", 0.5, 1e-3, 0.9)) == "before: SGD + decay<br>lr 0.5, decay 0.001"
    assert (previous_run.describe(OptimizerConfig("momentum", 1.0, 1e-3, 0.9))
            == "before: SGD + momentum<br>lr 1, decay 0.001, μ 0.9")


def test_the_y_ranges_make_room_for_the_previous_run_but_the_epoch_axis_follows_the_live_one(qtbot):
    from nngui.gui.plot_ranges import PlotRanges
    from nngui.gui.plots import AccuracyPlot, LearningRatePlot, LossPlot

    plots = LossPlot(), AccuracyPlot(), LearningRatePlot()
    for plot in plots:
        qtbot.addWidget(plot)
    ranges = PlotRanges(*plots)
    # a previous run of 5,000 epochs whose loss reached 7 and whose rate was 3 (a diverging one: inf ignored)
    loss = np.full(5000, 0.5)
    loss[10], loss[11] = 7.0, np.inf
    previous = _History(loss=loss, learning_rate=np.full(5000, 3.0))
    live = _History(loss=np.full(40, 1.1), learning_rate=np.full(40, 1.0), test_loss=np.full(40, np.nan))
    ranges.set_previous(previous)
    ranges.update(live, 0, 1.0)
    # 7 × 1.05 headroom → 8; 3 × 1.05 → 4; the epoch axis steps with the 40 live epochs
    assert (ranges.loss_top, ranges.rate_top, ranges.x_end) == (8.0, 4.0, 100)
    ranges.set_previous(None)
    ranges.update(live, 0, 1.0)
    assert (ranges.loss_top, ranges.rate_top) == (1.2, 1.2)


class _History:
    """The columns PlotRanges reads, like a HistoryView."""

    def __init__(self, **columns):
        self.__dict__.update(columns)

    def __len__(self):
        return len(self.loss)
