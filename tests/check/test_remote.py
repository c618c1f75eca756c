"""A student's class raced in its own process: the same numbers as in the engine; a stall or an error stops that run alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nngui.check.remote import RemoteOptimizer, StudentFailed
from nngui.engine import CHAPTER_RUNS, Experiment, Race

SUBMISSIONS = Path(__file__).parent / "submissions"
EXPERIMENT = Experiment(runs=CHAPTER_RUNS, epochs=50)
CLASS = "Optimizer_SGD_Decay_Momentum"


def remote(name, class_name=CLASS, limit=1.0):
    def make(config):
        return RemoteOptimizer(SUBMISSIONS / name, class_name,
                               {"learning_rate": config.learning_rate, "decay": config.effective_decay,
                                "momentum": config.effective_momentum}, call_time_limit=limit)
    return make


def test_the_lessons_class_in_its_own_process_races_bit_for_bit_with_the_engine():
    plain = Race(EXPERIMENT)
    race = Race(EXPERIMENT, {2: remote("lesson_momentum.py")}, labels=("SGD", "SGD + decay", CLASS))
    plain.run(60)
    race.run(60)
    assert race.diverged == (False, False, False)
    for (w1, b1), (w2, b2) in zip(plain.trainers[2].network.parameters(), race.trainers[2].network.parameters()):
        assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    state = race.snapshot().runs[2].optimizer_state
    assert state == plain.snapshot().runs[2].optimizer_state  # the rate, step and momentum norms the views show
    race.trainers[2].optimizer.close()


def test_a_class_that_stalls_mid_race_stops_its_run_alone():
    race = Race(EXPERIMENT, {1: remote("endless_loop.py")}, labels=("SGD", "Loop", "SGD + momentum 0.9"))
    race.run(10)
    assert [t.epoch for t in race.trainers] == [10, 3, 10]
    assert race.trainers[1].divergence == ("Loop stopped at epoch 3: post_update_params did not finish within "
                                           "1 s and was stopped: an endless loop?")
    assert race.trainers[1].optimizer._process.poll() is not None  # its process is gone


def test_a_class_that_raises_mid_race_stops_with_the_students_message_and_line(tmp_path):
    source = (SUBMISSIONS / "lesson_momentum.py").read_text().replace(
        "        self.step += 1", "        self.step += 1\n        if self.step == 4:\n            raise RuntimeError('tired')")
    (tmp_path / "tired.py").write_text(source)
    make = remote("lesson_momentum.py")

    def tired(config):
        return RemoteOptimizer(tmp_path / "tired.py", CLASS, {"learning_rate": 1.0, "decay": 0.0, "momentum": 0.0})
    race = Race(EXPERIMENT, {0: tired, 2: make}, labels=("Tired", "SGD + decay", CLASS))
    race.run(8)
    message = race.trainers[0].divergence
    assert message.startswith("Tired stopped at epoch 3: RuntimeError: tired in post_update_params, line ")
    assert "raise RuntimeError('tired')" in message
    assert race.diverged == (True, False, False)


def test_an_error_in_init_is_said_at_once():
    with pytest.raises(StudentFailed, match="ValueError: learning_rate must be at least 1 in __init__"):
        RemoteOptimizer(SUBMISSIONS / "init_raises.py", CLASS, {"learning_rate": 0.5, "decay": 0.0, "momentum": 0.0})
