"""The experiment being edited: the one source of truth for every control in the window.

Panels show it and write their edits to it; opening a file, a lesson, a preset or the last
session sets it whole; the training thread is told what changed. It holds a frozen engine
``Experiment``, so every value is exactly what the file or the user said: nothing is ever
rebuilt from a widget's text. An edit that the engine refuses raises ``ExperimentError``
and changes nothing, so loading is all or nothing.

Each change is one ``changed`` event carrying a ``Change``: what it was, and whether the
runs must start again from epoch 0 (new data, network, seed or runs) or only take new
optimizer settings at the next epoch boundary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from psygnal import Signal

from nngui.engine import DATASETS, Experiment, OptimizerConfig
from nngui.engine.batches import training_points
from nngui.engine.checks import ExperimentError
from nngui.engine.experiment import CHAPTER_RUNS, LIMITS, MAX_RUNS
from nngui.engine.datasets import CUSTOM
from nngui.engine.start import dataset_points

from .locks import PART_FIELDS, Locks

#: How many edits Undo can take back.
UNDO_DEPTH = 100
#: An experiment's ``epochs`` when the epoch limit is off (an experiment always has a number).
NO_LIMIT_EPOCHS = LIMITS["epochs"][1]

#: The chapter's comparison as the chapter runs it: its spiral, 64 ReLU neurons, full batch, 10,001 epochs,
#: seed 0 and the course's own numbers, and its three optimizers.
CHAPTER = Experiment(runs=CHAPTER_RUNS, book=True)
#: What Compare sets, in the words a message names them with: (fields, words, how a value is said).
CHAPTER_PARTS = (
    (("dataset",), "data", lambda e: f"{e.dataset.label} {e.dataset.samples} × {e.dataset.classes}, noise "
                                     f"{e.dataset.noise:g}" + (f", {e.dataset.test_split:.0%} held out"
                                                               if e.dataset.test_split else "")),
    (("network",), "network", lambda e: f"{'-'.join(map(str, e.network.hidden))} {e.network.activation}"
                                        + ("" if e.network.init == CHAPTER.network.init else f" {e.network.init}")),
    (("batch_size",), "batch size", lambda e: "full batch" if e.batch_size is None else f"{e.batch_size}"),
    (("epochs",), "epochs", lambda e: "no limit" if e.epochs == NO_LIMIT_EPOCHS else f"{e.epochs:,}"),
    (("book",), "course's numbers", lambda e: "on" if e.book else "off"),
    (("seed",), "seed", lambda e: f"{e.seed}"),
)

#: What a change asks of the runs.
REBUILD = "rebuild"      # start again from epoch 0: new data, network, seed, book mode or runs
SETTINGS = "settings"    # one run's optimizer: applied at the next epoch boundary
LIMIT = "limit"          # only the epoch limit


@dataclass(frozen=True)
class Change:
    """One edit: the experiment before and after, what it asks of the runs, and words for the user."""

    old: Experiment
    new: Experiment
    effect: str
    note: str = ""
    run: int | None = None   # the run whose settings changed (SETTINGS only)

    @property
    def comparable(self) -> bool:
        """Whether runs trained before the change can still be compared with runs after it (same data and network)."""
        return _start(self.old) == _start(self.new)


def _start(experiment: Experiment) -> tuple:
    """What decides the runs' common start: the data, the network, the seed and book mode."""
    return experiment.dataset, experiment.network, experiment.seed, experiment.book


def _effect(old: Experiment, new: Experiment) -> tuple[str, int | None]:
    if _start(old) != _start(new) or len(old.runs) != len(new.runs):
        return REBUILD, None
    if old.batch_size != new.batch_size:
        # the same start, other batches: every run trains again from epoch 0 (pins stay comparable)
        return REBUILD, None
    if any(a.student != b.student for a, b in zip(old.runs, new.runs)):
        # another class trains a run (a student's, or the lesson's SGD again): it starts again from epoch 0
        return REBUILD, None
    changed = [i for i, (a, b) in enumerate(zip(old.runs, new.runs)) if a != b]
    if len(changed) == 1:
        return SETTINGS, changed[0]
    if changed:
        return REBUILD, None
    return LIMIT, None


