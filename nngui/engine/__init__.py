"""The lesson's engine in pure numpy: layers, loss, SGD with decay and momentum, data, trainer, race."""

from .checks import ExperimentError
from .datasets import DATASETS, DatasetInfo, make_dataset, split_dataset
from .experiment import (CHAPTER_RUNS, LIMITS, MAX_RUNS, OPTIMIZER_KINDS, OPTIMIZER_LABELS, DatasetConfig, Experiment,
                         NetworkConfig, OptimizerConfig)
from .history import EpochRecord, History, HistoryView
from .layers import ACTIVATIONS, Dense, ReLU, Sigmoid, Tanh
from .losses import SoftmaxCrossEntropy, accuracy, cross_entropy, softmax
from .network import Network, predict_proba
from .optimizers import SGD, learning_rate_schedule
from .race import Race, RaceSnapshot
from .start import Start, make_start
from .trainer import Snapshot, Trainer, TrainerState, TrainingDiverged, data_bounds, probability_grid

__all__ = [
    "ACTIVATIONS", "CHAPTER_RUNS", "DATASETS", "LIMITS", "MAX_RUNS", "OPTIMIZER_KINDS", "OPTIMIZER_LABELS", "SGD",
    "DatasetConfig", "DatasetInfo", "Dense", "ExperimentError", "EpochRecord", "Experiment",
    "History", "HistoryView", "Network", "NetworkConfig", "OptimizerConfig", "Race", "RaceSnapshot", "ReLU",
    "Sigmoid", "Snapshot", "SoftmaxCrossEntropy", "Start", "Tanh", "Trainer", "TrainerState", "TrainingDiverged",
    "accuracy",
    "cross_entropy", "data_bounds", "learning_rate_schedule", "make_dataset", "make_start", "predict_proba",
    "probability_grid", "softmax", "split_dataset",
]
