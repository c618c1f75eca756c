"""Checkpoints and replay: the run as it was after k epochs is a fresh run stopped at k, bit for bit."""

import dataclasses
import math

import numpy as np
import pytest

from nngui.engine import CHAPTER_RUNS, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Race, Trainer
from nngui.surfaces.checkpoints import (MAX_CHECKPOINTS, MIN_CHECKPOINTS, Checkpoints,
                                      RaceTimeline, ReplayAborted, RunTimeline, capture, checkpoint_capacity, restore)
from nngui.engine.history import COLUMNS
from nngui.engine.trainer import CONSTANT, RECORDED, SHOWN_ONLY, STATE

DIVERGING = OptimizerConfig("sgd", 100.0, 0.0, 0.0)


def small(*runs, test_split=0.25, book=False):
    if book:
        return Experiment(network=NetworkConfig((16,)), runs=runs or CHAPTER_RUNS, book=True)
    return Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2, test_split), network=NetworkConfig((16,)),
                      runs=runs or CHAPTER_RUNS)


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def assert_same_state(trainer, reference, history=True):
    """Parameters, momentums, optimizer, divergence tracker, settings and (if ``history``) every record."""
    assert trainer.epoch == reference.epoch
    for layer, ref in zip(trainer.network.trainable_layers, reference.network.trainable_layers, strict=True):
        assert same_bits(layer.weights, ref.weights) and same_bits(layer.biases, ref.biases)
        assert hasattr(layer, "weights_momentums") == hasattr(ref, "weights_momentums")
        if hasattr(ref, "weights_momentums"):
            assert same_bits(layer.weights_momentums, ref.weights_momentums)
            assert same_bits(layer.biases_momentums, ref.biases_momentums)
    mine, theirs = trainer.optimizer, reference.optimizer
    for name in ("learning_rate", "current_learning_rate", "decay", "step", "momentum"):
        assert getattr(mine, name) == getattr(theirs, name), name
    assert trainer.optimizer_config == reference.optimizer_config
    assert trainer.settings == reference.settings
    assert trainer.divergence == reference.divergence
    assert trainer._high_loss_epochs == reference._high_loss_epochs
    assert (trainer._baseline_loss == reference._baseline_loss
            or math.isnan(trainer._baseline_loss) and math.isnan(reference._baseline_loss))
    assert trainer.last_record == reference.last_record or (
        trainer.last_record is not None and trainer.last_record.epoch == reference.last_record.epoch
        and trainer.last_record.loss == reference.last_record.loss)
    if history:
        ours, ref = trainer.history.view(), reference.history.view()
        assert len(ours) == len(ref) == trainer.epoch
        for column in COLUMNS:
            assert same_bits(getattr(ours, column), getattr(ref, column)), column


def fresh(experiment, index, epochs, calls=()):
    """Run ``index`` of ``experiment`` alone, trained ``epochs`` epochs, with ``calls`` ((epoch, config), ...)."""
    trainer = Trainer(experiment, experiment.runs[index], label=experiment.labels[index])
    pending = list(calls)
    with np.errstate(all="ignore"):
        while True:
            while pending and pending[0][0] <= trainer.epoch:
                trainer.set_optimizer(pending.pop(0)[1])
            if trainer.epoch >= epochs or trainer.divergence:
                return trainer
            trainer.train_epoch_unguarded()


@pytest.mark.parametrize("book", [False, True])
def test_every_epoch_of_the_chapter_race_replays_to_the_bit_after_thinning(book):
    experiment = small(book=book)
    race = Race(experiment)
    timeline = RaceTimeline(race, capacity=4)
    for _ in range(37):
        race.train_epoch()
        timeline.record()
    # four checkpoints at most: the interval doubled to 16 and most are replayed over
    assert timeline.runs[0].checkpoints.epochs == (0, 16, 32)
    for index, run in enumerate(timeline.runs):
        for k in (0, 1, 15, 16, 17, 31, 33, 37):
            assert_same_state(run.trainer_at(k), fresh(experiment, index, k))


