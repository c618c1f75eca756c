"""The engine's hook for a run whose optimizer is not its own: same start, same protocol; an error stops that run alone."""

from __future__ import annotations

import numpy as np

from nngui.engine import CHAPTER_RUNS, SGD, Experiment, Race

EXPERIMENT = Experiment(runs=CHAPTER_RUNS, epochs=50)


class Lesson(SGD):
    """Another class with the lesson's code: the engine's SGD under another name."""


class Breaks(SGD):
    def update_params(self, layer):
        if self.step == 5:
            raise ZeroDivisionError("division by zero")
        super().update_params(layer)


def make(cls):
    return lambda config: cls(config.learning_rate, config.effective_decay, config.effective_momentum)


def test_a_foreign_optimizer_trains_from_the_same_start_bit_for_bit():
    plain = Race(EXPERIMENT)
    foreign = Race(EXPERIMENT, {2: make(Lesson)}, labels=("SGD", "SGD + decay", "Lesson"))
    plain.run(30)
    foreign.run(30)
    assert foreign.labels[2] == "Lesson" and foreign.snapshot().runs[2].label == "Lesson"
    assert isinstance(foreign.trainers[2].optimizer, Lesson)
    for mine, theirs in zip(plain.trainers, foreign.trainers):
        for (w1, b1), (w2, b2) in zip(mine.network.parameters(), theirs.network.parameters()):
            assert np.array_equal(w1, w2) and np.array_equal(b1, b2)


def test_an_error_in_a_foreign_optimizer_stops_that_run_alone_with_its_message():
    race = Race(EXPERIMENT, {1: make(Breaks)}, labels=("SGD", "Breaks", "SGD + momentum 0.9"))
    race.run(20)
    assert race.diverged == (False, True, False)
    assert race.trainers[1].divergence == "Breaks stopped at epoch 5: division by zero"
    assert race.trainers[1].epoch == 5
    assert [t.epoch for t in race.trainers] == [20, 5, 20]


def test_an_error_in_the_engines_own_optimizer_still_raises():
    race = Race(EXPERIMENT)
    race.trainers[0].optimizer.update_params = lambda layer: 1 / 0
    try:
        race.train_epoch()
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("the engine's own error was swallowed")
