"""A pinned run's name says every setting it trained with."""

from __future__ import annotations

import numpy as np

from nngui.engine import HistoryView, OptimizerConfig
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.model.pins import PinnedRun, pin_label

SGD, DECAY, MOMENTUM = CHAPTER_RUNS


def test_a_run_that_kept_its_settings_is_named_with_all_of_them():
    assert pin_label("SGD + momentum 0.9", ((0, MOMENTUM),), 10001) == (
        "SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9 · 10,001 epochs")
    assert pin_label("SGD", ((0, SGD),), 300) == "SGD: lr 1 · 300 epochs"
    assert pin_label("SGD + decay", ((0, DECAY),), 1) == "SGD + decay: lr 1, decay 0.001 · 1 epoch"


def test_settings_changed_mid_run_are_all_named_with_their_epochs():
    settings = ((0, OptimizerConfig("sgd", 1.0)), (500, OptimizerConfig("sgd", 0.5)))
    assert pin_label("SGD", settings, 2000) == "SGD: lr 1 (epochs 0–499), lr 0.5 (from 500) · 2,000 epochs"
    # several numbers each: a semicolon between settings
    settings = ((0, DECAY), (1500, OptimizerConfig("decay", 0.5, 1e-2)))
    assert pin_label("SGD + decay", settings, 3000) == (
        "SGD + decay: lr 1, decay 0.001 (epochs 0–1,499); lr 0.5, decay 0.01 (from 1,500) · 3,000 epochs")
    # a change of optimizer names each one
    settings = ((0, SGD), (10, MOMENTUM))
    assert pin_label("SGD", settings, 20) == (
        "SGD: SGD with lr 1 (epochs 0–9); SGD + momentum 0.9 with lr 1, decay 0.001, momentum 0.9 (from 10)"
        " · 20 epochs")


def test_changes_that_never_trained_or_changed_nothing_are_left_out():
    # set after the run stopped, a change of an unused number, two changes before one epoch (the later counts)
    settings = ((0, OptimizerConfig("sgd", 1.0, decay=0.5)), (3, OptimizerConfig("sgd", 1.0, decay=0.1)),
                (5, OptimizerConfig("sgd", 0.2)), (5, OptimizerConfig("sgd", 0.3)), (8, OptimizerConfig("sgd", 9.0)))
    assert pin_label("SGD", settings, 8) == "SGD: lr 1 (epochs 0–4), lr 0.3 (from 5) · 8 epochs"
    assert pin_label("SGD", ((0, SGD), (1, OptimizerConfig("sgd", 2.0))), 2) == (
        "SGD: lr 1 (epoch 0), lr 2 (from 1) · 2 epochs")
    assert pin_label("SGD", (), 4) == "SGD · 4 epochs"


def test_a_pin_is_plain_frozen_data():
    n = 3
    history = HistoryView(*(np.arange(n, dtype=float) for _ in range(6)))
    pin = PinnedRun("SGD: lr 1 · 3 epochs", history, 2)
    assert (pin.label, pin.style_index, len(pin.history)) == ("SGD: lr 1 · 3 epochs", 2, 3)
    try:
        pin.label = "other"
    except AttributeError:
        pass
    else:
        raise AssertionError("a pin can be changed")
