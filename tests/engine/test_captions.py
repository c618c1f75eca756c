"""Captions: each kind for a run built to trigger it, and the thresholds on hand-made histories."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from nngui.engine import DatasetConfig, Experiment, HistoryView, NetworkConfig, OptimizerConfig, Trainer
from nngui.teaching.captions import KINDS, WINDOW, caption, caption_of

BASE = Experiment()
RUNS = {
    "diverging": (dataclasses.replace(BASE, runs=(OptimizerConfig("sgd", 20.0, 0.0, 0.0),)), 200),
    "not_learning": (dataclasses.replace(BASE, network=NetworkConfig((16, 16, 16, 16), "relu")), 300),
    "oscillating": (dataclasses.replace(BASE, runs=(OptimizerConfig("sgd", 8.0, 0.0, 0.0),)), 300),
    "plateau": (dataclasses.replace(BASE, runs=(OptimizerConfig("sgd", 0.01, 0.0, 0.0),)), 600),
    "converged": (dataclasses.replace(BASE, dataset=DatasetConfig("blobs", 100, 3, 0.15)), 300),
    "learning": (BASE, 800),
    "starting": (BASE, 10),
}
SAYS = {
    "diverging": ("training stopped: the loss blew up by epoch 55 (1.1 → 6.14)", "learning rate 20 is too high",
                  "Try 2 and press Reset."),
    "not_learning": ("not learning at all: the loss sits at ln(3) = 1.099", "too small for 4 hidden layers",
                     "Try 1 or 2 hidden layers."),
    "oscillating": ("oscillating: the loss jumps up and down", "Try learning rate 4, or some decay."),
    "plateau": ("a long plateau (1.099 → 1.099 in 500 epochs)", "learning rate 0.01 is too low",
                "Try momentum 0.9, or a higher learning rate."),
    "converged": ("converged: 100% right", "a test split"),
    "learning": ("learning: the loss fell from", "Keep training."),
    "starting": ("just started (loss 1.1)",),
}


@pytest.mark.parametrize("kind", sorted(RUNS))
def test_each_caption_appears_for_a_run_built_to_trigger_it(kind):
    experiment, epochs = RUNS[kind]
    trainer = Trainer(experiment)
    trainer.run(epochs)
    found = caption_of(trainer.snapshot())
    assert found.kind == kind, found.sentence
    assert found.epoch == trainer.epoch
    assert found.sentence.startswith(f"Epoch {trainer.epoch:,}: ")
    for words in SAYS[kind]:
        assert words in found.sentence
    assert set(RUNS) == set(KINDS)


def test_too_strong_decay_is_named_as_the_cause_of_a_plateau():
    trainer = Trainer(dataclasses.replace(BASE, runs=(OptimizerConfig("decay", 1.0, 1e-2, 0.0),)))
    trainer.run(1000)
    found = caption_of(trainer.snapshot())
    assert found.kind == "plateau"
    # 1 / (1 + 0.01 · 999) = 0.0910
    assert "decay is too strong, the learning rate is already down from 1 to 0.091" in found.sentence
    assert found.suggestion == "Try decay 0.001."


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
    # a flat loss that is already low is not a plateau
    assert kind(np.full(WINDOW, 0.25)) == "learning"
    # at ln(classes) from the start: deep networks are not learning, shallow ones are on a plateau
    stuck = np.full(300, math.log(2))
    assert kind(stuck, classes=2, layers=3) == "not_learning"
    assert kind(stuck, classes=2, layers=2) == "learning"   # 300 epochs: too early for a plateau
    assert kind(np.full(WINDOW, math.log(2)), classes=2, layers=2) == "plateau"
    # a zigzag of ±3% is oscillating; of ±1% it is not
    zigzag = 0.8 + 0.8 * 0.015 * (-1.0) ** np.arange(300)
    assert kind(zigzag) == "oscillating"
    assert kind(0.8 + 0.8 * 0.005 * (-1.0) ** np.arange(300)) == "learning"
    # converged: 95% right and the loss no longer falling; or a tiny loss
    assert kind(np.full(300, 0.1), accuracy=np.full(300, 0.95)) == "converged"
    assert kind(np.full(300, 0.1), accuracy=np.full(300, 0.94)) == "learning"
    assert kind(np.full(300, 0.01)) == "converged"
    # diverging: twice the starting loss, a NaN, or the trainer's verdict
    assert kind(np.r_[np.full(60, 1.0), [2.0]]) == "diverging"
    assert kind([1.0, math.nan]) == "diverging"
    assert kind([1.0, 0.9], divergence="Training diverged at epoch 1") == "diverging"
    assert kind(np.full(49, 1.0)) == "starting"


def test_a_plateau_under_decay_blames_the_decay_only_once_the_rate_has_shrunk():
    decay = OptimizerConfig("decay", 1.0, 1e-2, 0.0)
    flat = np.full(WINDOW, 0.8)
    assert "decay is too strong" in caption(history(flat, rate=0.19), decay, 3, 1).sentence
    assert "learning rate 0.21 is too low" in caption(history(flat, rate=0.21), decay, 3, 1).sentence
    momentum = OptimizerConfig("momentum", 0.5, 0.0, 0.9)
    assert caption(history(flat, rate=0.5), momentum, 3, 1).suggestion == "Try learning rate 1."
