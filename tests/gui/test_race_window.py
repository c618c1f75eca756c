"""The chapter's comparison in the window: a race from one start, a pace a class can follow, pins, safe keys."""

from __future__ import annotations

import dataclasses

import numpy as np

from nngui.engine import OptimizerConfig, Race
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.gui.qt import QtCore

Key = QtCore.Qt.Key


def compare(window, user):
    """Press Compare and wait for the race of three to be built."""
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3
                         and window.latest.epoch == 0)


def test_compare_races_the_chapters_three_optimizers_with_a_name_colour_and_style_each(window, user):
    compare(window, user)
    assert window.experiment().runs == CHAPTER_RUNS
    names = ("SGD", "SGD + decay", "SGD + momentum 0.9")
    run_list = user.find("runList")
    assert [run_list.item(i).text() for i in range(run_list.count())] == list(names)
    assert window.run_legend.names()[:3] == list(names)
    for number, name in enumerate(names, start=1):
        assert name in window.boundary_grid.title(number - 1)
        assert user.find(f"boundaryView{number}").isVisible()
    pens = [window.loss_plot.run_curve(i, "train").opts["pen"] for i in range(3)]
    assert len({p.color().name() for p in pens}) == 3
    assert len({tuple(p.dashPattern()) if p.style() != QtCore.Qt.PenStyle.SolidLine else () for p in pens}) == 3


def test_every_run_trains_exactly_as_the_engine_races_it_alone(window, user):
    compare(window, user)
    stop = user.train(300)
    alone = Race(window.experiment())
    alone.run(300)
    for index, run in enumerate(stop.snapshot.runs):
        expected = alone.trainers[index].history.view()
        for column in ("loss", "accuracy", "learning_rate"):
            assert np.array_equal(getattr(run.history, column), getattr(expected, column)), (index, column)
        x, loss = user.curve("lossPlot", "train", run=index)
        assert np.array_equal(loss, expected.loss)
    # the course's first epoch, the same for every run: they start from one place
    assert {round(float(run.history.loss[0]), 3) for run in stop.snapshot.runs} == {1.099}


def test_a_run_edited_mid_race_changes_alone_at_the_next_epoch(window, user):
    compare(window, user)
    user.train(20)
    window.runs_panel.run_list.setCurrentRow(1)
    assert window.model.selected_run == 1
    user.type_into("learningRateSpin", "0.5")
    assert window.experiment().runs[1].learning_rate == 0.5
    user.type_into("epochLimitSpin", "40")
    with user.stopped("limit") as blocker:
        user.click("playButton")
    runs = blocker.args[0].snapshot.runs
    assert runs[1].settings == ((0, CHAPTER_RUNS[1]), (20, dataclasses.replace(CHAPTER_RUNS[1], learning_rate=0.5)))
    assert runs[0].settings == ((0, CHAPTER_RUNS[0]),) and runs[2].settings == ((0, CHAPTER_RUNS[2]),)
    rates = runs[1].history.learning_rate
    assert np.allclose(rates[:20], 1 / (1 + 1e-3 * np.arange(20)))
    assert np.allclose(rates[20:], 0.5 / (1 + 1e-3 * np.arange(20, 40)))
    # the network drawing and the status line follow the selected run
    assert window.status_label.text().startswith("SGD + decay · Epoch 40")


def test_one_run_diverging_stops_alone_and_the_others_carry_on(window, user):
    window.model.experiment.set_runs((CHAPTER_RUNS[2], OptimizerConfig("sgd", 20.0, 0.0, 0.0)))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    with user.qtbot.waitSignal(window.controller.diverged, timeout=20_000) as diverged:
        stop = user.train(200)
    index, _ = diverged.args
    assert index == 1 and stop.reason == "limit"
    runs = stop.snapshot.runs
    assert runs[0].divergence is None and len(runs[0].history) == 200
    assert runs[1].divergence.startswith("Training diverged at epoch ") and len(runs[1].history) < 200
    assert window.message_banner.isVisible() and "SGD:" in window.message_banner.text()
    assert window.boundary_grid.title(1).endswith("diverged")


