"""The trainer: one run's network and optimizer on its data, one epoch per call, as the lesson does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .batches import MiniBatches, UpdateLogView, updates_per_epoch
from .experiment import Experiment, OptimizerConfig
from .history import EpochRecord, History, HistoryView, TrajectoryRecorder, frozen, frozen_parameters
from .losses import cross_entropy, accuracy
from .network import Network, predict_proba
from .optimizers import SGD
from .start import Start, make_start
from .walk import (BACKWARD, FORWARD, POST_UPDATE, PRE_UPDATE, UPDATE, LayerUpdate, OptimizerState, WalkStep,
                   optimizer_state)

DIVERGENCE_FACTOR = 3.0
DIVERGENCE_EPOCHS = 50


class TrainingDiverged(RuntimeError):
    """Raised when asked to train on after the run has diverged."""


@dataclass(frozen=True)
class Snapshot:
    """What another thread may read while training goes on: copies, never the live arrays.

    ``optimizer`` is the run's current setting; ``settings`` every setting it trained with,
    ``((epoch it took effect, config), ...)``, starting with ``(0, first config)``.
    ``trajectory`` is the run's path for the landscape: ``((epoch, parameters), ...)``, the
    start first, at most ~200 checkpoints spread evenly, the current weights last.
    """

    epoch: int
    record: EpochRecord | None
    parameters: tuple
    activation: str
    sizes: tuple
    optimizer: OptimizerConfig
    history: HistoryView
    divergence: str | None
    label: str
    settings: tuple[tuple[int, OptimizerConfig], ...]
    #: the optimizer's attributes and each layer's gradient and momentum norms, as they are now
    optimizer_state: OptimizerState | None = None
    #: each trainable layer's last update (None before it has one), kept while ``keep_updates`` is on
    updates: tuple[LayerUpdate | None, ...] | None = None
    #: the call a walk through the epoch made last (None at an epoch boundary)
    walk: WalkStep | None = None
    #: with mini-batches, each kept update's batch loss (see ``batches.UpdateLog``); None for full batch
    batch_losses: UpdateLogView | None = None
    #: updates made so far (the optimizer's ``step``): the epochs, for full batch
    steps: int = 0
    trajectory: tuple = ()


@dataclass(frozen=True, eq=False)
class TrainerState:
    """Everything a run needs to go on exactly as it would have, after ``epoch`` epochs (read-only copies).

    ``parameters`` is each trainable layer's ``(weights, biases)``; ``momentums[i]`` layer i's
    ``(weights_momentums, biases_momentums)``, or None where the layer has none (momentum never
    used, or switched off); ``optimizer`` the SGD's ``(learning_rate, current_learning_rate,
    decay, step, momentum)``; ``settings`` the run's settings log (``Trainer.settings``);
    ``baseline_loss`` and ``high_loss_epochs`` the divergence check's memory. The data, the
    first weights and the mini-batches' order come from the experiment and its ``Start``;
    the history is the run's own record of what happened (``from_state`` takes it apart).
    """

    epoch: int
    parameters: tuple
    momentums: tuple
    optimizer: tuple
    optimizer_config: OptimizerConfig
    settings: tuple
    divergence: str | None
    baseline_loss: float
    high_loss_epochs: int
    last_record: EpochRecord | None
    #: another optimizer's own state (a student's, see ``nngui.check.remote``): what its ``checkpoint()``
    #: gave, for its ``restore()``; None for the engine's SGD, or an optimizer that keeps none
    optimizer_checkpoint: object = None

    @property
    def nbytes(self) -> int:
        """Bytes of array data held (the weights, biases and momentums, and another optimizer's own state)."""
        arrays = [a for pair in self.parameters for a in pair]
        arrays += [a for pair in self.momentums if pair is not None for a in pair]
        extra = self.optimizer_checkpoint
        return sum(a.nbytes for a in arrays) + (len(extra) if isinstance(extra, bytes) else 0)


#: The Trainer's attributes ``state()`` captures (or, for ``history``, ``from_state`` takes from the run's own).
STATE = frozenset({"network", "optimizer", "optimizer_config", "_settings", "history", "epoch",
                   "divergence", "_baseline_loss", "_high_loss_epochs", "_last_record"})
#: The Trainer's attributes that never change during a run: made again from the experiment and start.
CONSTANT = frozenset({"experiment", "precision", "X", "y", "X_train", "y_train", "X_test", "y_test", "label",
                      "optimizer_factory"})
#: What the code panel shows, not what training needs: a state is never taken inside a walked
#: epoch, and a replay remakes the last updates by replaying the epoch before the one shown.
SHOWN_ONLY = frozenset({"keep_updates", "_updates", "_walk"})
#: Records of what happened that training never reads: the mini-batches' loss log (their batch size
#: and seed are the experiment's, and an epoch's batches come from (seed, epoch) alone, so a replay
#: draws the same ones) and the landscape's path.
RECORDED = frozenset({"minibatches", "trajectory"})


class Trainer:
    """Trains one run of ``experiment``, one epoch per ``train_epoch()`` call.

    ``optimizer`` is the run's setting (the experiment's first run if not given) and ``label``
    its name (the setting's ``name`` if not given). ``start`` is the data and initial weights
    (``make_start(experiment)``, which is made when not given); the network copies the weights,
    so runs made from one start never share an array.
    """

    def __init__(self, experiment: Experiment | None = None, optimizer: OptimizerConfig | None = None,
                 start: Start | None = None, label: str | None = None, optimizer_factory=None):
        experiment = Experiment() if experiment is None else experiment
        self.experiment = experiment
        if start is None:
            start = make_start(experiment)
        elif not start.fits(experiment):
            raise ValueError("start: made for another data set, network, seed or book mode than the experiment's")
        net = experiment.network
        self.network = Network(2, net.hidden, experiment.dataset.classes, net.activation,
                               weights=start.weights, precision=start.precision)
        self.precision = start.precision
        self.X, self.y = start.X, start.y
        self.X_train, self.y_train, self.X_test, self.y_test = start.X_train, start.y_train, start.X_test, start.y_test
        opt = experiment.optimizer if optimizer is None else optimizer
        #: what makes another optimizer than the engine's (None: SGD); a replay makes its own with it
        self.optimizer_factory = optimizer_factory
        if optimizer_factory is None:
            self.optimizer = SGD(opt.learning_rate, opt.effective_decay, opt.effective_momentum)
        else:
            # another optimizer with the lesson's protocol and attributes (a student's, see nngui.check)
            self.optimizer = optimizer_factory(opt)
        self.optimizer_config = opt
        self.label = opt.name if label is None else label
        self._settings = [(0, opt)]
        self.history = History()
        self.epoch = 0
        self.divergence: str | None = None
        self._baseline_loss = math.nan
        self._high_loss_epochs = 0
        self._last_record: EpochRecord | None = None
        #: record each layer's update (arrays before and after) for showing one weight's numbers
        self.keep_updates = False
        self._updates: list[LayerUpdate | None] = [None] * len(self.network.trainable_layers)
        self._walk: WalkStep | None = None
        #: None for full batch; else the batch size and the per-update losses (``batches.py``)
        self.minibatches = None
        if updates_per_epoch(experiment.batch_size, len(self.X_train)) > 1:
            self.minibatches = MiniBatches(experiment.batch_size, experiment.seed, len(self.X_train))
        self.trajectory = TrajectoryRecorder(self.network.parameters())

    def train_epoch(self) -> EpochRecord:
        """Forward, loss and accuracy, backward, then the optimizer's three calls; returns the epoch's record."""
        # overflow in a diverging run is expected and reported as divergence, never printed
        with np.errstate(all="ignore"):
            return self.train_epoch_unguarded()

    def train_epoch_unguarded(self, stop=None) -> EpochRecord:
        """``train_epoch()`` for a caller already inside ``np.errstate(all="ignore")`` (a race holds one).

        ``stop()``, if given, is asked between batches and after each layer's update; when it says
        True the epoch is abandoned half made with ``EpochStopped``, and the run is good for
        nothing more (the window closing).
        """
        self._check_can_train()
        try:
            for _ in self._epoch(walked=False, stop=stop):
                pass  # never reached: an epoch nobody walks reports nothing
        except EpochStopped:
            raise
        except Exception as error:
            if not self._stopped_by_its_optimizer(error):
                raise
        return self._last_record

    def walk_epoch(self):
        """``train_epoch()`` one call at a time: yields a ``WalkStep`` after each call of the protocol.

        It is the same loop as ``train_epoch()``, stopping after each call, so a walked epoch is
        bit for bit a trained one. Call it inside ``np.errstate(all="ignore")``, as
        ``train_epoch_unguarded()``; nothing else may train this run until the walk is finished.
        """
        self._check_can_train()
        try:
            yield from self._epoch(walked=True)
        except Exception as error:
            self._walk = None  # a failed call ends the walk; the error is reported as from train_epoch()
            if not self._stopped_by_its_optimizer(error):
                raise

    def _stopped_by_its_optimizer(self, error) -> bool:
        """Another optimizer's error (a student's class) stops this run alone, its message as the run's end."""
        if type(self.optimizer) is SGD:
            return False
        self.divergence = f"{self.label} stopped at epoch {self.epoch}: {error}"
        return True

    def _check_can_train(self):
        if self.divergence:
            raise TrainingDiverged(self.divergence)
        if self._walk is not None:
            raise RuntimeError("an epoch is being walked: finish it before training on")

    def _epoch(self, walked: bool, stop=None):
        """One epoch: for each batch, the forward and backward passes and the lesson's three calls.

        Full batch (the lesson's) is one batch of every training point, whose forward pass gives
        the epoch's loss and accuracy; with mini-batches those are measured on every training
        point before the first update (``batches.py``), and each batch's own loss is logged.
        A generator only so that a walk can stop between calls: unless ``walked``, it yields
        nothing and builds no ``WalkStep``.
        """
        network, optimizer, epoch, minibatches = self.network, self.optimizer, self.epoch, self.minibatches
        X, y = self.X_train, self.y_train
        if minibatches is None:
            batches, measured = (None,), None
        else:
            batches = minibatches.batches(epoch)
            # the epoch's numbers: every training point with the weights as the epoch begins
            measured = self._metrics(X, y)
        test_loss, test_accuracy = self._metrics(self.X_test, self.y_test) if len(self.X_test) else (math.nan,) * 2
        start_learning_rate = optimizer.current_learning_rate
        count = len(batches)
        for number, batch in enumerate(batches):
            if stop is not None and stop():   # the window closing: an epoch of a huge network gives up here
                raise EpochStopped("the epoch was stopped half made")
            X_batch, y_batch = (X, y) if batch is None else (X[batch], y[batch])
            loss = network.forward(X_batch, y_batch)
            if measured is None:
                measured = float(loss), float(network.accuracy(y_batch))
            if walked:
                yield self._walked(FORWARD, epoch, None, number, count)
            network.backward(y_batch)
            if minibatches is not None:
                minibatches.updates.append(optimizer.step, epoch + number / count, float(loss))
            if walked:
                yield self._walked(BACKWARD, epoch, None, number, count)
            optimizer.pre_update_params()
            if walked:
                yield self._walked(PRE_UPDATE, epoch, None, number, count)
            for index, layer in enumerate(network.trainable_layers):
                before = LayerUpdate.before(epoch, optimizer, layer) if self.keep_updates else None
                optimizer.update_params(layer)
                if before is not None:
                    self._updates[index] = LayerUpdate.after(before, layer)
                if walked:
                    yield self._walked(UPDATE, epoch, index, number, count)
                if stop is not None and stop():
                    raise EpochStopped("the epoch was stopped half made")
            optimizer.post_update_params()
            if walked and number < count - 1:
                yield self._walked(POST_UPDATE, epoch, None, number, count)
        self._end_epoch(EpochRecord(epoch, *measured, optimizer.current_learning_rate, start_learning_rate,
                                    test_loss, test_accuracy))
        if walked:
            yield WalkStep(POST_UPDATE, epoch, None, count - 1, count)

    def _end_epoch(self, record: EpochRecord):
        """Keep the epoch's record and the weights' path; is the run diverging? The walk is over."""
        self.history.append(record)
        self._last_record = record
        self.epoch += 1
        self.trajectory.record(self.epoch, self.network.parameters())
        self.divergence = self._check_divergence(record)
        self._walk = None

    def _walked(self, call, epoch, layer, batch, batches) -> WalkStep:
        self._walk = WalkStep(call, epoch, layer, batch, batches)
        return self._walk

    @property
    def walking(self) -> bool:
        """An epoch is being walked (``walk_epoch()`` has yielded, and not yet its last call)."""
        return self._walk is not None

    @property
    def steps(self) -> int:
        """Updates made so far: the optimizer's ``step`` (one an epoch for full batch)."""
        return self.optimizer.step

    @property
    def last_record(self) -> EpochRecord | None:
        """The latest epoch's record (None before the first)."""
        return self._last_record

    def _metrics(self, X, y):
        """Loss and accuracy of ``X`` with the weights as they are (the layers' state untouched)."""
        network = self.network
        probabilities = predict_proba(network.parameters(), network.activation_name, X, self.precision.dtype)
        return float(cross_entropy(probabilities, y)), float(accuracy(probabilities, y))

    def run(self, epochs, every=None):
        """Train ``epochs`` epochs (fewer if it diverges); ``every(record)`` is called after each."""
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if self.divergence:
                    break
                record = self.train_epoch_unguarded()
                if every is not None:
                    every(record)
        return self._last_record

    def set_optimizer(self, config: OptimizerConfig) -> tuple[str, ...]:
        """New optimizer settings, applied from the next epoch on.

        Another optimizer than the engine's (a student's) takes them through its ``apply_setting``
        if it has one, which returns the settings it has no attribute for: they are returned (the
        engine's SGD has every one). If that call fails, the run stops with its message, as when
        one of the protocol's calls fails.
        """
        optimizer, missing = self.optimizer, ()
        apply = getattr(optimizer, "apply_setting", None) if type(optimizer) is not SGD else None
        if apply is not None:
            try:
                missing = tuple(apply(config.learning_rate, config.effective_decay, config.effective_momentum))
            except Exception as error:
                if not self._stopped_by_its_optimizer(error):
                    raise
        else:
            optimizer.learning_rate = config.learning_rate
            optimizer.decay = config.effective_decay
            optimizer.momentum = config.effective_momentum
            if not optimizer.decay:
                # pre_update_params() only recomputes the rate when decaying
                optimizer.current_learning_rate = optimizer.learning_rate
        if not config.effective_momentum:
            # momentum switched back on later starts from rest, as on first use
            for layer in self.network.trainable_layers:
                for name in ("weights_momentums", "biases_momentums"):
                    if hasattr(layer, name):
                        delattr(layer, name)
        self.optimizer_config = config
        self._log_setting(config)
        return missing

    def _log_setting(self, config):
        settings = self._settings
        if settings[-1][0] == self.epoch:
            settings.pop()  # changed again before an epoch trained with it: that one never counted
        if not settings or settings[-1][1] != config:
            settings.append((self.epoch, config))

    @property
    def settings(self) -> tuple[tuple[int, OptimizerConfig], ...]:
        """Every setting the run trains with and the epoch it took effect: ``((0, first), (e, next), ...)``.

        A setting changed twice before the next epoch counts once; one that changes nothing is not listed.
        """
        return tuple(self._settings)

    def state(self) -> TrainerState:
        """The run's full state now, copied: ``Trainer.from_state(...)`` goes on from it exactly as this run does.

        Take it at an epoch's end, never inside a walked epoch (``ValueError``).
        """
        if self.walking:
            raise ValueError(f"state: epoch {self.epoch} is being walked; take it at the epoch's end")
        layers, optimizer = self.network.trainable_layers, self.optimizer
        return TrainerState(
            epoch=self.epoch,
            parameters=frozen_parameters((layer.weights, layer.biases) for layer in layers),
            momentums=tuple((frozen(layer.weights_momentums), frozen(layer.biases_momentums))
                            if hasattr(layer, "weights_momentums") else None for layer in layers),
            optimizer=(optimizer.learning_rate, optimizer.current_learning_rate, optimizer.decay, optimizer.step,
                       optimizer.momentum),
            optimizer_config=self.optimizer_config,
            settings=self.settings,
            divergence=self.divergence,
            baseline_loss=self._baseline_loss,
            high_loss_epochs=self._high_loss_epochs,
            last_record=self._last_record,
            optimizer_checkpoint=self._optimizer_checkpoint(),
        )

    def _optimizer_checkpoint(self):
        """Another optimizer's own state, if it offers one (``checkpoint()``); a failure stops the run."""
        checkpoint = getattr(self.optimizer, "checkpoint", None) if type(self.optimizer) is not SGD else None
        if checkpoint is None or self.divergence:
            return None
        try:
            return checkpoint()
        except Exception as error:
            if not self._stopped_by_its_optimizer(error):
                raise
            return None

    @classmethod
    def from_state(cls, state: TrainerState, experiment: Experiment, start: Start, label: str | None = None,
                   history: HistoryView | None = None, optimizer_factory=None) -> Trainer:
        """A Trainer that goes on from ``state`` exactly as the run it was taken from, in arrays of its own.

        ``experiment`` and ``start`` are the run's (``start`` gives the data); ``history`` is the
        run's history (any length ≥ ``state.epoch``): its first ``state.epoch`` records become the
        new trainer's. Without it the history starts empty (enough to draw, or to try a change).
        The landscape's path and the mini-batches' loss log start afresh from here.

        ``optimizer_factory`` is the run's (``Trainer``'s): another optimizer is made with it and
        given back its own state with its ``restore()`` (without one, it is as made: right for
        epoch 0 only).
        """
        trainer = cls(experiment, state.optimizer_config, start, label, optimizer_factory)
        for layer, (weights, biases), momentums in zip(trainer.network.trainable_layers, state.parameters,
                                                       state.momentums, strict=True):
            layer.weights, layer.biases = np.array(weights), np.array(biases)
            if momentums is not None:
                layer.weights_momentums, layer.biases_momentums = np.array(momentums[0]), np.array(momentums[1])
        optimizer = trainer.optimizer
        (optimizer.learning_rate, optimizer.current_learning_rate, optimizer.decay, optimizer.step,
         optimizer.momentum) = state.optimizer
        if state.optimizer_checkpoint is not None:
            optimizer.restore(state.optimizer_checkpoint)  # its own attributes, mirrored again
        trainer._settings = list(state.settings)
        trainer.epoch = state.epoch
        trainer.divergence = state.divergence
        trainer._baseline_loss = state.baseline_loss
        trainer._high_loss_epochs = state.high_loss_epochs
        trainer._last_record = state.last_record
        if history is not None:
            trainer.history = History.from_view(history, state.epoch)
        return trainer

    def _check_divergence(self, record):
        if not math.isfinite(record.loss):
            return self._divergence_message(record, "the loss overflowed to infinity or NaN")
        # a sum is finite only if every term is (and finite weights near 1e308 have diverged anyway)
        total = 0.0
        for layer in self.network.trainable_layers:
            # array.sum() is this reduce behind a Python wrapper
            total += np.add.reduce(layer.weights, axis=None) + np.add.reduce(layer.biases, axis=None)
        if not math.isfinite(total):
            return self._divergence_message(record, "a weight overflowed to infinity or NaN")
        if record.epoch == 0:
            self._baseline_loss = record.loss
        if record.loss > DIVERGENCE_FACTOR * self._baseline_loss:
            self._high_loss_epochs += 1
            if self._high_loss_epochs >= DIVERGENCE_EPOCHS:
                return self._divergence_message(
                    record, f"the loss stayed above {DIVERGENCE_FACTOR:g}× its starting value "
                            f"({self._baseline_loss:.3f}) for {DIVERGENCE_EPOCHS} epochs in a row")
        else:
            self._high_loss_epochs = 0
        return None

    def _divergence_message(self, record, what):
        rate = record.learning_rate
        advice = f"lower the learning rate (try {rate / 10:g})"
        if self.optimizer.momentum:
            advice += " or the momentum"
        return (f"Training diverged at epoch {record.epoch}: {what}. "
                f"The learning rate {rate:g} is too high for this network: {advice} and start again.")

    def snapshot(self) -> Snapshot:
        """Copies of the weights and the latest metrics, valid while training goes on."""
        parameters = frozen_parameters(self.network.parameters())
        return Snapshot(self.epoch, self._last_record, parameters, self.network.activation_name,
                        self.network.sizes, self.optimizer_config, self.history.view(), self.divergence,
                        self.label, self.settings,
                        optimizer_state(self.optimizer, self.network.trainable_layers),
                        tuple(self._updates) if self.keep_updates else None, self._walk,
                        batch_losses=None if self.minibatches is None else self.minibatches.updates.view(),
                        steps=self.optimizer.step, trajectory=self.trajectory.checkpoints(self.epoch, parameters))

    def data_bounds(self, margin=0.1):
        """``(x_min, x_max, y_min, y_max)`` of all points, widened by ``margin`` of the span."""
        return data_bounds(self.X, margin)

    def probability_grid(self, resolution=200, bounds=None):
        """Class probabilities over a ``resolution²`` grid of the input plane (float32)."""
        bounds = self.data_bounds() if bounds is None else bounds
        return probability_grid(self.network.parameters(), self.network.activation_name, bounds, resolution)


class EpochStopped(Exception):
    """An epoch given up between two calls because ``stop()`` said so: the run cannot go on."""


def data_bounds(X, margin=0.1):
    """``(x_min, x_max, y_min, y_max)`` of ``X``, widened by ``margin`` of the span on each side."""
    low, high = X.min(axis=0).astype(float), X.max(axis=0).astype(float)
    pad = margin * np.maximum(high - low, 1e-9)
    return (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])


@lru_cache(maxsize=8)
def _grid_points(bounds, resolution):
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, resolution, dtype=np.float32)
    ys = np.linspace(y_min, y_max, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    points.flags.writeable = False
    return points


def probability_grid(parameters, activation, bounds, resolution=200):
    """Probabilities of shape ``(resolution, resolution, classes)``; row i is y = y_min + i·step.

    float32 throughout: a picture needs no more, and it is twice as fast.
    """
    points = _grid_points(tuple(float(b) for b in bounds), int(resolution))
    with np.errstate(all="ignore"):
        probabilities = predict_proba(parameters, activation, points, np.float32)
    return probabilities.reshape(resolution, resolution, -1)
