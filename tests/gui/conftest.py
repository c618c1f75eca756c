"""Fixtures for driving the real window: isolated settings, no thread left behind, no Qt warning."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import shiboken6

from nngui.gui.qt import QtCore, QtGui, QtWidgets
from nngui.gui.training import worker
from nngui.gui.window.projector import FONT_SCALE

#: The offscreen platform's harmless complaint when a window's size hints change.
QT_NOISE = r"This plugin does not support propagateSizeHints\(\)"
STOP_TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config, items):
    # any Qt warning during a test fails it (pytest-qt's capture), the offscreen noise aside
    for item in items:
        item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
        item.add_marker(pytest.mark.qt_log_ignore(QT_NOISE))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """The settings file (and QSettings of every format and scope) live in this test's own folder."""
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))  # where session.default_settings_path() looks
    for fmt in (QtCore.QSettings.Format.NativeFormat, QtCore.QSettings.Format.IniFormat):
        for scope in (QtCore.QSettings.Scope.UserScope, QtCore.QSettings.Scope.SystemScope):
            QtCore.QSettings.setPath(fmt, scope, str(folder))
    return folder


def _open_windows():
    """Every main window not yet deleted (shown or not: a window is a top-level widget until deleted)."""
    from nngui.gui import MainWindow
    return [w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def _stop_window_threads():
    """Stop the landscape thread of every window still holding one running; how many there were.

    A window left open by a failing test keeps its landscape thread: destroyed while it runs, Qt
    aborts the whole run ("QThread: Destroyed while thread … is still running") and hides the
    test's own failure.
    """
    running = [w for w in _open_windows() if w.landscape_view.computer.thread.isRunning()]
    for window in running:
        window.landscape_view.shutdown()
    return len(running)


@pytest.fixture(autouse=True)
def no_thread_left():
    """Fail a test that leaves a training or landscape QThread running or a Python thread alive.

    Whatever is left is stopped first, so the next test starts clean and a failing test reports
    its own failure.
    """
    before = set(threading.enumerate())
    yield
    running = worker.running_controllers()
    for controller in running:
        controller.shutdown()  # so that the next test starts clean
    landscapes = _stop_window_threads()
    alive = [t for t in threading.enumerate()
             if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)]
    assert not running, f"{len(running)} training thread(s) still running after the test"
    assert not landscapes, f"{landscapes} landscape thread(s) still running after the test"
    assert not alive, f"Python thread(s) still alive after the test: {alive}"


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal box or file dialog would wait forever for a click: fail at once instead.

    A test that expects one replaces it again with its own recorder.
    """
    def refuse(*args, **kwargs):
        text = " | ".join(str(a) for a in args[1:3])
        raise AssertionError(f"unexpected modal dialog: {text}")

    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QtWidgets.QMessageBox, name, refuse)
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QtWidgets.QFileDialog, name, refuse)


class QtMessages:
    """Collects Qt's messages while installed (pytest-qt's own capture ends with the test body)."""

    def __init__(self):
        self.messages = []

    def __enter__(self):
        self._previous = QtCore.qInstallMessageHandler(self._handle)
        return self

    def _handle(self, mode, context, message):
        self.messages.append((mode, message))

    def __exit__(self, *exc):
        QtCore.qInstallMessageHandler(self._previous)

    def warnings(self):
        import re
        return [m for mode, m in self.messages
                if mode != QtCore.QtMsgType.QtDebugMsg and not re.search(QT_NOISE, m)]


def close_window(window):
    """Close like a user (the close button), and check the worker stopped without a Qt warning."""
    with QtMessages() as qt:
        window.close()
    assert not window.controller.thread.isRunning(), "closing the window left the worker thread running"
    assert qt.warnings() == []


@pytest.fixture(name="close_window")
def close_window_fixture():
    """``close_window(window)``: close it and check the worker stopped without a Qt warning."""
    return close_window


class Driver:
    """Drives a window the way a user does: keys, clicks, typed numbers."""

    def __init__(self, qtbot, window):
        self.qtbot, self.window = qtbot, window

    def find(self, name, cls=QtWidgets.QWidget):
        widget = self.window.findChild(cls, name)
        assert widget is not None, f"no widget named {name!r}"
        return widget

    def click(self, name):
        self.qtbot.mouseClick(self.find(name), QtCore.Qt.MouseButton.LeftButton)

    def type_into(self, name, text):
        """Select the spin box's text, type ``text`` and press Enter."""
        spin = self.find(name)
        spin.setFocus()
        spin.selectAll()
        self.qtbot.keyClicks(spin, text)
        self.qtbot.keyClick(spin, QtCore.Qt.Key.Key_Return)
        return spin

    def choose(self, name, label):
        """Pick ``label`` in a combo box with the keyboard (Home, then Down)."""
        combo = self.find(name)
        index = combo.findText(label)
        assert index >= 0, f"{name} has no item {label!r}: {[combo.itemText(i) for i in range(combo.count())]}"
        combo.setFocus()
        self.qtbot.keyClick(combo, QtCore.Qt.Key.Key_Home)
        for _ in range(index):
            self.qtbot.keyClick(combo, QtCore.Qt.Key.Key_Down)
        assert combo.currentText() == label
        return combo

    def key(self, key, widget=None):
        """Press ``key`` where the keyboard focus is (or on ``widget``)."""
        target = widget or QtWidgets.QApplication.focusWidget() or self.window
        self.qtbot.keyClick(target, key)

    def stopped(self, reason, timeout=STOP_TIMEOUT_MS):
        """A context that waits for the worker to report a stop for ``reason``; ``.args[0]`` is the Stop."""
        return self.qtbot.waitSignal(self.window.controller.stopped, timeout=timeout,
                                     check_params_cb=lambda stop: stop.reason == reason)

    def train(self, epochs, timeout=STOP_TIMEOUT_MS):
        """Set the epoch limit to ``epochs``, press Play and wait until the limit pauses training."""
        self.type_into("epochLimitSpin", str(epochs))
        with self.stopped("limit", timeout) as blocker:
            self.click("playButton")
        return blocker.args[0]

    def pause(self):
        """Press Pause and wait for the worker to acknowledge; the Stop."""
        with self.stopped("pause") as blocker:
            self.click("playButton")
        return blocker.args[0]

    def curve(self, plot_name, role="train", run=0):
        """``(x, y)`` run ``run``'s ``role`` curve of a plot holds (its data, not the downsampled drawing).

        Empty arrays if none. Roles: ``train``, ``test`` (loss and accuracy), ``lr`` (learning rate).
        """
        x, y = self.find(plot_name).run_curve(run, role).getOriginalDataset()
        return (np.asarray([]) if x is None else np.asarray(x)), (np.asarray([]) if y is None else np.asarray(y))


