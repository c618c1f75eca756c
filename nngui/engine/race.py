"""A race: 1 to 4 runs of one experiment that differ only in their optimizer, on one clock.

Every run trains on the same data from the same initial weights, each in arrays of its own
(its own network, its own ``SGD``, so its own momentum buffers). The clock is the epoch:
epoch e of every live run before epoch e + 1 of any. A run that diverges stops with its own
message and the others go on. A single run is a race of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .experiment import Experiment, OptimizerConfig
from .history import EpochRecord
from .start import make_start
from .trainer import Snapshot, Trainer, TrainingDiverged, data_bounds


@dataclass(frozen=True)
class RaceSnapshot:
    """Every run's snapshot at one tick of the clock, and the runs' names."""

    epoch: int
    runs: tuple[Snapshot, ...]
    labels: tuple[str, ...]


class Race:
    """The runs of ``experiment``, one ``Trainer`` each, trained one epoch of each per ``train_epoch()``."""

    def __init__(self, experiment: Experiment, optimizer_factories=None, labels=None):
        """``optimizer_factories``: ``{run index: factory}`` for runs whose optimizer is not the engine's
        (``Trainer``'s ``optimizer_factory``); ``labels``: the runs' names, if not the experiment's."""
        self.experiment = experiment
        start = make_start(experiment)
        self.labels = experiment.labels if labels is None else tuple(labels)
        factories = optimizer_factories or {}
        self.trainers = tuple(Trainer(experiment, optimizer, start, label, factories.get(index))
                              for index, (optimizer, label) in enumerate(zip(experiment.runs, self.labels)))
        self.X, self.y = start.X, start.y
        self.start = start  # a run restored from a checkpoint (surfaces.checkpoints) starts from it too
        self.X_train, self.y_train, self.X_test, self.y_test = start.X_train, start.y_train, start.X_test, start.y_test
        #: epochs every live run has trained: the next train_epoch() trains epoch ``epoch`` of each
        self.epoch = 0

    @property
    def diverged(self) -> tuple[bool, ...]:
        """Whether each run has diverged (and stopped)."""
        return tuple(trainer.divergence is not None for trainer in self.trainers)

    @property
    def finished(self) -> bool:
        """Every run has diverged: nothing is left to train."""
        return all(trainer.divergence is not None for trainer in self.trainers)

    def train_epoch(self, stop=None) -> tuple[EpochRecord | None, ...]:
        """Epoch ``epoch`` of each live run, in run order; None for a run that has diverged.

        ``stop()``, if given, may end it half made between two calls (``Trainer.train_epoch_unguarded``).
        """
        if self.finished:
            raise TrainingDiverged("every run has diverged")
        # overflow in a diverging run is expected and reported as divergence, never printed
        with np.errstate(all="ignore"):
            return self._tick(None, stop)

    def run(self, epochs, every=None) -> tuple[EpochRecord | None, ...]:
        """Up to ``epochs`` ticks of the clock, fewer only if every run diverges.

        ``every(index, record)`` is called after each run's epoch. Returns each run's last record.
        """
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if self.finished:
                    break
                self._tick(every)
        return tuple(trainer.last_record for trainer in self.trainers)

    def _tick(self, every, stop=None):
        records = []
        for index, trainer in enumerate(self.trainers):
            if trainer.divergence is not None:
                records.append(None)
                continue
            record = trainer.train_epoch_unguarded(stop)
            records.append(record)
            if every is not None:
                every(index, record)
        self.epoch += 1
        return tuple(records)

    def walk_epoch(self, index: int):
        """One tick of the clock with run ``index`` walked call by call: yields its ``WalkStep``s.

        The other live runs train the same epoch whole once the walk's last call is made, so
        epoch e of every run still comes before e + 1 of any. Call it inside
        ``np.errstate(all="ignore")``; the race trains nothing else until the walk is finished.
        """
        if self.finished:
            raise TrainingDiverged("every run has diverged")
        walked = self.trainers[index]
        if walked.divergence is not None:
            raise TrainingDiverged(walked.divergence)
        for step in walked.walk_epoch():
            if step.done:
                # the walked run's epoch is complete: the others catch up before the last call is reported
                for other in self.trainers:
                    if other is not walked and other.divergence is None:
                        other.train_epoch_unguarded()
                self.epoch += 1
            yield step

    def set_optimizer(self, index: int, config: OptimizerConfig) -> tuple[str, ...]:
        """Run ``index``'s new optimizer settings, applied from its next epoch on; the settings its
        optimizer has no attribute for (``Trainer.set_optimizer``)."""
        return self.trainers[index].set_optimizer(config)

    @property
    def keep_updates(self) -> bool:
        """Every run records its layers' last updates (for showing one weight's numbers)."""
        return all(trainer.keep_updates for trainer in self.trainers)

    @keep_updates.setter
    def keep_updates(self, keep: bool):
        for trainer in self.trainers:
            trainer.keep_updates = bool(keep)

    def snapshot(self) -> RaceSnapshot:
        """Copies of every run's weights and metrics, valid while training goes on."""
        return RaceSnapshot(self.epoch, tuple(trainer.snapshot() for trainer in self.trainers), self.labels)

    def data_bounds(self, margin=0.1):
        """``(x_min, x_max, y_min, y_max)`` of all points, widened by ``margin`` of the span."""
        return data_bounds(self.X, margin)

    def __len__(self):
        return len(self.trainers)

    def __repr__(self):
        return f"Race({', '.join(self.labels)}; epoch {self.epoch})"
