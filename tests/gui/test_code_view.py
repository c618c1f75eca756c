"""The code panel in the real window: the engine's SGD source, the selected run's values, one weight, step into."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from pygments.styles import get_style_by_name
from pygments.token import Keyword

from nngui.engine import SGD, OptimizerConfig, Race
from nngui.engine.walk import WeightUpdate
from nngui.gui.code.code_view import number, operand, update_lines
from nngui.gui.qt import QtCore, QtGui, QtWidgets

Key = QtCore.Qt.Key
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


def press(user, key, modifier=QtCore.Qt.KeyboardModifier.NoModifier):
    target = QtWidgets.QApplication.focusWidget() or user.window
    user.qtbot.keyClick(target, key, modifier)


def compare(window, user):
    """Press Compare and wait for the chapter's race of three."""
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3
                         and window.latest.epoch == 0)


def select_run(user, index):
    """Click run ``index`` in the runs list."""
    run_list = user.find("runList")
    rect = run_list.visualItemRect(run_list.item(index))
    user.qtbot.mouseClick(run_list.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())
    assert user.window.model.selected_run == index


def show_code(window, user):
    press(user, Key.Key_F3)
    dock = user.find("codeDock", QtWidgets.QDockWidget)
    user.qtbot.waitUntil(dock.isVisible)
    return dock.widget()


def step(user):
    with user.stopped("step") as blocker:
        press(user, Key.Key_Right)
    return blocker.args[0]


def step_into(user):
    with user.stopped("walk") as blocker:
        press(user, Key.Key_Right, SHIFT)
    return blocker.args[0]


def live_race(window) -> Race:
    """The worker's race (read only while the worker waits for work)."""
    assert not window.controller.playing
    return window.controller.worker.race


def test_the_panel_shows_the_engines_own_source_coloured_by_pygments(window, user):
    dock = user.find("codeDock", QtWidgets.QDockWidget)
    assert not dock.isVisible()
    action = user.find("codeAction", QtGui.QAction)
    assert not action.isChecked() and action.toolTip() and action in window.findChild(
        QtWidgets.QMenu, "viewMenu").actions()
    view = show_code(window, user)
    assert action.isChecked() and view.objectName() == "codeView"
    code = user.find("codeSource")
    assert code.toPlainText() == inspect.getsource(SGD)
    # "class" is coloured as Pygments' default style colours a keyword
    first = code.document().firstBlock()
    formats = [f for f in first.layout().formats() if f.start == 0]
    keyword = get_style_by_name("default").style_for_token(Keyword)
    assert formats and formats[0].length == len("class")
    assert formats[0].format.foreground().color() == QtGui.QColor(f"#{keyword['color']}")
    for name in ("codeSource", "protocolList", "codeValues", "weightLayerBox", "weightRowBox", "weightColumnBox",
                 "weightUpdateLabel"):
        widget = user.find(name)
        assert widget.accessibleName() == name and widget.toolTip(), name
    press(user, Key.Key_F3)
    user.qtbot.waitUntil(lambda: not dock.isVisible())


def test_after_a_step_the_values_are_the_optimizers_attributes(window, user):
    compare(window, user)
    select_run(user, 2)
    view = show_code(window, user)
    for _ in range(3):
        step(user)
    user.qtbot.waitUntil(lambda: view.snapshot is not None and view.snapshot.epoch == 3)
    trainer = live_race(window).trainers[2]
    optimizer = trainer.optimizer
    rows = view.value_rows()
    for name in ("learning_rate", "current_learning_rate", "step", "decay", "momentum"):
        text, value = rows[name]
        assert value == getattr(optimizer, name), name
        assert text == (f"{value:,}" if name == "step" else number(value, 6))
    assert rows["step"] == ("3", 3) and rows["current_learning_rate"][1] == 1 / (1 + 1e-3 * 2)
    for i, layer in enumerate(trainer.network.trainable_layers, start=1):
        assert rows[f"‖dweights‖ {i}"][1] == float(np.linalg.norm(layer.dweights))
        assert rows[f"‖weights_momentums‖ {i}"][1] == float(np.linalg.norm(layer.weights_momentums))
    assert view.header.text().startswith("SGD + momentum 0.9")
    # another run selected: its values
    select_run(user, 0)
    user.qtbot.waitUntil(lambda: view.value_rows()["momentum"][1] == 0.0)
    assert view.value_rows()["‖weights_momentums‖ 1"] == ("—", None)


