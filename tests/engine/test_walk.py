"""Walking an epoch call by call: the same numbers as a trained epoch, bit for bit; the optimizer's state; one weight."""

import inspect

import numpy as np
import pytest

from nngui.engine import CHAPTER_RUNS, SGD, DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Race, Trainer
from nngui.engine.history import COLUMNS
from nngui.engine.walk import (BACKWARD, FORWARD, POST_UPDATE, PRE_UPDATE, UPDATE, LineRecorder, WalkStep, protocol,
                               weight_update)

MOMENTUM = OptimizerConfig("momentum", 1.0, 1e-3, 0.9)


def small(*runs, hidden=(16,), book=False, test_split=0.0):
    return Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2, test_split), network=NetworkConfig(hidden),
                      runs=runs or (MOMENTUM,), book=book)


def state(trainer):
    """Every array and number an epoch changes."""
    arrays = []
    for layer in trainer.network.trainable_layers:
        for name in ("weights", "biases", "dweights", "dbiases", "weights_momentums", "biases_momentums"):
            arrays.append((name, getattr(layer, name, None)))
    history = trainer.history.view()
    arrays += [(column, getattr(history, column)) for column in COLUMNS]
    opt = trainer.optimizer
    numbers = (opt.learning_rate, opt.current_learning_rate, opt.step, opt.decay, opt.momentum,
               trainer.epoch, trainer.divergence)
    return arrays, numbers


def assert_bit_identical(a, b):
    arrays_a, numbers_a = state(a)
    arrays_b, numbers_b = state(b)
    assert numbers_a == numbers_b
    for (name, x), (_, y) in zip(arrays_a, arrays_b, strict=True):
        if x is None or y is None:
            assert x is None and y is None, name
            continue
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y, equal_nan=True), name


def walk(trainer):
    with np.errstate(all="ignore"):
        return list(trainer.walk_epoch())


@pytest.mark.parametrize("book", [False, True])
@pytest.mark.parametrize("run", [*CHAPTER_RUNS, OptimizerConfig("momentum", 0.5, 1e-2, 0.5)])
def test_a_walked_epoch_is_a_trained_epoch_bit_for_bit(run, book):
    experiment = small(run, hidden=(8, 8), book=book, test_split=0.0 if book else 0.2)
    trained, walked = Trainer(experiment), Trainer(experiment)
    for epoch in range(4):
        trained.train_epoch()
        steps = walk(walked)
        assert [s.call for s in steps] == [FORWARD, BACKWARD, PRE_UPDATE, UPDATE, UPDATE, UPDATE, POST_UPDATE]
        assert [s.layer for s in steps if s.call == UPDATE] == [0, 1, 2]
        assert {s.epoch for s in steps} == {epoch}
        assert_bit_identical(walked, trained)
    # and mixing the two keeps them equal
    walked.train_epoch()
    walk(trained)
    assert_bit_identical(walked, trained)


def test_keeping_updates_changes_no_number():
    experiment = small(hidden=(8,))
    plain, keeping = Trainer(experiment), Trainer(experiment)
    keeping.keep_updates = True
    for _ in range(3):
        plain.train_epoch()
        keeping.train_epoch()
    assert_bit_identical(plain, keeping)


