"""What a run keeps of its past: per-epoch records, the growing history a plot draws from, and
the weights' path a landscape draws (``TrajectoryRecorder``); ``frozen`` makes the read-only
copies every snapshot and checkpoint hands out."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def frozen(array):
    """A read-only copy of ``array`` (None stays None): what another thread or a later epoch may keep."""
    if array is None:
        return None
    copy = np.array(array)
    copy.flags.writeable = False
    return copy


def frozen_parameters(parameters) -> tuple:
    """Read-only copies of ``[(weights, biases), ...]``: a checkpoint nothing can change."""
    return tuple((frozen(weights), frozen(biases)) for weights, biases in parameters)


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

    def __init__(self, capacity=1024, start: HistoryView | None = None, size: int = 0):
        """Room for ``capacity`` epochs; with ``start``, its first ``size`` entries (copied) come first."""
        if not 0 <= size <= (0 if start is None else len(start)):
            raise ValueError(f"size: 0 to {0 if start is None else len(start)} entries, not {size}")
        self._columns = np.empty((len(COLUMNS), max(capacity, size)))
        for row, column in enumerate(COLUMNS if size else ()):
            self._columns[row, :size] = getattr(start, column)[:size]
        self.size = size

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
        return cls(1024, view, size)

    def view(self) -> HistoryView:
        columns = self._columns[:, :self.size]
        columns.flags.writeable = False
        return HistoryView(*columns)

    def __len__(self):
        return self.size


# A run's path through weight space: a bounded set of parameter checkpoints, thinned evenly.
#
# The landscape view draws each run's path on a plane of weight space. It needs the weights of
# many epochs, but a run may train a million: the recorder keeps the weights of every
# ``stride``-th epoch, and when more than ``capacity`` are kept it doubles the stride and
# drops every other one. So the checkpoints stay evenly spread over the whole run, there are
# never more than ``capacity`` of them (and at least half that once the run is long), and the
# shared start (epoch 0, a multiple of every stride) is always kept. An epoch that is not kept
# costs one modulo; a kept one, one copy of the weights.

#: Checkpoints kept per run at most (the start included).
TRAJECTORY_CAPACITY = 200
#: Bytes of weights a run's checkpoints may hold: a large network keeps fewer of them.
TRAJECTORY_BYTES = 16 * 2 ** 20
#: However large the network, a path has at least this many points (the start, and the way on).
MIN_CAPACITY = 3


def capacity_for(parameters, capacity=TRAJECTORY_CAPACITY, budget=TRAJECTORY_BYTES) -> int:
    """How many checkpoints of ``parameters`` fit in ``budget`` bytes, between MIN_CAPACITY and ``capacity``."""
    size = sum(np.asarray(w).nbytes + np.asarray(b).nbytes for w, b in parameters)
    return max(MIN_CAPACITY, min(capacity, budget // max(size, 1)))


class TrajectoryRecorder:
    """Checkpoints ``(epoch, parameters)`` of one run, every ``stride``-th epoch, at most ``capacity``.

    ``record(epoch, parameters)`` is called with the run's live weights after each epoch
    (``epoch`` = epochs trained so far); it copies them only when it keeps them.
    """

    def __init__(self, start_parameters, capacity: int | None = None):
        self.capacity = capacity_for(start_parameters) if capacity is None else int(capacity)
        if self.capacity < 2:
            raise ValueError(f"capacity: at least 2 checkpoints (the start and one more), not {self.capacity}")
        self.stride = 1
        self._checkpoints = [(0, frozen_parameters(start_parameters))]

    def record(self, epoch: int, parameters):
        """Keep the weights after ``epoch`` epochs if the stride says so, thinning when full."""
        if epoch % self.stride:
            return
        self._checkpoints.append((epoch, frozen_parameters(parameters)))
        if len(self._checkpoints) > self.capacity:
            self.stride *= 2
            # the list is rebuilt, never changed in place: a tuple handed out stays as it was
            self._checkpoints = [c for c in self._checkpoints if c[0] % self.stride == 0]

    def checkpoints(self, epoch: int | None = None, parameters=None) -> tuple:
        """Every checkpoint kept, ``((epoch, parameters), ...)``, epoch 0 first.

        With ``epoch`` and ``parameters`` (read-only copies, such as a snapshot's) the run's
        current weights end the path when the stride did not keep them.
        """
        kept = tuple(self._checkpoints)
        if parameters is not None and epoch is not None and kept[-1][0] != epoch:
            kept += ((epoch, parameters),)
        return kept

    def __len__(self):
        return len(self._checkpoints)

    def __repr__(self):
        return f"TrajectoryRecorder({len(self)} of {self.capacity} checkpoints, every {self.stride} epochs)"
