"""Fast hands on the real window: keys pressed faster than the window settles must never crash it (issue 18)."""

from __future__ import annotations

import gc

import shiboken6

from nngui.gui.qt import QtCore, QtWidgets

Key = QtCore.Qt.Key
#: F5 then R pairs; the crash took 20–70 of them (a freed layout item's address reused by the code panel's list)
PAIRS = 40


def _wrapped_layout_items():
    """The C++ addresses of the layout items Qt made and owns (a widget's place in a layout) that have a Python wrapper."""
    gc.collect()
    return {shiboken6.getCppPointer(obj)[0] for obj in gc.get_objects()
            if isinstance(obj, QtWidgets.QLayoutItem) and not isinstance(obj, QtWidgets.QLayout)
            and not shiboken6.createdByPython(obj) and shiboken6.isValid(obj)}


def _held_layout_items():
    """The C++ addresses of every item a layout of any widget holds now."""
    held = set()
    for widget in QtWidgets.QApplication.allWidgets():
        layouts = [widget.layout()] if widget.layout() is not None else []
        while layouts:
            layout = layouts.pop()
            for i in range(layout.count()):
                item = layout.itemAt(i)
                held.add(shiboken6.getCppPointer(item)[0])
                if item.layout() is not None:
                    layouts.append(item.layout())
    return held


def stale_layout_item_wrappers(before):
    """Of the wrapped layout items ``before``, those no layout holds any more: Qt deleted them behind PySide's back."""
    return (before & _wrapped_layout_items()) - _held_layout_items()


def test_projector_mode_leaves_no_wrapper_of_a_layout_item_qt_deleted(window, user, qtbot):
    # the look-back slider moves into the projector bar and back: Qt deletes its place in each
    # layout it leaves. A Python wrapper kept for that place (PySide keeps one for the items of a
    # layout added to another, and for every layout.itemAt() it hands out) outlived it, and the
    # next object Qt made at that address (the code panel's protocol items) crashed when deleted
    before = _wrapped_layout_items()
    for _ in range(2):
        user.key(Key.Key_F5, window)
        qtbot.waitUntil(lambda: window.projector.on)
        user.key(Key.Key_F5, window)
        qtbot.waitUntil(lambda: not window.projector.on)
    assert stale_layout_item_wrappers(before) == set()


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
    # the epoch is under way: some of its updates are made
    qtbot.waitUntil(lambda: worker.race is not None and len(worker.race.trainers[0].minibatches.updates) > 0)
    race = worker.race
    trainer = race.trainers[0]
    batches = len(trainer.X_train)   # one point a batch: an update per training point
    close_window(window)
    # given up between two calls: the epoch never ended (without the check, closing waited for it)
    assert race.epoch == 0 and trainer.epoch == 0
    assert 0 < len(trainer.minibatches.updates) < batches
