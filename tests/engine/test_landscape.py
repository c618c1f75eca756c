"""The network's loss landscape: the principal plane, the projected paths, the loss grid, the edge cases."""

import dataclasses
import math

import numpy as np
import pytest

from nngui.engine import (CHAPTER_RUNS, DatasetConfig, Experiment, NetworkConfig, Race, cross_entropy, predict_proba,
                          softmax)
from nngui.surfaces.landscape import (LANDSCAPE_RESOLUTION, LandscapeCancelled, flatten, network_landscape,
                                    parameter_shapes, principal_plane, unflatten)

SMALL = Experiment(dataset=DatasetConfig("spiral", 40, 3, 0.2, 0.0), network=NetworkConfig(hidden=(8,)),
                   runs=CHAPTER_RUNS, seed=1)


@pytest.fixture(scope="module")
def race():
    race = Race(SMALL)
    race.run(60)
    return race


def runs_of(snapshot):
    return [(run.label, run.trajectory) for run in snapshot.runs]


def loss_at(parameters, X, y, activation="relu"):
    return cross_entropy(predict_proba(parameters, activation, X), y)


def test_flatten_and_unflatten_are_inverse():
    rng = np.random.default_rng(0)
    parameters = [(rng.standard_normal((2, 4)), rng.standard_normal((1, 4))),
                  (rng.standard_normal((4, 3)), rng.standard_normal((1, 3)))]
    flat = flatten(parameters)
    assert flat.shape == (2 * 4 + 4 + 4 * 3 + 3,)
    (w1, b1), (w2, b2) = unflatten(flat[None, :], parameter_shapes(parameters))
    for stacked, original in zip((w1, b1, w2, b2), (a for layer in parameters for a in layer)):
        np.testing.assert_array_equal(stacked[0], original)


def test_softmax_of_a_stack_of_networks_is_each_network_s_softmax():
    rng = np.random.default_rng(0)
    stack = rng.standard_normal((5, 7, 3)) * 10
    np.testing.assert_array_equal(softmax(stack), np.array([softmax(block) for block in stack]))


def test_the_plane_of_hand_made_paths():
    # offsets (1,0,0), (0,2,0), (0,0,½): the squared lengths along the axes are 1, 4 and ¼, so the
    # first direction is y, the second x, and the plane holds (4 + 1) / (4 + 1 + ¼) = 20/21
    origin = np.zeros(3)
    path = np.array([[0, 0, 0], [1, 0, 0], [0, 2, 0], [0, 0, 0.5]], dtype=float)
    plane = principal_plane(origin, [path])
    assert plane.rank == 2
    assert plane.explained == pytest.approx(20 / 21, rel=1e-12)
    assert plane.shares == pytest.approx((16 / 21, 4 / 21), rel=1e-12)
    np.testing.assert_allclose(np.abs(plane.axes), [[0, 1, 0], [1, 0, 0]], atol=1e-12)
    np.testing.assert_allclose(np.abs(plane.project(path)), [[0, 0], [0, 1], [2, 0], [0, 0]], atol=1e-12)


def test_the_axes_are_orthonormal_and_the_start_is_the_grid_s_middle(race):
    landscape = network_landscape(runs_of(race.snapshot()), "relu", race.X_train, race.y_train)
    axes = landscape.plane.axes
    np.testing.assert_allclose(axes @ axes.T, np.eye(2), atol=1e-12)
    middle = LANDSCAPE_RESOLUTION // 2
    assert landscape.loss.shape == (LANDSCAPE_RESOLUTION, LANDSCAPE_RESOLUTION)
    assert landscape.alphas[middle] == 0 and landscape.betas[middle] == 0
    for path in landscape.paths:
        np.testing.assert_array_equal(path.coordinates[0], [0, 0])
    assert 0 < landscape.explained <= 1
    assert landscape.notes == () and landscape.excluded == ()


