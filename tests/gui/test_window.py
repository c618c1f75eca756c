"""The window as a user meets it: names, tooltips, the default setting, the controls' rules, menus, memory."""

from __future__ import annotations

import json

import pytest

from nngui.engine import DATASETS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig
from nngui.gui import MainWindow
from nngui.gui.files import session
from nngui.gui.qt import QtCore, QtWidgets, pg
from nngui.files import experiment_io

NAMES = ("datasetCombo", "samplesSpin", "classesSpin", "noiseSpin", "seedSpin", "testSplitSpin",
         "regenerateButton", "hiddenLayersSpin", "neuronsSpin1", "activationCombo", "optimizerCombo",
         "learningRateSpin", "decaySpin", "momentumSpin", "epochLimitSpin", "paceControl", "playButton",
         "stepButton", "resetButton", "runList", "addRunButton", "removeRunButton", "compareButton",
         "statusLabel", "lossPlot", "accuracyPlot", "learningRatePlot", "boundaryView1", "networkView")
Key = QtCore.Qt.Key


def test_every_named_control_is_there_with_a_tooltip(window):
    for name in NAMES:
        widget = window.findChild(QtWidgets.QWidget, name)
        assert widget is not None, name
        assert widget.toolTip().strip(), f"{name} has no tooltip"
    for name in ("lossPlot", "accuracyPlot", "learningRatePlot"):
        assert isinstance(window.findChild(QtWidgets.QWidget, name), pg.PlotWidget)
    interactive = [w for w in window.findChildren(QtWidgets.QAbstractSpinBox) + window.findChildren(
        QtWidgets.QComboBox) + window.findChildren(QtWidgets.QAbstractButton)
                   if not w.objectName().startswith("qt_")]  # Qt's own parts (the menu bar's » button)
    assert len(interactive) >= 17
    for widget in interactive:
        assert widget.objectName() and widget.toolTip().strip(), f"{widget!r} lacks a name or a tooltip"


def test_spin_box_tooltips_give_the_formulas(window, user):
    assert "η / (1 + decay · t)" in user.find("decaySpin").toolTip()
    assert "u = μ · u − η_t · dw" in user.find("momentumSpin").toolTip()
    assert "w += −η · dw" in user.find("learningRateSpin").toolTip()


def test_the_window_opens_on_the_chapters_final_setting(window, user):
    assert window.experiment() == Experiment(
        dataset=DatasetConfig("spiral", 100, 3, 0.2, 0.0), network=NetworkConfig((64,), "relu"),
        runs=(OptimizerConfig("momentum", 1.0, 1e-3, 0.9),), seed=0, epochs=10001, book=True)
    assert user.find("bookCheck").isChecked()
    assert user.find("optimizerCombo").currentText() == "SGD + momentum"
    assert user.find("datasetCombo").currentText() == "Spiral"
    assert user.find("activationCombo").currentText() == "ReLU"
    assert window.latest.epoch == 0
    assert window.status_label.text().startswith("Epoch 0")
    assert user.find("paceControl").currentText() == "max"   # the fixture's pace (first launch: 30/s)
    # ready to press play: the points are drawn and the untrained network shown
    assert len(user.find("boundaryView1").scatter.data) == 300
    assert window.network_view.sizes == (2, 64, 3)


