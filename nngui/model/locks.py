"""Locks: while a lesson step locks a part of the settings, no edit may change it, whichever way it comes.

A lesson step names the parts it locks (``lessons.LOCKABLE``). The window greys out their
controls, but a setting can change by other ways too: Undo and Redo, a file or preset
opened, points painted or imported on the data plot, a surface preset that sets the runs.
All of them end in the experiment model's one setter, which asks ``Locks.refusal`` first:
an edit that would change a locked part is refused with one ``ExperimentError`` naming the
part, and each way's own handler shows that sentence; nothing changes. The pace lives in
the app model, whose ``set_pace`` asks ``refuses("pace")``.

The lesson's own steps change locked parts on purpose (loading the step's experiment,
playing to an epoch, a view's preset): they do it inside ``with locks.opened():``.
"""

from __future__ import annotations

from contextlib import contextmanager

from nngui.engine import Experiment
from nngui.engine.checks import ExperimentError

#: Which fields of an experiment each lockable part covers: what its greyed-out controls edit
#: (the Data panel holds the seed, course's numbers and batch size; Compare sets the runs).
PART_FIELDS = {
    "dataset": ("dataset", "seed", "book", "batch_size"),
    "network": ("network",),
    "runs": ("runs",),
    "compare": ("runs",),
    "epoch_limit": ("epochs",),
}
#: How a message says to unlock them.
UNLOCK = "Lessons ▸ Close lesson unlocks every control"
#: How a message names each part.
PART_NAMES = {"dataset": "the data", "network": "the network", "runs": "the runs", "compare": "the runs",
              "epoch_limit": "the epoch limit", "pace": "the pace"}


class Locks:
    """The parts locked now, who locked them (``"the lesson, step 2 of 5"``) and how to unlock them."""

    def __init__(self):
        self._parts: tuple = ()
        self._owner = ""
        self._how = ""
        self._open = 0

    @property
    def parts(self) -> tuple:
        return self._parts

    def set(self, parts, owner: str = "the lesson", how: str = UNLOCK) -> None:
        """Lock ``parts`` (names from ``lessons.LOCKABLE``), by ``owner``; ``how`` says how to unlock them."""
        self._parts, self._owner, self._how = tuple(parts), owner, how

    def clear(self) -> None:
        self._parts = ()

    @contextmanager
    def opened(self):
        """Let the owner's own changes through while inside (nested uses are fine)."""
        self._open += 1
        try:
            yield
        finally:
            self._open -= 1

    def refuses(self, part: str) -> bool:
        """Whether ``part`` is locked now (and not opened by its owner)."""
        return not self._open and part in self._parts

    def message(self, part: str) -> str:
        verb = "are" if part in ("runs", "compare") else "is"
        return f"{PART_NAMES.get(part, part)} {verb} locked by {self._owner} ({self._how})"

    def refusal(self, old: Experiment, new: Experiment) -> ExperimentError | None:
        """The error that refuses going from ``old`` to ``new``, or None when no locked part changes."""
        if self._open:
            return None
        for part in self._parts:
            fields = PART_FIELDS.get(part, ())
            if any(getattr(old, f) != getattr(new, f) for f in fields):
                return ExperimentError(fields[0], self.message(part))
        return None