def test_a_clicked_connection_shows_its_update_with_the_engines_numbers(window, user):
    compare(window, user)
    select_run(user, 2)
    view = show_code(window, user)
    layer_index, row, column = 0, 1, 4
    step(user)
    layer = live_race(window).trainers[2].network.trainable_layers[layer_index]
    weight_before = layer.weights[row, column]
    momentum_before = layer.weights_momentums[row, column]
    step(user)
    network = user.find("networkView")
    where = network.edge_position(layer_index, row, column)
    assert where is not None
    with user.qtbot.waitSignal(network.weight_chosen) as chosen:
        user.qtbot.mouseClick(network, QtCore.Qt.MouseButton.LeftButton, pos=where.toPoint())
    assert chosen.args == [layer_index, row, column]
    assert view.weight == (layer_index, row, column) and network.chosen_weight == (layer_index, row, column)
    assert (user.find("weightLayerBox").value(), user.find("weightRowBox").value(),
            user.find("weightColumnBox").value()) == (1, row, column)
    rate = 1 / (1 + 1e-3 * 1)
    expected = WeightUpdate(0.9, float(momentum_before), rate, float(layer.dweights[row, column]),
                            float(layer.weights_momentums[row, column]), float(weight_before),
                            float(layer.weights[row, column]))
    assert 0.9 * momentum_before - rate * layer.dweights[row, column] == expected.update
    assert weight_before + expected.update == expected.weight_after
    _, plugged, weight = update_lines(expected)
    label = user.find("weightUpdateLabel")
    assert label.accessibleDescription() == f"{plugged};  {weight}"
    assert "epoch 1's update" in label.text()
    assert f"u = 0.9 × {operand(momentum_before)} − {number(rate)} × {operand(layer.dweights[row, column])}" in plugged
    assert plugged.endswith(f" = {number(expected.update)}")
    assert weight == f"w = {number(weight_before)} + {operand(expected.update)} = {number(layer.weights[row, column])}"
    # a miss chooses nothing
    with user.qtbot.assertNotEmitted(network.weight_chosen):
        user.qtbot.mouseClick(network, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(3, 3))
    # the boxes choose too: layer 2, row 0, column 2
    user.type_into("weightLayerBox", "2")
    user.type_into("weightColumnBox", "2")
    user.type_into("weightRowBox", "0")
    assert view.weight == (1, 0, 2) and network.chosen_weight == (1, 0, 2)
    out = live_race(window).trainers[2].network.trainable_layers[1]
    assert user.find("weightUpdateLabel").accessibleDescription().endswith(f"= {number(out.weights[0, 2])}")


def arrays(trainer):
    found = []
    for layer in trainer.network.trainable_layers:
        for name in ("weights", "biases", "dweights", "dbiases", "weights_momentums", "biases_momentums"):
            found.append(getattr(layer, name, None))
    opt = trainer.optimizer
    history = trainer.history.view()
    found += [history.loss, history.accuracy, history.learning_rate]
    return found, (opt.learning_rate, opt.current_learning_rate, opt.step, opt.decay, opt.momentum, trainer.epoch)


def assert_races_equal(race, reference):
    assert race.epoch == reference.epoch
    for ours, theirs in zip(race.trainers, reference.trainers, strict=True):
        (a, numbers), (b, expected) = arrays(ours), arrays(theirs)
        assert numbers == expected
        for x, y in zip(a, b, strict=True):
            assert (x is None and y is None) or np.array_equal(x, y)


