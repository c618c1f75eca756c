"""The window's memory and files: its place and last session (the settings file), experiment files, lesson presets.

Every launch starts at the chapter's default setting, so a class always sees the same
first screen; the previous settings come back only on "Restore last session".
A file that cannot be read shows one message naming the file and the field, and
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from nngui.engine import Experiment
from nngui.files import experiment_io
from nngui.engine.checks import ExperimentError, shown, shown_path

from . import recent_files
from nngui.gui.qt import QtCore, QtGui, QtWidgets
from .settings_store import SettingsStore

ORGANIZATION = "nngui"
APPLICATION = "nngui"
GEOMETRY_KEY = "window/geometry"
SESSION_KEY = "session/experiment"
DIRECTORY_KEY = "files/directory"
FILE_FILTER = "nngui experiments (*.json);;All files (*)"
#: The first window's size where the screen allows it (it shrinks to fit smaller screens).
DEFAULT_SIZE = (1440, 900)


def default_settings_path() -> str:
    """Where QSettings keeps the user's nngui settings: ``~/.config/nngui/nngui.conf`` on Linux."""
    folder = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.GenericConfigLocation)
    return str(Path(folder) / ORGANIZATION / f"{APPLICATION}.conf")


def default_settings() -> SettingsStore:
    """The user's nngui settings, read without ever constructing an object (see ``settings_store``)."""
    return SettingsStore(default_settings_path())


def restore_geometry(window):
    """Put the window where it was last closed, or size it to the screen the first time.

    The first time, the window *with its frame* (title bar, borders) fits the screen's
    available area: before it is shown the frame is not known, so it is sized with a
    guess of the frame and checked again once the window manager has framed it.
    """
    if window.settings.problem:
        window.statusBar().showMessage(f"Settings: {window.settings.problem}", 10_000)
    geometry = window.settings.data(GEOMETRY_KEY)
    if geometry is not None and window.restoreGeometry(QtCore.QByteArray(geometry)):
        return
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    window.setGeometry(first_geometry(screen.availableGeometry(), guessed_frame()))
    window._fit_on_show = _FitOnShow(window)


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


class _FitOnShow(QtCore.QObject):
    """After the first show, once the frame is known: shrink and centre the window if its frame sticks out,
    and place it by its real frame while it is still where the first launch put it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.placed = window.geometry()   # where the first launch put it (the user may move it after)
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        if watched is self.window and event.type() == QtCore.QEvent.Type.Show:
            self.window.removeEventFilter(self)
            for delay in FRAME_CHECKS_MS:
                QtCore.QTimer.singleShot(delay, self, self.check)
        return False

    def check(self):
        window = self.window
        if window.windowState() & (QtCore.Qt.WindowState.WindowFullScreen | QtCore.Qt.WindowState.WindowMaximized):
            return
        available = (window.screen() or QtGui.QGuiApplication.primaryScreen()).availableGeometry()
        wanted = first_geometry(available, frame_margins(window))
        # placed with a guessed frame: once the real one is known (or known to be none), place it by that
        if not fits(window.frameGeometry(), available) or (self.placed and window.geometry() == self.placed):
            if window.geometry() != wanted:
                window.setGeometry(wanted)
            self.placed = wanted


def save_on_close(window):
    """Remember the window's place and the session's settings."""
    values = {GEOMETRY_KEY: bytes(window.saveGeometry().data())}
    try:
        values[SESSION_KEY] = window.experiment().dumps()
    except ExperimentError:
        pass  # nothing trainable to remember
    window.settings.update(values)


def restore_last_session(window) -> bool:
    """Bring back the settings of the previous session, if there is one."""
    text = window.settings.text(SESSION_KEY)
    if not text:
        QtWidgets.QMessageBox.information(window, "Restore last session",
                                          "No earlier session is saved yet: it is saved when nngui closes.")
        return False
    try:
        experiment = Experiment.loads(text)
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Restore last session",
                                      plain(f"The saved session cannot be read:\n{error}\n\nNothing was changed."))
        return False
    window.apply_experiment(experiment, "Restored the last session")
    return True


def open_experiment(window, path) -> bool:
    """Load the experiment file at ``path`` into the window; a bad file changes nothing."""
    try:
        loaded = experiment_io.read(path)
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Cannot open the experiment", plain(f"{error}\n\nNothing was changed."))
        return False
    if not window.apply_experiment(loaded.experiment, f"Opened {shown(Path(path).name)}"):
        return False   # refused (a lesson's lock): said in the window's banner
    recent_files.remember(window.settings, path)
    return True


def save_experiment(window, path) -> bool:
    """Write the window's experiment to ``path``."""
    try:
        window.experiment().save(path)
    except ExperimentError as error:
        QtWidgets.QMessageBox.warning(window, "Cannot save the experiment", plain(str(error)))
        return False
    window.statusBar().showMessage(f"Saved {shown_path(path)}", 6000)
    recent_files.remember(window.settings, path)
    return True


