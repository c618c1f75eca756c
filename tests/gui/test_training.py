"""Training from the window: play, pause, step, reset, live settings, divergence, closing mid-run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from nngui.engine import Experiment, Trainer

ROOT = Path(__file__).resolve().parents[2]


def test_play_advances_and_pause_stops_the_count(window, user):
    user.click("playButton")
    assert window.controller.playing
    user.qtbot.waitUntil(lambda: window.latest.epoch >= 100, timeout=20_000)
    stop = user.pause()
    paused = stop.snapshot.epoch
    assert not window.controller.playing and user.find("playButton").text() == "Play"
    # the worker acknowledged the pause at `paused`; had it trained on, a step would land further
    with user.stopped("step") as blocker:
        user.click("stepButton")
    assert blocker.args[0].snapshot.epoch == paused + 1
    assert window.status_label.text().startswith(f"Epoch {paused + 1:,}")


def test_step_adds_exactly_one_epoch_to_every_curve(window, user):
    for expected in (1, 2, 3):
        with user.stopped("step"):
            user.click("stepButton")
        assert window.latest.epoch == expected
        for plot, role in (("lossPlot", "train"), ("accuracyPlot", "train"), ("learningRatePlot", "lr")):
            x, y = user.curve(plot, role)
            assert list(x) == list(range(expected)), plot


def test_curves_hold_the_true_value_of_every_epoch(window, user):
    stop = user.train(400)
    history = stop.snapshot.runs[0].history
    assert stop.snapshot.epoch == 400 and len(history) == 400
    x, loss = user.curve("lossPlot")
    assert np.array_equal(x, np.arange(400))
    assert np.array_equal(loss, history.loss)
    assert np.array_equal(user.curve("accuracyPlot")[1], history.accuracy)
    assert np.array_equal(user.curve("learningRatePlot", "lr")[1], history.learning_rate)
    # the same numbers the engine alone computes, epoch for epoch: the course's own, in book mode
    alone = Trainer(Experiment(book=True))
    alone.run(400)
    assert np.array_equal(alone.history.view().loss, loss)
    assert round(loss[0], 3) == 1.099 and round(float(history.accuracy[0]), 3) == 0.36
    # the lesson's schedule: lr / (1 + decay · step)
    assert np.allclose(user.curve("learningRatePlot", "lr")[1], 1.0 / (1 + 1e-3 * np.arange(400)))


def test_reset_clears_the_plots_and_starts_again_from_the_seed(window, user):
    first = user.train(50).snapshot.runs[0].history.loss.copy()
    user.click("resetButton")
    for plot, role in (("lossPlot", "train"), ("accuracyPlot", "train"), ("learningRatePlot", "lr")):
        assert len(user.curve(plot, role)[1]) == 0
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    assert window.status_label.text().startswith("Epoch 0")
    again = user.train(50).snapshot.runs[0].history.loss
    assert np.array_equal(first, again)


def test_epoch_limit_pauses_training(window, user):
    stop = user.train(120)
    assert stop.snapshot.epoch == 120
    assert not window.controller.playing and user.find("playButton").text() == "Play"
    # Play at the limit explains instead of training
    user.click("playButton")
    assert not window.controller.playing
    assert "limit" in window.statusBar().currentMessage()


def test_learning_rate_changed_mid_run_applies_from_the_next_epoch(window, user):
    user.choose("optimizerCombo", "SGD")
    user.type_into("epochLimitSpin", "0")
    user.click("playButton")
    user.qtbot.waitUntil(lambda: window.latest.epoch >= 100, timeout=20_000)
    user.type_into("learningRateSpin", "0.5")
    changed_at = window.latest.epoch
    user.qtbot.waitUntil(lambda: window.latest.epoch >= changed_at + 100, timeout=20_000)
    user.pause()
    window.draw_now()
    rates = user.curve("learningRatePlot", "lr")[1]
    switch = int(np.argmax(rates != 1.0))
    assert switch >= changed_at
    assert np.all(rates[:switch] == 1.0) and np.all(rates[switch:] == 0.5)
    assert len(rates) == window.latest.epoch


def test_plain_sgd_at_learning_rate_20_diverges_into_a_plain_message(window, user):
    user.choose("optimizerCombo", "SGD")
    user.type_into("learningRateSpin", "20")
    with user.qtbot.waitSignal(window.controller.diverged, timeout=20_000) as blocker:
        user.click("playButton")
    index, snapshot = blocker.args
    message = snapshot.runs[index].divergence
    user.qtbot.waitUntil(lambda: not window.controller.playing)
    assert message.startswith("Training diverged at epoch ")
    assert "learning rate" in message and "try" in message
    assert window.message_banner.isVisible() and message in window.message_banner.text()
    assert "diverged" in window.status_label.text()
    assert user.find("playButton").text() == "Play"
    # everything stays usable: settings change, Reset starts afresh, and training works again
    user.type_into("learningRateSpin", "1")
    user.click("resetButton")
    assert not window.message_banner.isVisible()
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0)
    stop = user.train(200)
    assert stop.snapshot.runs[0].divergence is None and stop.snapshot.epoch == 200


def test_play_after_divergence_starts_afresh_with_the_new_settings(window, user):
    user.choose("optimizerCombo", "SGD")
    user.type_into("learningRateSpin", "20")
    with user.qtbot.waitSignal(window.controller.diverged, timeout=20_000):
        user.click("playButton")
    user.type_into("learningRateSpin", "0.5")
    user.type_into("epochLimitSpin", "100")
    with user.stopped("limit"):
        user.click("playButton")
    assert window.latest.runs[0].divergence is None and window.latest.epoch == 100
    assert window.latest.runs[0].optimizer.learning_rate == 0.5


def test_an_unexpected_error_in_training_is_shown_and_the_window_carries_on(window, user, monkeypatch):
    from nngui.engine import Trainer
    calls = []
    original = Trainer.train_epoch_unguarded

    def failing_epoch(trainer, *args):
        calls.append(trainer.epoch)
        if len(calls) == 5:
            raise RuntimeError("out of paper")
        return original(trainer, *args)

    monkeypatch.setattr(Trainer, "train_epoch_unguarded", failing_epoch)
    with user.qtbot.waitSignal(window.controller.failed, timeout=20_000) as blocker:
        user.click("playButton")
    assert blocker.args == ["RuntimeError: out of paper"]
    user.qtbot.waitUntil(lambda: not window.controller.playing)
    assert window.message_banner.isVisible() and "out of paper" in window.message_banner.text()
    assert user.find("playButton").text() == "Play"
    # the worker's loop survived: training goes on from where it stopped
    with user.stopped("step") as blocker:
        user.click("stepButton")
    assert blocker.args[0].snapshot.epoch == 5


def test_the_chapters_setting_never_diverges(window, user):
    stop = user.train(2000, timeout=60_000)
    history = stop.snapshot.runs[0].history
    assert stop.snapshot.runs[0].divergence is None and not window.message_banner.isVisible()
    assert np.isfinite(history.loss).all() and history.loss[-1] < history.loss[0]


def test_a_test_split_shows_test_curves(window, user):
    user.type_into("testSplitSpin", "0.2")
    user.qtbot.waitUntil(lambda: window.data is not None and window.data.test_mask.sum() == 60)
    user.train(30)
    _, test_loss = user.curve("lossPlot", "test")
    assert len(test_loss) == 30 and np.isfinite(test_loss).all()
    assert window.loss_plot.run_curve(0, "test").isVisible()
    assert "test" in window.status_label.text()


def test_closing_mid_training_stops_the_worker(qtbot, window, user, close_window):
    user.type_into("epochLimitSpin", "0")
    user.click("playButton")
    qtbot.waitUntil(lambda: window.latest.epoch >= 50, timeout=20_000)
    assert window.controller.playing
    close_window(window)
    assert not window.controller.thread.isRunning()


CLOSE_SCRIPT = textwrap.dedent("""
    import sys, time
    from nngui.gui.window import app as app_module
    from nngui.gui.qt import QtCore, QtWidgets

    def drive():
        window = next(w for w in QtWidgets.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
        window.model.experiment.set_epochs(0)
        window.play_action.trigger()

        def close_when_training():
            if window.latest is not None and window.latest.epoch >= 200:
                timer.stop()
                print("closing", flush=True)
                window.close()
        timer.timeout.connect(close_when_training)
        timer.start(10)

    timer = QtCore.QTimer()
    QtCore.QTimer.singleShot(0, drive)
    sys.exit(app_module.main([]))
""")


def test_closing_mid_training_ends_the_process_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path),
               HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", CLOSE_SCRIPT], capture_output=True, text=True, env=env,
                            cwd=str(ROOT), timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "closing"
    assert result.stderr.strip() == ""


def test_settings_sent_right_after_a_reset_are_not_lost(qtbot):
    from nngui.engine import OptimizerConfig
    from nngui.gui.training.worker import TrainingController
    controller = TrainingController(Experiment())
    try:
        with qtbot.waitSignal(controller.reset_done, timeout=10_000):
            pass
        for rate in (0.5, 0.25, 0.125):
            # the reset carries the panels' experiment; a setting typed a moment later is newer
            controller.reset(Experiment())
            controller.set_optimizer(0, OptimizerConfig("sgd", rate, 0.0, 0.0))
            with qtbot.waitSignal(controller.stopped, timeout=10_000,
                                  check_params_cb=lambda stop: stop.reason == "step") as blocker:
                controller.step()
            snapshot = blocker.args[0].snapshot.runs[0]
            assert snapshot.epoch == 1 and snapshot.optimizer == OptimizerConfig("sgd", rate, 0.0, 0.0)
            assert snapshot.record.learning_rate == rate
    finally:
        assert controller.shutdown()
