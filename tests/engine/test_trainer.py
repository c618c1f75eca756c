"""The trainer: the lesson's order of calls, metrics, settings between epochs, divergence, snapshots."""

import math
import warnings

import numpy as np
import pytest

from nngui.engine import (DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Trainer, TrainingDiverged,
                          accuracy, cross_entropy, make_start, predict_proba, probability_grid)


def small(kind="momentum", learning_rate=1.0, decay=1e-3, momentum=0.9, test_split=0.0, seed=0, **network):
    return Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2, test_split),
                      network=NetworkConfig(**({"hidden": (16,)} | network)),
                      runs=(OptimizerConfig(kind, learning_rate, decay, momentum),), seed=seed)


def test_calls_follow_the_lesson_once_per_epoch(recording_sgd):
    trainer = Trainer(small(hidden=(8, 8)))
    log = []
    trainer.optimizer = recording_sgd(log, 1.0, 1e-3, 0.9)
    trainer.train_epoch()
    trainer.train_epoch()
    layers = [("update", id(layer)) for layer in trainer.network.trainable_layers]
    assert log == (["pre", *layers, "post"]) * 2
    assert len(layers) == 3


def test_metrics_are_measured_before_the_update():
    trainer = Trainer(small())
    before = [(w.copy(), b.copy()) for w, b in trainer.network.parameters()]
    record = trainer.train_epoch()
    probabilities = predict_proba(before, "relu", trainer.X_train)
    assert record.loss == pytest.approx(cross_entropy(probabilities, trainer.y_train), rel=1e-12)
    assert record.accuracy == accuracy(probabilities, trainer.y_train)
    assert record.epoch == 0 and trainer.epoch == 1


def test_learning_rates_recorded_both_ways():
    trainer = Trainer(small(decay=1e-2))
    records = [trainer.train_epoch() for _ in range(5)]
    # the rate each update used: lr / (1 + decay·N)
    assert [r.learning_rate for r in records] == [1.0 * (1 / (1 + 1e-2 * n)) for n in range(5)]
    # what the course prints at epoch N: the rate as it stands before N's update
    assert [r.start_learning_rate for r in records] == [1.0] + [r.learning_rate for r in records[:-1]]
    np.testing.assert_array_equal(trainer.history.view().learning_rate, [r.learning_rate for r in records])


def test_settings_change_between_epochs():
    trainer = Trainer(small(kind="sgd", learning_rate=0.5))
    trainer.train_epoch()
    trainer.set_optimizer(OptimizerConfig("decay", learning_rate=2.0, decay=0.5, momentum=0.9))
    record = trainer.train_epoch()
    assert record.learning_rate == 2.0 / (1 + 0.5 * 1)
    assert trainer.optimizer.momentum == 0.0
    trainer.set_optimizer(OptimizerConfig("sgd", learning_rate=0.25, decay=0.5, momentum=0.9))
    assert trainer.train_epoch().learning_rate == 0.25
    trainer.set_optimizer(OptimizerConfig("momentum", learning_rate=0.25, decay=0.0, momentum=0.5))
    trainer.train_epoch()
    assert trainer.optimizer.momentum == 0.5
    assert all(hasattr(layer, "weights_momentums") for layer in trainer.network.trainable_layers)


def test_switching_momentum_off_and_on_starts_from_rest():
    trainer = Trainer(small())
    trainer.run(3)
    trainer.set_optimizer(OptimizerConfig("sgd", 1.0, 1e-3, 0.9))
    assert not any(hasattr(layer, "weights_momentums") for layer in trainer.network.trainable_layers)


def test_same_experiment_same_history_bit_for_bit():
    histories = []
    for _ in range(2):
        trainer = Trainer(small(test_split=0.2, seed=7))
        trainer.run(200)
        histories.append(trainer.history.view())
    for column in ("loss", "accuracy", "learning_rate", "test_loss", "test_accuracy"):
        assert getattr(histories[0], column).tobytes() == getattr(histories[1], column).tobytes()
    other = Trainer(small(test_split=0.2, seed=8))
    other.run(200)
    assert other.history.view().loss.tobytes() != histories[0].loss.tobytes()


def test_test_split_metrics():
    trainer = Trainer(small(test_split=0.25))
    assert len(trainer.X_test) == round(90 * 0.25) and len(trainer.X_train) == 90 - len(trainer.X_test)
    parameters = [(w.copy(), b.copy()) for w, b in trainer.network.parameters()]
    record = trainer.train_epoch()
    probabilities = predict_proba(parameters, "relu", trainer.X_test)
    assert record.test_loss == pytest.approx(cross_entropy(probabilities, trainer.y_test), rel=1e-12)
    assert record.test_accuracy == accuracy(probabilities, trainer.y_test)
    assert math.isnan(Trainer(small()).train_epoch().test_loss)


