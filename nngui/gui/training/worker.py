"""Training in a worker thread: one thread, one race of 1 to 4 runs, one clock.

The race (the engine's ``Race``) lives only in the worker thread. The GUI thread sends plain
frozen values (an ``Experiment`` to rebuild from, a run's ``OptimizerConfig`` to apply at the
next epoch boundary, a pace) through a lock-protected command slot, and receives immutable
engine ``RaceSnapshot`` objects through queued signals, at most ~30 a second however fast the
epochs run. A queued slot could not reach the worker while its loop is busy, so the loop
itself reads the commands: a ``threading.Event`` (set while playing) every epoch, and the
pending settings whenever their version number changed. At a slow pace the loop waits
between epochs on its condition, so Pause, Reset and closing still wake it at once.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
import weakref
from dataclasses import dataclass

import numpy as np

from nngui.check.remote import Unstarted
from nngui.engine import SGD, Experiment, OptimizerConfig, Race, RaceSnapshot, probability_grid
from nngui.engine.history import frozen
from nngui.engine.trainer import EpochStopped
from nngui.engine.walk import LineRecorder, WalkStep
from nngui.model import StopReason
from nngui.surfaces.checkpoints import RaceTimeline, ReplayAborted
from nngui.teaching.tries import TryAborted, race_captions

from nngui.gui.qt import QtCore
from nngui.gui.maps.boundary_view import MAP_MARGIN

#: The GUI never gets more snapshots than this per second while training runs.
SNAPSHOTS_PER_SECOND = 30
#: How often, while training runs, a snapshot carries the decision boundary's probability grid.
GRIDS_PER_SECOND = 5
#: Grid points per side of the probability map.
GRID_RESOLUTION = 200
#: Closing waits this long for the epoch under way before it says it is still waiting.
CLOSE_TIMEOUT_MS = 2000
#: The next grid waits at least this many times as long as the last one took.
GRID_TIME_FACTOR = 40


# every controller made in this process, so that tests can check that no training thread outlives its window
_CONTROLLERS: weakref.WeakSet = weakref.WeakSet()


def running_controllers() -> list:
    """Controllers whose worker thread is still running."""
    return [c for c in list(_CONTROLLERS) if c.thread.isRunning()]


@dataclass(frozen=True)
class TrainingData:
    """The points of a freshly built run: training points first, then the held-out test points."""

    X: np.ndarray
    y: np.ndarray
    test_mask: np.ndarray
    bounds: tuple
    n_classes: int


@dataclass(frozen=True)
class Stop:
    """Why a stretch of training ended (a ``StopReason``: pause, step, walk, limit, diverged, error, reset).

    ``diverged`` means every run of the race has diverged; ``grids`` holds one probability
    grid per run (None for a diverged run), or is None.
    """

    reason: StopReason
    snapshot: RaceSnapshot | None
    grids: tuple | None
    run_id: int
    generation: int
    #: reason ``StopReason.WALK``: the call of the epoch being walked just made
    walk: WalkReport | None = None


@dataclass(frozen=True)
class WalkReport:
    """One call of a walked epoch: run ``run``'s ``step``, and the lines it ran: of ``SGD``'s source, or of the
    student's file for a run a student's class trains."""

    run: int
    step: WalkStep
    lines: tuple[int, ...]


def training_data(race: Race) -> TrainingData:
    """Copies of the race's points, laid out for a scatter plot."""
    X = frozen(np.concatenate([race.X_train, race.X_test]))
    y = frozen(np.concatenate([race.y_train, race.y_test]))
    mask = frozen(np.arange(len(X)) >= len(race.X_train))
    return TrainingData(X, y, mask, race.data_bounds(MAP_MARGIN), race.experiment.dataset.classes)


def unconfirmed(config):
    """A student's run before anyone has confirmed that its code may run: it stops at its first call."""
    return Unstarted(f"{config.student_class}'s code runs only once you confirm it (File ▸ Race my optimizer…)",
                     config)