def test_the_grid_s_centre_loss_is_the_start_s_loss(race):
    snapshot = race.snapshot()
    landscape = network_landscape(runs_of(snapshot), "relu", race.X_train, race.y_train)
    start = snapshot.runs[0].trajectory[0][1]
    expected = loss_at(start, race.X_train, race.y_train)
    middle = LANDSCAPE_RESOLUTION // 2
    assert landscape.loss[middle, middle] == pytest.approx(expected, rel=1e-12)
    assert landscape.start_loss == landscape.loss[middle, middle]
    # and the loss the run measured at its epoch 0
    assert landscape.start_loss == pytest.approx(snapshot.runs[0].history.loss[0], rel=1e-12)


def test_each_grid_point_is_the_loss_of_the_network_at_that_point_of_the_plane(race):
    landscape = network_landscape(runs_of(race.snapshot()), "relu", race.X_train, race.y_train, resolution=7)
    shapes = parameter_shapes(race.snapshot().runs[0].parameters)
    for i, j in ((0, 0), (1, 5), (6, 2), (3, 6)):  # row i is betas[i], column j alphas[j]
        weights = unflatten(landscape.plane.point(landscape.alphas[j], landscape.betas[i])[None, :], shapes)
        single = [(w[0], b[0]) for w, b in weights]
        assert landscape.loss[i, j] == pytest.approx(loss_at(single, race.X_train, race.y_train), rel=1e-12)


def test_a_trajectory_in_a_plane_is_explained_fully_and_its_checkpoints_reconstruct():
    rng = np.random.default_rng(4)
    start = [(0.01 * rng.standard_normal((2, 8)), np.zeros((1, 8))), (0.01 * rng.standard_normal((8, 3)), np.zeros((1, 3)))]
    shapes = parameter_shapes(start)
    origin = flatten(start)
    u, v = rng.standard_normal((2, origin.size))
    steps = [(0.0, 0.0), (0.1, 0.02), (0.3, -0.05), (0.4, 0.1), (0.7, 0.2)]
    points = [origin + s * u + t * v for s, t in steps]
    checkpoints = tuple((epoch, [(w[0], b[0]) for w, b in unflatten(p[None, :], shapes)])
                        for epoch, p in enumerate(points))
    X = rng.standard_normal((20, 2))
    y = rng.integers(0, 3, 20)
    landscape = network_landscape([("run", checkpoints)], "tanh", X, y, resolution=5)
    assert landscape.plane.rank == 2
    assert landscape.explained == pytest.approx(1.0, abs=1e-12)
    assert "100%" in landscape.explained_words()
    for point, coordinates in zip(points, landscape.paths[0].coordinates):
        np.testing.assert_allclose(landscape.plane.point(*coordinates), point, atol=1e-12)


def test_a_single_run_has_its_own_plane(race):
    snapshot = race.snapshot()
    landscape = network_landscape(runs_of(snapshot)[:1], "relu", race.X_train, race.y_train, resolution=5)
    assert [p.label for p in landscape.paths] == [snapshot.labels[0]]
    assert landscape.plane.rank == 2 and 0 < landscape.explained <= 1
    # the axes point the way the run went
    assert (landscape.paths[0].coordinates[-1] >= 0).all()


def test_no_movement_yet_gives_random_orthonormal_axes_and_says_so():
    race = Race(SMALL)
    landscape = network_landscape(runs_of(race.snapshot()), "relu", race.X_train, race.y_train, resolution=5)
    assert landscape.plane.rank == 0 and math.isnan(landscape.explained)
    np.testing.assert_allclose(landscape.plane.axes @ landscape.plane.axes.T, np.eye(2), atol=1e-12)
    assert np.isfinite(landscape.loss).all()
    assert "No run has moved" in landscape.explained_words()
    assert any("random directions" in note for note in landscape.notes)
    assert all(len(path.coordinates) == 1 for path in landscape.paths)


def test_a_run_that_has_not_moved_beside_runs_that_have(race):
    snapshot = race.snapshot()
    still = (snapshot.labels[0], snapshot.runs[0].trajectory[:1])
    landscape = network_landscape([still] + runs_of(snapshot)[1:], "relu", race.X_train, race.y_train, resolution=5)
    np.testing.assert_array_equal(landscape.paths[0].coordinates, [[0.0, 0.0]])
    assert landscape.plane.rank == 2