def test_a_race_where_every_run_diverges_ends_with_each_message_and_stays_usable(window, user):
    window.model.experiment.set_runs((OptimizerConfig("sgd", 20.0, 0.0, 0.0), OptimizerConfig("sgd", 30.0, 0.0, 0.0)))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    user.type_into("epochLimitSpin", "0")
    with user.stopped("diverged", timeout=30_000):
        user.click("playButton")
    assert not window.controller.playing
    banner = window.message_banner.text()
    assert "SGD (lr 20):" in banner and "SGD (lr 30):" in banner
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    assert not window.message_banner.isVisible()
    assert user.train(10).snapshot.epoch == 10


def test_pins_stay_drawn_until_the_data_changes(window, user):
    compare(window, user)
    user.train(50)
    window.pin_action.trigger()
    assert len(window.model.pins) == 3
    assert window.model.pins[2].label == "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 50 epochs"
    assert len(window.loss_plot.pin_curves()) == 3
    assert any("50 epochs" in name for name in window.run_legend.names())
    user.click("resetButton")                   # same data: still comparable
    assert len(window.model.pins) == 3
    user.type_into("samplesSpin", "50")         # new data: no longer comparable
    assert window.model.pins == () and window.loss_plot.pin_curves() == []
    assert "no longer comparable" in window.statusBar().currentMessage()


def test_at_a_slow_pace_every_epoch_is_sent_and_drawn(window, user):
    user.choose("paceControl", "30/s")
    assert window.model.pace == 30 and window.controller.worker.pace == 30
    epochs, drawn = [], []
    # connected after the window's own slot: by then the window has drawn what arrived
    window.controller.snapshot_ready.connect(lambda snapshot, grids: (
        epochs.append((snapshot.epoch, grids)), drawn.append(len(user.curve("lossPlot")[1]))))
    user.type_into("epochLimitSpin", "12")
    with user.stopped("limit"):
        user.click("playButton")
    assert [epoch for epoch, _ in epochs] == list(range(1, 13))
    assert all(grids is not None for _, grids in epochs)
    assert drawn == list(range(1, 13))
    assert window.settings.value("view/pace") in (30, "30")


def test_enter_in_a_number_box_gives_the_keys_back_to_the_window(window, user):
    user.type_into("learningRateSpin", "0.5")
    assert window.experiment().runs[0].learning_rate == 0.5
    with user.stopped("pause"):
        user.key(Key.Key_Space)
        assert window.controller.playing
        user.qtbot.waitUntil(lambda: window.latest.epoch >= 5)
        user.key(Key.Key_Space)
    user.key(Key.Key_R)
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)


def test_page_keys_and_the_wheel_never_change_a_number(window, user):
    box = user.find("learningRateSpin")
    box.setFocus()
    for key in (Key.Key_PageDown, Key.Key_PageUp, Key.Key_PageDown):
        user.key(key, box)
    assert window.experiment().runs[0].learning_rate == 1.0 and box.lineEdit().text() == "1"


def test_undo_and_redo_take_back_a_change_of_settings(window, user):
    user.type_into("learningRateSpin", "0.5")
    user.type_into("momentumSpin", "0.5")
    window.undo_action.trigger()
    assert window.experiment().runs[0].momentum == 0.9 and user.find("momentumSpin").value() == 0.9
    window.undo_action.trigger()
    assert window.experiment().runs[0].learning_rate == 1.0
    window.redo_action.trigger()
    assert window.experiment().runs[0].learning_rate == 0.5 and user.find("learningRateSpin").value() == 0.5


def test_runs_are_added_and_removed_up_to_four(window, user):
    for count in (2, 3, 4):
        user.click("addRunButton")
        assert len(window.experiment().runs) == count
    assert not user.find("addRunButton").isEnabled()
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 4)
    assert user.find("boundaryView4").isVisible()
    window.runs_panel.run_list.setCurrentRow(3)
    user.choose("optimizerCombo", "SGD")
    assert window.experiment().runs[3].kind == "sgd"
    user.click("removeRunButton")
    assert len(window.experiment().runs) == 3 and window.model.selected_run == 2


def test_momentum_without_decay_is_a_run_of_its_own(window, user):
    user.type_into("decaySpin", "0")
    run = window.experiment().runs[0]
    assert (run.kind, run.effective_decay, run.effective_momentum) == ("momentum", 0.0, 0.9)
    stop = user.train(5)
    assert np.all(stop.snapshot.runs[0].history.learning_rate == 1.0)
