"""File ▸ Race my optimizer…: a student's class checked, then raced beside the lesson's run; a stall stops it alone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from nngui.engine import CHAPTER_RUNS, Race
from nngui.gui.files import student_race
from nngui.gui.qt import QtCore, QtWidgets

SUBMISSIONS = Path(__file__).resolve().parents[1] / "check" / "submissions"
CLASS = "Optimizer_SGD_Decay_Momentum"


def choose(monkeypatch, path, answer=QtWidgets.QMessageBox.StandardButton.Yes):
    """The file dialog picks ``path``; the confirmation is answered ``answer`` and its text kept."""
    asked = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def question(parent, title, text, *args):
        asked.append((title, text))
        return answer
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)
    return asked


def race_file(window, qtbot, monkeypatch, path):
    asked = choose(monkeypatch, path)
    runs = len(window.experiment().runs)
    with qtbot.waitSignal(window.student_race.checked, timeout=30_000):
        window.student_race.action.trigger()
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == runs + 1
                    and window.latest.epoch == 0, timeout=10_000)
    return asked


def test_the_lessons_class_races_from_the_same_start_named_after_its_class(window, user, qtbot, monkeypatch):
    menu = window.findChild(QtWidgets.QMenu, "fileMenu")
    assert window.student_race.action in menu.actions()
    asked = race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_momentum.py")
    title, text = asked[0]
    assert "runs its Python code" in text and "not a security sandbox" in text
    assert window.run_legend.names()[1] == CLASS
    run_list = window.runs_panel.run_list
    assert run_list.item(1).text() == CLASS
    assert CLASS in window.boundary_grid.title(1)
    assert "matches the lesson's SGD bit for bit: racing it as run 2" in window.statusBar().currentMessage()
    stop = user.train(40)
    engine = Race(window.experiment())
    engine.run(40)
    # the student's run is the lesson's momentum run, number for number, as the engine's own run 1 is
    for index in (0, 1):
        assert np.array_equal(stop.snapshot.runs[index].history.loss, engine.trainers[index].history.view().loss)
    assert stop.snapshot.runs[1].label == CLASS


def test_declining_the_confirmation_runs_nothing(window, qtbot, monkeypatch):
    choose(monkeypatch, SUBMISSIONS / "lesson_momentum.py", QtWidgets.QMessageBox.StandardButton.No)
    window.student_race.action.trigger()
    assert "Checking" not in window.statusBar().currentMessage() and len(window.experiment().runs) == 1


def test_a_class_that_differs_races_and_the_status_line_says_where_and_why(window, qtbot, monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "mistake_step_per_layer.py")
    message = window.statusBar().currentMessage()
    assert message.startswith(f"{CLASS} differs from the lesson's SGD. First difference: SGD + decay (lr 1, decay "
                              "0.001), epoch 1, after pre_update_params()")
    assert "Hint: step is counted per layer" in message
    assert "Hint: step is counted per layer" in window.message_banner.text()


def test_a_file_that_cannot_run_is_not_raced_and_says_why(window, qtbot, monkeypatch):
    choose(monkeypatch, SUBMISSIONS / "syntax_error.py")
    with qtbot.waitSignal(window.student_race.checked, timeout=30_000):
        window.student_race.action.trigger()
    assert len(window.experiment().runs) == 1
    assert "not raced: SyntaxError at line 39" in window.statusBar().currentMessage()


def test_a_class_that_stalls_mid_race_stops_alone_and_the_window_stays_responsive(window, user, qtbot, monkeypatch,
                                                                                 tmp_path):
    monkeypatch.setattr(student_race, "CALL_TIME_LIMIT", 5.0)
    stalled = tmp_path / "stalled"  # the class leaves it just before it hangs
    source = (SUBMISSIONS / "lesson_momentum.py").read_text().replace(
        "        self.step += 1", f"        self.step += 1\n        if self.step >= 120:\n"
                                 f"            open({str(stalled)!r}, 'w').close()\n"
                                 "            while True:\n                pass")
    (tmp_path / "stalls.py").write_text(source)
    race_file(window, qtbot, monkeypatch, tmp_path / "stalls.py")
    with qtbot.waitSignal(window.controller.diverged, timeout=20_000) as blocker:
        user.type_into("epochLimitSpin", "200")
        user.click("playButton")
        # the student's post_update_params hangs after epoch 119 has trained: meanwhile the window answers
        qtbot.waitUntil(stalled.exists, timeout=10_000)
        assert not blocker.signal_triggered
        window.code_dock.code_action.trigger()
        assert window.code_dock.isVisible()
        user.type_into("epochLimitSpin", "210")
        assert window.transport_panel.epoch_limit() == 210
    index, snapshot = blocker.args
    assert index == 1
    assert snapshot.runs[1].divergence == (f"{CLASS} stopped at epoch 119: post_update_params did not finish "
                                           "within 5 s and was stopped: an endless loop?")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.runs[0].epoch >= 210, timeout=20_000)
    assert window.latest.runs[1].epoch == 119
    assert f"{CLASS}: {CLASS} stopped at epoch 119" in window.message_banner.text()


def test_the_code_view_shows_the_students_source_and_its_live_values(window, user, qtbot, monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "mistake_step_per_layer.py")
    user.train(5)
    window.code_dock.show()
    window.model.select_run(1)
    view = window.code_dock.view
    qtbot.waitUntil(lambda: "class Optimizer_SGD_Decay_Momentum" in view.code.toPlainText())
    assert "Mistake: step counted in update_params" in view.code.toPlainText()
    # the student's own step: counted once per layer, so 10 after 5 epochs of a 2-layer network
    qtbot.waitUntil(lambda: view.value_rows().get("step", ("", None))[1] == 10)
    window.model.select_run(0)
    qtbot.waitUntil(lambda: "class SGD" in view.code.toPlainText())
    caption = window.captions.text().splitlines()
    assert caption[1].endswith("Hint: step is counted per layer: it counts updates of the whole network, once per "
                               "epoch, in post_update_params; the lesson's line: `self.step += 1  "
                               "(in post_update_params)`")


def engine_race(experiment):
    """The race the window's worker builds for ``experiment``: a student's run trained by its class."""
    from nngui.check.remote import student_optimizer
    return Race(experiment, {i: student_optimizer for i, run in enumerate(experiment.runs) if run.student})


def close_race(race):
    for trainer in race.trainers:
        getattr(trainer.optimizer, "close", lambda: None)()


def test_removing_a_run_before_the_students_keeps_the_students_run_the_students(window, user, qtbot, monkeypatch):
    window.model.experiment.set_runs(CHAPTER_RUNS[:2])   # SGD, SGD + decay
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2)
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "mistake_step_per_layer.py")
    assert window.experiment().runs[2].student.endswith("mistake_step_per_layer.py::" + CLASS)
    window.model.experiment.remove_run(0)
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2 and window.latest.epoch == 0)
    assert window.latest.labels == ("SGD + decay", CLASS) and window.run_legend.names()[1] == CLASS
    assert window.runs_panel.run_list.item(1).text() == CLASS
    stop = user.train(20)
    expected = engine_race(window.experiment())
    expected.run(20)
    lesson = Race(dataclasses.replace(window.experiment(), runs=(CHAPTER_RUNS[1], CHAPTER_RUNS[2])))
    lesson.run(20)
    mine = stop.snapshot.runs[1]
    assert np.array_equal(mine.history.loss, expected.trainers[1].history.view().loss)
    assert not np.array_equal(mine.history.loss, lesson.trainers[1].history.view().loss)
    assert mine.steps == 40 and mine.label == CLASS   # its own step: counted once per layer
    close_race(expected)
    # its source and its note followed it to its new place
    window.code_dock.show()
    window.model.select_run(1)
    view = window.code_dock.view
    qtbot.waitUntil(lambda: "Mistake: step counted in update_params" in view.code.toPlainText())
    window.model.select_run(0)
    qtbot.waitUntil(lambda: "class SGD" in view.code.toPlainText())
    # Undo (past the epoch limit Train set) puts the removed run back before it: the student's run is the third again
    while len(window.experiment().runs) == 2:
        window.model.experiment.undo()
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3 and window.latest.epoch == 0)
    assert window.latest.labels == ("SGD", "SGD + decay", CLASS)
    user.train(3)
    assert window.latest.runs[2].steps == 6 and window.latest.runs[1].steps == 3


def test_a_copy_of_the_students_run_is_the_students_too_and_compare_gives_the_lessons_runs(window, user, qtbot,
                                                                                          monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_momentum.py")
    window.model.experiment.add_run()  # a copy of the last run: the student's
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3 and window.latest.epoch == 0)
    assert all(name.startswith(CLASS) for name in window.latest.labels[1:])
    window.model.experiment.set_runs(CHAPTER_RUNS)
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.labels == window.experiment().labels
                    and CLASS not in "".join(window.latest.labels))
    user.train(5)
    from nngui.engine import SGD
    # paused: the training thread holds no lock on its race while it waits
    assert all(type(trainer.optimizer) is SGD for trainer in window.controller.worker.race.trainers)


def test_saving_writes_the_students_run_as_the_lessons_sgd_and_says_so(window, qtbot, monkeypatch, tmp_path):
    from nngui.files import experiment_io
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_momentum.py")
    path = tmp_path / "race.json"
    assert window.files.save_experiment(path)
    assert f"{CLASS} is saved as the lesson's SGD" in window.statusBar().currentMessage()
    saved = experiment_io.load(path)
    assert [run.student for run in saved.runs] == ["", ""]
    assert saved.runs[1] == dataclasses.replace(window.experiment().runs[1], student="")
    assert "student" not in path.read_text() and "mistake" not in path.read_text()


def shift_right(user):
    """Shift+→ where the keyboard focus is: Step into; the Stop of the call it made."""
    target = QtWidgets.QApplication.focusWidget() or user.window
    with user.stopped("walk") as blocker:
        user.qtbot.keyClick(target, QtCore.Qt.Key.Key_Right, QtCore.Qt.KeyboardModifier.ShiftModifier)
    return blocker.args[0]


def test_looking_back_on_a_differing_students_run_shows_its_class_not_the_lessons_sgd(window, user, qtbot,
                                                                                      monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "mistake_step_per_layer.py")
    user.train(40)
    slider = user.find("timelineSlider")
    slider.setFocus()
    qtbot.keyClick(slider, QtCore.Qt.Key.Key_Home)
    for _ in range(17):
        qtbot.keyClick(slider, QtCore.Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.timeline.shown is not None and window.timeline.shown[0].epoch == 17,
                    timeout=20_000)
    looked = window.timeline.shown[0].runs[1]
    own = engine_race(window.experiment())   # the class's own training, stopped at 17
    own.run(17)
    theirs = own.snapshot().runs[1]
    for a, b in zip(looked.parameters, theirs.parameters, strict=True):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert looked.steps == 34 and looked.optimizer_state == theirs.optimizer_state
    same_numbers = dataclasses.replace(window.experiment().runs[1], student="")
    lesson = Race(dataclasses.replace(window.experiment(), runs=(window.experiment().runs[0], same_numbers)))
    lesson.run(17)   # the lesson's SGD with the same numbers: what a look back used to show
    assert not np.array_equal(looked.parameters[0][0], lesson.snapshot().runs[1].parameters[0][0])
    close_race(own)


def test_a_new_learning_rate_for_the_students_run_applies_at_the_next_epoch(window, user, qtbot, monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_momentum.py")
    user.train(10)
    window.runs_panel.run_list.setCurrentRow(1)
    assert window.model.selected_run == 1
    user.type_into("learningRateSpin", "0.5")
    assert window.experiment().runs[1].learning_rate == 0.5 and window.experiment().runs[1].student
    assert "Reset" not in window.statusBar().currentMessage()
    stop = user.train(20)
    # the engine's SGD given the same change at the same epoch: the correct class follows it bit for bit
    engine = Race(dataclasses.replace(window.experiment(), runs=(CHAPTER_RUNS[2], CHAPTER_RUNS[2])))
    engine.run(10)
    engine.set_optimizer(1, dataclasses.replace(CHAPTER_RUNS[2], learning_rate=0.5))
    engine.run(10)
    for index in (0, 1):
        assert np.array_equal(stop.snapshot.runs[index].history.loss, engine.trainers[index].history.view().loss)
    assert stop.snapshot.runs[1].optimizer_state.learning_rate == 0.5
    assert not np.array_equal(stop.snapshot.runs[0].history.loss, stop.snapshot.runs[1].history.loss)


def test_a_setting_the_students_class_has_no_attribute_for_is_said_in_the_status_line(window, user, qtbot,
                                                                                       monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_sgd.py")
    assert window.experiment().runs[1].kind == "sgd" and window.latest.labels[1] == "Optimizer_SGD"
    window.runs_panel.run_list.setCurrentRow(1)
    window.model.experiment.set_run(1, kind="momentum", momentum=0.5, decay=0.0)
    qtbot.waitUntil(lambda: "Optimizer_SGD has no attribute momentum" in window.statusBar().currentMessage())
    stop = user.train(3)
    assert stop.snapshot.runs[1].divergence is None and stop.snapshot.runs[1].optimizer_state.momentum == 0.0


def test_step_into_a_students_run_marks_the_lines_of_its_update_params_that_ran(window, user, qtbot, monkeypatch):
    import ast
    path = SUBMISSIONS / "lesson_momentum.py"
    race_file(window, qtbot, monkeypatch, path)
    user.train(1)
    user.type_into("epochLimitSpin", "0")   # no limit: the next epoch may be walked
    window.runs_panel.run_list.setCurrentRow(1)
    window.code_dock.code_action.trigger()
    view = window.code_dock.view
    qtbot.waitUntil(lambda: "class Optimizer_SGD_Decay_Momentum" in view.code.toPlainText())
    window.setFocus()
    text = path.read_text().splitlines()
    method = next(node for node in ast.walk(ast.parse(path.read_text()))
                  if isinstance(node, ast.FunctionDef) and node.name == "update_params")
    body = {text[n - 1].strip() for n in range(method.lineno, method.end_lineno + 1)}
    marked = []
    for _ in range(6):
        stop = shift_right(user)
        assert stop.walk.run == 1
        marked.append((stop.walk.step.call, view.ran_lines()))
        if stop.walk.step.done:
            break
    calls = [call for call, _ in marked]
    assert calls == ["forward", "backward", "pre_update_params", "update_params", "update_params",
                     "post_update_params"]
    assert marked[0][1] == [] and marked[1][1] == []
    for call, lines in marked[3:5]:
        assert lines and set(lines) <= body
        assert "layer.weights += weights_updates" in lines and "weights_updates = -self.current_learning_rate * \\" \
            not in lines
    assert marked[2][1][:2] == ["if self.decay:", "self.current_learning_rate = self.learning_rate * (1 / (1 +"]
    assert marked[5][1] == ["self.step += 1"]
