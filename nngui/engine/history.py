"""Per-epoch records and the growing history a plot draws from."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch measured, before its own update, as the course's loop prints it.

    ``learning_rate`` is the rate the epoch's update used, ``lr / (1 + decay·epoch)``;
    ``start_learning_rate`` is ``current_learning_rate`` as the epoch began — the
    number the course prints (the rate of the epoch before).
    """

    epoch: int
    loss: float
    accuracy: float
    learning_rate: float
    start_learning_rate: float
    test_loss: float = math.nan
    test_accuracy: float = math.nan

    def course_line(self) -> str:
        """The course's line: ``epoch: N, acc: 0.360, loss: 1.099, lr: 1.0``."""
        return (f"epoch: {self.epoch}, acc: {self.accuracy:.3f}, "
                f"loss: {self.loss:.3f}, lr: {self.start_learning_rate}")


COLUMNS = ("epoch", "loss", "accuracy", "learning_rate", "test_loss", "test_accuracy")


@dataclass(frozen=True)
class HistoryView:
    """Read-only arrays of every epoch so far, one entry per epoch."""

    epoch: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    learning_rate: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray

    def __len__(self):
        return len(self.epoch)


class History:
    """Append-only columns of float64 that grow by doubling.

    A view handed out is never written again: later epochs go past its end, and a
    grown history copies into new arrays, leaving the old ones to the views that hold them.
    """

    def __init__(self, capacity=1024):
        self._columns = np.empty((len(COLUMNS), capacity))
        self.size = 0

    def append(self, record: EpochRecord):
        if self.size == self._columns.shape[1]:
            grown = np.empty((len(COLUMNS), 2 * self.size))
            grown[:, :self.size] = self._columns
            self._columns = grown
        self._columns[:, self.size] = (record.epoch, record.loss, record.accuracy, record.learning_rate,
                                       record.test_loss, record.test_accuracy)  # the order of COLUMNS
        self.size += 1

    @classmethod
    def from_view(cls, view: HistoryView, size: int) -> History:
        """A history holding the first ``size`` entries of ``view`` (copied), to append to."""
        if not 0 <= size <= len(view):
            raise ValueError(f"size: 0 to {len(view)} entries, not {size}")
        history = cls(max(1024, size))
        for row, column in enumerate(COLUMNS):
            history._columns[row, :size] = getattr(view, column)[:size]
        history.size = size
        return history

    def view(self) -> HistoryView:
        columns = self._columns[:, :self.size]
        columns.flags.writeable = False
        return HistoryView(*columns)

    def __len__(self):
        return self.size
