"""Fast hands on the real window: keys pressed faster than the window settles must never crash it (issue 18)."""

from __future__ import annotations

import gc

import shiboken6

from nngui.gui.qt import QtCore, QtWidgets

Key = QtCore.Qt.Key
#: F5 then R pairs; the crash took 20–70 of them (a freed layout item's address reused by the code panel's list)
PAIRS = 40


def _wrapped_layout_items():
    """Python wrappers of layout items Qt made and owns (a widget's place in a layout) alive now."""
    gc.collect()
    return [obj for obj in gc.get_objects()
            if isinstance(obj, QtWidgets.QLayoutItem) and not isinstance(obj, QtWidgets.QLayout)
            and not shiboken6.createdByPython(obj)]


def test_leaving_projector_mode_keeps_no_wrapper_of_a_deleted_layout_item(window, user, qtbot):
    # moving the look-back slider back under the views deletes its place in the projector bar: a
    # Python wrapper kept for it (the layout keeps every wrapper it hands out) outlives it, and the
    # next object Qt made at that address crashed the window when deleted (the code panel's list)
    before = len(_wrapped_layout_items())
    user.key(Key.Key_F5, window)
    qtbot.waitUntil(lambda: window.projector.on)
    user.key(Key.Key_F5, window)
    qtbot.waitUntil(lambda: not window.projector.on)
    assert len(_wrapped_layout_items()) == before


def test_projector_mode_and_reset_pressed_fast_with_the_code_shown(window, user, qtbot):
    user.key(Key.Key_F3, window)
    qtbot.waitUntil(lambda: window.code_dock.isVisible())
    for _ in range(PAIRS):
        user.key(Key.Key_F5, window)
        user.key(Key.Key_R, window)
        QtWidgets.QApplication.processEvents()
    if window.projector.on:
        user.key(Key.Key_F5, window)
    # still alive and showing the new race's code
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    layers = len(window.latest.runs[0].sizes) - 1
    assert window.code_dock.view.protocol.count() == 4 + layers  # forward, backward, pre, one update a layer, post
    stop = user.train(3)
    assert stop.snapshot.epoch == 3


def test_closing_mid_epoch_gives_the_epoch_up_instead_of_waiting_for_it(window, user, qtbot, close_window):
    # an epoch of one point a batch on 12,000 points: thousands of updates, seconds to minutes long
    from nngui.engine import DatasetConfig, Experiment, NetworkConfig
    experiment = Experiment(dataset=DatasetConfig(samples=2000, classes=6), network=NetworkConfig(hidden=(64,)),
                            batch_size=1)
    assert window.apply_experiment(experiment)
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.runs[0].sizes == (2, 64, 6))
    user.click("playButton")
    worker = window.controller.worker
    qtbot.waitUntil(lambda: worker.race is not None and worker.race.trainers[0].walking)
    race = worker.race
    close_window(window)
    # given up between two calls: the epoch never ended (without the check, closing waited for it)
    assert race.epoch == 0 and race.trainers[0].walking
