"""File ▸ Race my optimizer…: a student's class checked, then raced beside the lesson's runs from the same start.

After the student picks a file and confirms that its code will run, the file is checked as
``nngui check`` does (in a process of its own, with a time and a memory limit). If it runs, the
class joins the race as one more run, named after the class, with the chapter's setting the
class accepts; it is trained by ``nngui.check.remote.RemoteOptimizer`` in a process of its own,
so that a class that raises or stalls mid-race stops its own run with its message and the
window and the other runs go on. Where the class differs from the lesson, the status line and
the banner under it say the first difference and the hint.

The run is the student's by its setting (``OptimizerConfig.student``, ``path::ClassName``), not
by its place: removing, adding or reordering runs, Undo and Redo keep it the student's, and its
source in the code panel and its note in the captions follow it. Its numbers are edited like
any run's, applied at the next epoch boundary (the class's attributes of those names are set).
An experiment file never holds the student's class (opening a file never runs code): it is saved
as the lesson's SGD with the run's numbers, and the save says so.

The component is given its collaborators (the window for its dialogs, the experiment model,
the training controller, two ways to tell the user) and offers ``action`` and ``labels()``.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from nngui.check.isolated import check_isolated
from nngui.check.loading import StudentError, read_source
from nngui.check.remote import DEFAULT_CALL_TIME_LIMIT, SEPARATOR, Unstarted, student_optimizer
from nngui.check.result import Verdict
from nngui.engine import CHAPTER_RUNS, MAX_RUNS
from nngui.engine.checks import shown_path
from nngui.gui.qt import QtCore, QtGui, QtWidgets

PYTHON_FILTER = "Python files (*.py);;All files (*)"
#: Seconds one of the class's calls may take in the race before its run is stopped.
CALL_TIME_LIMIT = DEFAULT_CALL_TIME_LIMIT
MESSAGE_MS = 12000
CONFIRM_TITLE = "Run this file's code?"
CONFIRM_TEXT = ("Racing {name} runs its Python code on this computer, with your rights. The check "
                "stops loops and crashes, but it is not a security sandbox: run only code you trust. Run it?")


def chapter_run(result, student: str = ""):
    """The chapter's run for the class: the last of SGD, SGD + decay, SGD + momentum whose numbers it accepts,
    naming ``student`` (``path::ClassName``) as the class that trains it."""
    accepts_decay = any(s.decay for s in result.settings)
    accepts_momentum = any(s.momentum for s in result.settings)
    config = CHAPTER_RUNS[2] if accepts_momentum and accepts_decay else CHAPTER_RUNS[1] if accepts_decay \
        else CHAPTER_RUNS[0]
    return dataclasses.replace(config, student=student)


def students_in(experiment) -> set[str]:
    """The students' classes (``path::ClassName``) that train runs of ``experiment``."""
    return {run.student for run in experiment.runs if run.student}