def test_optimizer_choice_enables_only_the_numbers_it_uses(window, user):
    combo = user.find("optimizerCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["SGD", "SGD + decay", "SGD + momentum"]
    expected = {"SGD": (True, False, False), "SGD + decay": (True, True, False),
                "SGD + momentum": (True, True, True)}
    for label in ("SGD", "SGD + decay", "SGD + momentum", "SGD"):
        user.choose("optimizerCombo", label)
        enabled = tuple(user.find(n).isEnabled() for n in ("learningRateSpin", "decaySpin", "momentumSpin"))
        assert enabled == expected[label], label


def test_spin_box_ranges_and_steps(window, user):
    lr, decay, momentum = (user.find(n) for n in ("learningRateSpin", "decaySpin", "momentumSpin"))
    # the engine's limits, one rule everywhere
    assert (lr.minimum(), lr.maximum()) == (0.0001, 100.0)
    assert (decay.minimum(), decay.maximum()) == (0.0, 1.0)
    assert (momentum.minimum(), momentum.maximum()) == (0.0, 0.99)
    assert (user.find("seedSpin").minimum(), user.find("seedSpin").maximum()) == (0, 2**32 - 1)
    # a step near the lesson's 1e-3 moves by 1e-4, not by a whole unit
    decay.stepBy(1)
    assert decay.value() == 1.1e-3 and window.experiment().optimizer.decay == 1.1e-3
    lr.stepBy(1)
    assert lr.value() == 1.1 and window.experiment().optimizer.learning_rate == 1.1


def test_typed_numbers_reach_the_trainer(window, user):
    user.type_into("learningRateSpin", "0.25")
    user.type_into("momentumSpin", "0.5")
    with user.stopped("step") as blocker:
        user.click("stepButton")
    assert blocker.args[0].snapshot.runs[0].optimizer == OptimizerConfig("momentum", 0.25, 1e-3, 0.5)
    assert window.learning_rate_plot.plan[:2] == (0.25, 1e-3)


def test_out_of_range_typing_is_refused_with_a_sentence(window, user):
    user.type_into("learningRateSpin", "500")
    assert user.find("learningRateSpin").value() == 1.0
    assert window.experiment().optimizer.learning_rate == 1.0
    assert window.statusBar().currentMessage() == "Learning rate: must be between 0.0001 and 100, got 500"


def test_switching_data_set_limits_classes_and_sets_its_noise(window, user):
    classes = user.find("classesSpin")
    for name, info in DATASETS.items():
        if info.generate is None:
            continue  # your own points keep the numbers they do not use (see test_own_data_window)
        user.choose("datasetCombo", info.label)
        assert user.find("noiseSpin").value() == pytest.approx(info.default_noise)
        assert (classes.minimum(), classes.maximum()) == (info.min_classes, info.max_classes)
        assert window.experiment().dataset.name == name
    user.choose("datasetCombo", "Spiral")
    user.type_into("classesSpin", "5")
    user.type_into("samplesSpin", "40")
    qtbot_wait_data(user, n_points=200, n_classes=5)
    assert window.network_view.sizes == (2, 64, 5)


def test_book_mode_only_for_the_spiral_without_a_test_split(window, user):
    book = user.find("bookCheck")
    assert window.experiment().book
    user.type_into("testSplitSpin", "0.2")
    assert not book.isEnabled() and not book.isChecked() and not window.experiment().book
    user.type_into("testSplitSpin", "0")
    assert book.isEnabled() and not window.experiment().book
    book.click()
    assert window.experiment().book
    user.choose("datasetCombo", "Moons")
    assert not book.isEnabled() and not window.experiment().book
    user.choose("datasetCombo", "Spiral")
    book.click()
    assert window.experiment().book


def qtbot_wait_data(user, n_points, n_classes):
    user.qtbot.waitUntil(lambda: user.window.data is not None and len(user.window.data.X) == n_points
                         and user.window.data.n_classes == n_classes)


def test_changing_the_network_while_paused_resets_to_epoch_zero(window, user):
    user.train(30)
    user.type_into("neuronsSpin1", "16")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.runs[0].sizes == (2, 16, 3))
    assert window.latest.epoch == 0
    assert "back to epoch 0" in window.statusBar().currentMessage()
    assert len(user.curve("lossPlot")[1]) == 0


def test_regenerate_draws_new_points_with_the_next_seed(window, user):
    before = window.data.X.copy()
    user.click("regenerateButton")
    assert user.find("seedSpin").value() == 1
    user.qtbot.waitUntil(lambda: window.data is not None and not (window.data.X == before).all())
    assert window.experiment().seed == 1


def test_keys_space_s_arrow_and_r(window, user):
    user.find("lossPlot").setFocus()
    with user.stopped("pause"):
        user.key(Key.Key_Space)
        user.qtbot.waitUntil(lambda: window.latest.epoch >= 20)
        assert window.play_action.text() == "Pause" and user.find("playButton").text() == "Pause"
        user.key(Key.Key_Space)
    paused = window.latest.epoch
    with user.stopped("step"):
        user.key(Key.Key_S)
    assert window.latest.epoch == paused + 1
    with user.stopped("step"):
        user.key(Key.Key_Right)
    assert window.latest.epoch == paused + 2
    user.key(Key.Key_R)
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)