@pytest.fixture
def shown(qtbot):
    """``shown(widget, width, height)``: add a widget to qtbot, show it at that size and wait until it is on screen."""
    def show(widget, width=480, height=360):
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return show


@pytest.fixture
def new_window(qtbot):
    """``new_window(settings=None, size=None, show=True)``: a MainWindow of this test, its first network built
    when shown; each one still open when the test ends is closed and its threads stopped, whatever happened."""
    from nngui.gui import MainWindow
    made = []

    def make(settings=None, size=None, show=True):
        w = MainWindow(settings=settings)
        made.append(w)
        if size is not None:
            w.resize(*size)
        if show:
            w.show()
            qtbot.waitExposed(w)
            w.activateWindow()
            qtbot.waitUntil(lambda: w.data is not None)
        return w

    yield make
    for w in made:
        if shiboken6.isValid(w):
            w.controller.shutdown()
            w.landscape_view.shutdown()
            w.deleteLater()


@pytest.fixture
def window(new_window):
    """A fresh MainWindow at 1024×740 (a 1024×768 projector's worth), shown, its first network built.

    It trains at max pace (a test need not watch at the class's pace): the first launch's own
    pace is tested on a window of its own (``test_stage.py``).
    """
    w = new_window(size=(1024, 740))
    w.model.set_pace(None)
    yield w
    close_window(w)


@pytest.fixture
def user(qtbot, window):
    """A Driver for the window fixture."""
    return Driver(qtbot, window)


@pytest.fixture
def projector_font():
    """Enlarges the application's font as projector mode makes it; the font is as it was after the test."""
    app = QtWidgets.QApplication.instance()
    normal = QtGui.QFont(app.font())

    def enlarge():
        font = QtGui.QFont(normal)
        font.setPointSizeF(normal.pointSizeF() * FONT_SCALE)
        app.setFont(font)
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
    yield enlarge
    app.setFont(normal)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
