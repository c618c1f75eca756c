"""The 2-D data sets: shapes, dtypes, geometry, class counts, determinism and refused arguments."""

import math

import numpy as np
import pytest

from nngui.engine import DATASETS, ExperimentError, make_dataset, split_dataset

ALL_SHAPES = [(name, classes) for name, info in DATASETS.items() if info.generate is not None
              for classes in range(info.min_classes, info.max_classes + 1)]


def rng(seed=0):
    return np.random.default_rng(seed)


def test_registry_lists_the_six_sets_and_your_points_with_their_class_limits():
    assert list(DATASETS) == ["spiral", "vertical", "circles", "xor", "blobs", "moons", "custom"]
    for name, info in DATASETS.items():
        assert info.name == name and info.label and info.description
        assert 0 <= info.default_noise <= 1
        # your own points are given, never drawn
        assert callable(info.generate) == (name != "custom")
    assert {n: (i.min_classes, i.max_classes) for n, i in DATASETS.items()} == {
        "spiral": (2, 6), "vertical": (2, 6), "circles": (2, 6), "xor": (2, 2), "blobs": (2, 6), "moons": (2, 2),
        "custom": (2, 6)}
    assert [n for n, i in DATASETS.items() if i.fixed_classes] == ["xor", "moons"]


@pytest.mark.parametrize("name,classes", ALL_SHAPES)
def test_shapes_dtypes_and_exact_class_counts(name, classes):
    X, y = make_dataset(name, 37, classes, DATASETS[name].default_noise, rng())
    assert X.shape == (37 * classes, 2) and X.dtype == np.float64
    assert y.shape == (37 * classes,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [37] * classes
    # class 0's points first, then class 1's, ...
    assert (np.diff(y) >= 0).all()
    assert np.isfinite(X).all()
    # every set lives roughly in [-1, 1]²: with default noise nothing strays past 1.6
    assert np.abs(X).max() < 1.6


@pytest.mark.parametrize("name,classes", ALL_SHAPES)
def test_same_seed_same_points_other_seed_other_points(name, classes):
    noise = DATASETS[name].default_noise
    X1, y1 = make_dataset(name, 50, classes, noise, rng(7))
    X2, y2 = make_dataset(name, 50, classes, noise, rng(7))
    X3, _ = make_dataset(name, 50, classes, noise, rng(8))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.allclose(X1, X3)


def test_spiral_is_the_course_formula():
    samples, classes, noise = 100, 3, 0.2
    X, y = make_dataset("spiral", samples, classes, noise, rng(3))
    stream = rng(3)
    for c in range(classes):
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(4 * c, 4 * (c + 1), samples) + stream.standard_normal(samples) * noise
        part = slice(c * samples, (c + 1) * samples)
        np.testing.assert_array_equal(X[part, 0], r * np.sin(2.5 * t))
        np.testing.assert_array_equal(X[part, 1], r * np.cos(2.5 * t))
        assert (y[part] == c).all()


def test_spiral_without_noise_puts_the_arms_at_known_angles():
    X, _ = make_dataset("spiral", 5, 2, 0.0, rng())
    # class 1's last point: r = 1, t = 8, so (sin 20, cos 20)
    np.testing.assert_allclose(X[9], (math.sin(20), math.cos(20)))
    np.testing.assert_allclose(X[0], (0, 0))
    assert np.hypot(*X.T).max() <= 1 + 1e-12


def test_vertical_bands_are_centred_evenly_and_scatter_by_noise_times_spacing():
    X, y = make_dataset("vertical", 20, 4, 0.0, rng())
    # four bands of width 0.5 across [-1, 1]: centres -0.75, -0.25, 0.25, 0.75
    np.testing.assert_allclose(X[:, 0], np.repeat([-0.75, -0.25, 0.25, 0.75], 20))
    assert X[:, 1].min() >= -1 and X[:, 1].max() <= 1 and X[:, 1].std() > 0.4
    X, y = make_dataset("vertical", 2000, 2, 0.3, rng())
    offsets = X[:, 0] - np.where(y == 0, -0.5, 0.5)
    assert offsets.std() == pytest.approx(0.3 * 1.0, rel=0.05)


def test_circles_put_class_c_on_radius_c_plus_one_over_classes():
    X, y = make_dataset("circles", 30, 3, 0.0, rng())
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), (y + 1) / 3)
    angles = np.arctan2(X[:, 1], X[:, 0])
    assert angles.std() > 1  # spread around the ring, not bunched


def test_xor_labels_are_the_product_of_signs():
    X, y = make_dataset("xor", 200, 2, 0.0, rng())
    same_sign = np.sign(X[:, 0]) * np.sign(X[:, 1]) > 0
    assert np.array_equal(y == 0, same_sign)
    assert np.abs(X).max() <= 1
    # all four quadrants are used
    assert len({(a, b) for a, b in np.sign(X).astype(int)}) == 4


def test_blobs_sit_on_a_circle_of_radius_point_six_class_zero_on_top():
    X, y = make_dataset("blobs", 4, 4, 0.0, rng())
    np.testing.assert_allclose(X[y == 0], [[0, 0.6]] * 4, atol=1e-15)
    np.testing.assert_allclose(X[y == 1], [[-0.6, 0]] * 4, atol=1e-15)
    np.testing.assert_allclose(X[y == 2], [[0, -0.6]] * 4, atol=1e-15)
    X, y = make_dataset("blobs", 2000, 2, 0.1, rng())
    assert (X[y == 0] - (0, 0.6)).std(axis=0) == pytest.approx([0.1, 0.1], rel=0.05)