def test_keys_typed_into_a_spin_box_stay_in_the_spin_box(window, user):
    spin = user.find("samplesSpin")
    spin.setFocus()
    spin.selectAll()
    for key in (Key.Key_Space, Key.Key_S, Key.Key_R, Key.Key_Right):
        user.key(key, spin)
    user.qtbot.keyClicks(spin, "5")
    # none of the keys played, stepped or reset: the run is where it was, and the digit was typed
    assert not window.controller.playing
    assert window.latest.epoch == 0
    assert "5" in spin.lineEdit().text()


def test_window_place_is_remembered_and_settings_start_at_default(qtbot, window, user, isolated_settings,
                                                                 close_window, new_window):
    # a size of the user's own, small but one the window can take on the test screen (800×600)
    size = (max(760, window.minimumSizeHint().width()), max(560, window.minimumSizeHint().height()))
    window.resize(*size)
    window.move(40, 30)
    user.type_into("learningRateSpin", "0.5")
    user.choose("datasetCombo", "Moons")
    close_window(window)
    assert list(isolated_settings.rglob("*.conf")) or list(isolated_settings.rglob("*.ini"))

    second = new_window(show=False)
    qtbot.addWidget(second)
    second.show()
    try:
        assert (second.width(), second.height()) == size
        # every launch starts at the default setting ...
        assert second.experiment() == Experiment(book=True)
        # ... and "Restore last session" brings the previous one back
        second.files.restore_action.trigger()
        assert second.experiment().optimizer.learning_rate == 0.5
        assert second.experiment().dataset.name == "moons"
    finally:
        close_window(second)


def test_restore_without_a_saved_session_says_so(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a: shown.append(a[2]))
    window.files.restore_action.trigger()
    assert shown and "No earlier session" in shown[0]
    assert window.experiment() == Experiment(book=True)


def test_save_and_open_an_experiment_file(window, user, tmp_path):
    user.choose("optimizerCombo", "SGD + decay")
    user.type_into("decaySpin", "0.01")
    path = tmp_path / "decay.json"
    assert window.files.save_experiment(path)
    assert json.loads(path.read_text())["runs"][0] == {"kind": "decay", "learning_rate": 1.0, "decay": 0.01,
                                                         "momentum": 0.9}
    user.choose("optimizerCombo", "SGD")
    assert window.files.open_experiment(path)
    assert window.experiment().optimizer == OptimizerConfig("decay", 1.0, 0.01, 0.9)
    assert user.find("decaySpin").isEnabled() and not user.find("momentumSpin").isEnabled()


@pytest.mark.parametrize("content, field", [
    ("not json at all", "invalid JSON"),
    ('{"format": "nngui-experiment", "version": 1}', "missing"),
    (json.dumps(dict(experiment_io.to_dict(Experiment()), runs=[{"kind": "adam", "learning_rate": 1.0, "decay": 0.0,
                                                   "momentum": 0.0}])), "runs[0].kind"),
])
def test_a_bad_experiment_file_shows_one_message_and_changes_nothing(window, user, tmp_path, monkeypatch,
                                                                     content, field):
    user.type_into("learningRateSpin", "0.3")
    before = window.experiment()
    path = tmp_path / "bad.json"
    path.write_text(content)
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert not window.files.open_experiment(path)
    assert len(shown) == 1 and field in shown[0] and "bad.json" in shown[0]
    assert window.experiment() == before


def test_lessons_menu_loads_each_preset(window, user):
    assert window.files.lesson_actions, "no lesson presets found"
    for action in window.files.lesson_actions:
        action.trigger()
        assert not window.controller.playing
        assert "Lesson" in window.statusBar().currentMessage()
    # the last one loaded is what the panels show and what the worker builds
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0
                         and window.data.n_classes == window.experiment().dataset.classes)