def test_a_restored_trainer_goes_on_exactly_as_the_run_did():
    experiment = small()
    race = Race(experiment)
    race.run(40)
    timeline = RaceTimeline(race, capacity=8)  # a timeline made late starts at the run's epoch
    assert timeline.runs[2].checkpoints.epochs == (40,)
    race.run(12)
    timeline.record()
    restored = timeline.runs[2].trainer_at(45)
    restored.run(30)
    assert_same_state(restored, fresh(experiment, 2, 75))


def test_thinning_keeps_between_half_and_all_of_the_capacity_every_interval_epochs():
    checkpoints = Checkpoints(capacity=4)
    trainer = Trainer(small())
    for epoch in range(11):
        trainer.epoch = epoch
        if checkpoints.due(epoch):
            checkpoints.add(capture(trainer))
    # 0 1 2 3, then 4 makes five: every 2nd (0 2 4), then 6, then 8 makes five: every 4th
    assert checkpoints.epochs == (0, 4, 8) and checkpoints.interval == 4
    assert checkpoints.nearest(7).epoch == 4 and checkpoints.nearest(8).epoch == 8
    trainer.epoch = 3
    with pytest.raises(ValueError, match="epoch 3"):
        checkpoints.add(capture(trainer))


def test_capacity_follows_the_network_size():
    # the chapter's network (2, 64, 3): 2·64 + 64 + 64·3 + 3 = 387 float64s = 3,096 bytes, without momentums
    chapter = Trainer(Experiment())
    state = capture(chapter)
    assert state.nbytes == 387 * 8
    assert checkpoint_capacity(state.nbytes) == MAX_CHECKPOINTS == 2048
    # four layers of 256: 198,915 float64s, 1.59 MB: ten fit in 16 MiB; with momentums five, so the floor of 8
    assert checkpoint_capacity(198_915 * 8) == 10
    assert checkpoint_capacity(2 * 198_915 * 8) == MIN_CHECKPOINTS == 8
    momentum = Trainer(Experiment(runs=(CHAPTER_RUNS[2],)))
    momentum.run(1)
    assert capture(momentum).nbytes == 2 * 387 * 8


def test_settings_changed_mid_run_replay_exactly_even_when_taken_back_before_the_next_epoch():
    experiment = small(CHAPTER_RUNS[2])
    no_momentum = OptimizerConfig("sgd", 0.5, 0.0, 0.0)
    faster = OptimizerConfig("momentum", 2.0, 1e-3, 0.5)
    # at 9: momentum off then back on before epoch 9 trains: the buffers start again from rest,
    # though the settings log shows no change at all
    calls = ((5, faster), (9, no_momentum), (9, faster), (14, no_momentum), (20, faster))
    trainer = Trainer(experiment, experiment.runs[0], label=experiment.labels[0])
    timeline = RunTimeline(trainer, Race(experiment).start, capacity=4)
    pending = list(calls)
    for _ in range(26):
        while pending and pending[0][0] <= trainer.epoch:
            timeline.set_optimizer(pending.pop(0)[1])
        trainer.train_epoch()
        timeline.record()
    assert trainer.settings[1:] == ((5, faster), (14, no_momentum), (20, faster))
    for k in (4, 5, 9, 10, 14, 19, 21, 26):
        assert_same_state(timeline.trainer_at(k), fresh(experiment, 0, k, calls))
    # scrubbing forward goes on from the last replay: the same bits
    for k in (3, 8, 9, 12, 13, 25):
        assert_same_state(timeline.trainer_at(k, with_history=False), fresh(experiment, 0, k, calls), history=False)


