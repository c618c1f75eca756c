"""File ▸ Race my optimizer…: a student's class checked, then raced beside the lesson's run; a stall stops it alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nngui.engine import Race
from nngui.gui.files import student_race
from nngui.gui.qt import QtWidgets

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


def test_removing_the_students_run_gives_its_place_back_to_the_lessons_sgd(window, user, qtbot, monkeypatch):
    race_file(window, qtbot, monkeypatch, SUBMISSIONS / "lesson_momentum.py")
    window.model.experiment.add_run()  # a copy of the last run: the engine's own SGD
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3 and window.latest.epoch == 0)
    assert window.latest.labels[1] == CLASS and window.latest.labels[2] != CLASS
    window.model.experiment.remove_run(1)
    qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 2 and window.latest.epoch == 0)
    assert CLASS not in window.latest.labels and CLASS not in window.run_legend.names()
    user.train(5)
    from nngui.engine import SGD
    # paused: the training thread holds no lock on its race while it waits
    assert all(type(trainer.optimizer) is SGD for trainer in window.controller.worker.race.trainers)
    assert window.student_race.labels(window.experiment()) == window.experiment().labels