def test_snapshot_is_a_copy_that_stays_valid():
    trainer = Trainer(small())
    trainer.run(5)
    snapshot = trainer.snapshot()
    weights = snapshot.parameters[0][0].copy()
    loss = snapshot.history.loss.copy()
    trainer.run(50)
    np.testing.assert_array_equal(snapshot.parameters[0][0], weights)
    np.testing.assert_array_equal(snapshot.history.loss, loss)
    assert snapshot.epoch == 5 and snapshot.record.epoch == 4 and len(snapshot.history) == 5
    assert not snapshot.parameters[0][0].flags.writeable and not snapshot.history.loss.flags.writeable
    assert not np.array_equal(trainer.network.parameters()[0][0], weights)


def test_history_grows_past_its_first_capacity():
    trainer = Trainer(small())
    trainer.run(3000)
    view = trainer.history.view()
    np.testing.assert_array_equal(view.epoch, np.arange(3000))
    assert np.isfinite(view.loss).all()


def test_probability_grid():
    trainer = Trainer(small())
    trainer.run(100)
    bounds = trainer.data_bounds()
    grid = probability_grid(trainer.network.parameters(), "relu", bounds, 50)
    assert grid.shape == (50, 50, 3) and grid.dtype == np.float32
    np.testing.assert_allclose(grid.sum(axis=2), 1.0, atol=1e-5)
    # row i is y = y_min + i·step, column j is x = x_min + j·step
    x_min, x_max, y_min, y_max = bounds
    point = np.array([[x_min + 10 * (x_max - x_min) / 49, y_min + 30 * (y_max - y_min) / 49]])
    np.testing.assert_allclose(grid[30, 10], predict_proba(trainer.network.parameters(), "relu", point)[0], atol=1e-5)


@pytest.mark.parametrize("kind", ["sgd", "decay", "momentum"])
def test_the_chapters_settings_never_diverge(kind):
    trainer = Trainer(Experiment(runs=(OptimizerConfig(kind, 1.0, 1e-3, 0.9),)))
    trainer.run(10001)
    assert trainer.divergence is None and trainer.epoch == 10001


@pytest.mark.parametrize("kind,learning_rate", [("sgd", 20.0), ("momentum", 10.0)])
def test_too_high_a_learning_rate_diverges_with_a_reason(kind, learning_rate, recwarn):
    trainer = Trainer(Experiment(runs=(OptimizerConfig(kind, learning_rate, 0.0, 0.9),)))
    trainer.run(1000)
    assert trainer.divergence is not None, "expected divergence"
    assert trainer.epoch < 1000
    message = trainer.divergence
    assert f"epoch {trainer.epoch - 1}" in message and "learning rate" in message
    with pytest.raises(TrainingDiverged):
        trainer.train_epoch()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_overflowing_weights_diverge_and_print_no_warning(capfd):
    trainer = Trainer(small(kind="sgd", learning_rate=100.0))
    trainer.network.dense_layers[0].weights[0, 0] = 1e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer.run(20)
    assert trainer.divergence and "infinity or NaN" in trainer.divergence
    assert capfd.readouterr().err == ""


def test_an_infinite_weight_that_leaves_the_loss_finite_still_counts():
    trainer = Trainer(small(kind="sgd"))
    trainer.network.dense_layers[0].biases[0, 0] = -np.inf  # a dead unit: the loss stays finite
    record = trainer.train_epoch()
    assert math.isfinite(record.loss)
    assert "weight" in trainer.divergence and "epoch 0" in trainer.divergence


def test_a_loss_held_high_for_fifty_epochs_diverges():
    trainer = Trainer(small(kind="sgd"))
    trainer.train_epoch()
    baseline = trainer.history.view().loss[0]
    for epoch in range(1, 50):
        trainer._high_loss_epochs = 0 if epoch == 1 else trainer._high_loss_epochs
        assert trainer._check_divergence(_record(epoch, 3.5 * baseline)) is None
    assert "50 epochs in a row" in trainer._check_divergence(_record(50, 3.5 * baseline))
    # one low epoch resets the count
    trainer._high_loss_epochs = 0
    for epoch in range(49):
        trainer._check_divergence(_record(epoch + 1, 3.5 * baseline))
    assert trainer._check_divergence(_record(50, baseline)) is None
    assert trainer._check_divergence(_record(51, 3.5 * baseline)) is None


