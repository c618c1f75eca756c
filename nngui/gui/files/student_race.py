"""File ▸ Race my optimizer…: a student's class checked, then raced beside the lesson's runs from the same start.

After the student picks a file and confirms that its code will run, the file is checked as
``nngui check`` does (in a process of its own, with a time and a memory limit). If it runs, the
class joins the race as one more run, named after the class, with the chapter's setting the
class accepts; it is trained by ``nngui.check.remote.RemoteOptimizer`` in a process of its own,
so that a class that raises or stalls mid-race stops its own run with its message and the
window and the other runs go on. Where the class differs from the lesson, the status line and
the banner under it say the first difference and the hint.

The component is given its collaborators (the window for its dialogs, the experiment model,
the training controller, two ways to tell the user) and offers ``action`` and ``labels()``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from nngui.check.isolated import check_isolated
from nngui.check.loading import StudentError, read_source
from nngui.check.remote import DEFAULT_CALL_TIME_LIMIT, RemoteOptimizer, StudentFailed
from nngui.check.result import Verdict
from nngui.engine import CHAPTER_RUNS, MAX_RUNS
from nngui.engine.checks import shown_path
from nngui.model import SETTINGS
from nngui.gui.qt import QtCore, QtGui, QtWidgets

PYTHON_FILTER = "Python files (*.py);;All files (*)"
#: Seconds one of the class's calls may take in the race before its run is stopped.
CALL_TIME_LIMIT = DEFAULT_CALL_TIME_LIMIT
MESSAGE_MS = 12000
CONFIRM_TITLE = "Run this file's code?"
CONFIRM_TEXT = ("Racing {name} runs its Python code on this computer, with your rights. The check "
                "stops loops and crashes, but it is not a security sandbox: run only code you trust. Run it?")


class _Stopped:
    """The stand-in for a class that could not even be made: every call says why."""

    def __init__(self, message, config):
        self.message = message
        self.learning_rate = self.current_learning_rate = config.learning_rate
        self.decay, self.momentum, self.step = config.effective_decay, config.effective_momentum, 0

    def _fail(self, *args):
        raise StudentFailed(self.message)

    pre_update_params = update_params = post_update_params = _fail


def chapter_run(result):
    """The chapter's run for the class: the last of SGD, SGD + decay, SGD + momentum whose numbers it accepts."""
    accepts_decay = any(s.decay for s in result.settings)
    accepts_momentum = any(s.momentum for s in result.settings)
    config = CHAPTER_RUNS[2] if accepts_momentum and accepts_decay else CHAPTER_RUNS[1] if accepts_decay \
        else CHAPTER_RUNS[0]
    accepted = {"learning_rate"} | ({"decay"} if accepts_decay else set()) | ({"momentum"} if accepts_momentum else set())
    return config, frozenset(accepted)


def optimizer_factory(path, class_name, accepted):
    """What the engine calls to make the run's optimizer: the student's class in its own process."""
    def make(config):
        arguments = {"learning_rate": config.learning_rate, "decay": config.effective_decay,
                     "momentum": config.effective_momentum}
        try:
            return RemoteOptimizer(path, class_name, {k: v for k, v in arguments.items() if k in accepted},
                                   call_time_limit=CALL_TIME_LIMIT)
        except (StudentFailed, OSError, ValueError) as error:  # the process could not even start
            return _Stopped(str(error), config)
    return make


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
        #: the student's run: (index, its config, its label), while the experiment still has it there
        self._run: tuple | None = None
        action = QtGui.QAction("&Race my optimizer…", parent)
        action.setObjectName("raceMyOptimizerAction")
        tip = "Check your own optimizer class against the lesson's SGD, then race it beside the lesson's runs"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(self._on_action_triggered)
        self.action = action
        self.checked.connect(self._on_checked, QtCore.Qt.ConnectionType.QueuedConnection)
        # before the window's own handler, which rebuilds the race: the student's run is settled first
        experiment_model.changed.connect(self._on_model_changed, priority=1)

    def labels(self, experiment) -> tuple[str, ...]:
        """The runs' names: the experiment's, the student's run named after its class."""
        labels = list(experiment.labels)
        if self._run is not None and self._run[0] < len(labels):
            labels[self._run[0]] = self._run[2]
        return tuple(labels)

    def _on_model_changed(self, change):
        if self._run is None:
            return
        index, config, label = self._run
        old, runs = change.old.runs, change.new.runs
        if change.effect == SETTINGS and change.run == index:
            # the class is made with its new numbers when the race next starts (Reset)
            self._run = (index, runs[index], label)
            self._show_status(f"{label} takes its new settings when the race starts again (Reset).", MESSAGE_MS)
        elif not ((len(runs) > len(old) and runs[:len(old)] == old)          # a run added after it
                  or (len(runs) == len(old) and runs[index] == config)):     # its run untouched
            # a run removed (runs have no identity: which one cannot be told) or its run replaced:
            # every place is the lesson's SGD again
            self._run = None
            self._controller.set_foreign_runs({})
            self._set_source(index, None)
            self._set_note(index, None)

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
        config, accepted = chapter_run(result)
        index = len(experiment.runs)
        self._run = (index, config, result.class_name)
        self._controller.set_foreign_runs({index: (result.class_name, optimizer_factory(path, result.class_name,
                                                                                        accepted))})
        self._model.add_run(config)  # the window resets the race: the new run is the student's
        try:
            self._set_source(index, read_source(path), result.file)
        except StudentError:
            pass  # read a moment ago for the check: the engine's SGD stays shown
        if result.verdict is Verdict.MATCHES:
            how = "bit for bit" if result.bit_for_bit else "within 1e-12"
            self._set_note(index, f"({result.class_name} matches the lesson's SGD {how}.)")
            self._show_status(f"{result.class_name} matches the lesson's SGD {how}: racing it as run {index + 1}.",
                              MESSAGE_MS)
        else:
            where = f"First difference: {result.first_difference.describe()}. Hint: {result.hint}"
            self._set_note(index, f"It differs from the lesson's SGD. {where}")
            text = f"{result.class_name} differs from the lesson's SGD. {where}"
            self._show_status(text, MESSAGE_MS)
            self._show_banner(text)
