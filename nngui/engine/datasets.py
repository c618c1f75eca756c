"""Two-dimensional classification data sets, reproducible from a seed."""

from __future__ import annotations

import numpy as np


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


DATASETS = {"spiral": spiral}


def make_dataset(name, samples, classes, noise, rng):
    """``(X, y)``: points of shape ``(samples * classes, 2)`` and integer labels."""
    return DATASETS[name](samples, classes, noise, rng)


def split_dataset(X, y, test_split, rng):
    """``(X_train, y_train, X_test, y_test)``; the test part is ``test_split`` of the points, drawn at random."""
    n_test = int(round(len(X) * test_split))
    if n_test == 0:
        return X, y, X[:0], y[:0]
    order = rng.permutation(len(X))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return X[train], y[train], X[test], y[test]
