"""The worker's guarantees, each by a test that fails when its guard is removed.

Snapshots are fresh read-only copies; at most ~30 a second reach the window; stale results of a
race that was reset are dropped; a slow pace never delays Pause or closing.
"""

from __future__ import annotations

import time

import numpy as np

from nngui.engine import Experiment
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.gui.training import worker
from nngui.gui.training.worker import SNAPSHOTS_PER_SECOND, TrainingController


def _controller(qtbot, experiment=None):
    controller = TrainingController(experiment or Experiment(runs=CHAPTER_RUNS))
    with qtbot.waitSignal(controller.reset_done, timeout=10_000):
        pass
    return controller


def _stop(qtbot, controller, reason, action):
    with qtbot.waitSignal(controller.stopped, timeout=20_000, check_params_cb=lambda s: s.reason == reason) as b:
        action()
    return b.args[0]


def test_snapshots_are_read_only_copies_that_later_epochs_never_change(qtbot):
    controller = _controller(qtbot)
    try:
        first = _stop(qtbot, controller, "step", controller.step).snapshot
        weights = [np.array(w) for run in first.runs for w, _ in run.parameters]
        second = _stop(qtbot, controller, "step", controller.step).snapshot
        live = [layer.weights for trainer in controller.worker.race.trainers
                for layer in trainer.network.trainable_layers]
        for run in first.runs:
            for w, b in run.parameters:
                assert not w.flags.writeable and not b.flags.writeable
                assert not any(np.shares_memory(w, array) for array in live)
            assert not run.history.loss.flags.writeable
        # the first snapshot still holds epoch 1's weights, though epoch 2 has trained since
        assert all(np.array_equal(a, w) for a, w in zip(weights, (w for run in first.runs for w, _ in run.parameters)))
        assert not np.array_equal(first.runs[0].parameters[0][0], second.runs[0].parameters[0][0])
    finally:
        assert controller.shutdown()


def test_at_most_about_thirty_snapshots_a_second_reach_the_window(qtbot):
    controller = _controller(qtbot)
    try:
        controller.set_epoch_limit(600)
        arrived = []
        controller.snapshot_ready.connect(lambda snapshot, grids: arrived.append(snapshot.epoch))
        started = time.perf_counter()
        stop = _stop(qtbot, controller, "limit", controller.play)
        elapsed = time.perf_counter() - started
        # every epoch trained, far fewer sent: the worker's clock spaces them 1/30 s apart
        assert stop.snapshot.epoch == 600
        assert len(arrived) <= elapsed * SNAPSHOTS_PER_SECOND + 1
        assert len(arrived) < 600
    finally:
        assert controller.shutdown()


def test_results_of_a_race_that_was_reset_are_dropped(qtbot):
    controller = _controller(qtbot)
    try:
        stale = _stop(qtbot, controller, "step", controller.step)
        received = []
        controller.snapshot_ready.connect(lambda snapshot, grids: received.append(snapshot))
        controller.stopped.connect(received.append)
        with qtbot.waitSignal(controller.reset_done, timeout=10_000):
            controller.reset(Experiment(runs=CHAPTER_RUNS))
        # what the old race sent, arriving late: the controller drops it
        controller.worker.snapshot_ready.emit(stale.generation, stale.snapshot, None)
        controller.worker.stopped.emit(stale)
        fresh = _stop(qtbot, controller, "step", controller.step)
        assert fresh.snapshot.epoch == 1 and fresh.generation == stale.generation + 1
        assert all(getattr(item, "generation", controller.generation) == controller.generation for item in received)
        assert all(item is not stale.snapshot and item is not stale for item in received)
    finally:
        assert controller.shutdown()


def test_play_right_after_a_reset_plays_the_new_race_not_the_old_one(qtbot):
    controller = _controller(qtbot)
    try:
        controller.play()
        with qtbot.waitSignal(controller.snapshot_ready, timeout=10_000):
            pass
        # Reset then Play at once, while the old race is still training
        controller.reset(Experiment(runs=CHAPTER_RUNS[:1]))
        controller.play()
        with qtbot.waitSignal(controller.snapshot_ready, timeout=10_000,
                              check_params_cb=lambda snapshot, grids: len(snapshot.runs) == 1) as blocker:
            pass
        assert blocker.args[0].epoch > 0 and controller.playing
    finally:
        assert controller.shutdown()


def test_a_slow_pace_never_delays_pause_reset_or_closing(qtbot, monkeypatch, capfd):
    # a pace of one epoch an hour: only a wait that Pause, Reset and closing wake can pass this
    monkeypatch.setattr(worker, "pace_interval", lambda pace: 3600.0 if pace else 0.0)
    controller = _controller(qtbot)
    closed = False
    try:
        controller.set_pace(1)
        for stop_it, reason in ((controller.pause, "pause"), (None, None)):
            controller.play()
            with qtbot.waitSignal(controller.snapshot_ready, timeout=10_000):
                pass
            if stop_it is not None:
                assert _stop(qtbot, controller, reason, stop_it).snapshot.epoch == 1
                with qtbot.waitSignal(controller.reset_done, timeout=10_000):
                    controller.reset(Experiment(runs=CHAPTER_RUNS))
        # the worker waits out its hour mid-race; closing ends it at once
        assert controller.shutdown(timeout_ms=5000)
        closed = True
        assert "waiting for the current epoch" not in capfd.readouterr().err
    finally:
        if not closed:
            controller.shutdown()


def test_the_controller_list_sees_a_running_thread(qtbot):
    controller = _controller(qtbot)
    assert controller in worker.running_controllers()
    assert controller.shutdown()
    assert controller not in worker.running_controllers()
