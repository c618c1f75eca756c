"""Two-dimensional classification data sets, reproducible from a seed.

Every set takes ``(samples, classes, noise, rng)``: ``samples`` points per class,
``rng`` a ``numpy.random.Generator`` (same seed, same points), and returns
``X`` of shape ``(samples * classes, 2)`` in float64, roughly inside ``[-1, 1]²``,
and integer labels ``y``, class 0's points first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .checks import ExperimentError, check_choice, check_int, check_real, show

SAMPLES_RANGE = (2, 2000)
CLASSES_RANGE = (2, 6)
NOISE_RANGE = (0.0, 1.0)
TEST_SPLIT_RANGE = (0.0, 0.9)
#: The data set made of given points (painted in the window or read from a CSV file).
CUSTOM = "custom"
#: How many given points a data set may hold, inclusive.
POINTS_RANGE = (2, 5000)
#: Every coordinate of a given point lies in [-COORDINATE_LIMIT, COORDINATE_LIMIT].
COORDINATE_LIMIT = 100.0


def _labels(samples, classes):
    return np.repeat(np.arange(classes, dtype=np.int64), samples)


def spiral(samples, classes, noise, rng):
    """The course's spiral: arms of radius ``linspace(0, 1)`` at angles ``linspace(4c, 4(c+1)) + noise·N(0,1)``."""
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype=np.int64)
    for class_number in range(classes):
        ix = slice(samples * class_number, samples * (class_number + 1))
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(class_number * 4, (class_number + 1) * 4, samples) + rng.standard_normal(samples) * noise
        X[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = class_number
    return X, y


def vertical(samples, classes, noise, rng):
    """The course's vertical data, spread over the plane: class c is a vertical band at ``x = -1 + (2c+1)/classes``.

    A band's points scatter sideways by ``noise`` times the distance between bands
    (the course's 0.1 around centres 1/3 apart is noise 0.3); heights are uniform in [-1, 1].
    """
    spacing = 2 / classes
    centres = -1 + spacing * (np.arange(classes) + 0.5)
    x = np.repeat(centres, samples) + rng.standard_normal(samples * classes) * (noise * spacing)
    height = rng.uniform(-1, 1, samples * classes)
    return np.column_stack([x, height]), _labels(samples, classes)


def circles(samples, classes, noise, rng):
    """Concentric rings, class c at radius ``(c+1)/classes``; radii scatter by ``noise`` times the gap."""
    gap = 1 / classes
    radius = np.repeat(gap * np.arange(1, classes + 1), samples)
    radius = radius + rng.standard_normal(samples * classes) * (noise * gap)
    angle = rng.uniform(0, 2 * math.pi, samples * classes)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), _labels(samples, classes)


def xor(samples, classes, noise, rng):
    """Exclusive or: class 0 where x and y have the same sign, class 1 where they differ; jitter ``noise``."""
    n = samples * classes
    magnitude = rng.uniform(0, 1, (n, 2))
    sign_x = rng.choice((-1.0, 1.0), n)
    # class 0 copies x's sign to y, class 1 flips it: every class gets exactly `samples` points
    sign_y = np.where(_labels(samples, classes) == 0, sign_x, -sign_x)
    X = magnitude * np.column_stack([sign_x, sign_y])
    return X + rng.standard_normal((n, 2)) * noise, _labels(samples, classes)


def blobs(samples, classes, noise, rng):
    """Gaussian blobs of standard deviation ``noise``, centred on a circle of radius 0.6, class 0 at the top."""
    angle = math.pi / 2 + 2 * math.pi * np.arange(classes) / classes
    centres = 0.6 * np.column_stack([np.cos(angle), np.sin(angle)])
    X = np.repeat(centres, samples, axis=0) + rng.standard_normal((samples * classes, 2)) * noise
    return X, _labels(samples, classes)


def moons(samples, classes, noise, rng):
    """Two interleaving half-moons (scaled to x in [-1, 1]); jitter ``noise``."""
    t = np.linspace(0, math.pi, samples)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    # the classic moons span x in [-1, 2], y in [-0.5, 1]: centre them and shrink by 1.5
    X = (np.vstack([upper, lower]) - (0.5, 0.25)) / 1.5
    return X + rng.standard_normal((2 * samples, 2)) * noise, _labels(samples, classes)


@dataclass(frozen=True)
class DatasetInfo:
    """What a window needs to offer a data set: its label, class limits, default noise and generator."""

    name: str
    label: str
    min_classes: int
    max_classes: int
    default_noise: float
    generate: Callable
    description: str

    @property
    def fixed_classes(self) -> bool:
        """True when the set has exactly one possible number of classes (xor and moons: 2)."""
        return self.min_classes == self.max_classes


