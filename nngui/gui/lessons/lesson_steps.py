"""Lessons in the window: the Lessons menu, the lesson bar, and what arriving at a step does.

Arriving at a step (``LessonSteps._on_lesson_step_changed``) loads the step's experiment
(going back loads the experiment the step showed, so the class sees that step again),
sets the pace, locks and hides what the step names (or the step before it, when it names
nothing) and unlocks the rest, shows the view it
names, then pauses or plays up to its epoch. The parts it locks are locked in the model too
(``model/locks.py``): Undo, a file, painting or a preset cannot change them either, while
the step's own changes go through. PageDown and PageUp, what presentation
clickers send, go to the next and previous step wherever the keyboard focus is (number
boxes leave those keys to the window).

File ▸ Save as lesson… writes the current state as a lesson of one step (its title and
sentence asked for), which opens again from Lessons ▸ Open lesson… or ``nngui --lesson FILE``.
"""

from __future__ import annotations

from pathlib import Path

from nngui.teaching import lessons
from nngui.engine.checks import ExperimentError, shown, shown_path
from nngui.model import NO_LIMIT_EPOCHS

from .lesson_bar import LessonBar
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.files.session import plain

FILE_FILTER = "nngui lessons (*.json);;All files (*)"
DIRECTORY_KEY = "files/lessons"
MESSAGE_MS = 6000


