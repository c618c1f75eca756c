"""The settings a student's class is checked in: the chapter's numbers, and one other of each kind.

A class is checked in every setting whose numbers its ``__init__`` accepts: a class that takes
``learning_rate`` only is checked as plain SGD; one that also takes ``decay`` as SGD with and
without decay; one that takes ``momentum`` too with and without momentum as well, so that a
mistake in a branch the chapter's final run never takes (no decay, no momentum) is found too.
Every number the class accepts is passed, a zero included.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The parameters of the lesson's ``__init__``, in its order.
PARAMETERS = ("learning_rate", "decay", "momentum")


@dataclass(frozen=True)
class Setting:
    """One setting of the optimizer: its name as the chapter says it, and its three numbers."""

    name: str
    learning_rate: float
    decay: float = 0.0
    momentum: float = 0.0

    @property
    def needs(self) -> frozenset:
        """The ``__init__`` parameters this setting needs (the numbers that are not zero, and the rate)."""
        return frozenset(name for name in PARAMETERS if name == "learning_rate" or getattr(self, name))

    def arguments(self, accepted) -> dict:
        """The keyword arguments for a class accepting ``accepted``: each of its numbers the class takes."""
        return {name: getattr(self, name) for name in PARAMETERS if name in accepted}

    @property
    def label(self) -> str:
        """``SGD + decay (lr 1, decay 0.001)``: the name with every number it applies."""
        numbers = [f"lr {_number(self.learning_rate)}"]
        if self.decay:
            numbers.append(f"decay {_number(self.decay)}")
        if self.momentum:
            numbers.append(f"momentum {_number(self.momentum)}")
        return f"{self.name} ({', '.join(numbers)})"


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


#: In the order they are checked: plain SGD first, so a mistake everywhere is found in its simplest setting.
CHAPTER_SETTINGS = (
    Setting("SGD", 1.0),
    Setting("SGD", 0.7),
    Setting("SGD + decay", 1.0, decay=1e-3),
    Setting("SGD + decay", 0.7, decay=1e-2),
    Setting("SGD + momentum", 1.0, momentum=0.9),
    Setting("SGD + decay + momentum", 1.0, decay=1e-3, momentum=0.9),
    Setting("SGD + decay + momentum", 0.7, decay=1e-2, momentum=0.5),
)


def settings_for(accepted) -> tuple[Setting, ...]:
    """The chapter's settings a class whose ``__init__`` takes ``accepted`` can be checked in."""
    accepted = frozenset(accepted)
    return tuple(setting for setting in CHAPTER_SETTINGS if setting.needs <= accepted)
