"""Mini-batches, initialisation and the effective step size in the real window, driven as a user does."""

from __future__ import annotations

import numpy as np

from nngui.engine import Race, make_start
from nngui.gui.controls.batch_controls import FULL_BATCH_TEXT
from nngui.gui.qt import QtCore
from nngui.files import experiment_io

Key = QtCore.Qt.Key


def book_off(window, user):
    """Untick the course's numbers (book mode allows only full batch and the lesson's start)."""
    user.click("bookCheck")
    user.qtbot.waitUntil(lambda: not window.experiment().book and window.latest is not None
                         and window.latest.epoch == 0)


def rebuilt(window, user):
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)


def test_a_batch_size_typed_in_trains_in_batches_and_draws_each_updates_loss(window, user):
    book_off(window, user)
    box = user.type_into("batchSizeSpin", "10")
    assert window.experiment().batch_size == 10 and box.value() == 10
    rebuilt(window, user)
    stop = user.train(3)
    run = stop.snapshot.runs[0]
    # 300 points in batches of 10: 30 updates an epoch
    assert run.steps == 90 and len(run.batch_losses) == 90
    alone = Race(window.experiment())
    alone.run(3)
    expected = alone.trainers[0]
    np.testing.assert_array_equal(run.history.loss, expected.history.view().loss)
    x, loss = user.curve("lossPlot", "updates")
    np.testing.assert_array_equal(loss, expected.snapshot().batch_losses.loss)
    assert x.tolist() == [epoch + b / 30 for epoch in range(3) for b in range(30)]
    # the updates' curve is faint: lighter than the run's own curve, thinner, behind it
    updates, train = window.loss_plot.run_curve(0, "updates"), window.loss_plot.run_curve(0, "train")
    assert updates.zValue() < train.zValue()
    assert updates.opts["pen"].color().lightness() > train.opts["pen"].color().lightness()
    # back to full batch: no per-update curve, one update an epoch
    user.type_into("batchSizeSpin", "0")
    assert window.experiment().batch_size is None and box.lineEdit().text() == FULL_BATCH_TEXT
    rebuilt(window, user)
    stop = user.train(2)
    assert stop.snapshot.runs[0].steps == 2 and stop.snapshot.runs[0].batch_losses is None
    assert "updates 1" not in window.loss_plot.curves


def test_bad_batch_sizes_get_one_message_and_change_nothing(window, user):
    book_off(window, user)
    user.type_into("batchSizeSpin", "30")
    before = window.experiment()
    for text in ("301", "-3"):
        box = user.type_into("batchSizeSpin", text)
        assert window.statusBar().currentMessage() == (
            f"Batch size: must be between 1 and 300 (the training points), or {FULL_BATCH_TEXT}; got {text}")
        assert window.experiment() is before and box.value() == 30 and box.lineEdit().text() == "30"
    # the most the box takes follows the data: 30 points a class, 20% held out, 72 to train on
    user.type_into("samplesSpin", "30")
    user.type_into("testSplitSpin", "0.2")
    assert box.maximum() == 72 and window.experiment().batch_size == 30
    user.type_into("batchSizeSpin", "73")
    assert "between 1 and 72" in window.statusBar().currentMessage()


def test_book_mode_refuses_mini_batches_and_other_starts(window, user):
    assert window.experiment().book
    before = window.experiment()
    box = user.type_into("batchSizeSpin", "10")
    assert window.statusBar().currentMessage().startswith("Not applied: batch_size: book mode trains on all points")
    assert window.experiment() is before and box.lineEdit().text() == FULL_BATCH_TEXT
    combo = user.find("initCombo")
    combo.setFocus()
    user.key(Key.Key_Down, combo)   # Lesson → He
    assert window.statusBar().currentMessage().startswith("Not applied: network.init: book mode starts from")
    assert window.experiment() is before and combo.currentText() == "Lesson"


def test_the_init_combo_starts_the_runs_from_he_or_glorots_weights(window, user):
    book_off(window, user)
    user.choose("initCombo", "He")
    assert window.experiment().network.init == "he"
    rebuilt(window, user)
    start = make_start(window.experiment())
    for (weights, _), expected in zip(window.latest.runs[0].parameters, start.weights):
        np.testing.assert_array_equal(weights, expected)
    assert abs(float(start.weights[1].std()) - np.sqrt(2 / 64)) < 0.05
    user.choose("initCombo", "Lesson")
    assert window.experiment().network.init == "lesson"


