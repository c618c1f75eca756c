"""Looking back: each run's full state at chosen epochs, and exact replay to any epoch from them.

A checkpoint (``RunState``) is the run's ``Trainer.state()``, everything a ``Trainer`` needs to
go on exactly as it would have: the weights and biases, the optimizer (``step``,
``current_learning_rate`` and its settings), each layer's ``weights_momentums`` /
``biases_momentums``, the settings log, the divergence tracker and the last record. The data
and the first weights come from the run's ``Start``; the records before a checkpoint are the
run's own history, which the run keeps anyway.

Memory stays bounded: a run keeps a checkpoint every ``interval`` epochs, starting at every
epoch; when it holds more than its ``capacity`` (about ``CHECKPOINT_BUDGET_BYTES`` worth, at
most ``MAX_CHECKPOINTS``) the interval doubles and every other one goes. So a run of E epochs
holds between capacity/2 and capacity checkpoints, and reaching any epoch replays at most
``interval`` ≈ E / (capacity/2) epochs (the epoch before the one shown is always replayed: its
gradients, and the last updates the code panel shows, are part of what was seen then).

Settings changed during the run are not checkpoints: every ``set_optimizer`` call is logged
with the epoch it was applied at (a tuple, no arrays) and replayed at that epoch, in order,
exactly as the live run made it — including a change taken back before the next epoch.

Replay is deterministic because training is: the same state, data and calls give the same
bits (mini-batches drawn from (seed, epoch) keep it so).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, fields, replace

import numpy as np

from nngui.engine.experiment import Experiment, OptimizerConfig
from nngui.engine.history import HistoryView
from nngui.engine.race import Race, RaceSnapshot
from nngui.engine.start import Start
from nngui.engine.trainer import Snapshot, Trainer, TrainerState

#: A run's checkpoints take about this much memory at most (fewer, further apart, for a large network).
CHECKPOINT_BUDGET_BYTES = 16 * 2**20
#: A run never keeps more checkpoints than this (the chapter's network: 3 kB each, 6 kB with momentums,
#: half that in book mode) …
MAX_CHECKPOINTS = 2048
#: … nor fewer than this, however large its network.
MIN_CHECKPOINTS = 8


class ReplayAborted(Exception):
    """A replay stopped early because its ``abort()`` said so."""


@dataclass(frozen=True, eq=False)
class RunState:
    """A checkpoint: the run's ``Trainer.state()`` and how many settings calls it had seen then."""

    trainer: TrainerState
    calls: int

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def nbytes(self) -> int:
        """Bytes of array data held (the weights, biases and momentums)."""
        return self.trainer.nbytes


def capture(trainer: Trainer, calls: int = 0) -> RunState:
    """``trainer``'s state now, copied; ``calls`` is how many settings calls it has had."""
    try:
        return RunState(trainer.state(), calls)
    except ValueError as error:
        raise ValueError(f"checkpoint: {str(error).partition(': ')[2]}") from None


def restore(state: RunState, experiment: Experiment, start: Start, label: str,
            history: HistoryView | None = None, optimizer_factory=None) -> Trainer:
    """A Trainer that goes on from ``state`` exactly as the run did, in arrays of its own.

    ``history`` is the run's history (any length ≥ ``state.epoch``): its first ``state.epoch``
    records become the trainer's. Without it the trainer's history starts empty (enough to draw).
    ``optimizer_factory`` is the run's own when its optimizer is not the engine's (a student's).
    """
    return Trainer.from_state(state.trainer, experiment, start, label, history, optimizer_factory)


def history_prefix(view: HistoryView, epochs: int) -> HistoryView:
    """The first ``epochs`` entries of ``view`` (views of its read-only arrays, no copy)."""
    return HistoryView(*(getattr(view, f.name)[:epochs] for f in fields(HistoryView)))


def log_prefix(view, steps: int):
    """The updates of an ``UpdateLogView`` made before update ``steps`` (views of its arrays, no copy)."""
    n = int(np.searchsorted(view.step, steps))
    return replace(view, **{f.name: getattr(view, f.name)[:n] for f in fields(view)})


def checkpoint_capacity(state_bytes: int) -> int:
    """How many checkpoints of ``state_bytes`` each a run keeps."""
    fit = CHECKPOINT_BUDGET_BYTES // max(1, state_bytes)
    return int(max(MIN_CHECKPOINTS, min(MAX_CHECKPOINTS, fit)))


