"""The race: one start copied into each run, one clock, runs that never share state, each one its own single run."""

import numpy as np
import pytest

from nngui.engine import (CHAPTER_RUNS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Race,
                          RaceSnapshot, Trainer, TrainingDiverged, make_start)
from nngui.engine.history import COLUMNS

#: plain SGD this fast keeps the loss above 3x its start for 50 epochs in a row, soon
DIVERGING = OptimizerConfig("sgd", 100.0, 0.0, 0.0)


def small(*runs, test_split=0.0, **changes):
    return Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2, test_split), network=NetworkConfig((16,)),
                      runs=runs or CHAPTER_RUNS, **changes)


def alone(experiment, index):
    """A ``Trainer`` of the single-run experiment with run ``index``'s optimizer."""
    return Trainer(Experiment(experiment.dataset, experiment.network, (experiment.runs[index],),
                              experiment.seed, experiment.epochs, experiment.book))


def assert_same_run(trainer, reference):
    """Bit for bit the same history, state and weights."""
    ours, theirs = trainer.history.view(), reference.history.view()
    assert len(ours) == len(theirs)
    for column in COLUMNS:
        assert np.array_equal(getattr(ours, column), getattr(theirs, column), equal_nan=True), column
    assert (trainer.epoch, trainer.divergence) == (reference.epoch, reference.divergence)
    assert trainer.optimizer.current_learning_rate == reference.optimizer.current_learning_rate
    for (w, b), (w_ref, b_ref) in zip(trainer.network.parameters(), reference.network.parameters(), strict=True):
        assert w.dtype == w_ref.dtype
        assert np.array_equal(w, w_ref, equal_nan=True) and np.array_equal(b, b_ref, equal_nan=True)


def all_arrays(trainer):
    return [array for pair in trainer.network.parameters() for array in pair]


@pytest.mark.parametrize("book", [False, True])
def test_initial_weights_are_the_same_bits_in_arrays_of_their_own(book):
    experiment = Experiment(runs=CHAPTER_RUNS, book=book)
    race = Race(experiment)
    reference = alone(experiment, 0)
    first, *others = race.trainers
    for trainer in race.trainers:
        for array, expected in zip(all_arrays(trainer), all_arrays(reference), strict=True):
            assert array.dtype == expected.dtype and np.array_equal(array, expected)
            assert array.flags.writeable
    for other in others:
        for mine, theirs in zip(all_arrays(first), all_arrays(other)):
            assert not np.shares_memory(mine, theirs)
    first.network.dense_layers[0].weights[0, 0] += 1.0
    first.network.dense_layers[1].biases[0, 0] += 1.0
    for other in others:
        for array, expected in zip(all_arrays(other), all_arrays(reference)):
            assert np.array_equal(array, expected)


def test_the_data_is_one_read_only_set():
    race = Race(small(test_split=0.2))
    reference = alone(race.experiment, 0)
    for name in ("X", "y", "X_train", "y_train", "X_test", "y_test"):
        array = getattr(race, name)
        assert np.array_equal(array, getattr(reference, name)) and not array.flags.writeable
        assert all(getattr(trainer, name) is array for trainer in race.trainers)
    assert len(race.X_test) == 18
    assert race.data_bounds() == reference.data_bounds()


def test_the_start_is_never_trained():
    start = make_start(small())
    kept = [w.copy() for w in start.weights]
    race = Race(small())
    race.run(5)
    assert all(not w.flags.writeable for w in start.weights)
    assert all(np.array_equal(w, k) for w, k in zip(make_start(small()).weights, kept))


def test_a_start_fits_only_its_own_data_network_seed_and_book_mode():
    start = make_start(small())
    Trainer(small(CHAPTER_RUNS[0]), start=start)  # other runs: fine
    for other in (small(seed=1), small(book=True), Experiment(runs=CHAPTER_RUNS)):
        with pytest.raises(ValueError, match="start"):
            Trainer(other, start=start)