def _record(epoch, loss):
    from nngui.engine import EpochRecord
    return EpochRecord(epoch, loss, 0.3, 1.0, 1.0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_other_activations_learn(activation):
    experiment = Experiment(dataset=DatasetConfig("blobs", 30, 3, 0.2), network=NetworkConfig((16,), activation))
    trainer = Trainer(experiment)
    trainer.run(1500)
    view = trainer.history.view()
    assert view.loss[-1] < 0.1 * view.loss[0] and view.accuracy[-1] > 0.95


def test_book_mode_needs_the_spiral():
    with pytest.raises(ValueError, match="spiral"):
        Trainer(Experiment(dataset=DatasetConfig("moons", 100, 2, 0.1), book=True))


# --- state() and from_state(): a copy of a run that goes on exactly as the run does ------------

def _arrays(trainer):
    """Every array training reads or writes, by name, for comparing two runs bit for bit."""
    arrays = {}
    for i, layer in enumerate(trainer.network.trainable_layers):
        for name in ("weights", "biases", "weights_momentums", "biases_momentums"):
            if hasattr(layer, name):
                arrays[f"{name}[{i}]"] = getattr(layer, name)
    return arrays


def _same(a, b):
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].dtype == b[name].dtype and np.array_equal(a[name], b[name]), name


@pytest.mark.parametrize("book, batch_size", [(False, None), (True, None), (False, 20)])
def test_a_trainer_from_a_state_goes_on_bit_for_bit_as_the_run(book, batch_size):
    hidden = (64,) if book else (16,)
    experiment = Experiment(dataset=DatasetConfig("spiral", 100 if book else 30, 3, 0.2),
                            network=NetworkConfig(hidden), runs=(OptimizerConfig("momentum", 1.0, 1e-3, 0.9),),
                            book=book, batch_size=batch_size)
    run = Trainer(experiment)
    run.run(7)
    run.set_optimizer(OptimizerConfig("momentum", 0.5, 1e-2, 0.5))  # a change the copy must remember
    state = run.state()
    copy = Trainer.from_state(state, experiment, make_start(experiment), history=run.history.view())
    assert (copy.epoch, copy.steps, copy.settings, copy.optimizer_config) == (7, run.steps, run.settings,
                                                                              run.optimizer_config)
    assert copy.optimizer.current_learning_rate == run.optimizer.current_learning_rate
    _same(_arrays(copy), _arrays(run))
    run.run(5)
    copy.run(5)
    _same(_arrays(copy), _arrays(run))
    assert np.array_equal(copy.history.view().loss, run.history.view().loss)  # the first 7 copied, 5 trained
    assert copy.last_record == run.last_record and len(copy.history) == 12


def test_a_state_is_read_only_and_neither_run_nor_copy_touches_it():
    experiment = small()
    run = Trainer(experiment)
    run.run(3)
    state = run.state()
    arrays = [a for pair in state.parameters + state.momentums for a in pair]
    assert len(arrays) == 8 and not any(a.flags.writeable for a in arrays)
    assert state.nbytes == 2 * 8 * (2 * 16 + 16 + 16 * 3 + 3)  # weights, biases and momentums, float64
    before = [a.copy() for a in arrays]
    copy = Trainer.from_state(state, experiment, make_start(experiment), "copy")
    assert copy.label == "copy" and len(copy.history) == 0  # no history given: it starts empty
    copy.run(4)
    run.run(4)
    assert all(np.array_equal(a, b) for a, b in zip(arrays, before))


def test_a_copy_tried_with_a_change_leaves_the_run_as_it_was():
    """What a caption's try does: copy at epoch k, change the copy's rate, train both on."""
    experiment = small(kind="sgd")
    run, twin = Trainer(experiment), Trainer(experiment)
    run.run(10)
    twin.run(10)
    tried = Trainer.from_state(run.state(), experiment, make_start(experiment))
    tried.set_optimizer(OptimizerConfig("sgd", 0.1, 0.0, 0.0))
    tried.run(10)
    run.run(10)
    twin.run(10)
    _same(_arrays(run), _arrays(twin))
    assert tried.settings == ((0, experiment.optimizer), (10, OptimizerConfig("sgd", 0.1, 0.0, 0.0)))
    assert tried.history.view().learning_rate.tolist() == [0.1] * 10


def test_a_state_is_refused_inside_a_walked_epoch():
    trainer = Trainer(small())
    walk = trainer.walk_epoch()
    next(walk)
    with pytest.raises(ValueError, match="epoch 0 is being walked"):
        trainer.state()
    for _ in walk:
        pass
    assert trainer.state().epoch == 1