@dataclass(frozen=True)
class Bookmark:
    """An experiment and the Undo and Redo history it had (``ExperimentModel.bookmark``)."""

    experiment: Experiment
    undo: tuple
    redo: tuple


class ExperimentModel:
    """The experiment the window edits, with undo; emits ``changed(Change)`` after every accepted edit."""

    changed = Signal(object)

    def __init__(self, experiment: Experiment | None = None):
        self._experiment = Experiment() if experiment is None else experiment
        self._undo: list[Experiment] = []
        self._redo: list[Experiment] = []
        #: parts a lesson step locks: every edit below (undo and loading too) is refused if it changes one
        self.locks = Locks()

    @property
    def experiment(self) -> Experiment:
        return self._experiment

    # --- setting it whole -----------------------------------------------------------------

    def load(self, experiment: Experiment, note: str = "") -> Change | None:
        """Replace the whole experiment (a file, a lesson, a preset, the last session)."""
        if not isinstance(experiment, Experiment):
            raise ExperimentError("", f"expected an Experiment, got {type(experiment).__name__}")
        return self._set(experiment, note, force_rebuild=True)

    # --- edits, each checked by the engine before it is accepted ---------------------------

    def set_dataset(self, **changes) -> Change | None:
        """Change fields of the data set; a new data set starts from its own noise and allowed classes."""
        dataset = self._experiment.dataset
        name = changes.get("name", dataset.name)
        if name == CUSTOM and dataset.name != CUSTOM:
            # "Your points" starts from the points shown: paint on them, or remove them
            return self.set_points(dataset_points(self._experiment), dataset.classes, "Your points")
        if name != CUSTOM and dataset.points:
            changes.setdefault("points", ())
        if name != dataset.name:
            if name not in DATASETS:
                raise ExperimentError("dataset.name", f"must be one of {', '.join(DATASETS)}")
            info = DATASETS[name]
            changes.setdefault("noise", info.default_noise)
            changes.setdefault("classes", min(max(dataset.classes, info.min_classes), info.max_classes))
        new_dataset = dataclasses.replace(dataset, **changes)
        book = self._experiment.book and new_dataset.name == "spiral" and not new_dataset.test_split
        batch_size, note = self._fitting_batch(new_dataset, "New data")
        return self._replace(dataset=new_dataset, book=book, batch_size=batch_size, note=note)

    def _fitting_batch(self, dataset, note: str) -> tuple:
        """The batch size for ``dataset``, and the change's note: full batch when it has fewer points than a batch."""
        batch_size = self._experiment.batch_size
        if batch_size is not None and batch_size > training_points(dataset.samples, dataset.classes,
                                                                   dataset.test_split, dataset.points):
            # fewer training points than a batch: every point in one batch, which is full batch
            return None, f"{note}, fewer points than a batch: full batch"
        return batch_size, note

    # --- the class's own points (painted or imported) ----------------------------------------

    def set_points(self, points, classes: int | None = None, note: str = "New points") -> Change | None:
        """Make the data set the given ``(x, y, label)`` points (the ``custom`` set), with ``classes`` classes."""
        dataset = dataclasses.replace(self._experiment.dataset, name=CUSTOM, points=tuple(points),
                                      classes=self._experiment.dataset.classes if classes is None else classes)
        batch_size, note = self._fitting_batch(dataset, note)
        return self._replace(dataset=dataset, book=False, batch_size=batch_size, note=note)

    def add_points(self, points, label: int) -> Change | None:
        """Add ``(x, y)`` points of class ``label`` to the data (the points shown become your own); one undo step."""
        new = tuple((float(x), float(y), int(label)) for x, y in points)
        if not new:
            return None
        count = f"{len(new)} points" if len(new) > 1 else "a point"
        return self.set_points(dataset_points(self._experiment) + new, note=f"Painted {count} of class {label + 1}")

    def remove_point(self, x: float, y: float) -> Change | None:
        """Remove the point at exactly ``(x, y)`` (the one nearest a click, as shown); one undo step."""
        points = dataset_points(self._experiment)
        for i, point in enumerate(points):
            if point[0] == x and point[1] == y:
                return self.set_points(points[:i] + points[i + 1:], note="Removed a point")
        raise ExperimentError("dataset.points", f"there is no point at ({x:g}, {y:g})")

    def set_network(self, **changes) -> Change | None:
        return self._replace(network=dataclasses.replace(self._experiment.network, **changes), note="New network")

    def set_hidden_layers(self, count: int) -> Change | None:
        """Keep the first ``count`` hidden layers; new ones take the size of the last."""
        hidden = self._experiment.network.hidden
        sizes = tuple(hidden[:count]) + (hidden[-1],) * max(0, count - len(hidden))
        return self.set_network(hidden=sizes)

    def set_layer_size(self, layer: int, neurons: int) -> Change | None:
        hidden = list(self._experiment.network.hidden)
        if not 0 <= layer < len(hidden):
            raise ExperimentError(f"network.hidden[{layer}]", f"there are {len(hidden)} hidden layers")
        hidden[layer] = neurons
        return self.set_network(hidden=tuple(hidden))

    def set_seed(self, seed: int) -> Change | None:
        return self._replace(seed=seed, note="New seed")

    def set_batch_size(self, batch_size: int | None) -> Change | None:
        """Points per update; None (or 0, a box's "full batch") for full batch."""
        return self._replace(batch_size=batch_size or None, note="New batch size")

    def set_book(self, book: bool) -> Change | None:
        return self._replace(book=book, note="Course's numbers on" if book else "Course's numbers off")

    def set_epochs(self, epochs: int) -> Change | None:
        """The epoch limit; 0 means no limit."""
        return self._replace(epochs=epochs or NO_LIMIT_EPOCHS)

    def set_run(self, index: int, config: OptimizerConfig | None = None, **changes) -> Change | None:
        """Run ``index``'s optimizer: ``config`` whole, or fields of it changed (``learning_rate=0.5``)."""
        runs = list(self._experiment.runs)
        self._check_index(index)
        runs[index] = dataclasses.replace(config or runs[index], **changes)
        return self._replace(runs=tuple(runs))

    def add_run(self, config: OptimizerConfig | None = None) -> Change | None:
        """One more run (a copy of the last one unless ``config`` is given); at most ``MAX_RUNS``."""
        runs = self._experiment.runs
        if len(runs) >= MAX_RUNS:
            raise ExperimentError("runs", f"a race has at most {MAX_RUNS} runs")
        return self._replace(runs=(*runs, config or runs[-1]), note="Added a run")

    def remove_run(self, index: int) -> Change | None:
        runs = self._experiment.runs
        self._check_index(index)
        if len(runs) == 1:
            raise ExperimentError("runs", "the last run cannot be removed")
        return self._replace(runs=runs[:index] + runs[index + 1:], note="Removed a run")

    def set_runs(self, runs, note: str = "") -> Change | None:
        return self._replace(runs=tuple(runs), note=note)

    def compare_chapter(self) -> Change | None:
        """The chapter's comparison: SGD, SGD + decay and SGD + momentum from the same start (``CHAPTER_RUNS``).

        The first press sets the chapter's runs and keeps what the teacher set (data, network, batch
        size, epochs, book mode: changed on purpose), its note naming in one line each part that
        differs from the chapter's. Pressed again with those runs, it gives the chapter's comparison
        exactly (``CHAPTER``), its note naming what it put back (Undo brings it back); a part a
        lesson locked stays, and the note says so. None when it is the chapter's comparison already.
        """
        current = self._experiment
        differ = [(names, words, said) for names, words, said in CHAPTER_PARTS
                  if any(getattr(current, n) != getattr(CHAPTER, n) for n in names)]
        note = "The chapter's three optimizers"
        if current.runs != CHAPTER_RUNS:
            if differ:
                note += (", on your settings: " + ", ".join(f"{words} {said(current)} (the chapter's: "
                                                            f"{said(CHAPTER)})" for _, words, said in differ)
                         + "; Compare again for the chapter's own")
            return self._replace(note=note, runs=CHAPTER_RUNS)
        locked = {f for part in self.locks.parts if self.locks.refuses(part) for f in PART_FIELDS.get(part, ())}
        fields, back, kept = {}, [], []
        for names, words, said in differ:
            if any(n in locked for n in names):
                kept.append(f"{words} {said(current)}")
                continue
            back.append(f"{words} {said(CHAPTER)} (was {said(current)})")
            fields.update({n: getattr(CHAPTER, n) for n in names})
        if kept and not fields:
            raise ExperimentError("runs", f"the chapter's three optimizers are here; the rest is locked by the "
                                          f"lesson: {', '.join(kept)}")
        if back:
            note += f", as the chapter runs them: {', '.join(back)}; Undo brings yours back"
        if kept:
            note += f"; kept by the lesson: {', '.join(kept)}"
        return self._replace(note=note, **fields)

    def is_chapter(self) -> bool:
        """Whether the experiment is the chapter's comparison, exactly."""
        return self._experiment == CHAPTER

    # --- going back to an earlier state (a lesson closed) -------------------------------------

    def bookmark(self) -> Bookmark:
        """The experiment and its Undo and Redo history now, to come back to with ``return_to``."""
        return Bookmark(self._experiment, tuple(self._undo), tuple(self._redo))

    def return_to(self, bookmark: Bookmark, note: str = "") -> Change | None:
        """The bookmarked experiment again (from epoch 0), with the Undo and Redo history it had then."""
        # the history first, so that whoever shows Undo and Redo on ``changed`` sees the history put back
        stacks, (self._undo, self._redo) = (self._undo, self._redo), (list(bookmark.undo), list(bookmark.redo))
        try:
            return self._set(bookmark.experiment, note, record=False, force_rebuild=True)
        except ExperimentError:
            self._undo, self._redo = stacks
            raise

    # --- undo ----------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Change | None:
        return self._step(self._undo, self._redo, "Undo")

    def redo(self) -> Change | None:
        return self._step(self._redo, self._undo, "Redo")

    def _step(self, source: list, target: list, note: str) -> Change | None:
        """Go back to (or forward to) the experiment on top of ``source``, keeping this one on ``target``."""
        if not source:
            return None
        refusal = self.locks.refusal(self._experiment, source[-1])
        if refusal is not None:
            raise refusal   # before taking it off the stack: a refused undo leaves both stacks as they were
        target.append(self._experiment)
        return self._set(source.pop(), note, record=False)

    # --- inside ---------------------------------------------------------------------------

    def _check_index(self, index):
        if not 0 <= index < len(self._experiment.runs):
            raise ExperimentError("runs", f"there is no run {index + 1}")

    def _replace(self, note="", **fields) -> Change | None:
        # the engine checks every field; a refusal leaves the model as it was
        return self._set(dataclasses.replace(self._experiment, **fields), note)

    def _set(self, experiment, note, record=True, force_rebuild=False) -> Change | None:
        old = self._experiment
        if experiment == old and not force_rebuild:
            return None
        refusal = self.locks.refusal(old, experiment)
        if refusal is not None:
            raise refusal
        effect, run = _effect(old, experiment)
        if force_rebuild:
            effect, run = REBUILD, None
        if record:
            self._undo.append(old)
            del self._undo[:-UNDO_DEPTH]
            self._redo.clear()
        self._experiment = experiment
        change = Change(old, experiment, effect, note, run)
        self.changed.emit(change)
        return change