class Checkpoints:
    """One run's checkpoints by epoch: every ``interval`` epochs, thinned (interval doubled) past ``capacity``."""

    def __init__(self, capacity: int | None = None):
        self.capacity = capacity
        self.interval = 1
        self._epochs: list[int] = []
        self._states: dict[int, RunState] = {}

    def due(self, epoch: int) -> bool:
        """Whether a checkpoint belongs at ``epoch`` (and is not there yet)."""
        return epoch % self.interval == 0 and epoch not in self._states

    def add(self, state: RunState) -> None:
        """Keep ``state`` (the newest: epochs only grow), thinning the older ones if there are too many."""
        if self._epochs and state.epoch <= self._epochs[-1]:
            raise ValueError(f"checkpoint at epoch {state.epoch}: the last one is at epoch {self._epochs[-1]}")
        if self.capacity is None:
            self.capacity = checkpoint_capacity(state.nbytes)
        self._epochs.append(state.epoch)
        self._states[state.epoch] = state
        while len(self._epochs) > self.capacity:
            self.interval *= 2
            keep = [e for e in self._epochs if e % self.interval == 0]
            for epoch in set(self._epochs).difference(keep):
                del self._states[epoch]
            self._epochs = keep

    def nearest(self, epoch: int) -> RunState:
        """The checkpoint at ``epoch`` or the latest before it."""
        index = bisect_right(self._epochs, epoch) - 1
        if index < 0:
            raise LookupError(f"no checkpoint at or before epoch {epoch}")
        return self._states[self._epochs[index]]

    @property
    def epochs(self) -> tuple[int, ...]:
        return tuple(self._epochs)

    @property
    def nbytes(self) -> int:
        """Bytes of array data held by every checkpoint."""
        return sum(state.nbytes for state in self._states.values())

    def __len__(self):
        return len(self._epochs)

    def __repr__(self):
        return f"Checkpoints({len(self)} every {self.interval} epochs, {self.nbytes:,} bytes)"