class StudentRace(QtCore.QObject):
    """The action, the check in a thread of its own, and the run it adds."""

    #: the check's result, from the checking thread: (path, CheckResult)
    checked = QtCore.Signal(object, object)

    def __init__(self, parent, experiment_model, controller, show_status, show_banner, set_source, set_note):
        """``show_status(text, ms)``, ``show_banner(text)``: tell the user; ``set_source(index, source, name)``:
        the code view shows a run's source; ``set_note(index, note)``: a sentence added to a run's caption."""
        super().__init__(parent)
        self._parent, self._model, self._controller = parent, experiment_model, controller
        self._show_status, self._show_banner = show_status, show_banner
        self._set_source, self._set_note = set_source, set_note
        self._thread: threading.Thread | None = None
        #: the classes whose code the user confirmed this session (``path::ClassName``): only they ever run
        self._trusted: set[str] = set()
        #: what is shown for each class raced: ``{path::ClassName: (its source or None, file name, caption note)}``
        self._known: dict[str, tuple] = {}
        #: what each run shows now: its class's entry of ``_known``, or None for the lesson's SGD
        self._shown: list = []
        action = QtGui.QAction("&Race my optimizer…", parent)
        action.setObjectName("raceMyOptimizerAction")
        tip = "Check your own optimizer class against the lesson's SGD, then race it beside the lesson's runs"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(self._on_action_triggered)
        self.action = action
        self.checked.connect(self._on_checked, QtCore.Qt.ConnectionType.QueuedConnection)
        controller.set_student_optimizer(self._make_optimizer)
        controller.noted.connect(self._on_controller_noted)
        # before the window's own handler, which rebuilds the race: the code panel and captions follow first
        experiment_model.changed.connect(self._on_model_changed, priority=1)

    def labels(self, experiment) -> tuple[str, ...]:
        """The runs' names: the experiment's (a student's run is named after its class)."""
        return experiment.labels

    def _make_optimizer(self, config):
        """The optimizer of a run that names a student's class (called in the training thread)."""
        if config.student not in self._trusted:
            # never run code the user has not confirmed in this window
            return Unstarted(f"{config.student_class} was not raced in this window: its code runs only after "
                             "File ▸ Race my optimizer… and your confirmation", config)
        return student_optimizer(config, call_time_limit=CALL_TIME_LIMIT)

    def _on_controller_noted(self, text):
        self._show_status(text, MESSAGE_MS)

    def _on_model_changed(self, change):
        self._follow(change.new)

    def _follow(self, experiment):
        """The code panel and the captions show each student's run's source and note at its place now."""
        shown = [self._known.get(run.student) if run.student else None for run in experiment.runs]
        for index in range(max(len(shown), len(self._shown))):
            now = shown[index] if index < len(shown) else None
            before = self._shown[index] if index < len(self._shown) else None
            if now is before:
                continue
            source, name, note = now if now is not None else (None, "", None)
            self._set_source(index, source, name)
            self._set_note(index, note)
        self._shown = shown

    def race_file(self, path):
        """Check ``path`` in a thread of its own; ``checked`` follows (the confirmation has been given)."""
        if self._thread is not None:
            self._show_status("A file is being checked: wait for its verdict.", MESSAGE_MS)
            return
        self._show_status(f"Checking {shown_path(Path(path).name)}…", MESSAGE_MS)
        self._thread = threading.Thread(target=self._check, args=(path,), name="studentCheck", daemon=True)
        self._thread.start()

    def _check(self, path):
        self.checked.emit(path, check_isolated(path, shown_name=Path(path).name))

    def _on_action_triggered(self):
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self._parent, "Race my optimizer", "", PYTHON_FILTER)
        if not path:
            return
        answer = QtWidgets.QMessageBox.question(
            self._parent, CONFIRM_TITLE, CONFIRM_TEXT.format(name=shown_path(Path(path).name)),
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No)
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.race_file(path)

    def _on_checked(self, path, result):
        if self._thread is not None:
            self._thread.join()  # it has emitted its last: joining is immediate
            self._thread = None
        if not self._parent.isVisible():
            return  # the window was closed while the file was checked: nothing to race in
        if result.verdict is Verdict.ERROR:
            self._show_status(f"{result.file}: not raced: {result.error}", MESSAGE_MS)
            self._show_banner(f"{result.file} cannot race: {result.error}"
                              + (f" Hint: {result.hint}" if result.hint else ""))
            return
        experiment = self._model.experiment
        if len(experiment.runs) >= MAX_RUNS:
            self._show_status(f"A race has at most {MAX_RUNS} runs: remove one, then race {result.class_name}.",
                              MESSAGE_MS)
            return
        key = f"{Path(path).resolve()}{SEPARATOR}{result.class_name}"
        config = chapter_run(result, key)
        index = len(experiment.runs)
        try:
            source = read_source(path)
        except StudentError:
            source = None  # read a moment ago for the check: the engine's SGD stays shown
        if result.verdict is Verdict.MATCHES:
            how = "bit for bit" if result.bit_for_bit else "within 1e-12"
            note = f"({result.class_name} matches the lesson's SGD {how}.)"
            text = f"{result.class_name} matches the lesson's SGD {how}: racing it as run {index + 1}."
        else:
            where = f"First difference: {result.first_difference.describe()}. Hint: {result.hint}"
            note = f"It differs from the lesson's SGD. {where}"
            text = f"{result.class_name} differs from the lesson's SGD. {where}"
        self._trusted.add(key)
        self._known[key] = (source, result.file, note)
        self._model.add_run(config)  # the window resets the race: the new run is the student's
        self._show_status(text, MESSAGE_MS)
        if result.verdict is not Verdict.MATCHES:
            self._show_banner(text)
