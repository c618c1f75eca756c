"""Two states compared number by number: the first that differs, whether all were equal bit for bit.

Close enough is within ``RELATIVE_TOLERANCE`` of the larger of the two values, or of the largest
value in the engine's array: a weight near zero, reached by a different but equal sum, is not held
to 1e-12 of itself. A momentum buffer the student keeps elsewhere than on the layer, or a
``current_learning_rate`` their class does not have, is not compared (the weights still are).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.engine.checks import shown

from .duel import RATE
from .result import RELATIVE_TOLERANCE

_OPTIONAL = (RATE, "weights_momentums", "biases_momentums")


@dataclass(frozen=True)
class Mismatch:
    """The first value that differs: its key ``(array, layer)``, index, and the two values."""

    key: tuple
    index: tuple | None
    expected: float | str
    actual: float | str


class Tally:
    """Whether every comparison so far was bit for bit, and the largest relative difference seen."""

    def __init__(self):
        self.bit_for_bit = True
        self.largest = 0.0


def first_mismatch(expected: dict, actual: dict, tally: Tally | None = None,
                   tolerance: float = RELATIVE_TOLERANCE) -> Mismatch | None:
    """The first key of ``expected`` whose value ``actual`` does not match, or None."""
    for key, want in expected.items():
        if key not in actual:
            if key[0] in _OPTIONAL:
                continue
            return Mismatch(key, None, "an array", "none (the attribute is missing)")
        found = _mismatch(key, np.asarray(want, dtype=np.float64), actual[key], tally, tolerance)
        if found is not None:
            return found
    return None


def _mismatch(key, want, got, tally, tolerance):
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return Mismatch(key, None, _kind(want), shown(f"{type(got).__name__} {got!r}"))
    if got.shape != want.shape:
        if want.ndim == 0 or got.size != 1:
            return Mismatch(key, None, _kind(want), _kind(got))
        got = got.reshape(())  # a rate kept as a one-element array is still the rate
    if np.array_equal(want, got, equal_nan=True):
        return None
    both_nan = np.isnan(want) & np.isnan(got)
    with np.errstate(all="ignore"):
        difference = np.abs(want - got)
        scale = max(float(np.nanmax(np.abs(want))) if want.size and not np.isnan(want).all() else 0.0, 1e-300)
        size = np.maximum(np.maximum(np.abs(want), np.abs(got)), scale)
        relative = difference / size
    bad = ~(relative <= tolerance) & ~both_nan
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0]) if want.ndim else None
        return Mismatch(key, index, float(want[index] if index else want), float(got[index] if index else got))
    if tally is not None:
        tally.bit_for_bit = False
        tally.largest = max(tally.largest, float(np.nanmax(relative)))
    return None


def _kind(array) -> str:
    return "a number" if array.ndim == 0 else f"shape {array.shape}"