def missing_words(label: str, missing) -> str:
    """What the status line says when a run's class has no attribute for some of its new settings."""
    names = " or ".join(missing)
    return (f"{label} has no attribute {names}: its new {names} is not applied (the class keeps what its "
            "__init__ made of it).")


def pace_interval(pace) -> float:
    """Seconds between epochs at ``pace`` epochs per second (0 for as fast as possible)."""
    return 1.0 / pace if pace else 0.0


class TrainingWorker(QtCore.QObject):
    """Runs the race in its thread; ``run()`` loops until ``shutdown()``.

    Signals carry the race's generation (one per rebuild) so that the GUI can drop
    anything a race sent before a reset. Some snapshots come with the probability grids
    of the decision boundaries (float32, ``GRID_RESOLUTION``² × classes, one per run),
    others with None: computing them here costs the worker a few ms a few times a second,
    while on the GUI thread the same numpy work would keep trading the GIL with training.
    """

    snapshot_ready = QtCore.Signal(int, object, object)  # generation, RaceSnapshot (≤ ~30/s), grids or None
    reset_done = QtCore.Signal(int, object, object, object)  # generation, TrainingData, RaceSnapshot, grids
    stopped = QtCore.Signal(object)               # Stop: a stretch of training ended
    diverged = QtCore.Signal(int, int, object)    # generation, run index, RaceSnapshot: that run diverged
    failed = QtCore.Signal(str)                   # an unexpected error; the loop carries on
    finished = QtCore.Signal()                    # the loop has ended for good
    looked_back = QtCore.Signal(int, int, object, object)  # generation, request, RaceSnapshot then, grids
    captioned = QtCore.Signal(int, int, int, object)  # generation, request, epoch, each run's tried Caption
    noted = QtCore.Signal(int, str)               # generation, a sentence for the status line

    def __init__(self, experiment: Experiment):
        super().__init__()
        self._cond = threading.Condition()
        self._playing = threading.Event()
        self._quit = False
        self._steps = 0
        self._run_id = 0
        # (generation, experiment, the settings version the experiment already holds)
        self._pending_reset: tuple[int, Experiment, int] | None = (0, experiment, 0)
        self._pending_settings: dict[int, OptimizerConfig] = {}
        self._settings_version = 0
        self._applied_version = 0
        self.epoch_limit = 0
        self.pace = None
        self.grids_per_second = GRIDS_PER_SECOND
        self.grid_resolution = GRID_RESOLUTION
        self.race: Race | None = None
        # the race's checkpoints: made, filled and replayed only in this thread
        self.timeline: RaceTimeline | None = None
        self._pending_look: tuple[int, int] | None = None  # (request, epoch): only the newest is shown
        self._pending_caption: tuple[int, int] | None = None  # (request, epoch): captions to try, when idle
        # a Pause not yet answered by a stop (pressed before training began, it would otherwise get none)
        self._unanswered_pause = False
        self.generation = -1
        # step into the protocol: calls asked for, the run walked, the walk under way (a generator)
        self._walk_calls = 0
        self._walk_index = 0
        self._walk = None
        self._walk_run = 0
        self._walk_live: tuple[bool, ...] = ()
        #: every run records its layers' last updates (set while the code is shown)
        self.keep_updates = False
        self._bounds = None
        #: makes the optimizer of a run whose setting names a student's class (``OptimizerConfig.student``);
        #: until one is given (``set_student_optimizer``), no student's code runs
        self._student_optimizer = unconfirmed

    # --- commands, called from the GUI thread -------------------------------------------

    def play(self, run_id: int):
        """Train until paused, diverged or at the epoch limit."""
        with self._cond:
            self._run_id = run_id
            self._playing.set()
            self._cond.notify()

    def pause(self):
        """Stop at the end of the current epoch (or at once, from a slow pace's wait); a stop always answers."""
        with self._cond:
            self._playing.clear()
            self._unanswered_pause = True
            self._cond.notify()

    def step(self, run_id: int):
        """Stop playing, then train exactly one more epoch."""
        with self._cond:
            self._playing.clear()
            self._run_id = run_id
            self._steps += 1
            self._cond.notify()

    def walk(self, run_id: int, index: int):
        """Stop playing, then make the next call of the epoch walked in run ``index`` (one under way goes on)."""
        with self._cond:
            self._playing.clear()
            self._run_id = run_id
            self._walk_index = index
            self._walk_calls += 1
            self._cond.notify()

    def set_keep_updates(self, keep: bool):
        """Record every layer's last update from the next epoch boundary on (for one weight's numbers)."""
        with self._cond:
            self.keep_updates = bool(keep)
            self._settings_version += 1
            self._cond.notify()

    def reset(self, generation: int, experiment: Experiment):
        """Stop and rebuild the race from ``experiment`` (same seed, same start)."""
        with self._cond:
            self._playing.clear()
            self._steps = 0
            self._pending_look = None  # asked of the race being replaced
            self._pending_caption = None
            self._walk_calls = 0
            self._pending_reset = (generation, experiment, self._settings_version)
            self._cond.notify()

    def set_optimizer(self, index: int, config: OptimizerConfig):
        """New optimizer settings for run ``index``, applied at the next epoch boundary."""
        with self._cond:
            self._pending_settings[index] = config
            self._settings_version += 1
            self._cond.notify()

    def set_student_optimizer(self, make):
        """``make(config)``: the optimizer of a run whose ``config.student`` names a student's class, from the next reset."""
        with self._cond:
            self._student_optimizer = make

    def set_pace(self, pace):
        """Epochs per second from the next epoch on (None: as fast as possible)."""
        with self._cond:
            self.pace = pace
            self._cond.notify()

    def look_back(self, request: int, epoch: int):
        """Replay every run to ``epoch`` (when not training) and send it as ``looked_back``; newer requests win."""
        with self._cond:
            self._pending_look = (request, epoch)
            self._cond.notify()

    def try_captions(self, request: int, epoch: int):
        """Try each run's suggestions from ``epoch`` (when not training) and send them as ``captioned``."""
        with self._cond:
            self._pending_caption = (request, epoch)
            self._cond.notify()

    def _quitting(self) -> bool:
        return self._quit  # one bool, written under the lock by shutdown(): atomic under the GIL

    def shutdown(self):
        """End the loop at once: an epoch under way is given up at its next call (``Race.train_epoch``)."""
        with self._cond:
            self._quit = True
            self._playing.clear()
            self._cond.notify()

    # --- the loop, in the worker thread -------------------------------------------------

    @QtCore.Slot()
    def run(self):
        """Wait for work, do it, repeat; every error is reported and the loop carries on."""
        try:
            while True:
                work = self._wait_for_work()
                if work is None:
                    return
                reset, steps, run_id = work
                try:
                    self._do(reset, steps, run_id)
                except Exception as exc:  # a bad setting must not kill the thread
                    traceback.print_exc()
                    self._playing.clear()
                    self.failed.emit(f"{type(exc).__name__}: {exc}")
                    snapshot = self.race.snapshot() if self.race is not None else None
                    self.stopped.emit(Stop(StopReason.ERROR, snapshot, None, run_id, self.generation))
        finally:
            self._let_go()
            self.finished.emit()

    def _let_go(self):
        """Drop the race and its timeline; a student's optimizer's processes (the race's, the replays') stop now."""
        race, timeline, self.race, self.timeline, self._walk = self.race, self.timeline, None, None, None
        if timeline is not None:
            timeline.close()
        for trainer in race.trainers if race is not None else ():
            close = getattr(trainer.optimizer, "close", None) if type(trainer.optimizer) is not SGD else None
            if close is not None:
                close()

    def _wait_for_work(self):
        with self._cond:
            while not (self._quit or self._pending_reset or self._steps or self._playing.is_set()
                       or self._walk_calls or self._pending_look is not None or self._pending_caption is not None
                       or self._unanswered_pause
                       # new settings wait for the end of an epoch being walked
                       or (self._settings_version != self._applied_version and self._walk is None)):
                self._cond.wait()
            if self._quit:
                return None
            reset, self._pending_reset = self._pending_reset, None
            steps, self._steps = self._steps, 0
            return reset, steps, self._run_id

    def _do(self, reset, steps, run_id):
        if reset is not None:
            self.generation, experiment, version = reset
            self._let_go()
            # settings sent after the reset are newer than the experiment: _apply_settings() follows
            self._applied_version = version
            with self._cond:
                make = self._student_optimizer
            # a run that names a student's class is trained by it: the run knows it, whatever its place
            self.race = Race(experiment, {i: make for i, run in enumerate(experiment.runs) if run.student})
            self.timeline = RaceTimeline(self.race)
            self.race.keep_updates = self.keep_updates
            data = training_data(self.race)
            self._bounds = data.bounds
            snapshot = self.race.snapshot()
            self.reset_done.emit(self.generation, data, snapshot, self.grids(snapshot))
        self._apply_settings()
        if self.race is None:
            return
        with self._cond:
            walks, self._walk_calls = self._walk_calls, 0
        asked_steps = steps   # a step's or a walk's own stop answers a pause pressed with it
        if self._playing.is_set():
            self._end_walk()  # Play first finishes an epoch being walked
            self._train(None, run_id)
        elif steps:
            # Step finishes an epoch being walked: that is its epoch
            if self._end_walk():
                steps -= 1
            if steps:
                self._train(steps, run_id)
            else:
                snapshot = self.race.snapshot()
                self.stopped.emit(Stop(StopReason.STEP, snapshot, self.grids(snapshot), run_id, self.generation))
        elif walks:
            self._walk_on(walks, run_id)
        with self._cond:
            unanswered, self._unanswered_pause = self._unanswered_pause, False
        if unanswered and not self._playing.is_set() and not (asked_steps or walks):
            # Play then Pause before training began: the pause is answered all the same
            snapshot = self.race.snapshot()
            self.stopped.emit(Stop(StopReason.PAUSE, snapshot, self.grids(snapshot), run_id, self.generation))
        self._look_back()
        self._try_captions()

    def _try_captions(self):
        """The newest caption request, tried only while idle: any other command cuts it short (asked again later)."""
        with self._cond:
            request, self._pending_caption = self._pending_caption, None
        if request is None or self.race is None or self._playing.is_set():
            return
        number, epoch = request
        try:
            captions = race_captions(self.race, self.timeline, min(epoch, self.race.epoch),
                                     abort=lambda: self._look_interrupted() or self._pending_caption is not None)
        except (TryAborted, ReplayAborted):
            return
        self.captioned.emit(self.generation, number, epoch, captions)

    def _look_back(self):
        """The newest look-back request, replayed from the checkpoints; a newer command cuts it short."""
        with self._cond:
            look, self._pending_look = self._pending_look, None
        if look is None or self.timeline is None:
            return
        request, epoch = look
        epoch = min(epoch, self.timeline.latest)
        try:
            snapshot = self.timeline.snapshot_at(epoch, abort=self._look_interrupted)
        except ReplayAborted:
            return
        self.looked_back.emit(self.generation, request, snapshot, self.grids(snapshot))

    def _look_interrupted(self) -> bool:
        return (self._quit or self._pending_reset is not None or self._playing.is_set() or bool(self._steps)
                or bool(self._walk_calls) or self._pending_look is not None)

    def _apply_settings(self):
        if self._settings_version == self._applied_version or self._walk is not None:
            return
        with self._cond:
            pending, self._pending_settings = self._pending_settings, {}
            self._applied_version = self._settings_version
        if self.race is not None:
            for index, config in pending.items():
                if index < len(self.race.trainers):
                    missing = self.race.set_optimizer(index, config)
                    self.timeline.note_setting(index, config)
                    if missing:
                        self.noted.emit(self.generation, missing_words(self.race.labels[index], missing))
            self.race.keep_updates = self.keep_updates

    # --- step into the protocol: one epoch of one run, call by call ---------------------------

    def _race_ended(self, race) -> StopReason | None:
        """Why ``race`` can take no further epoch (every run diverged, or the epoch limit is reached), or None."""
        if race.finished:
            return StopReason.DIVERGED
        if self.epoch_limit and race.epoch >= self.epoch_limit:
            return StopReason.LIMIT
        return None

    def _walk_on(self, calls, run_id):
        """Make the next ``calls`` calls of the walked epoch (starting one if none is under way); report the last."""
        race, report, reason = self.race, None, StopReason.WALK
        for _ in range(calls):
            if self._walk is None:
                ended = self._race_ended(race)
                if ended is not None:
                    reason = ended
                    break
                index = min(self._walk_index, len(race.trainers) - 1)
                if race.trainers[index].divergence is not None:
                    break  # the window says why; nothing to walk
                self._walk_run, self._walk_live = index, race.diverged
                self._walk = race.walk_epoch(index)
            # the lines that ran: SGD's, the one call traced in this thread only; a student's class's, in its process
            optimizer = race.trainers[self._walk_run].optimizer
            recording = optimizer.recording_lines() if hasattr(optimizer, "recording_lines") else \
                LineRecorder(SGD, optimizer)
            with np.errstate(all="ignore"), recording as recorder:
                step = next(self._walk)
            report = WalkReport(self._walk_run, step, recorder.lines)
            if step.done:
                self._walk = None
                self._walk_ended()
        snapshot = race.snapshot()
        self.stopped.emit(Stop(reason, snapshot, self.grids(snapshot), run_id, self.generation, report))

    def _end_walk(self) -> bool:
        """Make the remaining calls of an epoch being walked; False if none was."""
        if self._walk is None:
            return False
        with np.errstate(all="ignore"):
            for _ in self._walk:
                pass
        self._walk = None
        self._walk_ended()
        return True

    def _walk_ended(self):
        self.timeline.record()  # the walked epoch is done: every run is at the next epoch
        # a run that diverged in the walked epoch is reported as one that diverged in a trained one
        for index, (was, now) in enumerate(zip(self._walk_live, self.race.diverged)):
            if now and not was:
                self.diverged.emit(self.generation, index, self.race.snapshot())
        self._apply_settings()

    def grids(self, snapshot: RaceSnapshot):
        """Each run's probability grid over the data's bounds (None for a diverged run)."""
        return tuple(self.grid(run) for run in snapshot.runs)

    def grid(self, snapshot):
        """The probability grid of one run's network over the data's bounds (None if diverged)."""
        if snapshot.divergence or not self.grid_resolution:
            return None
        return probability_grid(snapshot.parameters, snapshot.activation, self._bounds, self.grid_resolution)

    def _wait_for_pace(self, due: float) -> bool:
        """Wait until ``due`` (perf_counter seconds) unless paused, reset or shut down; False if interrupted."""
        with self._cond:
            while True:
                remaining = due - time.perf_counter()
                if remaining <= 0:
                    return True
                if self._quit or self._pending_reset or not self._playing.is_set():
                    return False
                self._cond.wait(remaining)

    def _train(self, steps, run_id):
        """Train ``steps`` epochs, or while playing if ``steps`` is None; report why it stopped."""
        race, playing, generation = self.race, self._playing, self.generation
        interval = 1.0 / SNAPSHOTS_PER_SECOND
        last_emit = last_grid = time.perf_counter()
        next_due = None
        grid_interval = 1.0 / self.grids_per_second if self.grids_per_second else 0.0
        reason = StopReason.STEP if steps else StopReason.PAUSE
        done = 0
        while True:
            if self._pending_reset is not None:
                # a new race is waiting: a Play pressed after the Reset is for that race, not this one
                reason = StopReason.RESET
                break
            if steps is None and not playing.is_set():
                break
            if steps is not None and done >= steps:
                break
            ended = self._race_ended(race)
            if ended is not None:
                reason = ended
                break
            pace_step = pace_interval(self.pace)
            if steps is None and pace_step:
                now = time.perf_counter()
                # the first epoch at once, then one every pace_step (no burst to catch up after a slow one)
                next_due = now if next_due is None else max(next_due + pace_step, now - pace_step)
                if not self._wait_for_pace(next_due):
                    continue
            if self._settings_version != self._applied_version:
                self._apply_settings()
            try:
                # the window closing does not wait for an epoch of a very large setting to end
                records = race.train_epoch(stop=self._quitting)
            except EpochStopped:
                return  # shut down: nothing is sent for a race given up
            self.timeline.record()
            done += 1
            for index, record in enumerate(records):
                # a run that trained this epoch and has a divergence now diverged in it
                if record is not None and race.trainers[index].divergence:
                    self.diverged.emit(generation, index, race.snapshot())
            if race.finished:
                reason = StopReason.DIVERGED
                break
            now = time.perf_counter()
            # at a pace a class follows, every epoch is drawn: a snapshot and the maps each time
            slow = bool(pace_step) and pace_step >= interval and steps is None
            if slow or now - last_emit >= interval:
                last_emit = now
                snapshot, grids = race.snapshot(), None
                if slow or (self.grids_per_second and now - last_grid >= grid_interval):
                    last_grid = now
                    grids = self.grids(snapshot)
                    # a large network's grid costs more than its epochs: keep it to ~1/40 of the time
                    grid_interval = max(1.0 / self.grids_per_second if self.grids_per_second else 0.0,
                                        GRID_TIME_FACTOR * (time.perf_counter() - now))
                self.snapshot_ready.emit(generation, snapshot, grids)
        if reason in (StopReason.LIMIT, StopReason.DIVERGED):
            with self._cond:
                # a newer Play may already have been pressed; only end the run this loop served
                if self._run_id == run_id:
                    playing.clear()
        snapshot = race.snapshot()
        with self._cond:
            self._unanswered_pause = False   # this stop answers a pause pressed while training
        self.stopped.emit(Stop(reason, snapshot, self.grids(snapshot), run_id, generation))