def test_momentum_runs_show_their_effective_step_size_on_a_right_axis(window, user):
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    stop = user.train(20)
    steps = window.learning_rate_plot.effective_steps
    assert steps.axis.isVisible() and "η/(1−β)" in steps.axis.labelText
    # the axis has the room for its numbers and its label, inside the plot (they were cut at its edge)
    axis, plot = steps.axis, window.learning_rate_plot
    user.qtbot.waitUntil(lambda: axis.width() >= axis.textWidth + axis.label.boundingRect().height() * 0.8)
    assert axis.textWidth > 0 and axis.label.isVisible()
    assert axis.mapRectToScene(QtCore.QRectF(0, 0, axis.width(), axis.height())).right() <= plot.width() + 1
    for index, run in enumerate(stop.snapshot.runs):
        x, y = steps.curves[index].getOriginalDataset()
        if index < 2:   # SGD and SGD + decay: no momentum, no effective step
            assert x is None or len(x) == 0
        else:
            np.testing.assert_array_equal(y, run.history.learning_rate / (1 - 0.9))
            assert steps.curves[index].opts["pen"].color().name() == window.learning_rate_plot.styles[2].color.lower()
    # a race without momentum has no such axis
    window.model.experiment.set_runs(window.experiment().runs[:2])
    rebuilt(window, user)
    user.train(5)
    assert not steps.axis.isVisible()


def test_the_planned_rate_follows_updates_with_mini_batches(window, user):
    # Compare is the chapter's whole race (the course's numbers on): the batches come after it
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    book_off(window, user)
    user.type_into("batchSizeSpin", "100")
    rebuilt(window, user)
    stop = user.train(10)
    # 3 updates an epoch: epoch e's last update is step 3e + 2
    x, planned = user.curve("learningRatePlot", "planned", run=1)
    np.testing.assert_allclose(planned[:10], 1.0 / (1 + 1e-3 * (3 * np.arange(10) + 2)), rtol=1e-15)
    np.testing.assert_allclose(stop.snapshot.runs[1].history.learning_rate, planned[:10], rtol=1e-15)


def test_a_file_with_a_batch_size_and_an_init_opens_shows_and_saves_unchanged(window, user, monkeypatch, tmp_path):
    from nngui.engine import DatasetConfig, Experiment, NetworkConfig
    from nngui.engine.experiment import CHAPTER_RUNS
    from nngui.gui.qt import QtWidgets
    experiment = Experiment(DatasetConfig("moons", 40, 2, 0.1, 0.25), NetworkConfig((16, 8), "tanh", "glorot"),
                            CHAPTER_RUNS, seed=4, epochs=50, batch_size=25)
    source, saved = tmp_path / "source.json", tmp_path / "saved.json"
    experiment_io.save(source, experiment)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    window.files.open_action.trigger()
    assert window.experiment() == experiment
    assert user.find("batchSizeSpin").lineEdit().text() == "25" and user.find("batchSizeSpin").maximum() == 60
    assert user.find("initCombo").currentText() == "Glorot"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    window.files.save_action.trigger()
    assert saved.read_text() == source.read_text()


def test_effective_steps_follow_the_momentum_each_epoch_trained_with():
    from nngui.engine import OptimizerConfig
    from nngui.gui.plots.batch_curves import effective_steps, planned_batch_rates

    rates = np.array([1.0, 0.5, 0.5, 0.25, 0.25, 0.2])
    history = type("H", (), {"learning_rate": rates, "__len__": lambda self: 6})()
    settings = ((0, OptimizerConfig("sgd", 1.0, 0.0, 0.0)), (2, OptimizerConfig("momentum", 0.5, 0.0, 0.5)),
                (4, OptimizerConfig("momentum", 0.25, 0.0, 0.75)))
    steps = effective_steps(history, settings)
    assert np.isnan(steps[:2]).all()
    assert steps[2:].tolist() == [0.5 / 0.5, 0.25 / 0.5, 0.25 / 0.25, 0.2 / 0.25]
    assert effective_steps(history, ((0, OptimizerConfig("decay", 1.0, 0.1, 0.9)),)) is None
    # 30 updates an epoch: epoch 0 ends with step 29, epoch 1 with step 59
    assert planned_batch_rates(1.0, 0.01, np.array([0, 1]), 30).tolist() == [1 / (1 + 0.29), 1 / (1 + 0.59)]


def test_projector_mode_shortens_the_effective_step_axis_label(window, user):
    user.click("compareToolButton")
    user.train(3)
    axis = window.learning_rate_plot.effective_steps.axis
    assert axis.labelText == "step η/(1−β)"
    window.projector.projector_action.trigger()
    assert axis.labelText == "η/(1−β)"
    window.projector.projector_action.trigger()
    assert axis.labelText == "step η/(1−β)"