DATASETS = {info.name: info for info in (
    DatasetInfo("spiral", "Spiral", 2, 6, 0.2, spiral,
                "The course's spiral arms; noise jitters each point's angle."),
    DatasetInfo("vertical", "Vertical bands", 2, 6, 0.3, vertical,
                "One vertical band per class; noise spreads the bands sideways."),
    DatasetInfo("circles", "Circles", 2, 6, 0.2, circles,
                "One ring per class, one inside the other; noise blurs the radii."),
    DatasetInfo("xor", "XOR", 2, 2, 0.1, xor,
                "Two classes by quadrant: same signs or opposite signs; noise jitters the points."),
    DatasetInfo("blobs", "Gaussian blobs", 2, 6, 0.15, blobs,
                "One round cloud per class around a circle; noise is each cloud's spread."),
    DatasetInfo("moons", "Moons", 2, 2, 0.1, moons,
                "Two interleaving half-moons; noise jitters the points."),
    # no generator: its points are given (see check_points); samples and noise are kept but unused
    DatasetInfo(CUSTOM, "Your points", 2, 6, 0.0, None,
                "Points painted on the map or imported from a CSV file; samples and noise are not used."),
)}


def check_dataset(name, samples, classes, noise, prefix=""):
    """Validated ``(name, samples, classes, noise)``; errors name the field, after ``prefix``."""
    name = check_choice(name, prefix + "name", tuple(DATASETS))
    samples = check_int(samples, prefix + "samples", *SAMPLES_RANGE)
    info = DATASETS[name]
    classes = check_int(classes, prefix + "classes", -math.inf, math.inf)
    if info.fixed_classes and classes != info.min_classes:
        raise ExperimentError(prefix + "classes", f"{name} has exactly {info.min_classes} classes, got {classes}")
    check_int(classes, prefix + "classes", info.min_classes, info.max_classes)
    noise = check_real(noise, prefix + "noise", *NOISE_RANGE)
    return name, samples, classes, noise


def check_points(points, classes, field="dataset.points"):
    """Given points as a tuple of ``(x, y, label)`` tuples (floats, floats, ints); errors name the point.

    ``POINTS_RANGE`` points, each coordinate a finite number within ``±COORDINATE_LIMIT``, each
    label a class number ``0 … classes - 1``.
    """
    if isinstance(points, (str, bytes, dict)) or not isinstance(points, (tuple, list)):
        raise ExperimentError(field, f"must be a list of [x, y, label] points, got {show(points)}")
    low, high = POINTS_RANGE
    if not low <= len(points) <= high:
        raise ExperimentError(field, f"must hold {low} to {high} points, got {len(points)}")
    checked = []
    for i, point in enumerate(points):
        where = f"{field}[{i}]"
        if isinstance(point, (str, bytes, dict)) or not isinstance(point, (tuple, list)) or len(point) != 3:
            raise ExperimentError(where, f"must be [x, y, label], got {show(point)}")
        x = check_real(point[0], where + ".x", -COORDINATE_LIMIT, COORDINATE_LIMIT)
        y = check_real(point[1], where + ".y", -COORDINATE_LIMIT, COORDINATE_LIMIT)
        label = check_int(point[2], where + ".label", 0, classes - 1)
        # a checked point that is already exact is kept as it is: a stroke's new tuple shares the others
        checked.append(point if type(point) is tuple and point == (x, y, label)
                       and type(point[0]) is float and type(point[1]) is float and type(point[2]) is int
                       else (x, y, label))
    return tuple(checked)


def points_arrays(points):
    """``(X, y)``: float64 points of shape ``(n, 2)`` and int64 labels of given ``(x, y, label)`` points."""
    X = np.array([(x, y) for x, y, _ in points], dtype=np.float64).reshape(-1, 2)
    y = np.array([label for _, _, label in points], dtype=np.int64)
    return X, y


def make_dataset(name, samples, classes, noise, rng):
    """``(X, y)``: float64 points of shape ``(samples * classes, 2)`` and int64 labels."""
    name, samples, classes, noise = check_dataset(name, samples, classes, noise)
    if not isinstance(rng, np.random.Generator):
        raise ExperimentError("rng", "must be a numpy.random.Generator, e.g. numpy.random.default_rng(seed)")
    if name == CUSTOM:
        raise ExperimentError("dataset.name", "custom data is made of its points (points_arrays), not drawn")
    X, y = DATASETS[name].generate(samples, classes, noise, rng)
    return np.ascontiguousarray(X, dtype=np.float64), y.astype(np.int64, copy=False)


def split_dataset(X, y, test_split, rng):
    """``(X_train, y_train, X_test, y_test)``; the test part is ``test_split`` of the points, drawn at random.

    At least one point always stays in the training part.
    """
    test_split = check_real(test_split, "test_split", *TEST_SPLIT_RANGE)
    n_test = min(int(round(len(X) * test_split)), len(X) - 1)
    if n_test <= 0:
        return X, y, X[:0], y[:0]
    order = rng.permutation(len(X))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return X[train], y[train], X[test], y[test]