class TrainingController(QtCore.QObject):
    """Owns the worker thread; the GUI's one handle on training.

    Re-emits the worker's signals with stale ones (sent before the latest reset) dropped,
    and keeps the GUI-side state: ``playing``, ``generation``.
    """

    snapshot_ready = QtCore.Signal(object, object)       # RaceSnapshot, grids or None
    reset_done = QtCore.Signal(object, object, object)   # TrainingData, RaceSnapshot, grids
    stopped = QtCore.Signal(object)              # Stop (only for the current race)
    diverged = QtCore.Signal(int, object)        # run index, RaceSnapshot
    failed = QtCore.Signal(str)
    playing_changed = QtCore.Signal(bool)
    looked_back = QtCore.Signal(int, object, object)  # request, RaceSnapshot then, grids (current race only)
    captioned = QtCore.Signal(int, int, object)  # request, epoch, each run's tried Caption (current race only)
    noted = QtCore.Signal(str)                   # a sentence for the status line (current race only)
    _start_loop = QtCore.Signal()

    def __init__(self, experiment: Experiment | None = None, parent=None):
        super().__init__(parent)
        experiment = Experiment() if experiment is None else experiment
        self.generation = 0
        self.playing = False
        self._run_id = 0
        self._shut_down = False
        self.thread = QtCore.QThread()
        self.thread.setObjectName("trainingThread")
        self.worker = TrainingWorker(experiment)
        self.worker.moveToThread(self.thread)
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        self._start_loop.connect(self.worker.run, queued)
        self.worker.snapshot_ready.connect(self._on_worker_snapshot_ready, queued)
        self.worker.reset_done.connect(self._on_worker_reset_done, queued)
        self.worker.stopped.connect(self._on_worker_stopped, queued)
        self.worker.diverged.connect(self._on_worker_diverged, queued)
        self.worker.failed.connect(self.failed, queued)
        self.worker.looked_back.connect(self._on_worker_looked_back, queued)
        self.worker.captioned.connect(self._on_worker_captioned, queued)
        self.worker.noted.connect(self._on_worker_noted, queued)
        self.thread.start()
        self._start_loop.emit()
        _CONTROLLERS.add(self)

    # --- commands ---------------------------------------------------------------------

    def play(self):
        """Start (or carry on) training."""
        if self.playing:
            return
        self._run_id += 1
        self._set_playing(True)
        self.worker.play(self._run_id)

    def pause(self):
        """Stop training at the end of the current epoch; ``stopped`` follows."""
        self._set_playing(False)
        self.worker.pause()

    def step(self):
        """Pause if playing, then train exactly one epoch."""
        self._run_id += 1
        self._set_playing(False)
        self.worker.step(self._run_id)

    def walk(self, index: int):
        """Pause if playing, then make the next call of the epoch walked in run ``index``; ``stopped`` follows."""
        self._run_id += 1
        self._set_playing(False)
        self.worker.walk(self._run_id, index)

    def set_keep_updates(self, keep: bool):
        """Every run records its layers' last updates (from the next epoch boundary), or stops."""
        self.worker.set_keep_updates(keep)

    def reset(self, experiment: Experiment):
        """Pause and rebuild the race from ``experiment``; ``reset_done`` follows."""
        self.generation += 1
        self._run_id += 1
        self._set_playing(False)
        self.worker.reset(self.generation, experiment)

    def set_optimizer(self, index: int, config: OptimizerConfig):
        """Apply ``config`` to run ``index`` at the next epoch boundary."""
        self.worker.set_optimizer(index, config)

    def set_student_optimizer(self, make):
        """``make(config)`` makes the optimizer of a run that names a student's class (from the next reset)."""
        self.worker.set_student_optimizer(make)

    def set_pace(self, pace):
        """Epochs per second (None: as fast as possible), from the next epoch on."""
        self.worker.set_pace(pace)

    def look_back(self, request: int, epoch: int):
        """Ask for every run as it was after ``epoch`` epochs; ``looked_back`` brings it (when not training)."""
        self.worker.look_back(request, epoch)

    def try_captions(self, request: int, epoch: int):
        """Ask for every run's caption after ``epoch`` epochs, its suggestions tried; ``captioned`` brings it."""
        self.worker.try_captions(request, epoch)

    def set_epoch_limit(self, limit: int):
        """Training pauses once this many epochs are done; 0 means no limit."""
        # one int attribute, read by the loop each epoch: atomic under the GIL
        self.worker.epoch_limit = int(limit)

    def shutdown(self, timeout_ms: int = CLOSE_TIMEOUT_MS) -> bool:
        """Stop the loop at the end of the current epoch and end the thread (returns True once it has)."""
        if self._shut_down:
            return True
        self._shut_down = True
        self.playing = False
        self.worker.shutdown()
        self.thread.quit()
        if not self.thread.wait(timeout_ms):
            # an epoch of a very large network is still running: it cannot be cut short, and a
            # QThread destroyed while running aborts the process, so wait for it to end
            print("nngui: waiting for the current epoch to finish…", file=sys.stderr, flush=True)
            self.thread.wait()
        return True

    # --- worker signals -----------------------------------------------------------------

    def _set_playing(self, playing):
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    def _on_worker_snapshot_ready(self, generation, snapshot, grid):
        if generation == self.generation:
            self.snapshot_ready.emit(snapshot, grid)

    def _on_worker_reset_done(self, generation, data, snapshot, grid):
        if generation == self.generation:
            self.reset_done.emit(data, snapshot, grid)

    def _on_worker_diverged(self, generation, index, snapshot):
        if generation == self.generation:
            if all(run.divergence for run in snapshot.runs):
                # every run has diverged, so the worker has stopped: say so now, not when its
                # `stopped` arrives a moment later
                self._set_playing(False)
            self.diverged.emit(index, snapshot)

    def _on_worker_looked_back(self, generation, request, snapshot, grids):
        if generation == self.generation:
            self.looked_back.emit(request, snapshot, grids)

    def _on_worker_captioned(self, generation, request, epoch, captions):
        if generation == self.generation:
            self.captioned.emit(request, epoch, captions)

    def _on_worker_noted(self, generation, text):
        if generation == self.generation:
            self.noted.emit(text)

    def _on_worker_stopped(self, stop: Stop):
        if stop.generation != self.generation:
            return
        if stop.reason.is_final and stop.run_id == self._run_id:
            self._set_playing(False)
        self.stopped.emit(stop)