def test_each_call_changes_only_what_it_should():
    trainer = Trainer(small(hidden=(8,)))
    trainer.train_epoch()
    walk_ = trainer.walk_epoch()
    weights = [layer.weights.copy() for layer in trainer.network.trainable_layers]
    dweights = [layer.dweights.copy() for layer in trainer.network.trainable_layers]
    assert next(walk_) == WalkStep(FORWARD, 1)
    assert trainer.walking and trainer.snapshot().walk == WalkStep(FORWARD, 1)
    assert next(walk_) == WalkStep(BACKWARD, 1)
    layers = trainer.network.trainable_layers
    assert not np.array_equal(layers[0].dweights, dweights[0])  # new gradients, same weights
    assert np.array_equal(layers[0].weights, weights[0])
    rate = trainer.optimizer.current_learning_rate
    assert next(walk_) == WalkStep(PRE_UPDATE, 1)
    assert trainer.optimizer.current_learning_rate == 1.0 / (1 + 1e-3 * 1) != rate
    assert next(walk_) == WalkStep(UPDATE, 1, 0)
    assert not np.array_equal(layers[0].weights, weights[0])
    assert np.array_equal(layers[1].weights, weights[1])  # layer 2 not yet
    assert next(walk_) == WalkStep(UPDATE, 1, 1)
    assert trainer.optimizer.step == 1 and trainer.epoch == 1 and len(trainer.history) == 1
    # training now would mix two epochs: refused
    with pytest.raises(RuntimeError, match="being walked"):
        trainer.train_epoch()
    assert next(walk_) == WalkStep(POST_UPDATE, 1)
    assert trainer.optimizer.step == 2 and trainer.epoch == 2 and len(trainer.history) == 2
    assert not trainer.walking and trainer.snapshot().walk is None
    with pytest.raises(StopIteration):
        next(walk_)
    assert protocol(2) == (WalkStep(FORWARD, 0), WalkStep(BACKWARD, 0), WalkStep(PRE_UPDATE, 0),
                           WalkStep(UPDATE, 0, 0), WalkStep(UPDATE, 0, 1), WalkStep(POST_UPDATE, 0))
    assert WalkStep(UPDATE, 0, 1).title() == "optimizer.update_params(layer 2)"


def test_a_race_walks_one_run_and_keeps_one_clock():
    experiment = small(*CHAPTER_RUNS)
    trained, walked = Race(experiment), Race(experiment)
    trained.train_epoch()
    walked.train_epoch()
    with np.errstate(all="ignore"):
        steps = walked.walk_epoch(2)
        for step in steps:
            if step.done:
                break
            # mid-walk: the walked run is inside epoch 1, the others have not started it
            assert [t.epoch for t in walked.trainers] == [1, 1, 1] and walked.epoch == 1
        # the last call is reported after every run finished epoch 1
        assert [t.epoch for t in walked.trainers] == [2, 2, 2] and walked.epoch == 2
    trained.train_epoch()
    for ours, theirs in zip(walked.trainers, trained.trainers, strict=True):
        assert_bit_identical(ours, theirs)


def test_optimizer_state_in_the_snapshot_equals_the_optimizer():
    trainer = Trainer(small(hidden=(8, 8)))
    before = trainer.snapshot().optimizer_state
    assert before.dweights_norms == (None, None, None) and before.momentums_norms == (None, None, None)
    for _ in range(3):
        trainer.train_epoch()
    opt, state_ = trainer.optimizer, trainer.snapshot().optimizer_state
    assert (state_.learning_rate, state_.current_learning_rate, state_.step, state_.decay, state_.momentum) == (
        opt.learning_rate, opt.current_learning_rate, opt.step, opt.decay, opt.momentum)
    assert state_.current_learning_rate == 1.0 / (1 + 1e-3 * 2) and state_.step == 3
    for layer, dw, m in zip(trainer.network.trainable_layers, state_.dweights_norms, state_.momentums_norms):
        # the Frobenius norm, sqrt(sum of squares)
        assert dw == float(np.linalg.norm(layer.dweights)) == pytest.approx(np.sqrt(np.sum(layer.dweights ** 2)),
                                                                            rel=1e-12)
        assert m == float(np.linalg.norm(layer.weights_momentums)) == pytest.approx(
            np.sqrt(np.sum(layer.weights_momentums ** 2)), rel=1e-12)


