"""How the numbers are computed: the normal float64 path, or the course's own float32 recipe."""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=16)
def _ones_row(n, dtype):
    ones = np.ones((1, n), dtype=dtype)
    ones.flags.writeable = False
    return ones


def float64_dot(a, b):
    """Matrix product done in float64 and cast back to float32, as the course's helper does."""
    return np.dot(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)


class Precision:
    """Array type, matrix product and column sums that the layers use."""

    def __init__(self, name, dtype, dot, column_sums):
        self.name, self.dtype, self.dot, self.column_sums = name, dtype, dot, column_sums

    def __repr__(self):
        return f"Precision({self.name!r})"


def _blas_column_sums(values):
    # a row of ones times the matrix: the sums of ``np.sum(axis=0)``, several times faster
    return np.dot(_ones_row(len(values), values.dtype), values)


def _numpy_column_sums(values):
    # np.sum(values, axis=0, keepdims=True) is this reduce behind a Python wrapper: the same sums
    return np.add.reduce(values, axis=0, keepdims=True)


# the normal path: float64 everywhere, products and sums through BLAS
FLOAT64 = Precision("float64", np.float64, np.dot, _blas_column_sums)
# the course's helper: float32 arrays, float64 products cast back, numpy's own sums
BOOK = Precision("book", np.float32, float64_dot, _numpy_column_sums)
