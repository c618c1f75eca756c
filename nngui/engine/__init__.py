"""The lesson's engine in pure numpy: layers, loss, SGD with decay and momentum, data, trainer."""

from .datasets import DATASETS, make_dataset, split_dataset
from .experiment import (OPTIMIZER_KINDS, OPTIMIZER_LABELS, DatasetConfig, Experiment, NetworkConfig,
                         OptimizerConfig)
from .history import EpochRecord, History, HistoryView
from .layers import ACTIVATIONS, Dense, ReLU, Sigmoid, Tanh
from .losses import SoftmaxCrossEntropy, accuracy, cross_entropy, softmax
from .network import Network, predict_proba
from .optimizers import SGD, learning_rate_schedule
from .trainer import Snapshot, Trainer, TrainingDiverged, data_bounds, probability_grid

__all__ = [
    "ACTIVATIONS", "DATASETS", "OPTIMIZER_KINDS", "OPTIMIZER_LABELS", "SGD", "DatasetConfig", "Dense",
    "EpochRecord", "Experiment", "History", "HistoryView", "Network", "NetworkConfig", "OptimizerConfig",
    "ReLU", "Sigmoid", "Snapshot", "SoftmaxCrossEntropy", "Tanh", "Trainer", "TrainingDiverged", "accuracy",
    "cross_entropy", "data_bounds", "learning_rate_schedule", "make_dataset", "predict_proba",
    "probability_grid", "softmax", "split_dataset",
]
