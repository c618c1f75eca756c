"""Looking back through the real window: scrubbing to epoch k shows what a fresh run stopped at k shows."""

from __future__ import annotations

import dataclasses

import numpy as np

from nngui.engine import CHAPTER_RUNS, OptimizerConfig, Race
from nngui.gui.qt import QtCore, QtGui, QtWidgets

Key = QtCore.Qt.Key


def compare(window, user):
    """Press Compare and wait for the race of three to be built."""
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3
                         and window.latest.epoch == 0)


def press(user, key, times=1, modifier=QtCore.Qt.KeyboardModifier.NoModifier):
    slider = user.find("timelineSlider")
    slider.setFocus()
    for _ in range(times):
        user.qtbot.keyClick(slider, key, modifier)


def shown_epoch(window):
    shown = window.timeline.shown
    return None if shown is None else shown[0].epoch


def what_is_seen(window, user):
    """Maps (the RGB drawn and the probabilities), the network drawing, cursors, titles and the status line."""
    grid = window.boundary_grid
    return {
        "images": [np.array(view.image.image) for view in grid.views()],
        "titles": [grid.title(i) for i in range(len(grid.views()))],
        "network": [np.array(a) for pair in window.network_view.parameters for a in pair],
        "cursors": window.timeline.cursor_positions(),
        "status": user.find("statusLabel").text(),
    }


def select_run(user, index):
    """Click run ``index``'s map, which selects it for the network drawing and the status line."""
    view = user.window.boundary_grid.view(index)
    user.qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton)
    assert user.window.model.selected_run == index


def test_scrubbing_to_epoch_k_shows_exactly_what_a_fresh_run_stopped_at_k_shows(window, user):
    compare(window, user)
    select_run(user, 2)  # the momentum run: its buffers are part of the state replayed
    user.train(60)
    slider, live = user.find("timelineSlider"), user.find("timelineLiveButton")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 60, 60)
    assert not live.isEnabled() and window.timeline.cursor_positions() == [None] * 3
    press(user, Key.Key_Home)
    press(user, Key.Key_Right, 23)  # → on the focused slider steps the timeline, never training
    assert "Play (Space) goes on from the latest epoch (60)" in window.statusBar().currentMessage()
    assert slider.value() == 23 and window.model.timeline == 23
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 23)
    assert window.latest.epoch == 60 and slider.maximum() == 60 and live.isEnabled()
    assert user.find("timelineLabel").text() == "epoch 23 / 60"
    looked = what_is_seen(window, user)
    looked_grids = window.timeline.shown[1]
    assert looked["status"].endswith(" · looking back")
    # the curves still hold all 60 epochs, with the cursor at the 23rd
    assert len(user.curve("lossPlot", run=0)[0]) == 60
    press(user, Key.Key_End)
    assert window.model.timeline is None and window.timeline.shown is None
    assert window.timeline.cursor_positions() == [None] * 3 and not live.isEnabled()

    with user.qtbot.waitSignal(window.controller.reset_done):
        user.key(Key.Key_R, window)
    user.train(23)
    fresh = what_is_seen(window, user)
    for image, expected in zip(looked["images"], fresh["images"], strict=True):
        assert image.shape == (200, 200, 3) and np.array_equal(image, expected)
    for grid, expected in zip(looked_grids, window.latest_grids[1], strict=True):
        assert np.array_equal(grid, expected)
    assert looked["titles"] == fresh["titles"]
    assert len(looked["network"]) == 4
    for array, expected in zip(looked["network"], fresh["network"], strict=True):
        assert array.dtype == expected.dtype and np.array_equal(array, expected)
    # a run stopped at 23 ends its curves at x = 22: where the cursor stood
    for plot in ("lossPlot", "accuracyPlot", "learningRatePlot"):
        role = "lr" if plot == "learningRatePlot" else "train"
        assert [user.curve(plot, role, run)[0][-1] for run in range(3)] == [22] * 3
    assert looked["cursors"] == [22.0] * 3
    assert looked["status"].split(" · looking back")[0] == fresh["status"].rsplit(" · ", 1)[0]


def test_scrubbing_while_training_pauses_and_play_goes_on_from_the_latest_epoch(window, user):
    compare(window, user)
    user.choose("paceControl", "100/s")
    user.type_into("epochLimitSpin", "0")  # no limit: it trains until paused
    user.click("playButton")
    user.qtbot.waitUntil(lambda: window.latest.epoch >= 15)
    with user.stopped("pause"):
        press(user, Key.Key_Left, 5)
    assert not window.controller.playing and window.play_action.text() == "Play"
    assert "Paused to look back" in window.statusBar().currentMessage()
    looked_at = window.model.timeline
    user.qtbot.waitUntil(lambda: shown_epoch(window) == looked_at)
    end = window.latest.epoch
    assert looked_at < end and user.find("timelineSlider").maximum() == end
    history = window.latest.runs[0].history
    # Space plays even with the slider focused: training goes on from the latest epoch, shown live
    user.qtbot.keyClick(user.find("timelineSlider"), Key.Key_Space)
    assert window.model.timeline is None and window.timeline.shown is None
    user.qtbot.waitUntil(lambda: window.latest.epoch >= end + 3)
    user.pause()
    later = window.latest.runs[0].history
    assert np.array_equal(later.loss[:end], history.loss[:end]) and len(later) > end
    assert user.find("timelineSlider").value() == window.latest.epoch == user.find("timelineSlider").maximum()


