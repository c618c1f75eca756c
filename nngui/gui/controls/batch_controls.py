"""The controls of how a run walks through its data and where its weights start: batch size and initialisation.

The batch size box holds a number of training points, or "Full batch" (the lesson's one
update an epoch, shown for 0 and stored as None in the experiment); its largest value is
the number of training points, which follows the data set.
"""

from __future__ import annotations

import re

from nngui.engine.layers import INITS

from .number_box import NumberBox

FULL_BATCH_TEXT = "Full batch"
#: The arrows step the batch size by this many points.
BATCH_STEP = 10
INIT_NAMES = {"lesson": "Lesson", "he": "He", "glorot": "Glorot"}
INIT_TIP = ("How the weights start (a change starts every run again from epoch 0):\n"
            "Lesson: 0.01 · N(0, 1), the course's — fine for one hidden layer, but through 4 the signal "
            "fades and the loss sits at ln(classes).\n"
            "He: N(0, 1) · √(2 / inputs of the layer), made for ReLU.\n"
            "Glorot: N(0, 1) · √(2 / (inputs + outputs)), made for tanh and sigmoid.")
BATCH_TIP = ("Training points per update. Full batch (the lesson's): every point, one update an epoch. "
             "A number B: each epoch shuffles the points and makes one update per B of them, so the "
             "optimizer's step counts updates and decay follows them; the loss plot draws each update's "
             "batch loss faintly behind the epoch's curve. A change starts every run again from epoch 0.")


def init_items():
    """``(label, init)`` for the initialisation combo box."""
    return [(INIT_NAMES[name], name) for name in INITS]


class BatchSizeBox(NumberBox):
    """A whole number of points from 1 to the training points, or "Full batch" (0)."""

    def __init__(self, tooltip=BATCH_TIP, maximum=300, parent=None):
        super().__init__("batchSizeSpin", tooltip, 0, maximum, 0, integer=True, step=BATCH_STEP,
                         special=FULL_BATCH_TEXT, label="Batch size", parent=parent)

    def parse(self, text: str):
        try:
            return super().parse(text)
        except ValueError:
            stripped = self._strip(text)
            if re.fullmatch(r"[+-]?\d+", stripped):
                raise ValueError(f"Batch size: must be between 1 and {self.maximum()} (the training points), "
                                 f"or {FULL_BATCH_TEXT}; got {stripped}") from None
            raise
