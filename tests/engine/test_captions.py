"""Captions: each kind for a run built to trigger it, tried suggestions that help by their own numbers,
and the thresholds on hand-made histories."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from nngui.engine import DatasetConfig, Experiment, HistoryView, NetworkConfig, OptimizerConfig, Trainer
from nngui.teaching.captions import HELPS, KINDS, WINDOW, caption, caption_of, same_setting, two_numbers
from nngui.teaching.tries import TRY_EPOCHS, copy_run, try_change, tried_caption

BASE = Experiment()
BOOK = Experiment(book=True)


def _raised(experiment, epochs, at, learning_rate):
    """A run of ``experiment`` whose learning rate is set to ``learning_rate`` after ``at`` epochs, as a window edit."""
    def train():
        trainer = Trainer(experiment)
        trainer.run(at)
        trainer.set_optimizer(dataclasses.replace(trainer.optimizer_config, learning_rate=learning_rate))
        trainer.run(epochs - at)
        return trainer
    return train


def _plain(experiment, epochs):
    def train():
        trainer = Trainer(experiment)
        trainer.run(epochs)
        return trainer
    return train


def _sgd(rate):
    return dataclasses.replace(BASE, runs=(OptimizerConfig("sgd", rate, 0.0, 0.0),))


RUNS = {
    "diverging": _plain(_sgd(20.0), 200),
    "not_learning": _plain(dataclasses.replace(BASE, network=NetworkConfig((16, 16, 16, 16), "relu")), 300),
    "oscillating": _plain(_sgd(8.0), 300),
    "plateau": _plain(_sgd(1.0), 1000),
    "converged": _plain(dataclasses.replace(BASE, dataset=DatasetConfig("blobs", 100, 3, 0.15)), 300),
    "learning": _plain(BASE, 800),
    "starting": _plain(BASE, 10),
    # the chapter's momentum run, its rate raised from 1 to 10 at epoch 430 as a teacher might
    "collapsed": _raised(BOOK, 660, 430, 10.0),
}
SAYS = {
    "diverging": ("training stopped: the loss blew up by epoch 55 (1.10 → 6.14)", "learning rate 20 is too high",
                  "Tried from epoch 0: 300 epochs at learning rate 2 reach loss"),
    "not_learning": ("not learning at all: the loss sits at ln(3) = 1.099", "too small for 4 hidden layers"),
    "oscillating": ("oscillating: the loss jumps up and down",),
    "plateau": ("a long plateau (1.071 → 1.057 in 500 epochs): learning rate 1 is too low",
                "Tried: 300 more epochs with momentum 0.9 reach loss 0.685, against 1.05 as it is."),
    "converged": ("converged: 100% right",),
    "learning": ("learning: the loss fell from",),
    "starting": ("just started (loss 1.098)", "Watch whether the loss falls."),
    "collapsed": ("collapsed: the learning rate went up from 1 to 10 at epoch 430", "learning rate 10 is too high"),
}


@pytest.fixture(scope="module")
def trained():
    return {kind: train() for kind, train in RUNS.items()}


@pytest.mark.parametrize("kind", sorted(RUNS))
def test_each_caption_appears_for_a_run_built_to_trigger_it(kind, trained):
    trainer = trained[kind]
    found = tried_caption(trainer)
    assert found.kind == kind, found.sentence
    assert found.epoch == trainer.epoch
    assert found.sentence.startswith(f"Epoch {trainer.epoch:,}: ")
    for words in SAYS[kind]:
        assert words in found.sentence
    assert set(RUNS) == set(KINDS)
    # never "Keep training", never an untried "Try …": a suggestion is only ever a tried one
    assert "Keep training" not in found.sentence and "Try " not in found.sentence
    # never a change to what the run already has
    assert not any(same_setting(c, trainer.optimizer_config) for c in found.candidates)
    if found.tried is not None:
        tried = found.tried
        assert tried.loss_with <= HELPS * tried.loss_without or not math.isfinite(tried.loss_without)
        assert math.isfinite(tried.loss_with) and not tried.diverged
        assert tried.loss_with == min(t.loss_with for t in found.tries if t.helped)
    else:
        assert not any(t.helped for t in found.tries)


def test_a_collapse_after_a_rate_increase_is_too_high_never_too_low(trained):
    found = tried_caption(trained["collapsed"])
    assert found.kind == "collapsed"
    assert "too low" not in found.sentence
    # the first change tried is the rate before the raise; none brings back units knocked out, and it says so
    assert found.candidates[0].learning_rate == 1.0
    # the network is dead: whatever the rate, it only guesses evenly, and the caption says so
    assert found.tried is None and "each only guesses every class evenly (loss ln 3)" in found.sentence


def test_a_suggestion_helps_by_its_own_numbers_and_replays_bit_for_bit(trained):
    trainer = trained["plateau"]
    found = tried_caption(trainer)
    tried = found.tried
    assert tried.config == OptimizerConfig("momentum", 1.0, 0.0, 0.9)
    assert (tried.from_epoch, tried.epochs) == (1000, TRY_EPOCHS)
    # the same run, changed by hand at epoch 1000 and trained on, reaches loss_with exactly
    again = Trainer(trainer.experiment)
    again.run(1000)
    again.set_optimizer(tried.config)
    again.run(TRY_EPOCHS)
    assert again.last_record.loss == tried.loss_with
    plain = Trainer(trainer.experiment)
    plain.run(1000 + TRY_EPOCHS)
    assert plain.last_record.loss == tried.loss_without
    assert tried.loss_with <= 0.95 * tried.loss_without


def test_tries_are_deterministic_and_leave_the_run_as_it_was(trained):
    trainer = trained["learning"]
    weights = [layer.weights.copy() for layer in trainer.network.trainable_layers]
    epoch, step = trainer.epoch, trainer.optimizer.step
    assert tried_caption(trainer) == tried_caption(trainer)
    assert (trainer.epoch, trainer.optimizer.step) == (epoch, step)
    assert all(np.array_equal(w, layer.weights) for w, layer in zip(weights, trainer.network.trainable_layers))


def test_a_copy_goes_on_exactly_as_the_run_and_keeps_the_momentum_buffers():
    trainer = Trainer(BOOK)
    trainer.run(100)
    copy = copy_run(trainer)
    layer, copied = trainer.network.trainable_layers[0], copy.network.trainable_layers[0]
    assert copied.weights_momentums is not layer.weights_momentums
    assert np.array_equal(copied.weights_momentums, layer.weights_momentums)
    assert copy.optimizer.step == trainer.optimizer.step == 100
    copy.run(50)
    trainer.run(50)
    assert copy.last_record == trainer.last_record
    # trying the setting a run already has changes nothing
    tried = try_change(trainer, trainer.optimizer_config, 20)
    assert tried.loss_with == tried.loss_without and not tried.helped


def test_a_diverged_run_is_tried_from_epoch_0_as_a_reset_would(trained):
    trainer = trained["diverging"]
    found = tried_caption(trainer)
    tried = found.tried
    assert tried.from_epoch == 0 and tried.epochs == TRY_EPOCHS
    fresh = Trainer(dataclasses.replace(BASE, runs=(tried.config,)))
    fresh.run(TRY_EPOCHS)
    assert fresh.last_record.loss == tried.loss_with


def test_numbers_are_shown_with_enough_digits_to_differ():
    # three significant digits each, trailing zeros kept: "1.10 → 1.08", "1.04 → 1.00" (never "1.04 → 1")
    assert two_numbers(1.0986, 1.0762) == ("1.10", "1.08")
    assert two_numbers(1.0412, 0.99995) == ("1.04", "1.00")
    assert two_numbers(120.04, 3.0) == ("120", "3.00")
    assert two_numbers(1.0986, 1.0981) == ("1.099", "1.098")
    assert two_numbers(1.09861, 1.09858) == ("1.09861", "1.09858")
    assert two_numbers(0.5, 0.5) == ("0.500", "0.500")
    flat = np.linspace(1.0986, 1.0981, WINDOW)
    assert "1.099 → 1.098" in caption(history(flat), SGD, 3, 1).sentence
    almost = np.linspace(1.09861, 1.09858, WINDOW)
    assert "1.0986 → 1.0986" not in caption(history(almost), SGD, 3, 1).sentence


def history(loss, accuracy=None, rate=1.0):
    loss = np.asarray(loss, dtype=float)
    n = len(loss)
    accuracy = np.full(n, 0.5) if accuracy is None else np.asarray(accuracy, dtype=float)
    rates = np.full(n, rate) if np.isscalar(rate) else np.asarray(rate, dtype=float)
    return HistoryView(np.arange(n, dtype=float), loss, accuracy, rates, np.full(n, math.nan), np.full(n, math.nan))


SGD = OptimizerConfig("sgd", 1.0, 0.0, 0.0)


def kind(loss, accuracy=None, rate=1.0, optimizer=SGD, classes=3, layers=1, divergence=None):
    return caption(history(loss, accuracy, rate), optimizer, classes, layers, divergence).kind


def test_nothing_to_say_before_the_first_epoch():
    assert caption(history([]), SGD, 3, 1) is None


def test_the_thresholds_on_hand_made_histories():
    flat = np.full(WINDOW, 0.8)
    assert kind(flat) == "plateau"
    # a fall of 3% over the window is learning, 1% is a plateau
    assert kind(np.linspace(0.8, 0.8 * 0.97, WINDOW)) == "learning"
    assert kind(np.linspace(0.8, 0.8 * 0.99, WINDOW)) == "plateau"
    # a flat loss that is already low is not a plateau: it has converged where it could (never "learning")
    assert kind(np.full(WINDOW, 0.25)) == "converged"
    assert kind(np.linspace(0.25, 0.24, WINDOW)) == "learning"
    # at ln(classes) from the start: deep networks are not learning, shallow ones are on a plateau
    stuck = np.full(300, math.log(2))
    assert kind(stuck, classes=2, layers=3) == "not_learning"
    assert kind(stuck, classes=2, layers=2) == "learning"   # 300 epochs: too early for a plateau
    assert kind(np.full(WINDOW, math.log(2)), classes=2, layers=2) == "plateau"
    # a zigzag of ±3% is oscillating; of ±1% it is not
    zigzag = 0.8 + 0.8 * 0.015 * (-1.0) ** np.arange(300)
    assert kind(zigzag) == "oscillating"
    assert kind(0.8 + 0.8 * 0.005 * (-1.0) ** np.arange(300)) == "learning"
    # converged: 95% right and the loss no longer falling; or a tiny loss, zigzag or not
    assert kind(np.full(300, 0.1), accuracy=np.full(300, 0.95)) == "converged"
    assert kind(np.full(300, 0.1), accuracy=np.full(300, 0.94)) == "learning"
    assert kind(np.full(300, 0.01)) == "converged"
    assert kind(0.0003 + 0.0001 * (-1.0) ** np.arange(300), accuracy=np.ones(300)) == "converged"
    # diverging: twice the starting loss, a NaN, or the trainer's verdict
    assert kind(np.r_[np.full(60, 1.0), [2.0]]) == "diverging"
    assert kind([1.0, math.nan]) == "diverging"
    assert kind([1.0, 0.9], divergence="Training diverged at epoch 1") == "diverging"
    assert kind(np.full(49, 1.0)) == "starting"


def test_a_rate_raised_by_hand_then_a_loss_that_jumped_and_sits_high_is_a_collapse():
    loss = np.r_[np.linspace(1.1, 0.6, 400), [3.0, 2.0], np.full(100, 1.0)]
    rates = np.r_[np.full(400, 1.0), np.full(102, 3.0)]
    found = caption(history(loss, rate=rates), OptimizerConfig("sgd", 3.0, 0.0, 0.0), 3, 1)
    assert found.kind == "collapsed"
    assert "went up from 1 to 3 at epoch 400" in found.sentence and "too high" in found.sentence
    # the rate before the raise is the first thing to try, then lower ones
    assert [c.learning_rate for c in found.candidates[:3]] == [1.0, 1.5, 0.3]
    # decay's falling rate is never a raise; a raise the loss took in its stride is no collapse
    assert kind(loss, rate=1.0 / (1 + 1e-3 * np.arange(502))) != "collapsed"
    assert kind(np.r_[np.linspace(1.1, 0.6, 400), np.linspace(0.6, 0.5, 102)], rate=rates) != "collapsed"


def test_the_changes_tried_follow_the_diagnosis_and_never_repeat_the_run():
    decay = OptimizerConfig("decay", 1.0, 1e-2, 0.0)
    flat = np.full(WINDOW, 0.8)
    found = caption(history(flat, rate=0.19), decay, 3, 1)
    assert "decay 0.01 is too strong" in found.sentence
    assert found.candidates == (OptimizerConfig("decay", 1.0, 1e-3, 0.0), OptimizerConfig("sgd", 1.0, 0.0, 0.0))
    assert "learning rate 0.21 is too low" in caption(history(flat, rate=0.21), decay, 3, 1).sentence
    momentum = OptimizerConfig("momentum", 0.5, 0.0, 0.9)
    low = caption(history(flat, rate=0.5), momentum, 3, 1)
    # higher rates, and no "add momentum" to a run that has it
    assert [c.learning_rate for c in low.candidates] == [1.0, 5.0]
    assert all(c.momentum == 0.9 for c in low.candidates)
    zigzag = 0.8 + 0.8 * 0.02 * (-1.0) ** np.arange(300)
    oscillating = caption(history(zigzag, rate=0.9), OptimizerConfig("decay", 1.0, 1e-3, 0.0), 3, 1)
    # lower rates, or more decay: never "some decay" to a run that has decay
    assert [(c.learning_rate, c.decay) for c in oscillating.candidates] == [(0.5, 1e-3), (0.1, 1e-3), (1.0, 1e-2)]
    assert oscillating.suggestion == ""


def test_a_try_that_only_guesses_evenly_never_counts_as_help():
    trainer = Trainer(_sgd(10.0))
    trainer.run(1000)
    found = tried_caption(trainer)
    assert found.kind == "oscillating" and found.tried is None
    guess, = [t for t in found.tries if t.even_guess and t.config.learning_rate == 1.0]
    # lower than the wild run's loss, but only because it now says 1/3 for every class
    assert guess.config.learning_rate == 1.0 and guess.loss_with < 0.95 * guess.loss_without
    assert abs(guess.loss_with - math.log(3)) < 1e-3
    assert found.sentence.endswith("Tried at learning rate 5, at learning rate 1, with decay 0.001: after 300 more "
                                   "epochs each only guesses every class evenly (loss ln 3), no help (as it is: "
                                   "loss 2.14).")
