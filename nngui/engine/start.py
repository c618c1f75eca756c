"""Where every run of an experiment starts: its data and one set of initial weights.

Made once per experiment and shared by the runs of a race, which only read it: each
run's network copies the weights into arrays of its own, so no two runs share a weight
or a momentum buffer. The arrays here are read-only.

Book mode: the course's own set-up, so the app prints the very numbers a student's code prints.

The course's helper seeds numpy's legacy global generator with 0, makes float32 the
default for new arrays and does every matrix product in float64 before casting back
to float32. Here the same happens without touching numpy: a private ``RandomState``
stream (data first, then each layer's weights), explicit float32 arrays, and
``float64_dot`` handed to the dense layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import CUSTOM, make_dataset, points_arrays, split_dataset
from .experiment import Experiment
from .layers import draw_weights
from .precision import BOOK, FLOAT64, Precision


def book_spiral(samples, classes, noise, random_state):
    """The course's spiral, drawn from a legacy ``RandomState`` and stored in float32."""
    X = np.zeros((samples * classes, 2), dtype=np.float32)
    y = np.zeros(samples * classes, dtype=np.int64)
    for class_number in range(classes):
        ix = slice(samples * class_number, samples * (class_number + 1))
        r = np.linspace(0.0, 1, samples)
        # the helper's randn returns float32, so the noise is rounded to float32 before the sum
        jitter = random_state.randn(samples).astype(np.float32) * np.float32(noise)
        t = np.linspace(class_number * 4, (class_number + 1) * 4, samples) + jitter
        X[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = class_number
    return X, y


def book_weights(sizes, random_state):
    """``0.01 * randn(n_inputs, n_neurons)`` in float32 for each dense layer, in order."""
    return [np.float32(0.01) * random_state.randn(n_in, n_out).astype(np.float32)
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


@dataclass(frozen=True, eq=False)
class Start:
    """The data (all points, and the train and test parts) and the initial weights of each dense layer."""

    X: np.ndarray
    y: np.ndarray
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    weights: tuple
    precision: Precision
    #: what the start was made from: the experiment's data, network, seed and book mode
    source: tuple

    def fits(self, experiment: Experiment) -> bool:
        """Whether ``experiment`` differs from the one this start was made for only in its runs."""
        return self.source == start_source(experiment)


def start_source(experiment: Experiment) -> tuple:
    """Everything a start depends on (the runs' optimizers play no part)."""
    return (experiment.dataset, experiment.network, experiment.seed, experiment.book)


def make_start(experiment: Experiment) -> Start:
    """The data and initial weights of ``experiment``, drawn exactly as a single run always drew them.

    Book mode: the course's legacy ``RandomState(seed)`` stream, the spiral first, then each
    layer's weights, float32. Otherwise three generators spawned from the seed: data, split, weights.
    """
    data, net = experiment.dataset, experiment.network
    sizes = (2, *net.hidden, data.classes)
    if experiment.book:
        if data.name != "spiral":
            raise ValueError("book: book mode reproduces the course's spiral; choose dataset 'spiral'")
        stream = np.random.RandomState(experiment.seed)
        X, y = book_spiral(data.samples, data.classes, data.noise, stream)
        weights = book_weights(sizes, stream)
        X_train, y_train, X_test, y_test = X, y, X[:0], y[:0]
        precision = BOOK
    else:
        data_rng, split_rng, weights_rng = (np.random.default_rng(s) for s in
                                            np.random.SeedSequence(experiment.seed).spawn(3))
        if data.name == CUSTOM:
            X, y = points_arrays(data.points)
        else:
            X, y = make_dataset(data.name, data.samples, data.classes, data.noise, data_rng)
        X_train, y_train, X_test, y_test = split_dataset(X, y, data.test_split, split_rng)
        weights = [draw_weights(net.init, n_in, n_out, weights_rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        precision = FLOAT64
    for array in (X, y, X_train, y_train, X_test, y_test, *weights):
        # the data never changes during a run (and the loss may keep what it derives from the labels);
        # the weights are copied by each run's network, never trained in place
        array.flags.writeable = False
    return Start(X, y, X_train, y_train, X_test, y_test, tuple(weights), precision, start_source(experiment))


def dataset_points(experiment: Experiment) -> tuple:
    """Every point of ``experiment``'s data, train and test, as ``(x, y, label)`` tuples in the data's order.

    The given points of a custom data set, or the points a generated set draws from the seed.
    """
    if experiment.dataset.name == CUSTOM:
        return experiment.dataset.points
    start = make_start(experiment)
    return tuple((float(x), float(y), int(label)) for (x, y), label in zip(start.X.tolist(), start.y.tolist()))