@pytest.mark.parametrize("book", [False, True])
@pytest.mark.parametrize("run", [MOMENTUM, OptimizerConfig("decay", 0.5, 1e-2, 0.0)])
def test_one_weights_numbers_are_the_engines(run, book):
    trainer = Trainer(small(run, hidden=(8,), book=book))
    trainer.keep_updates = True
    assert trainer.snapshot().updates == (None, None)
    trainer.train_epoch()
    first = trainer.snapshot().updates[1]
    # the first momentum update starts from a zero buffer
    assert first.momentums_before is None
    assert weight_update(first, 2, 1).momentum_before == 0.0
    weights_before = [layer.weights.copy() for layer in trainer.network.trainable_layers]
    momentums_before = [getattr(layer, "weights_momentums", None) for layer in trainer.network.trainable_layers]
    momentums_before = [None if m is None else m.copy() for m in momentums_before]
    rate = run.learning_rate * (1 / (1 + run.decay * 1))
    trainer.train_epoch()
    snapshot = trainer.snapshot()
    for index, layer in enumerate(trainer.network.trainable_layers):
        update = snapshot.updates[index]
        assert update.epoch == 1 and update.learning_rate == rate == trainer.optimizer.current_learning_rate
        assert not update.weights_after.flags.writeable
        for row, column in ((0, 0), (1, 2), (layer.weights.shape[0] - 1, layer.weights.shape[1] - 1)):
            piece = np.s_[row:row + 1, column:column + 1]
            numbers = weight_update(update, row, column)
            dw = layer.dweights[row, column]
            assert numbers.dweight == dw
            assert numbers.weight_before == weights_before[index][row, column]
            assert numbers.weight_after == layer.weights[row, column]
            if run.momentum:
                m = momentums_before[index][row, column]
                assert numbers.momentum_before == m
                # the engine kept the update itself as the new momentum
                assert numbers.update == layer.weights_momentums[row, column]
                by_hand = 0.9 * momentums_before[index][piece] - rate * layer.dweights[piece]
            else:
                by_hand = -rate * layer.dweights[piece]
            assert numbers.update == by_hand
            assert layer.weights.dtype.type(numbers.weight_before) + layer.weights.dtype.type(numbers.update) \
                == numbers.weight_after


def test_the_lines_that_ran_are_recorded():
    lines, start = inspect.getsourcelines(SGD)
    source = {start + i: text.strip() for i, text in enumerate(lines)}

    def ran(optimizer, call, *args):
        with LineRecorder(SGD) as recorder:
            getattr(optimizer, call)(*args)
        return [source[n] for n in recorder.lines]

    trainer = Trainer(small(hidden=(4,)))
    trainer.train_epoch()
    layer = trainer.network.trainable_layers[0]
    with_momentum = ran(SGD(1.0, 1e-3, 0.9), "update_params", layer)
    assert "if self.momentum:" in with_momentum and "layer.weights_momentums = weights_updates" in with_momentum
    assert "weights_updates = -self.current_learning_rate * layer.dweights" not in with_momentum
    plain = ran(SGD(1.0), "update_params", layer)
    assert "weights_updates = -self.current_learning_rate * layer.dweights" in plain
    assert "layer.weights_momentums = weights_updates" not in plain
    # without decay the rate is not recomputed: only the test runs
    assert ran(SGD(1.0), "pre_update_params") == ["if self.decay:"]
    assert ran(SGD(1.0, 1e-3), "post_update_params") == ["self.step += 1"]
    # one optimizer's lines, not another's
    mine, other = SGD(1.0), SGD(1.0, 1e-3)
    with LineRecorder(SGD, mine) as recorder:
        other.pre_update_params()
        mine.post_update_params()
    assert [source[n] for n in recorder.lines] == ["self.step += 1"]


def test_with_mini_batches_the_walk_makes_the_lessons_calls_once_per_batch():
    # 90 training points in batches of 40: 40, 40 and 10, so three rounds of the protocol an epoch
    experiment = Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2), network=NetworkConfig((8,)),
                            runs=(MOMENTUM,), batch_size=40)
    trained, walked = Trainer(experiment), Trainer(experiment)
    for epoch in range(3):
        trained.train_epoch()
        steps = walk(walked)
        one_batch = [FORWARD, BACKWARD, PRE_UPDATE, UPDATE, UPDATE, POST_UPDATE]
        assert [s.call for s in steps] == one_batch * 3
        assert [s.batch for s in steps] == [b for b in range(3) for _ in one_batch]
        assert [s.done for s in steps] == [False] * 17 + [True]
        assert "batch 2 of 3" in steps[7].title()
        assert walked.optimizer.step == 3 * (epoch + 1)
        assert_bit_identical(walked, trained)
