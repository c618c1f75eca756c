"""A run's path through weight space: a bounded set of parameter checkpoints, thinned evenly.

The landscape view draws each run's path on a plane of weight space. It needs the weights of
many epochs, but a run may train a million: the recorder keeps the weights of every
``stride``-th epoch, and when more than ``capacity`` are kept it doubles the stride and
drops every other one. So the checkpoints stay evenly spread over the whole run, there are
never more than ``capacity`` of them (and at least half that once the run is long), and the
shared start (epoch 0, a multiple of every stride) is always kept. An epoch that is not kept
costs one modulo; a kept one, one copy of the weights.
"""

from __future__ import annotations

import numpy as np

#: Checkpoints kept per run at most (the start included).
TRAJECTORY_CAPACITY = 200
#: Bytes of weights a run's checkpoints may hold: a large network keeps fewer of them.
TRAJECTORY_BYTES = 16 * 2 ** 20
#: However large the network, a path has at least this many points (the start, and the way on).
MIN_CAPACITY = 3


def frozen_parameters(parameters) -> tuple:
    """Read-only copies of ``[(weights, biases), ...]``: a checkpoint nothing can change."""
    copies = []
    for weights, biases in parameters:
        weights, biases = np.array(weights), np.array(biases)
        weights.flags.writeable = biases.flags.writeable = False
        copies.append((weights, biases))
    return tuple(copies)


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
