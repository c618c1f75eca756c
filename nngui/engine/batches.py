"""Mini-batches: each epoch the training points in a new order, and one update per batch.

Full batch (the lesson's, and the default) feeds every training point at once and makes one
update an epoch. With a batch size ``B`` smaller than the ``N`` training points, an epoch
shuffles the points and walks through them ``B`` at a time (the last batch holds what is
left), and for each batch runs the forward pass, the backward pass and the lesson's three
calls ``pre_update_params / update_params / post_update_params``. So the optimizer's
``step`` counts updates, ``ceil(N / B)`` an epoch, and decay follows updates:
``current_learning_rate = learning_rate / (1 + decay · step)``.

The order of epoch ``e`` is a pure function of the experiment's seed and ``e``
(``epoch_order``): every run of a race sees the same batches (a fair race), and training
resumed from the weights and optimizer state at any epoch goes on exactly as it would have.
A batch size of all the training points is full batch itself: no shuffle, the same sums.
To resume at epoch ``e`` a run needs only its weights, momentum buffers, the optimizer's
``step`` and ``current_learning_rate``, and ``trainer.epoch = e``: the batches hold no state
(the update log is a record of what happened, not something training reads).

What an epoch's record says with mini-batches: ``loss`` and ``accuracy`` are those of all
the training points with the weights as the epoch begins — the very numbers full batch
records, so curves of different batch sizes compare like with like (test metrics are
measured with the same weights). ``learning_rate`` is the rate of the epoch's last update.
The loss of each batch (its forward pass, before its update) is kept in an ``UpdateLog``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .checks import ExperimentError, check_int, show

#: An update log keeps at most this many updates; past it, every other one is dropped (and so on).
UPDATE_LOG_CAPACITY = 1 << 14


def training_points(samples: int, classes: int, test_split: float, points=()) -> int:
    """How many points a data set trains on: all of them less the test part (see ``datasets.split_dataset``).

    ``points`` are the given points of the data set ``custom`` (their number is the total); other
    sets draw ``samples`` points per class.
    """
    total = len(points) if points else samples * classes
    n_test = min(int(round(total * test_split)), total - 1)
    return total - n_test


def check_batch_size(batch_size, dataset) -> int | None:
    """``batch_size`` (None: full batch) checked against the training points of ``dataset``."""
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise ExperimentError("batch_size", f"must be a whole number of points, or null for full batch; "
                                            f"got {show(batch_size)}")
    n = training_points(dataset.samples, dataset.classes, dataset.test_split, dataset.points)
    if not 1 <= batch_size <= n:
        raise ExperimentError("batch_size", f"must be between 1 and {n} (the training points), "
                                            f"or full batch (null in a file); got {int(batch_size)}")
    return check_int(batch_size, "batch_size", 1, n)


def updates_per_epoch(batch_size: int | None, n_points: int) -> int:
    """``ceil(N / B)``: 1 for full batch."""
    if batch_size is None or batch_size >= n_points:
        return 1
    return -(-n_points // batch_size)


def epoch_order(seed: int, epoch: int, n_points: int) -> np.ndarray:
    """The order of the training points in epoch ``epoch``: a permutation drawn from ``(seed, epoch)`` alone."""
    return np.random.default_rng((seed, epoch)).permutation(n_points)


def batch_indices(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """``order`` cut into batches of ``batch_size`` (the last one holds the rest)."""
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


@dataclass(frozen=True)
class UpdateLogView:
    """Read-only arrays of the kept updates: ``step`` (0-based), ``epoch`` (fractional) and ``loss``.

    ``epoch`` is ``e + b / batches``: update ``b`` of epoch ``e``, drawn against the epoch axis.
    """

    step: np.ndarray
    epoch: np.ndarray
    loss: np.ndarray

    def __len__(self):
        return len(self.step)


class UpdateLog:
    """Each update's batch loss, in bounded memory: at most ``capacity`` kept, evenly thinned.

    Every ``stride``-th update is kept; when the log is full, every other kept one is
    dropped and the stride doubles, so a run of any length keeps an even sample of its
    updates. A view handed out is never written again (thinning copies into new arrays).
    """

    def __init__(self, capacity=UPDATE_LOG_CAPACITY):
        if capacity < 2:
            raise ValueError(f"capacity: at least 2, not {capacity}")
        self.capacity = capacity
        self.stride = 1
        self.size = 0
        self._columns = np.empty((3, min(capacity, 1024)))

    def append(self, step: int, epoch: float, loss: float) -> None:
        if step % self.stride:
            return
        if self.size == self.capacity:
            self.stride *= 2
            kept = self._columns[:, :self.size]
            # a new array: views handed out keep the old one
            self._columns = np.ascontiguousarray(kept[:, kept[0] % self.stride == 0])
            self.size = self._columns.shape[1]
            if step % self.stride:
                return
        if self.size == self._columns.shape[1]:
            grown = np.empty((3, min(self.capacity, 2 * self.size)))
            grown[:, :self.size] = self._columns[:, :self.size]
            self._columns = grown
        self._columns[:, self.size] = (step, epoch, loss)
        self.size += 1

    def view(self) -> UpdateLogView:
        columns = self._columns[:, :self.size]
        columns.flags.writeable = False
        return UpdateLogView(*columns)

    def __len__(self):
        return self.size


class MiniBatches:
    """How one run walks through its training points: the batch size, the seed, and the log of updates."""

    def __init__(self, batch_size: int, seed: int, n_points: int, capacity=UPDATE_LOG_CAPACITY):
        if not 1 <= batch_size < n_points:
            raise ValueError(f"batch_size: 1 to {n_points - 1} for mini-batches, not {batch_size}")
        self.batch_size = batch_size
        self.seed = seed
        self.n_points = n_points
        self.updates = UpdateLog(capacity)

    @property
    def per_epoch(self) -> int:
        return updates_per_epoch(self.batch_size, self.n_points)

    def batches(self, epoch: int) -> list[np.ndarray]:
        """Epoch ``epoch``'s batches of training-point indices: shuffled by ``(seed, epoch)`` alone.

        The trainer walks them (``Trainer.walk_epoch``), making the lesson's three calls per batch.
        """
        return batch_indices(epoch_order(self.seed, epoch, self.n_points), self.batch_size)
