"""Lessons in the real window: the menu in teaching order, the bar, PageDown/PageUp, locks, views, saving."""

from __future__ import annotations

import json

import pytest

from nngui.engine import OptimizerConfig
from nngui.teaching import lessons
from nngui.teaching.lessons import Lesson, Step
from nngui.gui.qt import QtCore, QtWidgets

Key = QtCore.Qt.Key
SHIPPED = [(path, lesson) for path, lesson in lessons.shipped_lessons()]
LOCK_WIDGETS = {"dataset": "datasetPanel", "network": "networkPanel", "runs": "runsPanel",
                "epoch_limit": "epochLimitSpin", "pace": "paceControl"}


def bar_text(user):
    text = user.find("lessonTextLabel").text()
    assert text.startswith("<big>") and text.endswith("</big>")   # the sentence is the largest text
    return (user.find("lessonTitleLabel").text(), user.find("lessonStepLabel").text(), user.window.lessons.bar.sentence())


def wait_built(user, experiment):
    """Wait until the window has rebuilt the race for ``experiment`` at epoch 0."""
    window = user.window
    user.qtbot.waitUntil(lambda: window.experiment().runs == experiment.runs and window.latest is not None
                         and window.latest.epoch == 0 and len(window.latest.runs) == len(experiment.runs))


def test_the_lessons_menu_lists_the_chapter_lessons_in_teaching_order_before_the_examples(window, user):
    menu = user.find("lessonsMenu", QtWidgets.QMenu)
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    titles = [lesson.title for _, lesson in SHIPPED]
    assert texts[:len(titles)] == titles
    assert [t.split(".")[0] for t in titles] == ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
    assert "Open lesson…" in texts
    # the experiment presets follow, below their own heading
    assert texts.index("Examples") < texts.index(window.files.lesson_actions[0].text())


@pytest.mark.parametrize("path,lesson", SHIPPED, ids=[path.stem for path, _ in SHIPPED])
def test_each_shipped_lesson_opens_from_the_menu_steps_with_page_keys_and_locks_what_it_says(window, user,
                                                                                              path, lesson):
    action = window.findChild(type(window.lessons.open_action), f"lesson_{path.stem}")
    action.trigger()
    bar = user.find("lessonBar")
    assert bar.isVisible()
    first = lesson.steps[0]
    assert bar_text(user) == (lesson.title, f"· step 1 of {len(lesson)}", first.text)
    wait_built(user, first.experiment)
    assert window.experiment() == first.experiment
    for name, widget in LOCK_WIDGETS.items():
        assert user.find(widget).isEnabled() == (name not in first.lock), name
    assert window.compare_action.isEnabled() == ("runs" not in first.lock and "compare" not in first.lock)
    # on a first step Previous goes back to the lesson before this one in the menu (none before the first)
    assert user.find("lessonPreviousButton").isEnabled() == (SHIPPED.index((path, lesson)) > 0)
    # the clicker's key with a number box focused: the lesson steps on, the number is untouched
    box = user.find("samplesSpin")
    box.setFocus()
    user.key(Key.Key_PageDown, box)
    assert bar_text(user)[1:] == (f"· step 2 of {len(lesson)}", lesson.steps[1].text)
    assert window.experiment().dataset.samples == 100
    # the second step names no controls: the first step's stay locked
    for name, widget in LOCK_WIDGETS.items():
        assert user.find(widget).isEnabled() == (name not in first.lock), name
    user.key(Key.Key_PageUp)
    assert bar_text(user)[1:] == (f"· step 1 of {len(lesson)}", first.text)
    wait_built(user, first.experiment)
    user.click("lessonCloseButton")
    assert not bar.isVisible()
    for widget in LOCK_WIDGETS.values():
        assert user.find(widget).isEnabled()


def test_a_step_plays_to_its_epoch_and_the_window_then_shows_what_its_sentence_claims(window, user):
    path, lesson = next((p, l) for p, l in SHIPPED if p.stem == "02-learning-rate-too-high")
    window.lessons.open(lesson, path.name)
    wait_built(user, lesson.steps[0].experiment)
    assert window.model.pace == 30
    window.model.set_pace(None)   # the test need not watch at the class's pace
    with user.qtbot.waitSignal(window.controller.diverged, timeout=20_000):
        user.key(Key.Key_PageDown)
    user.qtbot.waitUntil(lambda: window.captions.captions and window.captions.captions[0].kind == "diverging")
    assert window.latest.runs[0].divergence.startswith("Training diverged at epoch 55:")
    assert "at epoch 55" in lesson.steps[1].text
    assert window.experiment().epochs == 200
    assert window.captions.captions[0].kind == "diverging"
    assert "too high" in window.captions.text()
    # the last step's Next goes on to the next lesson of the menu, at its first step
    assert user.find("lessonNextButton").isEnabled()
    following = SHIPPED[SHIPPED.index((path, lesson)) + 1][1]
    user.key(Key.Key_PageDown)
    assert bar_text(user) == (following.title, f"· step 1 of {len(following)}", following.steps[0].text)
    wait_built(user, following.steps[0].experiment)