def test_moons_are_the_classic_half_moons_scaled_into_the_square():
    X, y = make_dataset("moons", 3, 2, 0.0, rng())
    # t = 0, pi/2, pi on the upper moon (cos t, sin t) and the lower (1 - cos t, 0.5 - sin t),
    # then shifted by (0.5, 0.25) and divided by 1.5
    upper = np.array([[1, 0], [0, 1], [-1, 0]])
    lower = np.array([[0, 0.5], [1, -0.5], [2, 0.5]])
    expected = (np.vstack([upper, lower]) - (0.5, 0.25)) / 1.5
    np.testing.assert_allclose(X, expected, atol=1e-15)
    X, _ = make_dataset("moons", 100, 2, 0.0, rng())
    assert X[:, 0].min() == pytest.approx(-1) and X[:, 0].max() == pytest.approx(1)


def test_noise_zero_and_noise_one_differ_and_stay_finite():
    for name, info in DATASETS.items():
        if info.generate is None:
            continue  # your own points: given, never drawn
        quiet, _ = make_dataset(name, 50, info.min_classes, 0.0, rng())
        loud, _ = make_dataset(name, 50, info.min_classes, 1.0, rng())
        assert np.isfinite(loud).all() and not np.allclose(quiet, loud)


@pytest.mark.parametrize("args,message", [
    (("rings", 10, 2, 0.1), 'name: must be one of spiral, vertical, circles, xor, blobs, moons, custom; got "rings"'),
    (("spiral", 1, 3, 0.1), "samples: must be between 2 and 2000, got 1"),
    (("spiral", 2001, 3, 0.1), "samples: must be between 2 and 2000, got 2001"),
    (("spiral", 10.0, 3, 0.1), "samples: must be a whole number, got 10.0"),
    (("spiral", True, 3, 0.1), "samples: must be a whole number, got true"),
    (("spiral", 10, 1, 0.1), "classes: must be between 2 and 6, got 1"),
    (("circles", 10, 7, 0.1), "classes: must be between 2 and 6, got 7"),
    (("xor", 10, 3, 0.1), "classes: xor has exactly 2 classes, got 3"),
    (("moons", 10, 6, 0.1), "classes: moons has exactly 2 classes, got 6"),
    (("spiral", 10, 3, -0.1), "noise: must be between 0 and 1, got -0.1"),
    (("blobs", 10, 3, 1.5), "noise: must be between 0 and 1, got 1.5"),
    (("spiral", 10, 3, math.nan), "noise: must be a finite number, got NaN"),
    (("spiral", 10, 3, "0.2"), 'noise: must be a number, got "0.2"'),
])
def test_bad_arguments_are_refused_naming_the_field(args, message):
    with pytest.raises(ValueError) as caught:
        make_dataset(*args, rng())
    assert str(caught.value) == message
    assert isinstance(caught.value, ExperimentError)


def test_the_random_generator_must_be_a_numpy_generator():
    with pytest.raises(ValueError, match="^rng: must be a numpy.random.Generator"):
        make_dataset("spiral", 10, 3, 0.1, 0)


def test_split_holds_out_a_random_disjoint_part():
    X, y = make_dataset("spiral", 100, 3, 0.2, rng())
    X_train, y_train, X_test, y_test = split_dataset(X, y, 0.2, rng(5))
    assert len(X_test) == 60 and len(X_train) == 240
    together = np.vstack([X_train, X_test])
    # the two parts are the original points, each exactly once
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))
    assert np.array_equal(np.sort(np.concatenate([y_train, y_test])), np.sort(y))
    # drawn at random: the test part holds points of every class, not just the last rows
    assert set(y_test) == {0, 1, 2}
    again = split_dataset(X, y, 0.2, rng(5))
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, y_train, X_test, y_test)))


def test_split_zero_keeps_every_point_for_training():
    X, y = make_dataset("moons", 10, 2, 0.1, rng())
    X_train, y_train, X_test, y_test = split_dataset(X, y, 0.0, rng())
    assert X_train is X and y_train is y and X_test.shape == (0, 2) and y_test.shape == (0,)


def test_split_always_leaves_a_training_point():
    X, y = make_dataset("xor", 2, 2, 0.1, rng())
    X_train, _, X_test, _ = split_dataset(X, y, 0.9, rng())
    # round(4 * 0.9) = 4 would leave nothing to train on
    assert len(X_train) == 1 and len(X_test) == 3


@pytest.mark.parametrize("split,message", [
    (0.95, "test_split: must be between 0 and 0.9, got 0.95"),
    (-0.1, "test_split: must be between 0 and 0.9, got -0.1"),
    (None, "test_split: must be a number, got null"),
])
def test_split_refuses_bad_fractions(split, message):
    X, y = make_dataset("spiral", 10, 3, 0.2, rng())
    with pytest.raises(ValueError) as caught:
        split_dataset(X, y, split, rng())
    assert str(caught.value) == message
