"""The Qt-free model: edits checked by the engine, all-or-nothing loads, change effects, undo, pace, pins."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from nngui.engine import Experiment, ExperimentError, OptimizerConfig, Trainer
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.model import LIMIT, NO_LIMIT_EPOCHS, PACES, REBUILD, SETTINGS, AppModel


def test_a_run_setting_is_applied_live_and_exactly(model):
    model.set_run(0, learning_rate=0.123456789)
    assert model.experiment.runs[0].learning_rate == 0.123456789
    (change,) = model.events
    assert (change.effect, change.run, change.comparable) == (SETTINGS, 0, True)


def test_data_network_seed_and_run_count_start_again(model):
    model.set_dataset(noise=0.123456)
    model.set_layer_size(0, 32)
    model.set_hidden_layers(2)
    model.set_seed(3_000_000_000)
    model.add_run(OptimizerConfig("sgd", 1.0, 0.0, 0.0))
    assert [c.effect for c in model.events] == [REBUILD] * 5
    assert [c.comparable for c in model.events] == [False, False, False, False, True]
    e = model.experiment
    assert (e.dataset.noise, e.network.hidden, e.seed, len(e.runs)) == (0.123456, (32, 32), 3_000_000_000, 2)


def test_the_epoch_limit_changes_nothing_else(model):
    model.set_epochs(500)
    model.set_epochs(0)
    assert [c.effect for c in model.events] == [LIMIT, LIMIT]
    assert model.experiment.epochs == NO_LIMIT_EPOCHS


def test_a_refused_edit_or_load_changes_nothing(model):
    before = model.experiment
    with pytest.raises(ExperimentError, match="runs\\[0\\]|optimizer.learning_rate"):
        model.set_run(0, learning_rate=500.0)
    with pytest.raises(ExperimentError, match="seed"):
        model.set_seed(2**32)
    with pytest.raises(ExperimentError, match="the last run"):
        model.remove_run(0)
    with pytest.raises(ExperimentError):
        model.load("not an experiment")
    assert model.experiment is before and model.events == []


def test_a_new_data_set_takes_its_own_noise_classes_and_leaves_book_mode(model):
    model.set_book(True)
    model.set_dataset(name="moons")
    e = model.experiment
    assert (e.dataset.name, e.dataset.classes, e.dataset.noise, e.book) == ("moons", 2, 0.1, False)


def test_at_most_four_runs_and_the_chapter_comparison(model):
    model.compare_chapter()
    assert model.experiment.runs == CHAPTER_RUNS
    model.add_run()
    with pytest.raises(ExperimentError, match="at most 4"):
        model.add_run()
    model.remove_run(1)
    assert [r.kind for r in model.experiment.runs] == ["sgd", "momentum", "momentum"]


def test_undo_and_redo_walk_the_edits(model):
    model.set_run(0, learning_rate=0.5)
    model.set_seed(7)
    assert model.undo().new.seed == 0
    assert model.undo().new.runs[0].learning_rate == 1.0
    assert model.undo() is None
    assert model.redo().new.runs[0].learning_rate == 0.5
    model.set_seed(9)           # a new edit forgets what could be redone
    assert not model.can_redo()


def test_loading_the_same_experiment_still_starts_again(model):
    change = model.load(Experiment(), "Opened")
    assert (change.effect, change.note) == (REBUILD, "Opened")


def test_pace_takes_the_steps_a_teacher_would_pick():
    app = AppModel()
    seen = []
    app.pace_changed.connect(seen.append)
    for pace in PACES:
        app.set_pace(pace)
    with pytest.raises(ValueError, match="pace"):
        app.set_pace(7)
    assert seen == [1, 5, 10, 30, 100, 1000, None]


def _trained(runs=(OptimizerConfig("sgd", 1.0, 0.0, 0.0),), epochs=5):
    trainer = Trainer(dataclasses.replace(Experiment(), runs=runs))
    trainer.run(epochs)
    return trainer


def test_pins_stay_until_data_changes_then_go_with_a_note():
    app = AppModel()
    notes, pins = [], []
    app.notice.connect(notes.append)
    app.pins_changed.connect(pins.append)
    trained = _trained().snapshot()
    # what the model reads of a run's snapshot: its history and the settings it trained with
    snapshot = SimpleNamespace(label="SGD", history=trained.history,
                               settings=((0, OptimizerConfig("sgd", 1.0, 0.0, 0.0)),))
    pin = app.pin(snapshot, 0)
    assert pin.label == "SGD: lr 1 · 5 epochs"
    np.testing.assert_array_equal(pin.history.loss, snapshot.history.loss)
    app.experiment.set_run(0, learning_rate=0.5)     # still comparable: the pin stays
    assert app.pins == (pin,)
    app.experiment.set_dataset(samples=50)
    assert app.pins == () and "no longer comparable" in notes[-1]


def test_the_selected_run_stays_within_the_race():
    app = AppModel()
    app.experiment.compare_chapter()
    app.select_run(2)
    app.experiment.remove_run(2)
    assert app.selected_run == 1
