"""Mini-batches: one update per batch, the shuffle a pure function of (seed, epoch), fair races, the update log."""

import contextlib
import copy
import io
import json

import numpy as np
import pytest

from nngui.cli import train as cli, race as cli_race
from nngui.engine import (SGD, DatasetConfig, Experiment, ExperimentError, NetworkConfig, OptimizerConfig, Race,
                          Trainer, cross_entropy, make_start, predict_proba)
from nngui.engine.batches import (UpdateLog, batch_indices, epoch_order, training_points,
                                  updates_per_epoch)
from nngui.files import experiment_io


def experiment(batch_size=None, kind="momentum", learning_rate=0.5, decay=1e-3, momentum=0.9, samples=100,
               test_split=0.0, hidden=(16,), seed=0, runs=None):
    optimizer = OptimizerConfig(kind, learning_rate, decay, momentum)
    return Experiment(DatasetConfig("spiral", samples, 3, 0.2, test_split), NetworkConfig(hidden),
                      runs or (optimizer,), seed=seed, batch_size=batch_size)


def test_batch_size_10_on_300_points_makes_exactly_30_updates_an_epoch(recording_sgd):
    trainer = Trainer(experiment(batch_size=10))
    assert len(trainer.X_train) == 300
    log = []
    trainer.optimizer = recording_sgd(log, 0.5, 1e-3, 0.9)
    trainer.train_epoch()
    # the lesson's protocol once per batch: pre, one update per dense layer, post
    layers = [("update", id(layer)) for layer in trainer.network.trainable_layers]
    assert log == ["pre", *layers, "post"] * 30 and len(layers) == 2
    trainer.train_epoch()
    assert trainer.steps == trainer.optimizer.step == 60
    assert trainer.snapshot().steps == 60
    assert len(trainer.snapshot().batch_losses) == 60


@pytest.mark.parametrize("points, batch_size, updates", [(300, 10, 30), (300, 64, 5), (300, 299, 2),
                                                          (300, 300, 1), (7, 1, 7), (300, None, 1)])
def test_updates_per_epoch_is_the_ceiling(points, batch_size, updates):
    assert updates_per_epoch(batch_size, points) == updates


@pytest.mark.parametrize("test_split", [0.0, 0.25])
def test_a_batch_of_all_the_training_points_is_full_batch_bit_for_bit(test_split):
    full = Trainer(experiment(test_split=test_split))
    n = len(full.X_train)
    whole = Trainer(experiment(batch_size=n, test_split=test_split))
    full.run(40)
    whole.run(40)
    a, b = full.history.view(), whole.history.view()
    for column in ("loss", "accuracy", "learning_rate", "test_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(a, column), getattr(b, column))
    for (wa, ba), (wb, bb) in zip(full.network.parameters(), whole.network.parameters()):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert full.steps == whole.steps == 40 and whole.snapshot().batch_losses is None


def test_decay_follows_updates():
    trainer = Trainer(experiment(batch_size=10, kind="decay", learning_rate=1.0, decay=0.01, momentum=0.0))
    first = trainer.train_epoch()
    # 30 updates at steps 0 … 29: the last one used 1 / (1 + 0.01 · 29)
    assert first.start_learning_rate == 1.0
    assert first.learning_rate == 1.0 * (1 / (1 + 0.01 * 29))
    second = trainer.train_epoch()
    assert second.start_learning_rate == first.learning_rate
    assert second.learning_rate == 1.0 * (1 / (1 + 0.01 * 59))


def test_an_epoch_is_the_lessons_loop_over_the_shuffled_batches():
    exp = experiment(batch_size=40, kind="momentum", learning_rate=0.3, decay=1e-2, momentum=0.5, seed=7)
    trainer = Trainer(exp)
    trainer.run(2)
    # the same by hand: a network from the same start, the lesson's calls once per batch
    start = make_start(exp)
    by_hand = Trainer(exp, start=start)
    network, optimizer = by_hand.network, SGD(0.3, 1e-2, 0.5)
    for epoch in range(2):
        order = np.random.default_rng((7, epoch)).permutation(300)
        for first in range(0, 300, 40):
            batch = order[first:first + 40]
            network.forward(start.X_train[batch], start.y_train[batch])
            network.backward(start.y_train[batch])
            optimizer.pre_update_params()
            for layer in network.trainable_layers:
                optimizer.update_params(layer)
            optimizer.post_update_params()
    assert optimizer.step == trainer.steps == 16
    for (wa, ba), (wb, bb) in zip(trainer.network.parameters(), network.parameters()):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)


