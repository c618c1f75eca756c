"""Book mode: the course's own set-up, so the app prints the very numbers a student's code prints.

The course's helper seeds numpy's legacy global generator with 0, makes float32 the
default for new arrays and does every matrix product in float64 before casting back
to float32. Here the same happens without touching numpy: a private ``RandomState``
stream (data first, then each layer's weights), explicit float32 arrays, and
``float64_dot`` handed to the dense layers.
"""

from __future__ import annotations

import numpy as np


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
