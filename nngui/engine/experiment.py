"""One experiment, described by plain frozen values: dataset, network, the runs' optimizers, seed, epochs.

An experiment trains 1 to ``MAX_RUNS`` runs that differ only in their optimizer settings
(a race): the same data and the same initial weights for each. One run is a race of one.

Every value is checked when it is built, with one message that names the field
(``optimizer.learning_rate: must be between 0.0001 and 100, got 500``), so neither
a window nor the command line can hold an experiment that cannot be trained.
Whole numbers given for real ones are stored as floats, lists of neurons as tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .batches import check_batch_size
from .checks import ExperimentError, check_bool, check_choice, check_int, check_real, show
from .datasets import CUSTOM, DATASETS, SAMPLES_RANGE, NOISE_RANGE, TEST_SPLIT_RANGE, check_dataset, check_points
from .layers import ACTIVATIONS, DEFAULT_INIT, INITS
from .network import MAX_HIDDEN_LAYERS, MAX_NEURONS

OPTIMIZER_KINDS = ("sgd", "decay", "momentum")
OPTIMIZER_LABELS = {"sgd": "SGD", "decay": "SGD + decay", "momentum": "SGD + momentum"}
#: A race has at most this many runs.
MAX_RUNS = 4

#: Allowed ranges, inclusive, by field: spin boxes take their limits from here.
LIMITS = {
    "dataset.samples": SAMPLES_RANGE,
    "dataset.classes": (min(i.min_classes for i in DATASETS.values()), max(i.max_classes for i in DATASETS.values())),
    "dataset.noise": NOISE_RANGE,
    "dataset.test_split": TEST_SPLIT_RANGE,
    "network.layers": (1, MAX_HIDDEN_LAYERS),
    "network.neurons": (1, MAX_NEURONS),
    "optimizer.learning_rate": (0.0001, 100.0),
    "optimizer.decay": (0.0, 1.0),
    "optimizer.momentum": (0.0, 0.99),
    "seed": (0, 2**32 - 1),
    "epochs": (1, 10_000_000),
}


def _store(instance, name, value):
    # frozen dataclasses: normalising a field in __post_init__ needs object.__setattr__
    object.__setattr__(instance, name, value)


@dataclass(frozen=True)
class DatasetConfig:
    """Which 2-D data set, how many points per class, how noisy, and how much is held out.

    The ``custom`` data set is made of its ``points``, ``(x, y, label)`` each (see
    ``datasets.check_points`` for the limits); every other set has none.
    """

    name: str = "spiral"
    samples: int = 100
    classes: int = 3
    noise: float = 0.2
    test_split: float = 0.0
    points: tuple = ()

    def __post_init__(self):
        checked = check_dataset(self.name, self.samples, self.classes, self.noise, prefix="dataset.")
        for name, value in zip(("name", "samples", "classes", "noise"), checked):
            _store(self, name, value)
        _store(self, "test_split", check_real(self.test_split, "dataset.test_split", *TEST_SPLIT_RANGE))
        if self.name == CUSTOM:
            _store(self, "points", check_points(self.points, self.classes))
        elif self.points != ():
            raise ExperimentError("dataset.points", f"only the data set '{CUSTOM}' is made of given points; "
                                                    f"{self.name} draws its own")

    @property
    def label(self) -> str:
        return DATASETS[self.name].label


@dataclass(frozen=True)
class NetworkConfig:
    """Neurons of each hidden layer, their activation, and how the weights start (``init``, see ``init.py``)."""

    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"
    init: str = DEFAULT_INIT

    def __post_init__(self):
        hidden = self.hidden
        if not isinstance(hidden, (tuple, list)):
            raise ExperimentError("network.hidden", f"must be a list of neuron counts like [64] or [64, 32], "
                                                    f"got {show(hidden)}")
        if not 1 <= len(hidden) <= MAX_HIDDEN_LAYERS:
            raise ExperimentError("network.hidden", f"must have 1 to {MAX_HIDDEN_LAYERS} hidden layers, "
                                                    f"got {len(hidden)}")
        _store(self, "hidden", tuple(check_int(n, f"network.hidden[{i}]", 1, MAX_NEURONS)
                                     for i, n in enumerate(hidden)))
        check_choice(self.activation, "network.activation", tuple(ACTIVATIONS))
        check_choice(self.init, "network.init", INITS)


@dataclass(frozen=True)
class OptimizerConfig:
    """The lesson's three choices of one SGD class: ``sgd``, ``decay`` or ``momentum``.

    The numbers that a kind does not use are kept (a window shows them greyed out)
    but never applied: see ``effective_decay`` and ``effective_momentum``.

    ``student`` names a student's optimizer class that trains the run instead of the lesson's
    ``SGD``, as ``path::ClassName`` (empty: the lesson's SGD). It is made with the run's numbers;
    the engine only carries the name (``nngui.check.remote`` makes the optimizer).
    """

    kind: str = "momentum"
    learning_rate: float = 1.0
    decay: float = 1e-3
    momentum: float = 0.9
    student: str = ""

    def __post_init__(self):
        check_choice(self.kind, "optimizer.kind", OPTIMIZER_KINDS)
        for name in ("learning_rate", "decay", "momentum"):
            field_name = "optimizer." + name
            _store(self, name, check_real(getattr(self, name), field_name, *LIMITS[field_name]))
        check_student(self.student)

    @property
    def student_class(self) -> str:
        """The student's class name (``ClassName`` of ``path::ClassName``), or '' for the lesson's SGD."""
        return self.student.rpartition(STUDENT_SEPARATOR)[2]

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

    @property
    def name(self) -> str:
        """A run's short name: ``SGD``, ``SGD + decay``, ``SGD + momentum 0.9``; a student's class its own."""
        if self.student:
            return self.student_class
        if self.kind == "momentum":
            return f"{self.label} {_number(self.momentum)}"
        return self.label

    def describe(self) -> str:
        """Every number this optimizer applies: ``SGD + momentum 0.9: lr 1, decay 0.001, momentum 0.9``."""
        parts = [f"lr {_number(self.learning_rate)}"]
        if self.kind != "sgd":
            parts.append(f"decay {_number(self.decay)}")
        if self.kind == "momentum":
            parts.append(f"momentum {_number(self.momentum)}")
        return f"{self.name}: {', '.join(parts)}"


#: ``OptimizerConfig.student``: ``path::ClassName``.
STUDENT_SEPARATOR = "::"
#: The longest ``OptimizerConfig.student`` (a path and a class name).
MAX_STUDENT = 4096


def check_student(student) -> str:
    """``path::ClassName`` (a file's path, a class name that is a Python identifier), or ''."""
    if not isinstance(student, str):
        raise ExperimentError("optimizer.student", f"must be text, got {show(student)}")
    if not student:
        return student
    path, separator, class_name = student.rpartition(STUDENT_SEPARATOR)
    if len(student) > MAX_STUDENT:
        raise ExperimentError("optimizer.student", f"must be at most {MAX_STUDENT} characters, got {len(student)}")
    if not separator or not path.strip() or not class_name.isidentifier():
        raise ExperimentError("optimizer.student", f"must be a file and a class, path::ClassName, got {show(student)}")
    if any(ord(c) < 32 or ord(c) == 127 for c in student):
        raise ExperimentError("optimizer.student", "must not hold control characters")
    return student


def _number(value) -> str:
    """A setting as a person reads it: ``1``, ``0.001``, ``1e-07``, never rounded."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(float(value))


def run_labels(runs) -> tuple[str, ...]:
    """A name for each run, distinct within the race: the short name, with the numbers that tell twins apart.

    Twins (runs of one name) are told apart by the settings that differ between them alone
    ("SGD + momentum 0.9 (decay 0.01)" beside "… (decay 0.001)"): short enough for a map's title
    on a projector. Twins alike in every setting show them all and a number ("… #2").
    """
    names = [run.name for run in runs]
    settings = [run.describe().partition(": ")[2].split(", ") for run in runs]
    labels = list(names)
    for name in set(names):
        twins = [i for i, other in enumerate(names) if other == name]
        if len(twins) < 2:
            continue
        columns = range(min(len(settings[i]) for i in twins))
        differing = [c for c in columns if len({settings[i][c] for i in twins}) > 1] or list(columns)
        for i in twins:
            labels[i] = f"{name} ({', '.join(settings[i][c] for c in differing)})"
    seen = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} #{seen[label]}"
    return tuple(labels)


#: The chapter's comparison: plain SGD, SGD with decay, SGD with decay and momentum.
CHAPTER_RUNS = (
    OptimizerConfig("sgd", 1.0, 0.0, 0.0),
    OptimizerConfig("decay", 1.0, 1e-3, 0.0),
    OptimizerConfig("momentum", 1.0, 1e-3, 0.9),
)


@dataclass(frozen=True)
class Experiment:
    """Everything that determines a training run; same experiment, same history, bit for bit.

    Saved as JSON by ``save``/``dumps`` and read back, checked, by ``load``/``loads``
    (see ``experiment_io`` for the format).
    """

    dataset: DatasetConfig = field(default_factory=DatasetConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    runs: tuple = (OptimizerConfig(),)
    seed: int = 0
    epochs: int = 10001
    book: bool = False
    #: points per update; None is full batch (every training point, one update an epoch), see ``batches.py``
    batch_size: int | None = None

    def __post_init__(self):
        for name, cls in (("dataset", DatasetConfig), ("network", NetworkConfig)):
            if not isinstance(getattr(self, name), cls):
                raise ExperimentError(name, f"must be a {cls.__name__}, got {show(getattr(self, name))}")
        runs = self.runs
        if isinstance(runs, OptimizerConfig) or not isinstance(runs, (tuple, list)):
            raise ExperimentError("runs", f"must be a list of 1 to {MAX_RUNS} optimizers, got {show(runs)}")
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ExperimentError("runs", f"must have 1 to {MAX_RUNS} runs, got {len(runs)}")
        for i, run in enumerate(runs):
            if not isinstance(run, OptimizerConfig):
                raise ExperimentError(f"runs[{i}]", f"must be an OptimizerConfig, got {show(run)}")
        _store(self, "runs", tuple(runs))
        _store(self, "seed", check_int(self.seed, "seed", *LIMITS["seed"]))
        _store(self, "epochs", check_int(self.epochs, "epochs", *LIMITS["epochs"]))
        check_bool(self.book, "book")
        if self.book and self.dataset.name != "spiral":
            raise ExperimentError("book", "book mode reproduces the course's spiral; choose dataset 'spiral'")
        if self.book and self.dataset.test_split:
            raise ExperimentError("book", "book mode trains on every point as the course does; "
                                          "set test_split to 0")
        _store(self, "batch_size", check_batch_size(self.batch_size, self.dataset))
        if self.book and self.batch_size is not None:
            raise ExperimentError("batch_size", "book mode trains on all points at once as the course does: "
                                                "use full batch, or turn book mode off")
        if self.book and self.network.init != DEFAULT_INIT:
            raise ExperimentError("network.init", "book mode starts from the course's weights 0.01 · N(0, 1): "
                                                  "use init lesson, or turn book mode off")

    @property
    def optimizer(self) -> OptimizerConfig:
        """The first run's optimizer (the only one of a single run)."""
        return self.runs[0]

    @property
    def labels(self) -> tuple[str, ...]:
        """Each run's name, distinct within the race."""
        return run_labels(self.runs)