def plain(text: str) -> str:
    """``text`` for a message box, shown as written even where it looks like HTML.

    A message box takes text that starts like HTML for rich text: a file name or key such
    as ``<img src=…>`` would be drawn rather than shown. Such text is converted to HTML
    that shows it verbatim; any other text is passed as it is.
    """
    return QtGui.Qt.convertFromPlainText(text) if QtGui.Qt.mightBeRichText(text) else text


def _directory(window):
    return window.settings.text(DIRECTORY_KEY) or str(Path.home())


def _on_open_triggered(window):
    path, _ = QtWidgets.QFileDialog.getOpenFileName(window, "Open experiment", _directory(window), FILE_FILTER)
    if path:
        window.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
        open_experiment(window, path)


def _on_save_triggered(window):
    start = str(Path(_directory(window)) / "experiment.json")
    path, _ = QtWidgets.QFileDialog.getSaveFileName(window, "Save experiment", start, FILE_FILTER)
    if path:
        if not Path(path).suffix:
            path += ".json"
        window.settings.update({DIRECTORY_KEY: str(Path(path).parent)})
        save_experiment(window, path)


def lesson_presets():
    """``[(path, ExperimentFile | ExperimentError)]`` of the shipped lesson presets, by file name."""
    try:
        from nngui.resources import resource_path
        directory = resource_path("presets")
    except (ImportError, FileNotFoundError):
        return []
    presets = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            presets.append((path, experiment_io.read(path)))
        except ExperimentError as error:
            presets.append((path, error))
    return presets


def _apply_preset(window, path, preset):
    window.apply_experiment(preset.experiment, f"Lesson: {preset.title or path.stem}")


class SessionFiles:
    """The File, Lessons and Help actions of ``window``; the window puts them in its menus."""

    def __init__(self, window, model, settings):
        self.window, self.model, self.settings = window, model, settings
        self.open_action = self._action("openAction", "&Open experiment…", _on_open_triggered,
                                        QtGui.QKeySequence.StandardKey.Open, "Load an experiment file (JSON)")
        self.save_action = self._action("saveAction", "&Save experiment…", _on_save_triggered,
                                        QtGui.QKeySequence.StandardKey.Save,
                                        "Save the current settings (every run) as an experiment file")
        self.restore_action = self._action("restoreSessionAction", "&Restore last session", restore_last_session,
                                           None, "Bring back the settings nngui had when it was last closed")
        self.quit_action = self._action("quitAction", "&Quit", lambda w: w.close(),
                                        QtGui.QKeySequence.StandardKey.Quit)
        self.help_actions = [self._action("shortcutsAction", "&Keyboard shortcuts", _show_shortcuts),
                             self._action("aboutAction", "&About nngui", _show_about)]
        self.lesson_actions = self._lesson_actions()

    def _action(self, name, text, slot, shortcut=None, tip=""):
        action = QtGui.QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot(self.window))
        return action

    def _lesson_actions(self):
        actions = []
        for path, preset in lesson_presets():
            if isinstance(preset, ExperimentError):
                action = QtGui.QAction(f"{path.stem} (cannot be read)", self.window)
                action.setEnabled(False)
                action.setToolTip(str(preset))
                actions.append(action)
                continue
            action = QtGui.QAction(preset.title or path.stem.replace("_", " "), self.window)
            action.setObjectName(f"lesson_{path.stem}")
            action.setToolTip(preset.description)
            action.triggered.connect(lambda checked=False, p=path, f=preset: _apply_preset(self.window, p, f))
            actions.append(action)
        if not actions:
            action = QtGui.QAction("No lessons found", self.window)
            action.setEnabled(False)
            actions.append(action)
        return actions


def read_pace(settings, key):
    """The pace remembered under ``key``: a whole number of epochs per second, or None for max.

    Only the words the window writes are read (``30``, ``max``): anything else is ignored with one
    line on stderr, never converted (``²`` passes ``str.isdigit()`` and fails ``int()``).
    """
    from nngui.model import DEFAULT_PACE, PACES
    choices = {("max" if pace is None else str(pace)): pace for pace in PACES}
    return settings.choice(key, choices, DEFAULT_PACE)


def _show_shortcuts(window):
    QtWidgets.QMessageBox.information(
        window, "Keyboard shortcuts",
        "Space: play / pause\n→ or S: train one epoch of every run\nR: reset to epoch 0 (same seed)\n"
        "Ctrl+K: compare the chapter's optimizers\nCtrl+P: pin the runs as a reference\n"
        "Ctrl+Z / Ctrl+Shift+Z: undo / redo a change of settings\n"
        "Ctrl+O / Ctrl+S: open / save an experiment\n"
        "PageDown / PageUp: a lesson's next / previous step\n"
        "F5: projector mode (larger text, thicker curves)\nF11: full screen\n"
        "F3: the code running (the engine's SGD with the selected run's numbers)\n"
        "Shift+→ or F10: step into one epoch, call by call\n\n"
        "While typing in a number box, the keys type; press Enter to apply the number and give the "
        "keys back to the window. PageUp/PageDown never change a number.")


def _show_about(window):
    from nngui import __version__
    QtWidgets.QMessageBox.about(
        window, "About nngui",
        f"nngui {__version__}\n\nWatch a neural network learn: SGD, learning-rate decay and momentum, "
        "live on a 2-D data set.")
