"""What a check finds: a verdict, the settings it ran, the first difference and its hint, or the error."""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field, replace


class Verdict(str, enum.Enum):
    """``matches``: every number within ``RELATIVE_TOLERANCE``; ``differs``: one is not; ``error``: it did not run."""

    MATCHES = "matches"
    DIFFERS = "differs"
    ERROR = "error"


#: How close the student's numbers must be to the engine's: relative to the larger of the two
#: values, or to the largest value of the array (so that a weight near zero is not held to 1e-12 of itself).
RELATIVE_TOLERANCE = 1e-12


class Problem(str, enum.Enum):
    """Why a check could not give a verdict on the class (the exit status tells them apart)."""

    #: the request cannot be met: the file cannot be read, --class names no class, several need --class
    USAGE = "usage"
    #: the student's code: it raised, ended the process, stalled, or has no optimizer class
    CODE = "code"


@dataclass(frozen=True)
class Difference:
    """The first number that differs: where (setting, epoch, call, layer, array, index) and the two values.

    ``call`` is ``pre_update_params``, ``update_params`` or ``post_update_params``; ``layer`` the
    trainable layer's number from 0 (``update_params`` only); ``index`` the element, None for a scalar
    or a shape that differs. ``expected`` and ``actual`` are numbers, or words (``shape (2, 64)``).
    """

    setting: str
    epoch: int
    call: str
    layer: int | None
    array: str
    index: tuple | None
    expected: float | str
    actual: float | str

    def to_dict(self) -> dict:
        data = asdict(self)
        data["index"] = None if self.index is None else list(self.index)
        data["expected"], data["actual"] = _json_number(self.expected), _json_number(self.actual)
        return data

    @classmethod
    def from_dict(cls, data) -> Difference:
        index = data["index"]
        return cls(data["setting"], data["epoch"], data["call"], data["layer"], data["array"],
                   None if index is None else tuple(index), data["expected"], data["actual"])

    def where(self) -> str:
        """``SGD + decay (lr 1, decay 0.001), epoch 1, update_params(layer 0), weights[0, 5]``."""
        call = f"update_params(layer {self.layer})" if self.call == "update_params" else f"{self.call}()"
        index = "" if self.index is None else "[" + ", ".join(map(str, self.index)) + "]"
        owner = "self" if self.layer is None else f"layer {self.layer}"
        return f"{self.setting}, epoch {self.epoch}, after {call}: {owner}.{self.array}{index}"

    def describe(self) -> str:
        """Where, and the two values: one line."""
        return f"{self.where()}: expected {_shown(self.expected)}, got {_shown(self.actual)}"


def _json_number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # "nan", "inf": JSON has no such numbers
    return value


def _shown(value) -> str:
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class SettingOutcome:
    """One setting's result: ``matches`` (bit for bit or not), ``differs``, ``error``, or ``not run``."""

    setting: str
    learning_rate: float
    decay: float
    momentum: float
    verdict: str
    bit_for_bit: bool = False
    #: the largest difference seen, relative (0 when bit for bit)
    largest_difference: float = 0.0


@dataclass(frozen=True)
class CheckResult:
    """A file's check. ``to_dict()`` is ``nngui check --json``'s object."""

    file: str
    class_name: str | None
    verdict: Verdict
    settings: tuple[SettingOutcome, ...] = ()
    epochs: int = 0
    first_difference: Difference | None = None
    hint: str | None = None
    error: str | None = None
    problem: Problem | None = None
    #: classes with ``update_params`` found in the file
    classes: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    @property
    def bit_for_bit(self) -> bool:
        """Every setting matched exactly, not only within the tolerance."""
        return self.verdict is Verdict.MATCHES and all(s.bit_for_bit for s in self.settings)

    def to_dict(self) -> dict:
        """``{"file", "class", "verdict", "settings", "epochs", "first_difference", "hint", "error"}``."""
        return {
            "file": self.file,
            "class": self.class_name,
            "verdict": self.verdict.value,
            "settings": [asdict(s) for s in self.settings],
            "epochs": self.epochs,
            "first_difference": None if self.first_difference is None else self.first_difference.to_dict(),
            "hint": self.hint,
            "error": self.error,
        }

    def to_transport(self) -> dict:
        """``to_dict()`` with what the report and the exit status also need (from a worker process)."""
        return {**self.to_dict(), "problem": None if self.problem is None else self.problem.value,
                "classes": list(self.classes), "seconds": self.seconds}

    @classmethod
    def from_transport(cls, data) -> CheckResult:
        difference = data["first_difference"]
        return cls(data["file"], data["class"], Verdict(data["verdict"]),
                   tuple(SettingOutcome(**s) for s in data["settings"]), data["epochs"],
                   None if difference is None else Difference.from_dict(difference), data["hint"], data["error"],
                   None if data["problem"] is None else Problem(data["problem"]), tuple(data["classes"]),
                   data["seconds"])

    def timed(self, seconds: float) -> CheckResult:
        return replace(self, seconds=seconds)


def failed(file, problem: Problem, message: str, class_name=None, classes=(), hint=None) -> CheckResult:
    """A check that gave no verdict on the numbers: ``error``, with the message (and a hint, if one fits)."""
    return CheckResult(file, class_name, Verdict.ERROR, error=message, problem=problem, classes=tuple(classes),
                       hint=hint)