def test_step_reset_and_a_change_of_settings_each_go_back_to_live(window, user):
    user.train(20)
    press(user, Key.Key_Home)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 0)
    # epoch 0: the first weights, before any update
    assert window.status_label.text().startswith("Epoch 0")
    user.type_into("epochLimitSpin", "0")  # only the limit: still looking back
    assert window.model.timeline == 0 and shown_epoch(window) == 0
    with user.stopped("step"):
        user.key(Key.Key_S, window)
    assert window.model.timeline is None and window.latest.epoch == 21
    assert user.find("timelineSlider").value() == 21

    press(user, Key.Key_Left, 3)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 18)
    user.type_into("learningRateSpin", "0.5")
    assert window.model.timeline is None and window.timeline.shown is None

    press(user, Key.Key_Left)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 20)
    with user.qtbot.waitSignal(window.controller.reset_done):
        user.key(Key.Key_R, window)
    slider = user.find("timelineSlider")
    assert window.model.timeline is None and (slider.maximum(), slider.value()) == (0, 0)
    assert window.timeline.cursor_positions() == [None] * 3


def test_looking_back_across_a_change_of_settings_replays_it_at_its_epoch(window, user):
    compare(window, user)
    user.train(20)
    window.runs_panel.run_list.setCurrentRow(2)
    user.type_into("learningRateSpin", "0.5")
    edited = window.experiment().runs[2]
    user.train(40)
    press(user, Key.Key_Left, 10)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 30)
    # the same race in the engine, the momentum run edited at epoch 20 as in the window
    expected = Race(dataclasses.replace(window.experiment(), runs=window.experiment().runs[:2] + (CHAPTER_RUNS[2],)))
    expected.run(20)
    expected.set_optimizer(2, edited)
    expected.run(10)
    shown = window.timeline.shown[0]
    for run, trainer in zip(shown.runs, expected.trainers, strict=True):
        for (w, b), (w_ref, b_ref) in zip(run.parameters, trainer.network.parameters(), strict=True):
            assert np.array_equal(w, w_ref) and np.array_equal(b, b_ref)
        assert run.settings == trainer.settings
    assert shown.runs[2].settings == ((0, CHAPTER_RUNS[2]), (20, edited))
    # the network drawing shows the selected run as it was then
    assert window.network_view.parameters[0][0] is shown.runs[2].parameters[0][0]


def test_a_run_looked_at_before_its_divergence_has_its_map_and_after_it_none(window, user):
    window.model.experiment.set_runs((CHAPTER_RUNS[2], OptimizerConfig("sgd", 20.0, 0.0, 0.0)))
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    with user.qtbot.waitSignal(window.controller.diverged, timeout=20_000):
        stop = user.train(200)
    end = stop.snapshot.runs[1].epoch  # the diverged run stopped here (its last epoch is end - 1)
    assert end < 200
    grid = window.boundary_grid
    press(user, Key.Key_Home)
    press(user, Key.Key_Right, end - 1)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == end - 1)
    assert grid.view(1).image.isVisible() and not grid.title(1).endswith("diverged")
    press(user, Key.Key_Right, 2)
    user.qtbot.waitUntil(lambda: shown_epoch(window) == end + 1)
    shown = window.timeline.shown[0]
    assert shown.runs[1].epoch == end and shown.runs[1].divergence == stop.snapshot.runs[1].divergence
    assert shown.runs[0].epoch == end + 1
    assert not grid.view(1).image.isVisible() and grid.title(1).endswith("diverged")
    assert grid.view(0).image.isVisible()


def test_a_look_back_answered_after_a_reset_is_dropped(window, user):
    user.train(30)
    controller = window.controller
    with user.qtbot.waitSignal(controller.reset_done):
        controller.look_back(99, 10)
        controller.reset(window.experiment())
    # the worker answers a look back before or after the reset, never for the new race's request
    with user.qtbot.assertNotEmitted(controller.looked_back, wait=300):
        pass
    assert window.timeline.shown is None


def test_the_timeline_controls_are_named_and_explained(window, user):
    for name in ("timelineSlider", "timelineLiveButton"):
        widget = user.find(name)
        assert widget.accessibleName() == name and "epoch" in widget.toolTip()
    assert "Play goes on from the latest epoch" in user.find("timelineSlider").toolTip()


def test_the_wheel_passing_over_the_slider_stays_live(window, user):
    user.train(10)
    slider = user.find("timelineSlider")
    window.activateWindow()
    user.find("lossPlot").setFocus()
    assert not slider.hasFocus()
    centre = slider.rect().center()
    event = QtGui.QWheelEvent(QtCore.QPointF(centre), QtCore.QPointF(slider.mapToGlobal(centre)), QtCore.QPoint(),
                              QtCore.QPoint(0, -120), QtCore.Qt.MouseButton.NoButton,
                              QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(slider, event)
    assert slider.value() == 10 and window.model.timeline is None
