"""The window's memory and files: its place and last session (the settings file), experiment files, lesson presets.

Every launch starts at the chapter's default setting, so a class always sees the same
first screen; the previous settings come back only on "Restore last session".
A file that cannot be read shows one message naming the file and the field, and
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from nngui.files import experiment_io
from nngui.engine.checks import ExperimentError, shown, shown_path

from . import recent_files
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from .settings_store import SettingsStore
from nngui.gui.window.actions import make_action

ORGANIZATION = "nngui"
APPLICATION = "nngui"
GEOMETRY_KEY = "window/geometry"
SESSION_KEY = "session/experiment"
DIRECTORY_KEY = "files/directory"
FILE_FILTER = "nngui experiments (*.json);;All files (*)"
SHORTCUTS = (
    "Space: play / pause\n→ or S: train one epoch of every run\nR: reset to epoch 0 (same seed)\n"
    "− / +: train slower / faster\n"
    "Ctrl+K: compare the chapter's optimizers\nCtrl+P: pin the runs as a reference\n"
    "Ctrl+Z / Ctrl+Shift+Z: undo / redo a change of settings\n"
    "Ctrl+O / Ctrl+S: open / save an experiment\n"
    "PageDown / PageUp: a lesson's next / previous step (after the last step, the next lesson)\n"
    "F5: projector mode (larger text, thicker curves)\nF11: full screen\nB: blank the screen (any key brings it back)\n"
    "F3: the code running (the engine's SGD with the selected run's numbers)\n"
    "Shift+→ or F10: step into one epoch, call by call\n\n"
    "While typing in a number box, the keys type; press Enter to apply the number and give the "
    "keys back to the window. PageUp/PageDown never change a number.")
#: The first window's size where the screen allows it (it shrinks to fit smaller screens).
DEFAULT_SIZE = (1440, 900)


def default_settings_path() -> str:
    """Where QSettings keeps the user's nngui settings: ``~/.config/nngui/nngui.conf`` on Linux."""
    folder = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.GenericConfigLocation)
    return str(Path(folder) / ORGANIZATION / f"{APPLICATION}.conf")


def default_settings() -> SettingsStore:
    """The user's nngui settings, read without ever constructing an object (see ``settings_store``)."""
    return SettingsStore(default_settings_path())


def restore_geometry(window) -> bool:
    """Put the window where it was last closed, or size it to the screen the first time.

    The first time, the window *with its frame* (title bar, borders) fits the screen's
    available area: before it is shown the frame is not known, so it is sized with a
    guess of the frame, and False is returned: the window's stage checks it again once the
    window manager has framed it (``Stage.fit_on_first_show``). True: the last place came back.
    """
    if window.settings.problem:
        window.statusBar().showMessage(f"Settings: {window.settings.problem}", 10_000)
    geometry = window.settings.data(GEOMETRY_KEY)
    if geometry is not None and window.restoreGeometry(QtCore.QByteArray(geometry)):
        return True
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    window.setGeometry(first_geometry(screen.availableGeometry(), guessed_frame()))
    return False


#: A window manager's usual frame (a title bar and thin borders) where none is known yet.
FRAME_GUESS = (1, 32, 1, 1)
#: When to look at the real frame after the first show (the window manager frames a window late).
FRAME_CHECKS_MS = (0, 250, 1000)


def guessed_frame() -> QtCore.QMargins:
    """The frame to expect: none on a platform that draws none (offscreen, minimal), else ``FRAME_GUESS``."""
    platform = QtGui.QGuiApplication.platformName()
    if platform in ("offscreen", "minimal", "eglfs", "linuxfb", "vnc"):
        return QtCore.QMargins(0, 0, 0, 0)
    return QtCore.QMargins(*FRAME_GUESS)


def frame_margins(window) -> QtCore.QMargins:
    """What the frame adds around the window on each side (zero before it is framed)."""
    inner, outer = window.geometry(), window.frameGeometry()
    return QtCore.QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                           outer.right() - inner.right(), outer.bottom() - inner.bottom())