def test_a_straight_path_is_rank_one_with_a_random_second_axis_at_right_angles():
    rng = np.random.default_rng(2)
    start = [(0.01 * rng.standard_normal((2, 4)), np.zeros((1, 4))), (0.01 * rng.standard_normal((4, 2)), np.zeros((1, 2)))]
    shapes = parameter_shapes(start)
    direction = rng.standard_normal(flatten(start).size)
    checkpoints = tuple((k, [(w[0], b[0]) for w, b in unflatten((flatten(start) + 0.1 * k * direction)[None, :], shapes)])
                        for k in range(4))
    X, y = rng.standard_normal((10, 2)), rng.integers(0, 2, 10)
    landscape = network_landscape([("straight", checkpoints)], "relu", X, y, resolution=5)
    plane = landscape.plane
    assert plane.rank == 1
    assert landscape.explained == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(plane.axes @ plane.axes.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(plane.axes[0], direction / np.linalg.norm(direction), atol=1e-12)
    np.testing.assert_allclose(landscape.paths[0].coordinates[:, 1], 0, atol=1e-12)
    assert any("one direction" in note for note in landscape.notes)
    assert landscape.betas[-1] > 0  # the second axis still has room to show the loss beside the path


def test_a_diverged_run_is_left_out_with_a_note(race):
    snapshot = race.snapshot()
    label, trajectory = runs_of(snapshot)[2]
    epoch, parameters = trajectory[-1]
    broken = [(w.copy(), b.copy()) for w, b in parameters]
    broken[0][0][0, 0] = np.inf
    runs = runs_of(snapshot)[:2] + [(label, trajectory[:-1] + ((epoch, broken),))]
    with np.errstate(all="raise"):  # and no numpy warning on the way
        landscape = network_landscape(runs, "relu", race.X_train, race.y_train, resolution=5)
    assert [p.index for p in landscape.paths] == [0, 1]
    assert landscape.excluded[0][:2] == (2, label)
    assert any(note.startswith(f"{label} is left out") for note in landscape.notes)
    assert np.isfinite(landscape.loss).all()


def test_when_every_run_diverged_the_loss_around_the_start_is_still_shown(race):
    snapshot = race.snapshot()
    label, trajectory = runs_of(snapshot)[0]
    broken = [(np.full_like(w, np.nan), b) for w, b in trajectory[-1][1]]
    landscape = network_landscape([(label, trajectory[:-1] + ((trajectory[-1][0], broken),))], "relu",
                                  race.X_train, race.y_train, resolution=5)
    assert landscape.paths == () and len(landscape.excluded) == 1
    assert landscape.explained_words() == "Every run diverged: there is no path to project."
    assert any("No path is left" in note for note in landscape.notes)
    assert np.isfinite(landscape.loss).all()


def test_weights_too_large_to_square_count_as_diverged(race):
    snapshot = race.snapshot()
    label, trajectory = runs_of(snapshot)[1]
    epoch, parameters = trajectory[-1]
    huge = [(w * 1e200, b) for w, b in parameters]
    runs = [runs_of(snapshot)[0], (label, trajectory[:-1] + ((epoch, huge),))]
    with np.errstate(all="raise"):
        landscape = network_landscape(runs, "relu", race.X_train, race.y_train, resolution=5)
    assert [p.index for p in landscape.paths] == [0]
    assert landscape.excluded[0][:2] == (1, label)


def test_bad_input_is_refused_by_name(race):
    runs = runs_of(race.snapshot())
    with pytest.raises(ValueError, match="resolution"):
        network_landscape(runs, "relu", race.X_train, race.y_train, resolution=40)
    with pytest.raises(ValueError, match="runs"):
        network_landscape([], "relu", race.X_train, race.y_train)
    other = Race(dataclasses.replace(SMALL, seed=2)).snapshot()
    with pytest.raises(ValueError, match="same weights"):
        network_landscape(runs[:1] + runs_of(other)[:1], "relu", race.X_train, race.y_train)


def test_a_cancelled_computation_stops_between_batches(race):
    asked = []

    def cancelled():
        asked.append(True)
        return True

    with pytest.raises(LandscapeCancelled):
        network_landscape(runs_of(race.snapshot()), "relu", race.X_train, race.y_train, cancelled=cancelled)
    assert asked == [True]