def test_going_back_shows_the_earlier_step_again_from_its_own_start(window, user):
    path, lesson = next((p, l) for p, l in SHIPPED if p.stem == "01-plain-sgd")
    window.lessons.open(lesson, path.name)
    wait_built(user, lesson.steps[0].experiment)
    window.model.set_pace(None)
    with user.stopped("limit"):
        user.key(Key.Key_PageDown)
    assert window.latest.epoch == 1000
    with user.stopped("limit"):
        user.key(Key.Key_PageDown)
    assert window.latest.epoch == 3000
    with user.stopped("limit"):
        user.key(Key.Key_PageUp)
    assert window.latest.epoch == 1000
    assert bar_text(user)[1] == "· step 2 of 3"


def lessons_experiment():
    return SHIPPED[0][1].steps[0].experiment


def test_a_step_naming_a_missing_view_says_so_and_an_existing_one_is_shown(window, user):
    other = window.landscape_view
    window.lessons.open(Lesson("Views", (Step("Look at the landscape", lessons_experiment(), view="landscape"),
                                         Step("And the histogram", view="histogram"),
                                         Step("Back to the network", view="network"))))
    assert window.view_tabs.currentWidget() is other
    assert not user.find("lessonNoteLabel").isVisible()
    user.key(Key.Key_PageDown)
    note = user.find("lessonNoteLabel")
    assert note.isVisible() and '"histogram" view, which this nngui does not have' in note.text()
    assert "views: network, surface, landscape" in note.text()
    assert window.view_tabs.currentWidget() is other   # nothing else changed
    user.key(Key.Key_PageDown)
    assert window.view_tabs.currentIndex() == 0 and not note.isVisible()


def test_a_step_hides_the_panels_it_names_and_closing_shows_them_again(window, user):
    window.lessons.open(Lesson("Hide", (Step("Only the plots", lessons_experiment(), hide=("dataset", "network"),
                                             lock=("pace",)),
                                        Step("Network back", hide=("dataset",)),
                                        Step("Everything back", lock=(), hide=()))))
    assert not user.find("datasetPanel").isVisible() and not user.find("networkPanel").isVisible()
    assert user.find("runsPanel").isVisible() and not user.find("paceControl").isEnabled()
    user.key(Key.Key_PageDown)
    assert not user.find("datasetPanel").isVisible() and user.find("networkPanel").isVisible()
    assert not user.find("paceControl").isEnabled()
    user.key(Key.Key_PageDown)
    assert user.find("datasetPanel").isVisible() and user.find("paceControl").isEnabled()
    user.key(Key.Key_PageUp)
    window.lessons.close_action.trigger()
    assert user.find("datasetPanel").isVisible() and user.find("networkPanel").isVisible()
    assert user.find("paceControl").isEnabled()


def test_save_as_lesson_writes_the_state_and_it_opens_again_as_a_lesson(window, user, tmp_path, monkeypatch):
    window.model.experiment.set_runs((OptimizerConfig("sgd", 0.5, 0.0, 0.0),))
    window.model.set_pace(10)
    user.type_into("epochLimitSpin", "300")
    path = tmp_path / "tomorrow"
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Half the rate", True))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Predict: slower or faster than rate 1?", True))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    saved = window.experiment()
    window.findChild(type(window.lessons.save_action), "saveLessonAction").trigger()
    written = tmp_path / "tomorrow.json"
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["format"] == "nngui-lesson" and data["title"] == "Half the rate"
    assert data["steps"][0]["pace"] == 10 and data["steps"][0]["experiment"]["epochs"] == 300
    # the next evening: another setting, then the lesson brings the saved one back
    window.model.experiment.compare_chapter()
    window.model.set_pace(None)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    window.lessons.open_action.trigger()
    assert bar_text(user) == ("Half the rate", "· step 1 of 1", "Predict: slower or faster than rate 1?")
    assert window.experiment() == saved and window.model.pace == 10
    assert window.transport_panel.epoch_limit() == 300