def test_one_clock_epoch_e_of_every_run_before_epoch_e_plus_1_of_any():
    race = Race(small())
    order = []
    last = race.run(4, every=lambda index, record: order.append((index, record.epoch)))
    assert order == [(index, epoch) for epoch in range(4) for index in range(3)]
    assert race.epoch == 4 and [t.epoch for t in race.trainers] == [4, 4, 4]
    assert [record.epoch for record in last] == [3, 3, 3]
    records = race.train_epoch()
    assert [record.epoch for record in records] == [4, 4, 4] and race.epoch == 5
    assert records == tuple(trainer.last_record for trainer in race.trainers)


def test_each_run_of_the_chapters_book_race_is_its_single_run_bit_for_bit():
    experiment = Experiment(runs=CHAPTER_RUNS, book=True, epochs=300)
    race = Race(experiment)
    race.run(300)
    assert race.labels == ("SGD", "SGD + decay", "SGD + momentum 0.9")
    for index, trainer in enumerate(race.trainers):
        reference = alone(experiment, index)
        reference.run(300)
        assert_same_run(trainer, reference)
        assert trainer.network.dense_layers[0].weights.dtype == np.float32
    # the runs did differ: different optimizers, different paths
    losses = {trainer.last_record.loss for trainer in race.trainers}
    assert len(losses) == 3


def test_each_run_of_a_float64_race_with_a_test_split_is_its_single_run_bit_for_bit():
    runs = (OptimizerConfig("sgd", 0.7, 0.0, 0.0), OptimizerConfig("decay", 0.7, 0.01, 0.0),
            OptimizerConfig("momentum", 0.7, 0.01, 0.5), OptimizerConfig("momentum", 0.5, 0.0, 0.9))
    experiment = Experiment(DatasetConfig("circles", 40, 4, 0.2, 0.25), NetworkConfig((16, 8), "tanh"),
                            runs, seed=9, epochs=60)
    race = Race(experiment)
    race.run(60)
    for index, trainer in enumerate(race.trainers):
        reference = alone(experiment, index)
        reference.run(60)
        assert_same_run(trainer, reference)
        assert np.isfinite(trainer.history.view().test_loss).all()


def test_momentum_buffers_belong_to_one_run():
    race = Race(small(OptimizerConfig("momentum", 1.0, 0.0, 0.9), CHAPTER_RUNS[0],
                      OptimizerConfig("momentum", 1.0, 0.0, 0.5)))
    race.run(10)
    momentum, sgd, other = race.trainers
    for layer in sgd.network.trainable_layers:
        assert not hasattr(layer, "weights_momentums") and not hasattr(layer, "biases_momentums")
    for mine, theirs in zip(momentum.network.trainable_layers, other.network.trainable_layers):
        for name in ("weights_momentums", "biases_momentums"):
            assert not np.shares_memory(getattr(mine, name), getattr(theirs, name))
            assert not np.array_equal(getattr(mine, name), getattr(theirs, name))


def test_a_diverging_run_stops_with_its_own_message_and_the_others_go_on():
    experiment = small(DIVERGING, CHAPTER_RUNS[2], epochs=200)
    race = Race(experiment)
    seen = []
    last = race.run(200, every=lambda index, record: seen.append(index))
    assert race.diverged == (True, False) and not race.finished
    diverging, steady = race.trainers
    reference = alone(experiment, 0)
    reference.run(200)
    assert diverging.divergence == reference.divergence
    assert_same_run(diverging, reference)
    stopped = diverging.epoch
    assert 50 < stopped < 100 and f"Training diverged at epoch {stopped - 1}:" in diverging.divergence
    assert seen.count(0) == stopped and seen.count(1) == 200
    assert last[0].epoch == stopped - 1 and last[1].epoch == 199
    assert race.epoch == 200 and steady.epoch == 200 and steady.divergence is None
    reference = alone(experiment, 1)
    reference.run(200)
    assert_same_run(steady, reference)
    records = race.train_epoch()
    assert records[0] is None and records[1].epoch == 200
    snapshot = race.snapshot()
    assert snapshot.runs[0].divergence == diverging.divergence and snapshot.runs[1].divergence is None
    assert snapshot.runs[0].epoch == stopped and snapshot.epoch == 201