def test_the_epochs_loss_is_all_training_points_before_its_updates():
    trainer = Trainer(experiment(batch_size=25, test_split=0.2))
    trainer.run(3)
    before = [(w.copy(), b.copy()) for w, b in trainer.network.parameters()]
    record = trainer.train_epoch()
    probabilities = predict_proba(before, "relu", trainer.X_train)
    assert record.loss == cross_entropy(probabilities, trainer.y_train)
    test = predict_proba(before, "relu", trainer.X_test)
    assert record.test_loss == cross_entropy(test, trainer.y_test)
    # each update's batch loss is kept against a fractional epoch: e + b / batches
    updates = trainer.snapshot().batch_losses
    n = updates_per_epoch(25, len(trainer.X_train))
    assert n == 10
    np.testing.assert_array_equal(updates.step, np.arange(4 * n))
    assert updates.epoch[3 * n:].tolist() == [3 + b / n for b in range(n)]


def test_the_shuffle_is_a_pure_function_of_seed_and_epoch():
    first = epoch_order(5, 3, 300)
    for e in (0, 1, 2, 7):
        epoch_order(5, e, 300)
    assert np.array_equal(epoch_order(5, 3, 300), first)
    assert sorted(first) == list(range(300))
    assert not np.array_equal(epoch_order(5, 4, 300), first)
    assert not np.array_equal(epoch_order(6, 3, 300), first)
    batches = batch_indices(first, 64)
    assert [len(b) for b in batches] == [64, 64, 64, 64, 44]
    assert np.array_equal(np.concatenate(batches), first)


def test_training_resumes_exactly_from_a_checkpoint_of_weights_and_optimizer_state():
    exp = experiment(batch_size=16, decay=1e-2)
    straight = Trainer(exp)
    straight.run(3)
    checkpoint = (copy.deepcopy(straight.network.dense_layers), straight.optimizer.step,
                  straight.optimizer.current_learning_rate)
    straight.run(4)
    # a fresh run that never trained: only the weights, momentums and the optimizer's state are restored
    resumed = Trainer(exp)
    layers, step, rate = checkpoint
    for layer, saved in zip(resumed.network.dense_layers, layers):
        layer.weights[...] = saved.weights
        layer.biases[...] = saved.biases
        layer.weights_momentums, layer.biases_momentums = saved.weights_momentums, saved.biases_momentums
    resumed.optimizer.step, resumed.optimizer.current_learning_rate = step, rate
    resumed.epoch = 3
    resumed.run(4)
    for (wa, ba), (wb, bb) in zip(straight.network.parameters(), resumed.network.parameters()):
        assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert straight.history.view().loss[-1] == resumed.history.view().loss[-1]


def test_every_run_of_a_race_sees_the_same_batches():
    same = OptimizerConfig("momentum", 0.5, 1e-3, 0.9)
    race = Race(experiment(batch_size=32, runs=(same, same, OptimizerConfig("sgd", 0.5, 0.0, 0.0))))
    race.run(5)
    a, b, c = race.trainers
    # two runs with the same optimizer can only end equal if they saw the same points in the same order
    np.testing.assert_array_equal(a.history.view().loss, b.history.view().loss)
    np.testing.assert_array_equal(a.snapshot().batch_losses.loss, b.snapshot().batch_losses.loss)
    assert a.steps == b.steps == c.steps == 5 * 10
    # and a run alone trains as it does in the race
    alone = Trainer(experiment(batch_size=32))
    alone.run(5)
    np.testing.assert_array_equal(alone.history.view().loss, a.history.view().loss)


def test_the_update_log_thins_evenly_and_never_rewrites_a_view():
    log = UpdateLog(capacity=8)
    early = None
    for step in range(100):
        log.append(step, step / 10, float(step))
        if step == 5:
            early = log.view()
    view = log.view()
    assert len(view) <= 8 and log.stride == 16
    assert view.step.tolist() == [0, 16, 32, 48, 64, 80, 96]
    assert view.loss.tolist() == [0.0, 16.0, 32.0, 48.0, 64.0, 80.0, 96.0]
    assert early.step.tolist() == [0, 1, 2, 3, 4, 5]
    with pytest.raises(ValueError):
        view.loss[0] = 1.0


def test_a_long_run_keeps_a_bounded_log():
    trainer = Trainer(experiment(batch_size=1, samples=10, hidden=(4,)))
    trainer.minibatches.updates = UpdateLog(capacity=64)
    trainer.run(50)
    assert trainer.steps == 1500
    updates = trainer.snapshot().batch_losses
    assert len(updates) <= 64 and updates.step[-1] >= 1500 - trainer.minibatches.updates.stride


