"""The trainer: owns data, network and optimizer, and trains one epoch per call, as the lesson does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .book import book_spiral, book_weights
from .datasets import make_dataset, split_dataset
from .experiment import Experiment, OptimizerConfig
from .history import EpochRecord, History, HistoryView
from .losses import cross_entropy, accuracy
from .network import Network, predict_proba
from .optimizers import SGD
from .precision import BOOK, FLOAT64

DIVERGENCE_FACTOR = 3.0
DIVERGENCE_EPOCHS = 50


class TrainingDiverged(RuntimeError):
    """Raised when asked to train on after the run has diverged."""


@dataclass(frozen=True)
class Snapshot:
    """What another thread may read while training goes on: copies, never the live arrays."""

    epoch: int
    record: EpochRecord | None
    parameters: tuple
    activation: str
    sizes: tuple
    optimizer: OptimizerConfig
    history: HistoryView
    divergence: str | None


class Trainer:
    """Trains ``experiment``'s network on its data, one epoch per ``train_epoch()`` call."""

    def __init__(self, experiment: Experiment | None = None):
        experiment = Experiment() if experiment is None else experiment
        self.experiment = experiment
        data, net = experiment.dataset, experiment.network
        if experiment.book:
            if data.name != "spiral":
                raise ValueError("book: book mode reproduces the course's spiral; choose dataset 'spiral'")
            stream = np.random.RandomState(experiment.seed)
            X, y = book_spiral(data.samples, data.classes, data.noise, stream)
            sizes = (2, *net.hidden, data.classes)
            self.network = Network(2, net.hidden, data.classes, net.activation,
                                   weights=book_weights(sizes, stream), precision=BOOK)
            self.precision = BOOK
            self.X_train, self.y_train, self.X_test, self.y_test = X, y, X[:0], y[:0]
        else:
            data_rng, split_rng, weights_rng = (np.random.default_rng(s) for s in
                                                np.random.SeedSequence(experiment.seed).spawn(3))
            X, y = make_dataset(data.name, data.samples, data.classes, data.noise, data_rng)
            self.X_train, self.y_train, self.X_test, self.y_test = split_dataset(X, y, data.test_split, split_rng)
            self.network = Network(2, net.hidden, data.classes, net.activation, weights_rng)
            self.precision = FLOAT64
        self.X, self.y = X, y
        for array in (self.X, self.y, self.X_train, self.y_train, self.X_test, self.y_test):
            # the data never changes during a run (and the loss may keep what it derives from the labels)
            array.flags.writeable = False
        opt = experiment.optimizer
        self.optimizer = SGD(opt.learning_rate, opt.effective_decay, opt.effective_momentum)
        self.optimizer_config = opt
        self.history = History()
        self.epoch = 0
        self.divergence: str | None = None
        self._baseline_loss = math.nan
        self._high_loss_epochs = 0
        self._last_record: EpochRecord | None = None

    def train_epoch(self) -> EpochRecord:
        """Forward, loss and accuracy, backward, then the optimizer's three calls; returns the epoch's record."""
        # overflow in a diverging run is expected and reported as divergence, never printed
        with np.errstate(all="ignore"):
            return self._train_epoch()

    def _train_epoch(self) -> EpochRecord:
        if self.divergence:
            raise TrainingDiverged(self.divergence)
        network, optimizer, y = self.network, self.optimizer, self.y_train
        loss = float(network.forward(self.X_train, y))
        train_accuracy = float(network.accuracy(y))
        test_loss = test_accuracy = math.nan
        if len(self.X_test):
            test_loss, test_accuracy = self._test_metrics()
        start_learning_rate = optimizer.current_learning_rate
        network.backward(y)
        optimizer.pre_update_params()
        for layer in network.trainable_layers:
            optimizer.update_params(layer)
        optimizer.post_update_params()
        record = EpochRecord(self.epoch, loss, train_accuracy, optimizer.current_learning_rate,
                             start_learning_rate, test_loss, test_accuracy)
        self.history.append(record)
        self._last_record = record
        self.epoch += 1
        self.divergence = self._check_divergence(record)
        return record

    def _test_metrics(self):
        """Loss and accuracy on the held-out points, with the weights this epoch's metrics saw."""
        network = self.network
        probabilities = predict_proba(network.parameters(), network.activation_name, self.X_test, self.precision.dtype)
        return float(cross_entropy(probabilities, self.y_test)), float(accuracy(probabilities, self.y_test))

    def run(self, epochs, every=None):
        """Train ``epochs`` epochs (fewer if it diverges); ``every(record)`` is called after each."""
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if self.divergence:
                    break
                record = self._train_epoch()
                if every is not None:
                    every(record)
        return self._last_record

    def set_optimizer(self, config: OptimizerConfig):
        """New optimizer settings, applied from the next epoch on."""
        optimizer = self.optimizer
        optimizer.learning_rate = config.learning_rate
        optimizer.decay = config.effective_decay
        optimizer.momentum = config.effective_momentum
        if not optimizer.decay:
            # pre_update_params() only recomputes the rate when decaying
            optimizer.current_learning_rate = optimizer.learning_rate
        if not optimizer.momentum:
            # momentum switched back on later starts from rest, as on first use
            for layer in self.network.trainable_layers:
                for name in ("weights_momentums", "biases_momentums"):
                    if hasattr(layer, name):
                        delattr(layer, name)
        self.optimizer_config = config

    def _check_divergence(self, record):
        if not math.isfinite(record.loss):
            return self._divergence_message(record, "the loss overflowed to infinity or NaN")
        # a sum is finite only if every term is (and finite weights near 1e308 have diverged anyway)
        total = 0.0
        for layer in self.network.trainable_layers:
            total += layer.weights.sum() + layer.biases.sum()
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
        parameters = tuple((_frozen_copy(w), _frozen_copy(b)) for w, b in self.network.parameters())
        return Snapshot(self.epoch, self._last_record, parameters, self.network.activation_name,
                        self.network.sizes, self.optimizer_config, self.history.view(), self.divergence)

    def data_bounds(self, margin=0.1):
        """``(x_min, x_max, y_min, y_max)`` of all points, widened by ``margin`` of the span."""
        return data_bounds(self.X, margin)

    def probability_grid(self, resolution=200, bounds=None):
        """Class probabilities over a ``resolution²`` grid of the input plane (float32)."""
        bounds = self.data_bounds() if bounds is None else bounds
        return probability_grid(self.network.parameters(), self.network.activation_name, bounds, resolution)


def _frozen_copy(array):
    copy = np.array(array)
    copy.flags.writeable = False
    return copy


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
