"""One experiment, described by plain frozen values: dataset, network, optimizer, seed, epochs."""

from __future__ import annotations

from dataclasses import dataclass, field

OPTIMIZER_KINDS = ("sgd", "decay", "momentum")
OPTIMIZER_LABELS = {"sgd": "SGD", "decay": "SGD + decay", "momentum": "SGD + momentum"}


@dataclass(frozen=True)
class DatasetConfig:
    """Which 2-D data set, how many points per class, how noisy, and how much is held out."""

    name: str = "spiral"
    samples: int = 100
    classes: int = 3
    noise: float = 0.2
    test_split: float = 0.0


@dataclass(frozen=True)
class NetworkConfig:
    """Neurons of each hidden layer and their activation."""

    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"


@dataclass(frozen=True)
class OptimizerConfig:
    """The lesson's three choices of one SGD class: ``sgd``, ``decay`` or ``momentum``.

    The numbers that a kind does not use are kept (a window shows them greyed out)
    but never applied: see ``effective_decay`` and ``effective_momentum``.
    """

    kind: str = "momentum"
    learning_rate: float = 1.0
    decay: float = 1e-3
    momentum: float = 0.9

    @property
    def effective_decay(self) -> float:
        """The decay the optimizer applies: none for plain SGD."""
        return 0.0 if self.kind == "sgd" else self.decay

    @property
    def effective_momentum(self) -> float:
        """The momentum the optimizer applies: only SGD + momentum has one."""
        return self.momentum if self.kind == "momentum" else 0.0

    @property
    def label(self) -> str:
        return OPTIMIZER_LABELS[self.kind]


@dataclass(frozen=True)
class Experiment:
    """Everything that determines a training run; same experiment, same history, bit for bit."""

    dataset: DatasetConfig = field(default_factory=DatasetConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    seed: int = 0
    epochs: int = 10001
    book: bool = False