@pytest.mark.parametrize("samples, test_split", [(100, 0.0), (100, 0.25), (7, 0.9), (2, 0.5), (333, 0.123)])
def test_training_points_counts_what_the_split_leaves(samples, test_split):
    exp = Experiment(DatasetConfig("spiral", samples, 3, 0.2, test_split))
    assert training_points(samples, 3, test_split) == len(make_start(exp).X_train)


@pytest.mark.parametrize("batch_size, message", [
    (0, "batch_size: must be between 1 and 300 (the training points), or full batch (null in a file); got 0"),
    (-5, "batch_size: must be between 1 and 300 (the training points), or full batch (null in a file); got -5"),
    (301, "batch_size: must be between 1 and 300 (the training points), or full batch (null in a file); got 301"),
    (2.5, "batch_size: must be a whole number of points, or null for full batch; got 2.5"),
    (True, "batch_size: must be a whole number of points, or null for full batch; got true"),
])
def test_bad_batch_sizes_are_refused_naming_the_field(batch_size, message):
    with pytest.raises(ExperimentError) as error:
        experiment(batch_size=batch_size)
    assert str(error.value) == message


def test_the_limit_is_the_training_points_not_all_points():
    assert experiment(batch_size=225, test_split=0.25).batch_size == 225
    with pytest.raises(ExperimentError, match="between 1 and 225"):
        experiment(batch_size=226, test_split=0.25)


def test_book_mode_trains_full_batch_only():
    with pytest.raises(ExperimentError) as error:
        Experiment(book=True, batch_size=10)
    assert str(error.value).startswith("batch_size: book mode trains on all points at once")
    assert Experiment(book=True, batch_size=None).batch_size is None


def cli_run(main, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_cli_train_batch_size_reports_the_updates_made():
    code, out, err = cli_run(cli.main, ["--batch-size", "10", "--epochs", "3", "--hidden", "8", "--json"])
    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert summary["steps"] == 90 and summary["epoch"] == 2
    assert summary["config"]["batch_size"] == 10
    trainer = Trainer(Experiment(network=NetworkConfig((8,)), epochs=3, batch_size=10))
    trainer.run(3)
    assert summary["loss"] == trainer.last_record.loss
    code, out, _ = cli_run(cli.main, ["--epochs", "3", "--hidden", "8", "--json"])
    assert json.loads(out)["steps"] == 3 and json.loads(out)["config"]["batch_size"] is None


def test_cli_race_batch_size_gives_every_run_its_steps(tmp_path):
    code, out, err = cli_run(cli_race.main, ["--batch-size", "64", "--epochs", "2", "--hidden", "8", "--json"])
    assert (code, err) == (0, "")
    assert [run["steps"] for run in json.loads(out)["runs"]] == [10, 10, 10]
    # a file's batch size is kept, and --batch-size full overrides it
    path = tmp_path / "batches.json"
    experiment_io.save(path, Experiment(network=NetworkConfig((8,)), epochs=2, batch_size=100))
    code, out, _ = cli_run(cli_race.main, ["--config", str(path), "--json"])
    assert [run["steps"] for run in json.loads(out)["runs"]] == [6]
    code, out, _ = cli_run(cli_race.main, ["--config", str(path), "--batch-size", "full", "--json"])
    assert [run["steps"] for run in json.loads(out)["runs"]] == [2]


@pytest.mark.parametrize("main", [cli.main, cli_race.main])
@pytest.mark.parametrize("argv, message", [
    (["--batch-size", "0"], "--batch-size: must be between 1 and 300 (the training points)"),
    (["--batch-size", "301"], "--batch-size: must be between 1 and 300 (the training points)"),
    (["--batch-size", "-3"], "--batch-size: must be between 1 and 300 (the training points)"),
    (["--batch-size", "ten"], "argument --batch-size: expected a whole number of points or 'full', got 'ten'"),
    (["--samples", "10", "--batch-size", "31"], "--batch-size: must be between 1 and 30 (the training points)"),
    (["--book", "--batch-size", "10"], "--batch-size: book mode trains on all points at once"),
])
def test_cli_refuses_bad_batch_sizes_with_one_line_and_exit_2(main, argv, message):
    code, out, err = cli_run(main, [*argv, "--epochs", "1"])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err


def test_the_mini_batch_preset_shows_what_it_says():
    from nngui.files.experiment_io import load_presets
    preset = load_presets()["mini-batches"]
    race = Race(preset.experiment)
    race.run(preset.experiment.epochs)
    sgd, momentum = race.trainers
    assert sgd.steps == momentum.steps == 300 * 10
    assert sgd.last_record.loss > 1.0 and momentum.last_record.loss < 0.7
    assert "below 0.7 by epoch 300" in preset.description
