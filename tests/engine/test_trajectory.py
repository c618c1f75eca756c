"""A run's trajectory: bounded, evenly thinned, the start always kept, copies that never change."""

import numpy as np
import pytest

from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig, Trainer
from nngui.engine.history import MIN_CAPACITY, TRAJECTORY_CAPACITY, TrajectoryRecorder, capacity_for


def small(hidden=(8,), learning_rate=1.0):
    return Experiment(dataset=DatasetConfig("spiral", 30, 3, 0.2, 0.0), network=NetworkConfig(hidden=hidden),
                      runs=(OptimizerConfig("momentum", learning_rate, 1e-3, 0.9),), seed=3)


def layer(value):
    return [(np.full((2, 3), float(value)), np.full((1, 3), float(value)))]


def test_the_recorder_keeps_every_epoch_until_full_then_every_other():
    recorder = TrajectoryRecorder(layer(0), capacity=5)
    for epoch in range(1, 5):
        recorder.record(epoch, layer(epoch))
    assert [e for e, _ in recorder.checkpoints()] == [0, 1, 2, 3, 4]
    recorder.record(5, layer(5))  # six would be too many: every second epoch from now on
    assert recorder.stride == 2
    assert [e for e, _ in recorder.checkpoints()] == [0, 2, 4]
    for epoch in range(6, 11):
        recorder.record(epoch, layer(epoch))
    # 0 2 4 6 8 10 is six: thinned to every fourth
    assert [e for e, _ in recorder.checkpoints()] == [0, 4, 8]
    for epoch, parameters in recorder.checkpoints():
        assert parameters[0][0][0, 0] == epoch


def test_a_long_run_stays_bounded_and_evenly_spread_with_the_start_kept():
    recorder = TrajectoryRecorder(layer(0))
    assert recorder.capacity == TRAJECTORY_CAPACITY
    for epoch in range(1, 10_001):
        recorder.record(epoch, layer(epoch))
        assert len(recorder) <= TRAJECTORY_CAPACITY
    epochs = [e for e, _ in recorder.checkpoints()]
    assert epochs[0] == 0
    assert set(np.diff(epochs)) == {recorder.stride}
    assert len(epochs) >= TRAJECTORY_CAPACITY // 2
    # the current weights end the path when the stride did not keep them
    current = layer(10_000)
    assert 10_000 % recorder.stride  # (the last epoch is not one the stride keeps)
    with_current = recorder.checkpoints(10_000, current)
    assert with_current[-1][0] == 10_000 and with_current[-1][1] is current
    assert len(with_current) == len(epochs) + 1
    assert recorder.checkpoints(epochs[-1], current) == recorder.checkpoints()


def test_checkpoints_are_read_only_copies_and_handed_out_tuples_never_change():
    live = layer(1)
    recorder = TrajectoryRecorder(live, capacity=3)
    live[0][0][:] = 7.0  # the run trains its arrays in place
    handed_out = recorder.checkpoints()
    assert handed_out[0][1][0][0][0, 0] == 1.0
    with pytest.raises(ValueError):
        handed_out[0][1][0][0][0, 0] = 5.0
    for epoch in range(1, 20):
        recorder.record(epoch, live)
    assert len(handed_out) == 1 and handed_out[0][0] == 0


def test_a_large_network_keeps_fewer_checkpoints_within_its_memory_budget():
    big = [(np.zeros((256, 256)), np.zeros((1, 256)))] * 4
    assert capacity_for(big, budget=16 * 2 ** 20) == 16 * 2 ** 20 // (4 * (256 * 256 + 256) * 8)
    assert capacity_for(big, budget=1) == MIN_CAPACITY
    assert capacity_for(layer(0)) == TRAJECTORY_CAPACITY


def test_a_capacity_below_two_is_refused_by_name():
    with pytest.raises(ValueError, match="capacity"):
        TrajectoryRecorder(layer(0), capacity=1)


def test_the_snapshot_carries_the_trainer_s_weights_at_each_checkpoint():
    trainer = Trainer(small())
    start = [(w.copy(), b.copy()) for w, b in trainer.network.parameters()]
    trainer.run(7)
    snapshot = trainer.snapshot()
    epochs = [epoch for epoch, _ in snapshot.trajectory]
    assert epochs == list(range(8))
    for (w, b), (w0, b0) in zip(snapshot.trajectory[0][1], start):
        np.testing.assert_array_equal(w, w0)
        np.testing.assert_array_equal(b, b0)
    # the last checkpoint holds the current weights
    for (w, b), (w7, b7) in zip(snapshot.trajectory[-1][1], snapshot.parameters):
        np.testing.assert_array_equal(w, w7)
        np.testing.assert_array_equal(b, b7)
    # checkpoint k holds the weights after k epochs: the same as a fresh run stopped there
    again = Trainer(small())
    again.run(4)
    for (w, b), (w4, b4) in zip(snapshot.trajectory[4][1], again.network.parameters()):
        np.testing.assert_array_equal(w, w4)
        np.testing.assert_array_equal(b, b4)


def test_the_current_weights_end_the_path_between_kept_epochs():
    trainer = Trainer(small())
    trainer.trajectory = TrajectoryRecorder(trainer.network.parameters(), capacity=4)
    trainer.run(5)  # keeps 0 2 4 after thinning; epoch 5 is the current one
    snapshot = trainer.snapshot()
    assert [epoch for epoch, _ in snapshot.trajectory] == [0, 2, 4, 5]
    assert snapshot.trajectory[-1][1] is snapshot.parameters