def test_when_every_run_has_diverged_the_race_is_finished():
    race = Race(small(DIVERGING, OptimizerConfig("momentum", 50.0, 0.0, 0.9)))
    race.run(1000)
    assert race.finished and race.diverged == (True, True)
    # it stopped at the tick in which the last run diverged
    assert race.epoch == max(trainer.epoch for trainer in race.trainers) < 1000
    with pytest.raises(TrainingDiverged):
        race.train_epoch()
    epoch = race.epoch
    race.run(10)
    assert race.epoch == epoch


def test_set_optimizer_changes_one_run_from_its_next_epoch_and_is_logged():
    experiment = small()
    race = Race(experiment)
    race.run(5)
    faster = OptimizerConfig("sgd", 0.5, 0.0, 0.0)
    race.set_optimizer(1, faster)
    race.run(5)
    assert race.trainers[1].optimizer_config == faster and race.trainers[1].optimizer.decay == 0.0
    snapshot = race.snapshot()
    assert snapshot.runs[1].optimizer == faster
    assert snapshot.runs[1].settings == ((0, CHAPTER_RUNS[1]), (5, faster))
    for index in (0, 2):
        assert snapshot.runs[index].settings == ((0, CHAPTER_RUNS[index]),)
        assert snapshot.runs[index].optimizer == CHAPTER_RUNS[index]
        reference = alone(experiment, index)
        reference.run(10)
        assert_same_run(race.trainers[index], reference)
    reference = alone(experiment, 1)
    reference.run(5)
    reference.set_optimizer(faster)
    reference.run(5)
    assert_same_run(race.trainers[1], reference)
    assert reference.snapshot().settings == snapshot.runs[1].settings


def test_settings_log_each_setting_once_from_the_epoch_it_took_effect():
    trainer = Trainer(small())
    first, second, third = OptimizerConfig("sgd"), OptimizerConfig("decay"), OptimizerConfig("momentum", 0.5)
    trainer.set_optimizer(first)  # before epoch 0: the run starts with it
    assert trainer.settings == ((0, first),)
    trainer.run(3)
    trainer.set_optimizer(second)
    trainer.set_optimizer(third)  # at the same epoch: replaces the change
    assert trainer.settings == ((0, first), (3, third))
    trainer.set_optimizer(first)  # and back, before any epoch trained with it: no change at all
    assert trainer.settings == ((0, first),)
    trainer.set_optimizer(first)
    trainer.run(2)
    trainer.set_optimizer(first)  # the same setting again: nothing new
    trainer.set_optimizer(second)
    trainer.run(1)
    assert trainer.snapshot().settings == ((0, first), (5, second))


def test_a_race_snapshot_names_every_run_and_is_a_copy():
    twins = (OptimizerConfig("sgd", 1.0, 0.0, 0.0), OptimizerConfig("sgd", 0.5, 0.0, 0.0))
    race = Race(small(*twins))
    snapshot = race.snapshot()
    assert isinstance(snapshot, RaceSnapshot) and snapshot.epoch == 0
    assert snapshot.labels == race.labels == ("SGD (lr 1)", "SGD (lr 0.5)")
    assert [run.label for run in snapshot.runs] == list(race.labels)
    assert all(run.record is None and len(run.history) == 0 for run in snapshot.runs)
    race.run(3)
    assert all(run.epoch == 0 for run in snapshot.runs)
    later = race.snapshot()
    assert later.epoch == 3 and [run.record.epoch for run in later.runs] == [2, 2]
    assert not any(np.shares_memory(a, b) for run in later.runs for pair in run.parameters for a in pair
                   for b in all_arrays(race.trainers[0]))


def test_a_single_run_is_a_race_of_one():
    experiment = Experiment(book=True, epochs=50)
    race = Race(experiment)
    assert len(race) == 1 and race.labels == ("SGD + momentum 0.9",)
    (record,) = race.run(50)
    reference = Trainer(experiment)
    reference.run(50)
    assert_same_run(race.trainers[0], reference)
    assert record.course_line() == reference.last_record.course_line()
    assert race.snapshot().runs[0].label == reference.snapshot().label == "SGD + momentum 0.9"
