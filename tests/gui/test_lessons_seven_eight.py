"""Lessons 7 and 8 in the real window: the surface view walks the paths the claims name; the batches show the noise."""

from __future__ import annotations

import math

import numpy as np

from nngui.teaching import lessons
from nngui.gui.qt import QtCore, QtGui

Key = QtCore.Qt.Key
SHIPPED = {path.stem: lesson for path, lesson in lessons.shipped_lessons()}


def open_from_menu(window, stem):
    window.findChild(QtGui.QAction, f"lesson_{stem}").trigger()
    return SHIPPED[stem]


def built(user, experiment):
    window = user.window
    user.qtbot.waitUntil(lambda: window.experiment() == experiment and window.latest is not None
                         and window.latest.epoch == 0 and len(window.latest.runs) == len(experiment.runs))


def test_lesson_7_shows_plain_sgd_stopping_in_the_local_minimum_and_momentum_reaching_the_global_one(window, user):
    lesson = open_from_menu(window, "07-momentum-past-local-minimum")
    built(user, lesson.steps[0].experiment)
    view = window.surface_view
    assert window.view_tabs.currentWidget() is view
    assert view.preset_combo.currentData() == "momentum-past-local-minimum"
    assert view.race.steps == 0 and view.start == (1.9, 1.5)
    # the surface's runs are the lesson's: the same settings race on the network's plots
    assert tuple(run.config for run in view.race.runs) == window.experiment().runs
    assert user.find("surfacePlayButton").text() == "Play"   # the first step asks for a prediction: it waits
    user.choose("surfaceSpeedCombo", "200/s")
    user.key(Key.Key_PageDown)
    # the second step plays its walk without a click
    assert user.find("surfacePlayButton").text() == "Pause"
    user.qtbot.waitUntil(lambda: view.race.steps == 200, timeout=20_000)
    assert user.find("surfacePlayButton").text() == "Play"   # stopped at the preset's 200 steps
    (global_x, _), local = view.surface.minima[0], view.surface.minima[1]
    sgd, momentum = view.race.runs
    assert math.dist(sgd.point, local) < 0.01 and 0.48 < sgd.loss < 0.49
    assert math.dist(momentum.point, (global_x, 0.0)) < 0.01 and -0.52 < momentum.loss < -0.51
    notes = user.find("surfaceNotes").text()
    assert "x = 0.9304" in notes and "loss 0.4833" in notes and "x = -1.057" in notes and "loss -0.5148" in notes
    assert "x ≈ 0.93, loss 0.48" in lesson.steps[1].text and "x ≈ −1.06, loss −0.51" in lesson.steps[1].text
    # the last step: Rosenbrock's valley, where momentum reaches (1, 1) in the preset's 1,000 steps
    user.key(Key.Key_PageDown)
    assert view.surface.name == "rosenbrock" and view.race.steps == 0 and view.playing
    view.pause()
    for _ in range(1000):
        view.step()
    sgd, momentum = view.race.runs
    assert math.dist(momentum.point, (1.0, 1.0)) < 0.02 and 2.75 < sgd.loss < 2.77
    assert "loss 2.763" in user.find("surfaceNotes").text()


def test_lesson_8_shows_ten_noisy_updates_an_epoch_in_batches_of_30(window, user):
    lesson = open_from_menu(window, "08-mini-batch-noise")
    built(user, lesson.steps[0].experiment)
    window.model.set_pace(None)   # the test need not watch at the class's pace
    with user.stopped("limit"):
        user.key(Key.Key_PageDown)
    snapshot = window.latest
    assert snapshot.epoch == 300 and snapshot.runs[0].batch_losses is None   # full batch: no faint lines
    assert 1.095 < snapshot.runs[0].history.loss[299] < 1.097 and 1.065 < snapshot.runs[1].history.loss[299] < 1.075
    user.key(Key.Key_PageDown)
    built(user, lesson.steps[2].experiment)
    assert window.experiment().batch_size == 30
    with user.stopped("limit"):
        user.key(Key.Key_PageDown)
    snapshot = window.latest
    assert snapshot.epoch == 100
    updates = snapshot.runs[0].batch_losses
    assert len(updates) == 1000 and updates.step[-1] == 999
    window_90_99 = (updates.epoch >= 90) & (updates.epoch < 100)
    assert updates.loss[window_90_99].min() < 1.0 and updates.loss[window_90_99].max() > 1.15
    assert 1.07 < snapshot.runs[0].history.loss[99] < 1.08
    # the loss plot draws them, faint behind the run's curve
    x, y = user.find("lossPlot").run_curve(0, "updates").getOriginalDataset()
    assert np.array_equal(np.asarray(y), updates.loss)
    with user.stopped("limit"):
        user.key(Key.Key_PageDown)
    runs = window.latest.runs
    assert 0.6 < runs[1].history.loss[299] < 0.62 and 1.065 < runs[0].history.loss[299] < 1.075
    assert len(runs[0].batch_losses) == 3000
    captions = window.captions
    user.qtbot.waitUntil(lambda: len(captions.captions) == 2 and captions.captions[1].kind == "oscillating")
    assert "caption says oscillating" in lesson.steps[4].text
