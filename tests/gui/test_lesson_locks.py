"""A lesson's locks hold in the real window whichever way an edit comes: Undo, Redo, files, painting, presets, pace."""

from __future__ import annotations

import dataclasses
import pytest

from nngui.engine import Experiment, OptimizerConfig
from nngui.files import experiment_io
from nngui.teaching import lessons
from nngui.engine.checks import ExperimentError
from nngui.teaching.lessons import Lesson, Step
from nngui.gui.qt import QtCore, QtGui, QtWidgets

Key = QtCore.Qt.Key
Ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
Shift = QtCore.Qt.KeyboardModifier.ShiftModifier
Button = QtCore.Qt.MouseButton
SHIPPED = {path.stem: lesson for path, lesson in lessons.shipped_lessons()}
LESSON_EXPERIMENT = Experiment(book=True, runs=(OptimizerConfig("sgd", 0.5, 0.0, 0.0),))


def built(user, experiment):
    window = user.window
    user.qtbot.waitUntil(lambda: window.experiment() == experiment and window.latest is not None
                         and window.latest.epoch == 0 and len(window.latest.runs) == len(experiment.runs))


def open_locked(window, user, lock, pace=None):
    window.lessons.open(Lesson("Locked", (Step("Watch the loss", LESSON_EXPERIMENT, pace=pace, lock=lock),)))
    built(user, LESSON_EXPERIMENT)


def press(user, key, modifiers):
    """A shortcut pressed with the window focused (a focused number box keeps Ctrl+Z for its own text)."""
    user.window.setFocus()
    user.qtbot.keyClick(user.window, key, modifiers)


def status(window):
    return window.statusBar().currentMessage()


def test_undo_and_redo_cannot_change_a_locked_part_and_say_why(window, user):
    user.type_into("samplesSpin", "120")
    user.qtbot.waitUntil(lambda: window.experiment().dataset.samples == 120)
    open_locked(window, user, ("dataset",))
    # the experiment before the lesson's has other data: Ctrl+Z is refused and says so
    press(user, Key.Key_Z, Ctrl)
    assert window.experiment() == LESSON_EXPERIMENT
    assert status(window) == ("Not applied: dataset: the data is locked by the lesson (step 1 of 1) "
                              "(Lessons ▸ Close lesson unlocks every control)")
    assert window.undo_action.isEnabled()   # nothing was taken off the undo stack
    # a part the step leaves open is edited and undone as ever
    user.type_into("learningRateSpin", "0.25")
    user.qtbot.waitUntil(lambda: window.experiment().runs[0].learning_rate == 0.25)
    press(user, Key.Key_Z, Ctrl)
    assert window.experiment() == LESSON_EXPERIMENT
    press(user, Key.Key_Z, Ctrl | Shift)
    assert window.experiment().runs[0].learning_rate == 0.25
    press(user, Key.Key_Z, Ctrl)
    press(user, Key.Key_Z, Ctrl)
    assert window.experiment() == LESSON_EXPERIMENT and "the data is locked" in status(window)
    # closing the lesson unlocks and puts back the experiment from before it, 120 samples; Ctrl+Z then
    # takes back the teacher's own last edit before the lesson (the lesson's steps are not in the history)
    user.click("lessonCloseButton")
    assert window.experiment().dataset.samples == 120
    press(user, Key.Key_Z, Ctrl)
    assert window.experiment().dataset.samples == 100


def test_redo_cannot_bring_back_a_locked_part(window, user):
    user.type_into("samplesSpin", "120")
    user.qtbot.waitUntil(lambda: window.experiment().dataset.samples == 120)
    window.undo_action.trigger()
    assert window.experiment().dataset.samples == 100
    # a lesson that shows the current experiment (no experiment of its own) and locks the data
    window.lessons.open(Lesson("Locked", (Step("Watch", lock=("dataset",)),)))
    press(user, Key.Key_Z, Ctrl | Shift)
    assert window.experiment().dataset.samples == 100
    assert "the data is locked by the lesson" in status(window)
    assert window.redo_action.isEnabled()