def test_a_diverged_run_replays_to_its_divergence_and_stays_there():
    experiment = small(DIVERGING, CHAPTER_RUNS[0])
    race = Race(experiment)
    timeline = RaceTimeline(race, capacity=8)
    while not race.diverged[0]:
        race.train_epoch()
        timeline.record()
    end = race.trainers[0].epoch
    race.run(10)
    timeline.record()
    assert race.epoch == end + 10
    reference = fresh(experiment, 0, end + 10)
    assert reference.divergence and reference.epoch == end
    assert_same_state(timeline.runs[0].trainer_at(end + 10), reference)
    before = timeline.runs[0].trainer_at(end - 1)
    assert before.divergence is None
    assert_same_state(before, fresh(experiment, 0, end - 1))
    snapshot = timeline.snapshot_at(end + 5)
    assert snapshot.runs[0].epoch == end and snapshot.runs[0].divergence == reference.divergence
    assert snapshot.runs[1].epoch == end + 5 and snapshot.runs[1].divergence is None


@pytest.mark.parametrize("batch_size", [None, 16])
def test_race_snapshot_at_k_is_the_snapshot_a_fresh_race_stopped_at_k_gives(batch_size):
    # with mini-batches too: an epoch's batches come from (seed, epoch) alone, so replay draws the same ones
    experiment = dataclasses.replace(small(), batch_size=batch_size)
    race = Race(experiment)
    timeline = RaceTimeline(race, capacity=4)
    for _ in range(30):
        race.train_epoch()
        timeline.record()
    shown = timeline.snapshot_at(19)
    other = Race(experiment)
    other.run(19)
    expected = other.snapshot()
    assert shown.epoch == expected.epoch == 19 and shown.labels == expected.labels
    for run, ref in zip(shown.runs, expected.runs, strict=True):
        assert (run.epoch, run.record, run.optimizer, run.settings, run.divergence, run.label) == \
               (ref.epoch, ref.record, ref.optimizer, ref.settings, ref.divergence, ref.label)
        assert (run.activation, run.sizes) == (ref.activation, ref.sizes)
        for (w, b), (w_ref, b_ref) in zip(run.parameters, ref.parameters, strict=True):
            assert same_bits(w, w_ref) and same_bits(b, b_ref)
            assert not w.flags.writeable and not b.flags.writeable
        for column in COLUMNS:
            assert same_bits(getattr(run.history, column), getattr(ref.history, column))
        assert run.steps == ref.steps


@pytest.mark.parametrize("epoch", [-1, 31, 2.0, True, "3", None])
def test_an_epoch_out_of_range_is_refused_naming_it(epoch):
    race = Race(small())
    timeline = RaceTimeline(race)
    race.run(30)
    timeline.record()
    with pytest.raises(ValueError, match="epoch: must be a whole number from 0 to 30"):
        timeline.snapshot_at(epoch)


def test_checkpoints_are_read_only_copies_that_training_never_touches():
    race = Race(small())
    timeline = RaceTimeline(race, capacity=64)
    race.run(3)
    timeline.record()
    run = timeline.runs[2]
    state = run.checkpoints.nearest(3)
    arrays = [a for pair in state.trainer.parameters + state.trainer.momentums for a in pair]
    assert arrays and not any(a.flags.writeable for a in arrays)
    before = [a.copy() for a in arrays]
    restored = restore(state, race.experiment, race.start, "x")
    live = race.trainers[2]
    for layer in restored.network.trainable_layers + live.network.trainable_layers:
        assert not any(np.shares_memory(layer.weights, a) or np.shares_memory(layer.weights_momentums, a)
                       for a in arrays)
    restored.run(5)
    race.run(5)
    assert all(np.array_equal(a, b) for a, b in zip(arrays, before))


def test_a_checkpoint_captures_every_attribute_a_trainer_has():
    # a new attribute of the Trainer must be captured by Trainer.state(), or replay may silently differ
    trainer = Trainer(small(CHAPTER_RUNS[2]))
    trainer.run(2)
    assert set(vars(trainer)) == STATE | CONSTANT | SHOWN_ONLY | RECORDED