def test_step_into_walks_one_epoch_call_by_call_and_ends_bit_identical(window, user):
    compare(window, user)
    select_run(user, 2)
    step(user)
    view = show_code(window, user)
    calls = ["forward(X, y)", "backward(y)", "pre_update_params()",
             "update_params(layer 1)", "update_params(layer 2)", "post_update_params()"]
    protocol = user.find("protocolList")
    assert [protocol.item(i).text() for i in range(protocol.count())] == calls
    marked, changed, lines = [], [], []
    for _ in calls:
        stop = step_into(user)
        assert stop.walk.run == 2
        marked.append([protocol.item(i).text() for i in range(protocol.count()) if protocol.item(i).font().bold()])
        changed.append(view.changed_rows())
        lines.append(view.ran_lines())
        if stop.walk.step.done:
            break
        # mid-walk: the selected run is inside epoch 1, the others have not started it
        assert [run.epoch for run in stop.snapshot.runs] == [1, 1, 1]
    assert marked == [[call] for call in calls]
    assert changed[1] == ["‖dweights‖ 1", "‖dweights‖ 2"]
    assert changed[2] == ["current_learning_rate"]
    assert changed[3] == ["‖weights_momentums‖ 1"] and changed[4] == ["‖weights_momentums‖ 2"]
    assert changed[5] == ["step"]
    assert lines[0] == lines[1] == []
    assert "self.current_learning_rate = self.learning_rate * (1 / (1 + self.decay * self.step))" in lines[2]
    assert "layer.weights += weights_updates" in lines[3] and "else:" not in lines[3]
    assert lines[5] == ["self.step += 1"]
    assert [run.epoch for run in stop.snapshot.runs] == [2, 2, 2] and stop.snapshot.epoch == 2
    reference = Race(window.experiment())
    reference.run(2)
    assert_races_equal(live_race(window), reference)
    # the window followed: plots and status line at epoch 2
    user.qtbot.waitUntil(lambda: window.status_label.text().startswith("SGD + momentum 0.9 · Epoch 2"))
    assert len(user.curve("lossPlot", "train", run=0)[1]) == 2


@pytest.mark.parametrize("finish", ["step", "play"])
def test_step_or_play_during_a_walk_finishes_the_walked_epoch_first(window, user, finish):
    compare(window, user)
    select_run(user, 1)
    show_code(window, user)
    for _ in range(4):
        stop = step_into(user)
    assert stop.walk.step.title() == "optimizer.update_params(layer 1)"
    # a setting changed mid-walk waits for the epoch's end
    user.type_into("learningRateSpin", "0.5")
    if finish == "step":
        stop = step(user)
        assert stop.snapshot.epoch == 1
        expected = 1
    else:
        stop = user.train(5)
        expected = 5
    reference = Race(live_race(window).experiment)
    reference.train_epoch()
    reference.set_optimizer(1, window.experiment().runs[1])
    reference.run(expected - 1)
    assert_races_equal(live_race(window), reference)
    assert stop.snapshot.runs[1].settings[-1][0] == 1


def test_a_diverged_run_has_no_epoch_to_walk(window, user):
    window.model.experiment.set_runs((OptimizerConfig("sgd", 100.0, 0.0, 0.0),))
    assert window.experiment().runs[0].learning_rate == 100.0
    with user.stopped("diverged"):
        user.click("playButton")
    press(user, Key.Key_Right, SHIFT)
    assert "has diverged: there is no epoch to walk" in window.statusBar().currentMessage()


def test_step_into_while_playing_pauses_at_an_epoch_boundary_then_walks(window, user):
    compare(window, user)
    show_code(window, user)
    user.click("playButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch >= 3, timeout=20_000)
    stop = step_into(user)
    assert not window.controller.playing and window.play_action.text() == "Play"
    epoch = stop.snapshot.epoch
    assert stop.walk.step.call == "forward" and stop.walk.step.epoch == epoch
    assert [run.epoch for run in stop.snapshot.runs] == [epoch] * 3


def test_reset_during_a_walk_starts_every_run_afresh(window, user):
    compare(window, user)
    show_code(window, user)
    step(user)
    for _ in range(4):
        step_into(user)
    with user.qtbot.waitSignal(window.controller.reset_done):
        press(user, Key.Key_R)
    stop = step(user)
    assert stop.snapshot.epoch == 1
    reference = Race(window.experiment())
    reference.train_epoch()
    assert_races_equal(live_race(window), reference)
    # a new walk starts at the new race's epoch 1
    stop = step_into(user)
    assert stop.walk.step.epoch == 1 and stop.walk.step.call == "forward"