def test_an_experiment_file_opened_during_the_lesson_is_refused_if_it_changes_a_locked_part(window, user, tmp_path,
                                                                                           monkeypatch):
    open_locked(window, user, ("runs",))
    other = tmp_path / "other.json"
    experiment_io.save(other, dataclasses.replace(LESSON_EXPERIMENT, runs=(OptimizerConfig("sgd", 3.0, 0.0, 0.0),)))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    window.files.open_action.trigger()
    assert window.experiment() == LESSON_EXPERIMENT
    banner = user.find("messageBanner")
    assert banner.isVisible()
    assert "Nothing was changed: runs: the runs are locked by the lesson (step 1 of 1)" in banner.text()
    # so is an example from the Lessons menu
    banner.hide()
    window.files.lesson_actions[0].trigger()
    assert window.experiment() == LESSON_EXPERIMENT and "the runs are locked by the lesson" in banner.text()
    # a file that keeps the locked runs as they are opens
    same = tmp_path / "same.json"
    experiment_io.save(same, dataclasses.replace(LESSON_EXPERIMENT, seed=7))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(same), ""))
    window.files.open_action.trigger()
    assert window.experiment().seed == 7


def test_painting_a_point_is_refused_while_the_data_is_locked(window, user):
    open_locked(window, user, ("dataset",))
    user.click("paintToolButton")
    view = user.find("boundaryView1")
    scene = view.view_box.mapViewToScene(QtCore.QPointF(0.25, -0.5))
    user.qtbot.mouseClick(view.viewport(), Button.LeftButton, pos=view.mapFromScene(scene))
    assert window.experiment() == LESSON_EXPERIMENT
    assert status(window).startswith("Not applied: dataset: the data is locked by the lesson")


def test_importing_points_is_refused_while_the_data_is_locked(window, user, tmp_path, monkeypatch):
    open_locked(window, user, ("dataset",))
    path = tmp_path / "class.csv"
    path.write_text("x,y,label\n0,0,0\n1,1,1\n")
    warnings = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    window.findChild(QtGui.QAction, "importDataAction").trigger()
    assert window.experiment() == LESSON_EXPERIMENT
    assert len(warnings) == 1 and "the data is locked by the lesson" in warnings[0]


def test_a_surface_preset_cannot_replace_locked_runs(window, user):
    lesson = SHIPPED["07-momentum-past-local-minimum"]
    window.lessons.open(lesson)
    built(user, lesson.steps[0].experiment)
    runs = window.experiment().runs
    combo = user.find("surfacePresetCombo")
    combo.activated.emit(combo.findData("rosenbrock-momentum"))   # what choosing it in the list sends
    assert window.experiment().runs == runs
    assert combo.currentData() == "momentum-past-local-minimum"   # the chooser still names what is shown
    assert user.find("surfaceStatus").text().startswith("Not applied: runs: the runs are locked by the lesson")
    # the lesson's own next steps still set their presets
    user.key(Key.Key_PageDown)
    user.key(Key.Key_PageDown)
    assert combo.currentData() == "rosenbrock-momentum"
    assert window.surface_view.surface.name == "rosenbrock"


def test_the_compare_button_and_pace_are_refused_while_locked(window, user):
    open_locked(window, user, ("compare", "pace"), pace=30)
    window.compare_action.trigger()   # greyed out: a trigger from a shortcut or menu does nothing
    assert window.experiment() == LESSON_EXPERIMENT
    with pytest.raises(ExperimentError) as refused:   # the model itself refuses too
        window.model.experiment.compare_chapter()
    assert "the runs are locked by the lesson" in str(refused.value)
    window.transport_panel.pace_chosen.emit(5)   # what the pace box sends
    assert window.model.pace == 30
    assert user.find("paceControl").currentData() == 30
    assert status(window) == ("Not applied: pace: the pace is locked by the lesson (step 1 of 1) "
                              "(Lessons ▸ Close lesson unlocks every control)")
    user.click("lessonCloseButton")
    window.transport_panel.pace_chosen.emit(5)
    assert window.model.pace == 5