@pytest.mark.parametrize("content,field", [
    (b"{not json", "invalid JSON at line 1"),
    (b'{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": "a", "pace": 7}]}',
     "steps[0].pace"),
    (b'{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": "a", "play_to_epoch": NaN}]}',
     "NaN is not a number JSON allows"),
])
def test_a_bad_lesson_file_is_refused_with_one_message_and_nothing_changes(window, user, tmp_path, monkeypatch,
                                                                           content, field):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = window.experiment()
    messages = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *args: messages.append(args[2]))
    assert not window.lessons.open_file(path)
    assert len(messages) == 1 and field in messages[0] and "Nothing was changed" in messages[0]
    assert window.experiment() == before and not user.find("lessonBar").isVisible()


def test_a_directory_or_fifo_given_as_the_lesson_is_refused(window, user, tmp_path, monkeypatch):
    import os
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    messages = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *args: messages.append(args[2]))
    assert not window.lessons.open_file(fifo)
    assert not window.lessons.open_file(tmp_path)
    assert "named pipe (FIFO)" in messages[0] and "a directory" in messages[1]


def test_nngui_dash_dash_lesson_reads_the_file_and_hands_the_rest_to_qt(tmp_path):
    from nngui.gui.window.app import take_lesson
    path = SHIPPED[0][0]
    (lesson, name), rest = take_lesson(["-platform", "offscreen", "--lesson", str(path)])
    assert lesson == SHIPPED[0][1] and name == path.name and rest == ["-platform", "offscreen"]
    assert take_lesson([f"--lesson={path}"])[0][0] == lesson
    assert take_lesson(["--self-test"]) == (None, ["--self-test"])
    with pytest.raises(ValueError, match="--lesson needs a lesson file"):
        take_lesson(["--lesson"])


def test_a_bad_lesson_on_the_command_line_is_one_line_and_no_window(tmp_path, capsys):
    from nngui.gui.window import app
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nngui-lesson", "version": 1, "title": "x", "steps": [{"text": 5}]}')
    assert app.main(["--lesson", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == f"nngui: {bad}: steps[0].text: must be text, got 5\n"
    assert not [w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow"
                and w.isVisible()]


def test_nngui_dash_dash_lesson_opens_the_window_at_the_lessons_first_step(qapp, monkeypatch):
    from nngui.gui.window import app, theme
    # the test's application keeps its own look and Qt message capture
    monkeypatch.setattr(theme, "apply_theme", lambda application: None)
    monkeypatch.setattr(app, "_quiet_offscreen_platform", lambda QtCore: None)
    path, lesson = SHIPPED[4]
    seen = {}

    def look_and_close():
        window = next(w for w in QtWidgets.QApplication.topLevelWidgets()
                      if w.objectName() == "mainWindow" and w.isVisible())
        seen["bar"] = (window.findChild(QtWidgets.QLabel, "lessonTitleLabel").text(),
                       window.findChild(QtWidgets.QLabel, "lessonStepLabel").text())
        seen["runs"] = window.experiment().runs
        window.close()
        window.deleteLater()

    QtCore.QTimer.singleShot(0, look_and_close)
    assert app.main(["--lesson", str(path)]) == 0
    assert seen == {"bar": (lesson.title, "· step 1 of 3"), "runs": lesson.steps[0].experiment.runs}


def test_a_lesson_without_a_title_is_not_saved_and_says_why(window, user, tmp_path, monkeypatch):
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("   ", True))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getMultiLineText", lambda *a, **k: ("Watch.", True))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.json"), ""))
    messages = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *args: messages.append(args[2]))
    window.lessons.save_action.trigger()
    assert messages == ["title: must not be empty\n\nNothing was saved."]
    assert not (tmp_path / "x.json").exists()
    # cancelling the title asks nothing more and writes nothing
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getMultiLineText", lambda *a, **k: pytest.fail("asked on"))
    window.lessons.save_action.trigger()
    assert [p.name for p in tmp_path.iterdir()] == ["settings"]


def test_a_step_shows_the_loss_surface_with_one_of_its_presets(window, user):
    window.lessons.open(Lesson("Surface", (
        Step("Momentum rolls past the dip", lessons_experiment(), view="surface",
             view_preset="momentum-past-local-minimum"),
        Step("No such preset", view="surface", view_preset="no-such-preset"))))
    assert window.view_tabs.currentWidget() is window.surface_view
    assert window.surface_view.preset_combo.currentData() == "momentum-past-local-minimum"
    assert not user.find("lessonNoteLabel").isVisible()
    user.key(Key.Key_PageDown)
    assert 'has no preset "no-such-preset"' in user.find("lessonNoteLabel").text()
