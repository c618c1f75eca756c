"""Looking back through the real window: scrubbing to epoch k shows what a fresh run stopped at k shows."""

from __future__ import annotations

import dataclasses

import numpy as np

from nngui.engine import Race
from nngui.gui.qt import QtCore

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
    assert slider.value() == 23 and window.model.timeline == 23
    user.qtbot.waitUntil(lambda: shown_epoch(window) == 23)
    assert window.latest.epoch == 60 and slider.maximum() == 60 and live.isEnabled()
    assert user.find("timelineLabel").text() == "epoch 23 of 60"
    looked = what_is_seen(window, user)
    looked_grids = window.timeline.shown[1]
    assert looked["status"].endswith("looking back · latest epoch 60")
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
