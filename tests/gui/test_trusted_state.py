"""After a lesson, the window is as the teacher left it; Compare is the chapter's race, or says why not."""

from __future__ import annotations

import dataclasses

from nngui.engine.experiment import CHAPTER_RUNS
from nngui.model.app_model import ALREADY_COMPARING
from nngui.model.experiment_model import CHAPTER
from nngui.teaching import lessons
from nngui.gui.qt import QtCore, QtGui

Key = QtCore.Qt.Key
SHIPPED = {path.stem: lesson for path, lesson in lessons.shipped_lessons()}


def built(user, experiment):
    window = user.window
    user.qtbot.waitUntil(lambda: window.experiment() == experiment and window.latest is not None
                         and window.latest.epoch == 0 and len(window.latest.runs) == len(experiment.runs))


def test_after_lesson_8_closing_it_and_compare_give_the_chapters_race(window, user):
    user.type_into("learningRateSpin", "0.5")
    user.qtbot.waitUntil(lambda: window.experiment().runs[0].learning_rate == 0.5)
    mine, pace = window.experiment(), window.model.pace
    window.findChild(QtGui.QAction, "lesson_08-mini-batch-noise").trigger()
    lesson = SHIPPED["08-mini-batch-noise"]
    for _ in range(len(lesson) - 1):
        user.key(Key.Key_PageDown)
    assert window.experiment().batch_size == 30
    user.click("lessonCloseButton")
    # the experiment, the pace and the Undo history from before the lesson
    built(user, mine)
    assert window.model.pace == pace and window.undo_action.isEnabled()
    assert "the experiment from before the lesson" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.experiment().runs[0].learning_rate == 1.0
    # Compare: the chapter's comparison exactly
    user.click("compareToolButton")
    built(user, CHAPTER)
    assert window.experiment() == CHAPTER
    assert window.statusBar().currentMessage().startswith("The chapter's three optimizers: back to epoch 0.")
    # and again: it is already there, and it says so
    user.click("compareToolButton")
    assert window.statusBar().currentMessage() == ALREADY_COMPARING
    assert window.experiment() == CHAPTER


def test_compare_keeps_the_teachers_settings_and_says_what_differs_then_again_gives_the_chapters_own(window, user):
    window.model.experiment.set_book(False)
    window.model.experiment.set_batch_size(30)
    window.model.experiment.set_epochs(100)
    window.model.experiment.set_runs((CHAPTER_RUNS[0],))
    user.click("compareToolButton")
    mine = dataclasses.replace(CHAPTER, book=False, batch_size=30, epochs=100)
    built(user, mine)
    message = window.statusBar().currentMessage()
    assert message.startswith("The chapter's three optimizers, on your settings: batch size 30 (the chapter's: "
                              "full batch), epochs 100 (the chapter's: 10,001), course's numbers off (the "
                              "chapter's: on); Compare again for the chapter's own: back to epoch 0.")
    user.click("compareToolButton")
    built(user, CHAPTER)
    message = window.statusBar().currentMessage()
    assert message.startswith("The chapter's three optimizers, as the chapter runs them: batch size full batch "
                              "(was 30), epochs 10,001 (was 100), course's numbers on (was off); Undo brings "
                              "yours back: back to epoch 0.")
    assert "\n" not in message
    window.undo_action.trigger()
    assert (window.experiment().batch_size, window.experiment().epochs, window.experiment().book) == (30, 100, False)