def first_geometry(available: QtCore.QRect, frame: QtCore.QMargins, default=DEFAULT_SIZE) -> QtCore.QRect:
    """The window's own rectangle (inside its ``frame``) the first time: ``default`` where the screen's
    ``available`` area allows, smaller where not, so that frame and all fit; centred."""
    extra_w, extra_h = frame.left() + frame.right(), frame.top() + frame.bottom()
    width = min(default[0], available.width() - extra_w)
    height = min(default[1], available.height() - extra_h)
    left = available.left() + max((available.width() - width - extra_w) // 2, 0) + frame.left()
    top = available.top() + max((available.height() - height - extra_h) // 2, 0) + frame.top()
    return QtCore.QRect(left, top, width, height)


def fits(outer: QtCore.QRect, available: QtCore.QRect) -> bool:
    """Whether the framed window ``outer`` lies wholly inside ``available``."""
    return available.contains(outer)


def save_on_close(window):
    """Remember the window's place and the session's settings."""
    values = {GEOMETRY_KEY: bytes(window.saveGeometry().data())}
    try:
        values[SESSION_KEY] = experiment_io.dumps(window.experiment())
    except ExperimentError:
        pass  # nothing trainable to remember
    window.settings.update(values)


def plain(text: str) -> str:
    """``text`` for a message box, shown as written even where it looks like HTML.

    A message box takes text that starts like HTML for rich text: a file name or key such
    as ``<img src=…>`` would be drawn rather than shown. Such text is converted to HTML
    that shows it verbatim; any other text is passed as it is.
    """
    return QtGui.Qt.convertFromPlainText(text) if QtGui.Qt.mightBeRichText(text) else text


def last_directory(settings) -> str:
    """The folder a file was last opened from or saved to (the home folder at first)."""
    return settings.text(DIRECTORY_KEY) or str(Path.home())


def lesson_presets():
    """``[(path, ExperimentFile | ExperimentError)]`` of the shipped lesson presets, by file name."""
    return experiment_io.shipped_presets()


class SessionFiles:
    """The File, Lessons and Help actions: experiment files, the last session, the lesson presets.

    ``apply_experiment(experiment, note)`` loads an experiment (False if refused), ``experiment()``
    is the one shown, ``notify(text, ms)`` shows a message, ``quit()`` closes; ``parent`` is the
    dialogs' parent. The window puts the actions in its menus.
    """

    def __init__(self, settings, apply_experiment, experiment, notify, quit, parent=None):
        self.settings, self._apply, self._experiment = settings, apply_experiment, experiment
        self._notify, self._parent = notify, parent
        self.open_action = make_action(parent, "openAction", "&Open experiment…", "Load an experiment file (JSON)",
                                       self._on_open_triggered, QtGui.QKeySequence.StandardKey.Open,
                                       context=QtCore.Qt.ShortcutContext.WindowShortcut)
        self.save_action = make_action(parent, "saveAction", "&Save experiment…",
                                       "Save the current settings (every run) as an experiment file",
                                       self._on_save_triggered, QtGui.QKeySequence.StandardKey.Save)
        self.restore_action = make_action(parent, "restoreSessionAction", "&Restore last session",
                                          "Bring back the settings nngui had when it was last closed",
                                          self.restore_last_session)
        self.quit_action = make_action(parent, "quitAction", "&Quit", "Close nngui", quit,
                                       QtGui.QKeySequence.StandardKey.Quit)
        self.help_actions = [make_action(parent, "shortcutsAction", "&Keyboard shortcuts", "", self._show_shortcuts),
                             make_action(parent, "aboutAction", "&About nngui", "", self._show_about)]
        self.lesson_actions = self._lesson_actions()

    def _lesson_actions(self):
        actions = []
        for path, preset in lesson_presets():
            if isinstance(preset, ExperimentError):
                action = make_action(self._parent, "", f"{path.stem} (cannot be read)", str(preset))
                action.setEnabled(False)
                actions.append(action)
                continue
            action = make_action(self._parent, f"lesson_{path.stem}", preset.title or path.stem.replace("_", " "),
                                 preset.description,
                                 lambda p=path, f=preset: self._apply(f.experiment, f"Lesson: {f.title or p.stem}"))
            actions.append(action)
        if not actions:
            action = make_action(self._parent, "", "No lessons found")
            action.setEnabled(False)
            actions.append(action)
        return actions

    # --- experiment files and the last session ---------------------------------------------

    def open_experiment(self, path) -> bool:
        """Load the experiment file at ``path``; a bad file changes nothing."""
        try:
            loaded = experiment_io.read(path)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self._parent, "Cannot open the experiment",
                                          plain(f"{error}\n\nNothing was changed."))
            return False
        if not self._apply(loaded.experiment, f"Opened {shown(Path(path).name)}"):
            return False   # refused (a lesson's lock): said in the window's banner
        recent_files.remember(self.settings, path)
        return True

    def save_experiment(self, path) -> bool:
        """Write the experiment shown to ``path``."""
        try:
            experiment_io.save(path, self._experiment())
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(self._parent, "Cannot save the experiment", plain(str(error)))
            return False
        students = sorted({run.student_class for run in self._experiment().runs if run.student})
        if students:
            # opening a file never runs code: a student's class is raced again by choice, never by a file
            self._notify(f"Saved {shown_path(path)}: {', '.join(students)} is saved as the lesson's SGD with its "
                         "settings (a file never runs a class's code: race it again with File ▸ Race my "
                         "optimizer…)", 12000)
        else:
            self._notify(f"Saved {shown_path(path)}", 6000)
        recent_files.remember(self.settings, path)
        return True

    def restore_last_session(self) -> bool:
        """Bring back the settings of the previous session, if there is one."""
        text = self.settings.text(SESSION_KEY)
        if not text:
            QtWidgets.QMessageBox.information(self._parent, "Restore last session",
                                              "No earlier session is saved yet: it is saved when nngui closes.")
            return False
        try:
            experiment = experiment_io.loads(text)
        except ExperimentError as error:
            QtWidgets.QMessageBox.warning(
                self._parent, "Restore last session",
                plain(f"The saved session cannot be read:\n{error}\n\nNothing was changed."))
            return False
        self._apply(experiment, "Restored the last session")
        return True

    def _on_open_triggered(self):
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self._parent, "Open experiment",
                                                        last_directory(self.settings), FILE_FILTER)
        if path:
            self.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.open_experiment(path)

    def _on_save_triggered(self):
        start = str(Path(last_directory(self.settings)) / "experiment.json")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self._parent, "Save experiment", start, FILE_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".json"
            self.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
            self.save_experiment(path)

    def _show_shortcuts(self):
        QtWidgets.QMessageBox.information(self._parent, "Keyboard shortcuts", SHORTCUTS)

    def _show_about(self):
        from nngui import __version__
        QtWidgets.QMessageBox.about(
            self._parent, "About nngui",
            f"nngui {__version__}\n\nWatch a neural network learn: SGD, learning-rate decay and momentum, "
            "live on a 2-D data set.")


def read_pace(settings, key):
    """The pace remembered under ``key``: a whole number of epochs per second, or None for max.

    Only the words the window writes are read (``30``, ``max``): anything else is ignored with one
    line on stderr, never converted (``²`` passes ``str.isdigit()`` and fails ``int()``).
    """
    from nngui.model import DEFAULT_PACE, PACES
    choices = {("max" if pace is None else str(pace)): pace for pace in PACES}
    return settings.choice(key, choices, DEFAULT_PACE)

