"""The window's state beyond the experiment: the pace, the selected and pinned runs, the timeline position.

Qt-free, like the experiment model it holds: views subscribe to its events and never
keep a copy of their own.
"""

from __future__ import annotations

import numbers

from psygnal import Signal

from nngui.engine import Experiment
from nngui.surfaces import budget

from .experiment_model import LIMIT, REBUILD, Change, ExperimentModel
from .lesson_model import LessonModel
from .pins import PinnedRun, pin_label

#: Epochs per second a teacher can pick; None is "as fast as possible" (max).
PACES = (1, 5, 10, 30, 100, 1000, None)
#: The first launch's pace: one a teacher can narrate (momentum pulls ahead after ~150 epochs,
#: about 5 s at 30 epochs a second, where max finishes the chapter's 10,001 epochs in seconds).
#: A pace the teacher picks is remembered instead.
DEFAULT_PACE = 30
#: The note of putting back the experiment from before a lesson.
BACK_FROM_LESSON = "Lesson closed, back to the experiment from before it"
#: Compare, when the chapter's comparison is what is there already.
ALREADY_COMPARING = ("The chapter's three optimizers are already here, from the same start, as the chapter runs "
                     "them: press Play (Space) to race them, or Reset (R) to start again")
#: At most this many finished runs stay pinned.
MAX_PINS = 4


def pace_label(pace) -> str:
    """``"10 epochs/s"``, ``"1 epoch/s"`` or ``"max"``."""
    if pace is None:
        return "max"
    return f"{pace:,} epoch/s" if pace == 1 else f"{pace:,} epochs/s"


class AppModel:
    """Everything the window shows that is not a training result."""

    pace_changed = Signal(object)        # epochs per second, or None for as fast as possible
    selected_run_changed = Signal(int)
    pins_changed = Signal(tuple)
    notice = Signal(str)                 # a sentence for the status bar
    refused = Signal(str)                # an edit a lock refused, said in a sentence
    told = Signal(str)                   # a sentence for the status bar on its own (no change came with it)
    timeline_changed = Signal(object)    # the epoch looked back at, or None: live

    def __init__(self, experiment: Experiment | None = None):
        self.experiment = ExperimentModel(experiment)
        self._pace = DEFAULT_PACE
        self._selected = 0
        self._pins: tuple[PinnedRun, ...] = ()
        self.lesson = LessonModel()          # the lesson being given, if any, and its step
        self._timeline: int | None = None
        #: a setting whose estimated peak memory passes this says so when it is made (``budget``)
        self.memory_limit = budget.DEFAULT_LIMIT
        self.experiment.changed.connect(self._on_experiment_changed)
        self._before_lesson = None   # (Bookmark, pace) of the state before the lesson opened
        self.lesson.opening.connect(self._on_lesson_opening)
        self.lesson.closed.connect(self._on_lesson_closed)

    # --- pace ---------------------------------------------------------------------------

    @property
    def pace(self):
        return self._pace

    def set_pace(self, pace) -> None:
        if pace not in PACES:
            raise ValueError(f"pace: must be one of {', '.join(pace_label(p) for p in PACES)}, got {pace!r}")
        if pace != self._pace and self.experiment.locks.refuses("pace"):
            # a locked pace is kept and the refusal said (the pace has no undo, and no file sets it)
            self.refused.emit(f"Not applied: pace: {self.experiment.locks.message('pace')}")
            self.pace_changed.emit(self._pace)   # the pace control shows the kept pace again
            return
        if pace != self._pace:
            self._pace = pace
            self.pace_changed.emit(pace)

    # --- the selected run -------------------------------------------------------------------

    @property
    def selected_run(self) -> int:
        return self._selected

    def select_run(self, index: int) -> None:
        index = max(0, min(int(index), len(self.experiment.experiment.runs) - 1))
        if index != self._selected:
            self._selected = index
            self.selected_run_changed.emit(index)

    # --- pins ---------------------------------------------------------------------------

    @property
    def pins(self) -> tuple[PinnedRun, ...]:
        return self._pins

    def pin(self, snapshot, style_index: int) -> PinnedRun | None:
        """Keep ``snapshot``'s run (an engine Snapshot) on the plots; None if it trained no epoch."""
        if snapshot is None or len(snapshot.history) == 0:
            return None
        label = pin_label(snapshot.label, snapshot.settings, len(snapshot.history))
        pin = PinnedRun(label, snapshot.history, style_index)
        pins = tuple(p for p in self._pins if p.label != label or p.history is not snapshot.history)
        self._pins = (*pins, pin)[-MAX_PINS:]
        self.pins_changed.emit(self._pins)
        return pin

    def unpin(self, index: int | None = None) -> None:
        """Remove pin ``index``, or every pin."""
        if index is None:
            self._pins = ()
        else:
            self._pins = self._pins[:index] + self._pins[index + 1:]
        self.pins_changed.emit(self._pins)

    # --- the timeline -------------------------------------------------------------------

    @property
    def timeline(self) -> int | None:
        """The epoch shown (epochs trained by then) while looking back; None while following training live."""
        return self._timeline

    def set_timeline(self, epoch: int | None) -> None:
        """Look back at ``epoch`` (a whole number ≥ 0), or follow training live again (None)."""
        if epoch is not None:
            if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
                raise ValueError(f"timeline: an epoch is a whole number ≥ 0 (or None for live), got {epoch!r}")
            epoch = int(epoch)
        if epoch != self._timeline:
            self._timeline = epoch
            self.timeline_changed.emit(epoch)

    # --- a lesson: closing it puts back the state from before it opened ------------------------

    def _on_lesson_opening(self) -> None:
        self._before_lesson = (self.experiment.bookmark(), self._pace)

    def _on_lesson_closed(self) -> None:
        # a closed lesson locks nothing
        self.experiment.locks.clear()
        before, self._before_lesson = self._before_lesson, None
        if before is not None:
            bookmark, pace = before
            self.experiment.return_to(bookmark, BACK_FROM_LESSON)
            self.set_pace(pace)

    # --- compare ----------------------------------------------------------------------------

    def compare_chapter(self) -> Change | None:
        """The chapter's comparison (``ExperimentModel.compare_chapter``); if it is already there, ``told`` says so."""
        change = self.experiment.compare_chapter()
        if change is None:
            self.told.emit(ALREADY_COMPARING)
        return change

    def _on_experiment_changed(self, change: Change) -> None:
        if change.effect != LIMIT:
            # new settings act on the runs as they are now: show them live
            self.set_timeline(None)
        if self._pins and not change.comparable:
            count = len(self._pins)
            self._pins = ()
            self.pins_changed.emit(self._pins)
            self.notice.emit(f"Unpinned {count} run{'s' if count > 1 else ''}: the data or network changed, "
                             "so they are no longer comparable")
        if change.effect == REBUILD:
            problem = budget.over_limit(change.new, self.memory_limit, window=True)
            if problem is not None:
                self.notice.emit(f"Memory: {problem}: training it may slow the whole computer down")
        runs = len(change.new.runs)
        if self._selected >= runs:
            self._selected = runs - 1
            self.selected_run_changed.emit(self._selected)
