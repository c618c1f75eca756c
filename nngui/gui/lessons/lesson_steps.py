"""Lessons in the window: the Lessons menu, the lesson bar, and what arriving at a step does.

Arriving at a step (``LessonSteps._on_lesson_step_changed``) loads the step's experiment
(going back loads the experiment the step showed, so the class sees that step again),
sets the pace, locks and hides what the step names (or the step before it, when it names
nothing) and unlocks the rest, shows the view it
names, then pauses or plays up to its epoch. The parts it locks are locked in the model too
(``model/locks.py``): Undo, a file, painting or a preset cannot change them either, while
the step's own changes go through. PageDown and PageUp, what presentation
clickers send, go to the next and previous step wherever the keyboard focus is (number
boxes leave those keys to the window); PageDown on a lesson's last step opens the next
lesson of the Lessons menu at its first step, PageUp on a first step the previous lesson at
its last step. A step that shows the loss surface with a preset plays its walk at once.

File ▸ Save as lesson… writes the current state as a lesson of one step (its title and
sentence asked for), which opens again from Lessons ▸ Open lesson… or ``nngui --lesson FILE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nngui.teaching import lessons
from nngui.engine.checks import ExperimentError, shown, shown_path
from nngui.model import NO_LIMIT_EPOCHS

from .lesson_bar import LessonBar
from nngui.gui.qt import QtWidgets
from nngui.gui.window.actions import make_action
from nngui.gui.files.session import plain

FILE_FILTER = "nngui lessons (*.json);;All files (*)"
DIRECTORY_KEY = "files/lessons"
MESSAGE_MS = 6000


@dataclass
class LessonHooks:
    """What a step may do to the rest of the window, given by the window (never the window itself).

    ``controls``: the lockable controls by name (``lessons.HIDEABLE`` and the rest), each a list of
    widgets or actions, the panel first; ``views``: the stage (``show_view``, ``view_keys``,
    ``view_title``); ``latest_epoch()``: the epoch the race is at, or None before any.
    """

    model: object                 # the AppModel
    controller: object            # the TrainingController
    settings: object
    controls: dict
    views: object
    play_action: object
    apply_experiment: Callable
    latest_epoch: Callable
    notify: Callable


class LessonSteps:
    """The lessons: the model's lesson shown in a bar, its steps applied through ``LessonHooks``."""

    def __init__(self, hooks: LessonHooks):
        self.hooks = hooks
        self.model = hooks.model.lesson
        self.bar = LessonBar()
        self.bar.previous_requested.connect(self.previous)
        self.bar.next_requested.connect(self.next)
        self.bar.close_requested.connect(self.model.close)
        self.model.step_changed.connect(self._on_lesson_step_changed)
        self.model.closed.connect(self._on_lesson_closed)
        self._index = -1
        self.shipped = [(path, lesson) for path, lesson in lessons.shipped_lessons()]
        self.next_action = make_action(self.bar, "nextStepAction", "Next step",
                                       "Go on to the lesson's next step, or the next lesson after its last (PageDown)",
                                       self.next, "PgDown")
        self.previous_action = make_action(self.bar, "previousStepAction", "Previous step",
                                           "Go back to the lesson's previous step, or the previous lesson's last "
                                           "(PageUp)", self.previous, "PgUp")
        self.close_action = make_action(self.bar, "closeLessonAction", "Close lesson",
                                        "Leave the lesson: every control is unlocked and shown again", self.model.close)
        self.open_action = make_action(self.bar, "openLessonAction", "Open lesson…",
                                       "Open a lesson file and give it step by step", self._on_open_triggered)
        self.save_action = make_action(self.bar, "saveLessonAction", "Save as &lesson…",
                                       "Save the current settings as a lesson of one step, with a title and a "
                                       "sentence for the class, to open again tomorrow", self._on_save_triggered)
        self._sync_actions()
        self.lesson_actions = self._shipped_actions()

    def actions(self):
        """The actions with keys: the window adds them, so PageDown and PageUp work wherever the focus is."""
        return [self.next_action, self.previous_action]

    def _shipped_actions(self):
        actions = []
        for path, lesson in self.shipped:
            if isinstance(lesson, ExperimentError):
                action = make_action(self.bar, f"lesson_{path.stem}", f"{path.stem} (cannot be read)", str(lesson))
                action.setEnabled(False)
            else:
                action = make_action(self.bar, f"lesson_{path.stem}", lesson.title,
                                     lesson.description or lesson.steps[0].text,
                                     lambda l=lesson, p=path: self.open(l, p.name))
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

    def open(self, lesson: lessons.Lesson, source: str = "", index: int = 0) -> None:
        """Give ``lesson`` from its first step (or from step ``index``)."""
        self._index = len(lesson) if index else -1   # arriving at a later step shows it as going back would
        self.model.open(lesson, source, index)

    def open_file(self, path) -> bool:
        """Open the lesson file at ``path``; a bad file says why in one message and changes nothing."""
        try:
            lesson = lessons.read(path)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self.bar.window(), "Cannot open the lesson",
                                          plain(f"{error}\n\nNothing was changed."))
            return False
        self.open(lesson, Path(path).name)
        return True

    def _on_open_triggered(self):
        settings = self.hooks.settings
        start = settings.text(DIRECTORY_KEY) or str(Path.home())
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.bar.window(), "Open lesson", start, FILE_FILTER)
        if path:
            settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.open_file(path)

    def _on_lesson_closed(self):
        self._index = -1
        self._apply_controls((), ())
        self.bar.hide()
        self._sync_actions()
        self.hooks.notify("Lesson closed: every control is back, and the experiment from before the lesson, at epoch 0.",
                          MESSAGE_MS)

    # --- the clicker: the next step, or the next lesson ------------------------------------------

    def _neighbour(self, direction: int):
        """``(path, lesson)`` of the shipped lesson before (−1) or after (+1) the one given, or None."""
        readable = [(path, lesson) for path, lesson in self.shipped if not isinstance(lesson, ExperimentError)]
        names = [path.name for path, _lesson in readable]
        if self.model.source not in names:
            return None
        index = names.index(self.model.source) + direction
        return readable[index] if 0 <= index < len(readable) else None

    def next(self) -> None:
        """The next step; after a lesson's last, the next lesson in the menu's order at its first step."""
        if self.model.next():
            return
        following = self._neighbour(+1)
        if self.model.active and following is not None:
            path, lesson = following
            self.open(lesson, path.name)

    def previous(self) -> None:
        """The previous step; before a lesson's first, the previous lesson in the menu's order at its last step."""
        if self.model.previous():
            return
        preceding = self._neighbour(-1)
        if self.model.active and preceding is not None:
            path, lesson = preceding
            self.open(lesson, path.name, len(lesson) - 1)

    def _sync_actions(self):
        model = self.model
        self.next_action.setEnabled(model.active and (model.index < len(model.lesson) - 1
                                                      or self._neighbour(+1) is not None))
        self.previous_action.setEnabled(model.active and (model.index > 0 or self._neighbour(-1) is not None))
        self.close_action.setEnabled(model.active)

    # --- arriving at a step ----------------------------------------------------------------

    def _on_lesson_step_changed(self, index):
        # the step's own changes go through its locks (and the last step's): only the class's edits are refused
        with self.hooks.model.experiment.locks.opened():
            self._arrive(index)

    def _arrive(self, index):
        lesson, step, hooks = self.model.lesson, self.model.step, self.hooks
        backwards, self._index = index < self._index, index
        last = index == len(lesson) - 1
        self.bar.show_step(lesson.title, self.model.position(), step.text,
                           index == 0 and self._neighbour(-1) is None, last and self._neighbour(+1) is None)
        self._sync_actions()
        # going back shows the step as it was: its experiment again from epoch 0, played to its epoch
        experiment = step.experiment or (lesson.experiment_at(index) if backwards else None)
        if experiment is not None:
            hooks.apply_experiment(experiment, f"Lesson, {self.model.position()}")
        if step.pace is not None:
            hooks.model.set_pace(None if step.pace == "max" else step.pace)
        self._apply_controls(*lesson.controls_at(index))
        if step.view is not None:
            # a step that pauses asks the class to predict first: its walk waits for Play
            self._show_view(step.view, step.view_preset, play=not step.pause)
        if step.pause and hooks.controller.playing:
            hooks.controller.pause()
        if step.play_to_epoch is not None:
            self._play_to(step.play_to_epoch)

    def _play_to(self, epochs):
        hooks = self.hooks
        hooks.model.experiment.set_epochs(min(epochs, NO_LIMIT_EPOCHS - 1))
        latest = hooks.latest_epoch()
        if not hooks.controller.playing and (latest is None or latest < epochs):
            hooks.play_action.trigger()

    def _apply_controls(self, lock, hide):
        controls = self.hooks.controls
        # the model refuses every other way to change a locked part: undo, files, painting, presets
        locks = self.hooks.model.experiment.locks
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

    def _show_view(self, name, preset, play=True):
        views = self.hooks.views
        widget = views.show_view(name)
        if widget is None:
            have = ", ".join(views.view_keys())
            self.bar.show_note(f"This step shows the \"{shown(name)}\" view, which this nngui does not have "
                               f"(views: {have}).")
            return
        if preset is None:
            return
        title = views.view_title(name)
        # a view that has presets (the loss surface) loads one by name, says if it has none, and plays its walk
        load_preset = getattr(widget, "load_preset", None)
        if load_preset is None:
            self.bar.show_note(f"The {title} view takes no preset (\"{shown(preset)}\"): it shows what it has.")
        elif load_preset(preset) is False:
            self.bar.show_note(f"The {title} view has no preset \"{shown(preset)}\".")
        elif play and hasattr(widget, "play"):
            widget.play()   # the walk the step talks about plays without a click

    # --- saving the state as a lesson ------------------------------------------------------

    def _on_save_triggered(self):
        parent, hooks = self.bar.window(), self.hooks
        experiment = hooks.model.experiment.experiment
        title, ok = QtWidgets.QInputDialog.getText(parent, "Save as lesson", "Title of the lesson:",
                                                   text=experiment.labels[0])
        if not ok:
            return
        text, ok = QtWidgets.QInputDialog.getMultiLineText(
            parent, "Save as lesson", "What should the class watch for (or predict) when it opens?",
            "Predict: what will the loss do when you press Play?")
        if not ok:
            return
        start = str(Path(hooks.settings.text(DIRECTORY_KEY) or Path.home()) / "lesson.json")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, "Save as lesson", start, FILE_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".json"
            hooks.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.save(path, title, text)

    def save(self, path, title, text) -> bool:
        """Write the current state as a one-step lesson: its experiment (with the epoch limit), pace and ``text``."""
        model = self.hooks.model
        pace = model.pace
        try:
            lesson = lessons.one_step_lesson(model.experiment.experiment, title, text, "max" if pace is None else pace)
            lessons.save(path, lesson)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self.bar.window(), "Cannot save the lesson",
                                          plain(f"{error}\n\nNothing was saved."))
            return False
        self.hooks.notify(f"Saved the lesson {shown_path(path)}", MESSAGE_MS)
        return True