def test_an_aborted_replay_raises_and_the_next_one_goes_on_exactly():
    experiment = small()
    race = Race(experiment)
    timeline = RaceTimeline(race, capacity=2)
    race.run(50)
    timeline.record()
    asked = []

    def abort():
        asked.append(1)
        return len(asked) > 7

    run = timeline.runs[1]
    with pytest.raises(ReplayAborted, match="replay to epoch 40 stopped at epoch 7"):
        run.snapshot_at(40, abort)
    assert len(asked) == 8
    snapshot = run.snapshot_at(40)
    reference = fresh(experiment, 1, 40)
    for (w, b), layer in zip(snapshot.parameters, reference.network.trainable_layers, strict=True):
        assert same_bits(w, layer.weights) and same_bits(b, layer.biases)


def assert_same_update(update, expected):
    if expected is None:
        assert update is None
        return
    for name in ("epoch", "learning_rate", "momentum"):
        assert getattr(update, name) == getattr(expected, name), name
    for name in ("dweights", "weights_before", "weights_after", "momentums_before", "momentums_after"):
        mine, theirs = getattr(update, name), getattr(expected, name)
        assert (mine is None) == (theirs is None) and (mine is None or same_bits(mine, theirs)), name


def test_what_the_code_panel_shows_is_replayed_too_gradients_and_last_updates():
    experiment = small()
    race = Race(experiment)
    race.keep_updates = True
    timeline = RaceTimeline(race, capacity=4)
    for _ in range(24):
        race.train_epoch()
        timeline.record()
    for k in (0, 1, 16, 17, 23):  # 16: a checkpoint itself; the epoch before it is replayed all the same
        reference = Race(experiment)
        reference.keep_updates = True
        reference.run(k)
        expected = reference.snapshot()
        shown = timeline.snapshot_at(k)
        for run, ref in zip(shown.runs, expected.runs, strict=True):
            assert run.optimizer_state == ref.optimizer_state and run.walk is None and ref.walk is None
            for update, ref_update in zip(run.updates, ref.updates, strict=True):
                assert_same_update(update, ref_update)


def test_a_walked_epoch_is_checkpointed_at_its_end_and_never_inside_it():
    experiment = small()
    race = Race(experiment)
    timeline = RaceTimeline(race)
    walk = race.walk_epoch(2)
    with np.errstate(all="ignore"):
        next(walk)
        with pytest.raises(ValueError, match="checkpoint: epoch 0 is being walked"):
            capture(race.trainers[2])
        for _ in walk:
            pass
    timeline.record()
    race.run(3)
    timeline.record()
    assert timeline.runs[2].checkpoints.epochs == (0, 1, 4)
    assert_same_state(timeline.runs[2].trainer_at(1), fresh(experiment, 2, 1))


def test_mini_batch_runs_replay_to_the_bit_and_their_records_are_the_runs_own():
    experiment = dataclasses.replace(small(), batch_size=16)  # 68 training points: 5 updates an epoch
    race = Race(experiment)
    timeline = RaceTimeline(race, capacity=4)
    for _ in range(21):
        race.train_epoch()
        timeline.record()
    for k in (0, 7, 16, 21):
        for index, run in enumerate(timeline.runs):
            assert_same_state(run.trainer_at(k), fresh(experiment, index, k))
    reference = Race(experiment)
    reference.run(13)
    expected = reference.snapshot()
    shown = timeline.snapshot_at(13)
    for run, ref in zip(shown.runs, expected.runs, strict=True):
        assert run.steps == ref.steps == 13 * 5
        for name in ("step", "epoch", "loss"):
            assert same_bits(getattr(run.batch_losses, name), getattr(ref.batch_losses, name)), name
        assert [epoch for epoch, _ in run.trajectory] == [epoch for epoch, _ in ref.trajectory]
        for (_, params), (_, ref_params) in zip(run.trajectory, ref.trajectory, strict=True):
            for (w, b), (w_ref, b_ref) in zip(params, ref_params, strict=True):
                assert same_bits(w, w_ref) and same_bits(b, b_ref)
