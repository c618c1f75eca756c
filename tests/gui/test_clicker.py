"""A presenter's keys: PageDown / PageUp across lessons, B for a black screen, − and + for the pace."""

from __future__ import annotations

from nngui.gui.qt import QtCore, QtWidgets
from nngui.model import PACES
from nngui.teaching import lessons

Key = QtCore.Qt.Key
SHIPPED = [(path, lesson) for path, lesson in lessons.shipped_lessons()]


def _bar(user):
    return (user.find("lessonTitleLabel").text(), user.find("lessonStepLabel").text())


def _built(user, experiment):
    window = user.window
    user.qtbot.waitUntil(lambda: window.experiment() == experiment and window.latest is not None
                         and window.latest.epoch == 0, timeout=20_000)


def test_pagedown_on_a_lessons_last_step_opens_the_next_lesson_and_pageup_comes_back_to_its_last_step(window, user):
    (first_path, first), second = SHIPPED[0], SHIPPED[1][1]
    window.model.set_pace(None)
    window.lessons.open(first, first_path.name, len(first) - 1)
    assert _bar(user) == (first.title, f"· step {len(first)} of {len(first)}")
    window.controller.pause()
    user.qtbot.waitUntil(lambda: not window.controller.playing, timeout=20_000)
    user.key(Key.Key_PageDown)
    assert _bar(user) == (second.title, f"· step 1 of {len(second)}")
    _built(user, second.steps[0].experiment)
    assert user.find("lessonPreviousButton").isEnabled()
    # PageUp on step 1: the previous lesson, at its last step, with that step's experiment
    user.key(Key.Key_PageUp)
    assert _bar(user) == (first.title, f"· step {len(first)} of {len(first)}")
    assert window.experiment().runs == first.experiment_at(len(first) - 1).runs
    window.controller.pause()


def test_pageup_on_the_first_lessons_first_step_and_pagedown_on_the_last_lessons_last_step_stay(window, user):
    path, lesson = SHIPPED[0]
    window.lessons.open(lesson, path.name)
    assert not user.find("lessonPreviousButton").isEnabled()
    user.key(Key.Key_PageUp)
    assert _bar(user) == (lesson.title, f"· step 1 of {len(lesson)}")
    path, lesson = SHIPPED[-1]
    window.model.set_pace(None)
    window.lessons.open(lesson, path.name, len(lesson) - 1)
    assert not user.find("lessonNextButton").isEnabled()
    user.key(Key.Key_PageDown)
    assert _bar(user) == (lesson.title, f"· step {len(lesson)} of {len(lesson)}")
    window.controller.pause()


def test_b_blanks_the_screen_to_black_and_any_key_brings_it_back(window, user, qtbot):
    blank = user.find("blankScreen")
    assert not blank.isVisible()
    qtbot.keyClick(window, Key.Key_B)
    assert blank.isVisible() and blank.geometry() == window.rect()
    image = blank.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == "#000000"
    # B again brings the picture back, and does nothing else
    epoch = window.latest.epoch
    user.key(Key.Key_B)
    assert not blank.isVisible()
    qtbot.keyClick(window, Key.Key_B)
    assert blank.isVisible()
    # any other key too, without doing what it would otherwise do (Space does not start training)
    user.key(Key.Key_Space)
    assert not blank.isVisible() and not window.controller.playing and window.latest.epoch == epoch


def test_b_blanks_the_screen_in_projector_mode_too(window, user, qtbot):
    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen())
    qtbot.keyClick(window, Key.Key_B)
    blank = user.find("blankScreen")
    assert blank.isVisible() and blank.geometry() == window.rect()
    user.key(Key.Key_PageDown)
    assert not blank.isVisible()
    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_minus_and_plus_change_the_pace_and_the_projector_bar_shows_it(window, user, qtbot):
    paces = list(PACES)
    window.model.set_pace(30)
    qtbot.keyClick(window, Key.Key_Minus)
    assert window.model.pace == paces[paces.index(30) - 1]
    qtbot.keyClick(window, Key.Key_Plus)
    qtbot.keyClick(window, Key.Key_Plus)
    assert window.model.pace == paces[paces.index(30) + 1]
    assert user.find("paceControl").currentData() == window.model.pace
    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: window.isFullScreen())
    label = user.find("projectorPaceLabel")
    assert label.isVisible() and label.text() == f"{window.model.pace:,}/s"
    user.click("projectorSlowerButton")
    assert window.model.pace == 30 and label.text() == "30/s"
    qtbot.keyClick(window, Key.Key_F5)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    # a number box keeps the − it types
    box = user.find("learningRateSpin")
    box.setFocus()
    qtbot.keyClick(box, Key.Key_Minus)
    assert window.model.pace == 30
    assert isinstance(QtWidgets.QApplication.focusWidget(), QtWidgets.QAbstractSpinBox)