class RunTimeline:
    """One run's checkpoints and settings calls; ``trainer_at(k)`` is the run as it was after k epochs.

    Call ``record()`` after every epoch the run trains and ``set_optimizer(config)`` instead of the
    trainer's own (or ``note_setting(config)`` right after it). Everything lives in the thread
    that trains the run.
    """

    def __init__(self, trainer: Trainer, start: Start, capacity: int | None = None):
        self.trainer, self.start = trainer, start
        self.checkpoints = Checkpoints(capacity)
        self._calls: list[tuple[int, OptimizerConfig]] = []
        # (trainer, pending calls index, trained since restored) of the last replay: a scrub forward goes on from it
        self._last = None
        self.record()

    def record(self) -> None:
        """Keep a checkpoint of the run now if one is due.

        A run whose optimizer is not the engine's keeps only checkpoints that hold that optimizer's
        own state (its ``checkpoint()``), and the one at epoch 0, where a fresh one is that state:
        when it gives none, a look back replays from an earlier checkpoint (from epoch 0 at worst).
        """
        trainer = self.trainer
        if self.checkpoints.due(trainer.epoch):
            state = capture(trainer, len(self._calls))
            if (trainer.optimizer_factory is None or state.trainer.optimizer_checkpoint is not None
                    or trainer.epoch == 0):
                self.checkpoints.add(state)

    def set_optimizer(self, config: OptimizerConfig) -> None:
        """The run's ``set_optimizer``, logged for replay."""
        self.trainer.set_optimizer(config)
        self.note_setting(config)

    def note_setting(self, config: OptimizerConfig) -> None:
        """Log the ``set_optimizer(config)`` call the run has just had."""
        self._calls.append((self.trainer.epoch, config))

    @property
    def latest(self) -> int:
        """The run's epoch now: the furthest a replay reaches."""
        return self.trainer.epoch

    def trainer_at(self, epoch: int, with_history: bool = True, abort=None) -> Trainer:
        """A new Trainer in the run's state after ``epoch`` epochs (past its end: its end) and its settings then.

        Settings calls made at that epoch's boundary count as made. The epoch before it is always
        replayed (from the checkpoint before it), so the layers' gradients and, if the run keeps
        them, its last updates are the run's own too. ``with_history=False`` leaves out the
        records before that checkpoint (faster; enough to draw). ``abort()``, if given, is asked
        before each epoch replayed: True raises ``ReplayAborted``.
        """
        epoch = self._check(epoch)
        state = self._start_for(epoch)
        last = self._last
        if not with_history and last is not None and last[2] and state.epoch < last[0].epoch <= epoch:
            trainer, pending = last[0], last[1]  # nearer than the checkpoint: scrubbing forward
        else:
            history = self.trainer.history.view() if with_history else None
            trainer = restore(state, self.trainer.experiment, self.start, self.trainer.label, history,
                              self.trainer.optimizer_factory)
            pending = state.calls
        calls, keep_updates, first = self._calls, self.trainer.keep_updates, trainer.epoch
        reused = last is not None and trainer is last[0]
        try:
            with np.errstate(all="ignore"):
                while True:
                    # the calls made at this boundary, in order, before the epoch they apply to
                    while pending < len(calls) and calls[pending][0] <= trainer.epoch:
                        trainer.set_optimizer(calls[pending][1])
                        pending += 1
                    if trainer.epoch >= epoch or trainer.divergence:
                        trainer.keep_updates = keep_updates
                        return trainer
                    if abort is not None and abort():
                        raise ReplayAborted(f"replay to epoch {epoch} stopped at epoch {trainer.epoch}")
                    # only the last epoch's updates are ever shown: copying them costs, so only then
                    trainer.keep_updates = keep_updates and trainer.epoch == epoch - 1
                    trainer.train_epoch_unguarded()
        finally:
            if not with_history:
                # kept, even when cut short (still a true state), for the next request to go on from
                # once it has trained an epoch; callers of with_history=False only read this trainer
                self._last = (trainer, pending, reused or trainer.epoch > first)

    def _start_for(self, epoch: int) -> RunState:
        """The checkpoint a replay to ``epoch`` starts from: the latest before it (at it, if none is)."""
        try:
            return self.checkpoints.nearest(epoch - 1)
        except LookupError:
            return self.checkpoints.nearest(epoch)

    def snapshot_at(self, epoch: int, abort=None) -> Snapshot:
        """What ``trainer.snapshot()`` gave after ``epoch`` epochs (its history a view of the run's)."""
        epoch = self._check(epoch)
        trainer = self.trainer_at(epoch, with_history=False, abort=abort)
        snapshot = trainer.snapshot()
        live = self.trainer
        path = tuple(c for c in live.trajectory.checkpoints() if c[0] < snapshot.epoch)
        batch_losses = snapshot.batch_losses
        if live.minibatches is not None:
            batch_losses = log_prefix(live.minibatches.updates.view(), snapshot.steps)
        return replace(snapshot, history=history_prefix(live.history.view(), snapshot.epoch),
                       trajectory=path + ((snapshot.epoch, snapshot.parameters),), batch_losses=batch_losses)

    def _check(self, epoch) -> int:
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch < 0:
            raise ValueError(f"epoch: must be a whole number ≥ 0, got {epoch!r}")
        return min(int(epoch), self.latest)

    @property
    def nbytes(self) -> int:
        return self.checkpoints.nbytes

    def close(self) -> None:
        """Let go of the last replay; an optimizer of its own that holds a process (a student's) is stopped."""
        last, self._last = self._last, None
        close = getattr(last[0].optimizer, "close", None) if last is not None else None
        if close is not None:
            close()


class RaceTimeline:
    """A race's runs' timelines; ``snapshot_at(k)`` is ``race.snapshot()`` as it was after k ticks."""

    def __init__(self, race: Race, capacity: int | None = None):
        self.race = race
        self.runs = tuple(RunTimeline(trainer, race.start, capacity) for trainer in race.trainers)

    def record(self) -> None:
        """After each tick of the race's clock."""
        for run in self.runs:
            run.record()

    def set_optimizer(self, index: int, config: OptimizerConfig) -> None:
        """The race's ``set_optimizer``, logged for replay."""
        self.race.set_optimizer(index, config)
        self.note_setting(index, config)

    def note_setting(self, index: int, config: OptimizerConfig) -> None:
        """After ``race.set_optimizer(index, config)``."""
        self.runs[index].note_setting(config)

    @property
    def latest(self) -> int:
        return self.race.epoch

    def snapshot_at(self, epoch: int, abort=None) -> RaceSnapshot:
        """Every run as it was after ``epoch`` ticks (0 … ``latest``); ``abort`` as for ``RunTimeline.trainer_at``."""
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.latest:
            raise ValueError(f"epoch: must be a whole number from 0 to {self.latest}, got {epoch!r}")
        runs = tuple(run.snapshot_at(int(epoch), abort) for run in self.runs)
        return RaceSnapshot(int(epoch), runs, self.race.labels)

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self.runs)

    def close(self) -> None:
        """Every run's ``close()``: the replays' processes (a student's optimizer's) are stopped."""
        for run in self.runs:
            run.close()

    def __repr__(self):
        return f"RaceTimeline({len(self.runs)} runs to epoch {self.latest}, {self.nbytes:,} bytes)"