class LessonSteps:
    """The window's lessons: the model's lesson shown in a bar, its steps applied to the window."""

    def __init__(self, window):
        self.window = window
        self.model = window.model.lesson
        self.bar = LessonBar()
        window.centralWidget().layout().insertWidget(0, self.bar)
        self.bar.previous_requested.connect(self.model.previous)
        self.bar.next_requested.connect(self.model.next)
        self.bar.close_requested.connect(self.model.close)
        self.model.step_changed.connect(self._on_lesson_step_changed)
        self.model.closed.connect(self._on_lesson_closed)
        self._index = -1
        self.next_action = self._action("nextStepAction", "Next step", "Go on to the lesson's next step (PageDown)",
                                        "PgDown", self.model.next)
        self.previous_action = self._action("previousStepAction", "Previous step",
                                            "Go back to the lesson's previous step (PageUp)", "PgUp",
                                            self.model.previous)
        self.close_action = self._action("closeLessonAction", "Close lesson",
                                         "Leave the lesson: every control is unlocked and shown again", None,
                                         self.model.close)
        self.open_action = self._action("openLessonAction", "Open lesson…", "Open a lesson file and give it "
                                        "step by step", None, self._on_open_triggered)
        self.save_action = self._action("saveLessonAction", "Save as &lesson…",
                                        "Save the current settings as a lesson of one step, with a title and a "
                                        "sentence for the class, to open again tomorrow", None,
                                        self._on_save_triggered)
        self._sync_actions()
        self.lesson_actions = self._shipped_actions()

    def _action(self, name, text, tip, shortcut, slot):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
            # window-wide, like Space: a focused number box leaves PageUp/PageDown to the window
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _shipped_actions(self):
        actions = []
        for path, lesson in lessons.shipped_lessons():
            if isinstance(lesson, ExperimentError):
                action = QtGui.QAction(f"{path.stem} (cannot be read)", self.window)
                action.setEnabled(False)
                action.setToolTip(str(lesson))
            else:
                action = QtGui.QAction(lesson.title, self.window)
                action.setObjectName(f"lesson_{path.stem}")
                action.setToolTip(lesson.description or lesson.steps[0].text)
                action.triggered.connect(lambda checked=False, l=lesson, p=path: self.open(l, p.name))
            actions.append(action)
        return actions

    def fill_menu(self, menu) -> None:
        """The shipped lessons in teaching order, then opening a lesson file and the steps' keys."""
        menu.addActions(self.lesson_actions)
        menu.addSeparator()
        menu.addActions([self.open_action, self.next_action, self.previous_action, self.close_action])
        menu.addSeparator()
        section = menu.addAction("Examples")   # a heading over the experiment presets that follow
        section.setObjectName("lessonsExamplesHeading")
        section.setEnabled(False)

    # --- opening and closing ------------------------------------------------------------------

    def open(self, lesson: lessons.Lesson, source: str = "") -> None:
        """Give ``lesson`` from its first step."""
        self._index = -1
        self.model.open(lesson, source)

    def open_file(self, path) -> bool:
        """Open the lesson file at ``path``; a bad file says why in one message and changes nothing."""
        try:
            lesson = lessons.read(path)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self.window, "Cannot open the lesson",
                                          plain(f"{error}\n\nNothing was changed."))
            return False
        self.open(lesson, Path(path).name)
        return True

    def _on_open_triggered(self):
        window = self.window
        start = window.settings.text(DIRECTORY_KEY) or str(Path.home())
        path, _ = QtWidgets.QFileDialog.getOpenFileName(window, "Open lesson", start, FILE_FILTER)
        if path:
            window.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.open_file(path)

    def _on_lesson_closed(self):
        self._index = -1
        self._apply_controls((), ())
        self.bar.hide()
        self._sync_actions()
        self.window.statusBar().showMessage("Lesson closed: every control is back, and the experiment from before "
                                            "the lesson, at epoch 0.", MESSAGE_MS)

    def _sync_actions(self):
        model = self.model
        self.next_action.setEnabled(model.active and model.index < len(model.lesson) - 1)
        self.previous_action.setEnabled(model.active and model.index > 0)
        self.close_action.setEnabled(model.active)

    # --- arriving at a step ----------------------------------------------------------------

    def _on_lesson_step_changed(self, index):
        # the step's own changes go through its locks (and the last step's): only the class's edits are refused
        with self.window.model.experiment.locks.opened():
            self._arrive(index)

    def _arrive(self, index):
        lesson, step, window = self.model.lesson, self.model.step, self.window
        backwards, self._index = index < self._index, index
        self.bar.show_step(lesson.title, self.model.position(), step.text, index == 0, index == len(lesson) - 1)
        self._sync_actions()
        # going back shows the step as it was: its experiment again from epoch 0, played to its epoch
        experiment = step.experiment or (lesson.experiment_at(index) if backwards else None)
        if experiment is not None:
            window.apply_experiment(experiment, f"Lesson, {self.model.position()}")
        if step.pace is not None:
            window.model.set_pace(None if step.pace == "max" else step.pace)
        self._apply_controls(*lesson.controls_at(index))
        if step.view is not None:
            self._show_view(step.view, step.view_preset)
        if step.pause and window.controller.playing:
            window.controller.pause()
        if step.play_to_epoch is not None:
            self._play_to(step.play_to_epoch)

    def _play_to(self, epochs):
        window = self.window
        window.model.experiment.set_epochs(min(epochs, NO_LIMIT_EPOCHS - 1))
        latest = window.latest
        if not window.controller.playing and (latest is None or latest.epoch < epochs):
            window.play_action.trigger()

    def _controls(self):
        w = self.window
        transport = w.transport_panel
        return {"dataset": [w.dataset_panel], "network": [w.network_panel], "runs": [w.runs_panel, w.compare_action],
                "epoch_limit": [transport.epoch_limit_spin], "pace": [transport.pace_combo],
                "compare": [w.compare_action]}

    def _apply_controls(self, lock, hide):
        controls = self._controls()
        # the model refuses every other way to change a locked part: undo, files, painting, presets
        locks = self.window.model.experiment.locks
        if lock:
            locks.set(lock, f"the lesson ({self.model.position()})")
        else:
            locks.clear()
        locked = {id(item) for name in lock for item in controls[name]}
        for items in controls.values():
            for item in items:
                item.setEnabled(id(item) not in locked)
        for name in lessons.HIDEABLE:
            panel = controls[name][0]
            panel.setVisible(name not in hide)

    def _show_view(self, name, preset):
        tabs = self.window.view_tabs
        for index in range(tabs.count()):
            title = tabs.tabText(index).replace("&", "").strip().lower()
            if title == name or name in title.split():   # "landscape" finds "Loss landscape"
                tabs.setCurrentIndex(index)
                widget = tabs.widget(index)
                if preset is not None:
                    # a view that has presets (the loss surface) loads one by name and says if it has none
                    load_preset = getattr(widget, "load_preset", None)
                    if load_preset is None:
                        self.bar.show_note(f"The {tabs.tabText(index)} view takes no preset "
                                           f"(\"{shown(preset)}\"): it shows what it has.")
                    elif load_preset(preset) is False:
                        self.bar.show_note(f"The {tabs.tabText(index)} view has no preset \"{shown(preset)}\".")
                return
        have = ", ".join(tabs.tabText(i).lower() for i in range(tabs.count()))
        self.bar.show_note(f"This step shows the \"{shown(name)}\" view, which this nngui does not have "
                           f"(views: {have}).")

    # --- saving the state as a lesson ------------------------------------------------------

    def _on_save_triggered(self):
        window = self.window
        experiment = window.experiment()
        title, ok = QtWidgets.QInputDialog.getText(window, "Save as lesson", "Title of the lesson:",
                                                   text=experiment.labels[0])
        if not ok:
            return
        text, ok = QtWidgets.QInputDialog.getMultiLineText(
            window, "Save as lesson", "What should the class watch for (or predict) when it opens?",
            "Predict: what will the loss do when you press Play?")
        if not ok:
            return
        start = str(Path(window.settings.text(DIRECTORY_KEY) or Path.home()) / "lesson.json")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(window, "Save as lesson", start, FILE_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".json"
            window.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.save(path, title, text)

    def save(self, path, title, text) -> bool:
        """Write the window's state as a one-step lesson: its experiment (with the epoch limit), pace and ``text``."""
        window = self.window
        pace = window.model.pace
        try:
            lesson = lessons.one_step_lesson(window.experiment(), title, text, "max" if pace is None else pace)
            lessons.save(path, lesson)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(window, "Cannot save the lesson", plain(f"{error}\n\nNothing was saved."))
            return False
        window.statusBar().showMessage(f"Saved the lesson {shown_path(path)}", MESSAGE_MS)
        return True
