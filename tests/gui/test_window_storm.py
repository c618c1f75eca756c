"""A storm of fast, random user actions on the real window: it ends alive, training, and closes cleanly (issue 18).

Keys, clicks on buttons and on the maps, the window's actions (projector mode, full screen, the
code panel, lessons, compare, pins, undo and redo, step into…), typed numbers, combo boxes, the
view tabs (the landscape computes in its own thread), the look-back slider, the code panel
floated and docked again — one after another with one round of events between most of them,
so that queued results arrive after the window has moved on. A fixed seed makes a failure
repeatable; pytest's faulthandler names the place of a crash.

``NNGUI_STORM=<actions>[:<seed>]`` runs a storm of that size (and seed) in place of the
suite's; ``benchmarks/bench_storm.py`` runs long ones and prints their figures.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from nngui.gui.qt import QtCore, QtGui, QtWidgets

from .test_fast_hands import _held_layout_items, _wrapped_layout_items

Key = QtCore.Qt.Key
Mod = QtCore.Qt.KeyboardModifier
SEED = 20261206
ACTIONS = 150
#: Seconds a storm may take per action before pytest-timeout ends it (a shared, busy machine).
SECONDS_PER_ACTION = 0.25

#: Actions that open a file dialog or a box, or quit: the storm is about the window, not dialogs.
NOT_IN_STORM = ("openAction", "saveAction", "quitAction", "aboutAction", "shortcutsAction",
                "restoreSessionAction", "clearRecentAction", "importDataAction", "exportDataAction",
                "exportHistoryAction", "exportWindowAction", "openLessonAction", "saveLessonAction",
                "raceMyOptimizerAction")
BUTTONS = ("playButton", "stepButton", "resetButton", "regenerateButton", "compareButton", "addRunButton",
           "removeRunButton", "bookCheck", "controlsButton", "landscapeComputeButton", "lessonNextButton",
           "lessonPreviousButton", "lessonCloseButton", "pinToolButton", "paintToolButton",
           "projectorPlayButton", "projectorStepButton", "projectorResetButton", "leaveProjectorButton",
           "surfacePlayButton", "surfaceStepButton", "surfaceResetButton", "timelineLiveButton",
           "qt_dockwidget_floatbutton")
KEYS = ((Key.Key_Space, Mod.NoModifier), (Key.Key_S, Mod.NoModifier), (Key.Key_R, Mod.NoModifier),
        (Key.Key_Right, Mod.NoModifier), (Key.Key_F5, Mod.NoModifier), (Key.Key_F3, Mod.NoModifier),
        (Key.Key_F11, Mod.NoModifier), (Key.Key_Escape, Mod.NoModifier), (Key.Key_F10, Mod.NoModifier),
        (Key.Key_K, Mod.ControlModifier), (Key.Key_Z, Mod.ControlModifier),
        (Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier), (Key.Key_P, Mod.ControlModifier),
        (Key.Key_PageDown, Mod.NoModifier), (Key.Key_PageUp, Mod.NoModifier),
        (Key.Key_Right, Mod.ShiftModifier))
#: Upper ends kept small where a value multiplies the cost of an epoch, so the storm stays quick.
SPIN_LIMITS = {"samplesSpin": 150, "neuronsSpin1": 48, "neuronsSpin2": 48, "neuronsSpin3": 48,
               "hiddenLayersSpin": 3, "epochLimitSpin": 3000, "classesSpin": 6}
COMBOS = ("datasetCombo", "activationCombo", "optimizerCombo")
#: How often each kind of action comes.
KINDS = {"key": 0.3, "button": 0.2, "action": 0.15, "spin": 0.12, "combo": 0.06, "tab": 0.05,
         "slider": 0.04, "map": 0.05, "wait": 0.03}


def storm_size():
    """``(actions, seed)``: the suite's storm, or the one ``NNGUI_STORM`` asks for."""
    asked = os.environ.get("NNGUI_STORM")
    if not asked:
        return ACTIONS, SEED
    actions, _, seed = asked.partition(":")
    return int(actions), int(seed) if seed else SEED


class Storm:
    """Random actions on ``window`` from ``rng``; counts what it did."""

    def __init__(self, window, user, rng):
        self.window, self.user, self.rng = window, user, rng
        self.counts = dict.fromkeys(KINDS, 0)
        self.actions = [a for a in window.findChildren(QtGui.QAction)
                        if a.objectName() and a.objectName() not in NOT_IN_STORM
                        and "export" not in a.objectName().lower() and not a.objectName().endswith("Heading")]

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def one(self):
        kind = self.rng.choice(list(KINDS), p=list(KINDS.values()))
        self.counts[kind] += 1
        getattr(self, f"_{kind}")()

    def _key(self):
        key, modifiers = self.pick(KEYS)
        self.user.qtbot.keyClick(self.window, key, modifiers)

    def _button(self):
        button = self.window.findChild(QtWidgets.QAbstractButton, self.pick(BUTTONS))
        if button is not None and button.isVisible() and button.isEnabled():
            self.user.qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)

    def _action(self):
        action = self.pick(self.actions)
        if action.isEnabled():
            action.trigger()

    def _spin(self):
        spins = [s for s in self.window.findChildren(QtWidgets.QAbstractSpinBox)
                 if s.isVisible() and s.isEnabled() and s.objectName()]
        if not spins:
            return
        spin = self.pick(spins)
        name = spin.objectName()
        if self.rng.random() < 0.5 and not spin.isReadOnly():
            low, high = spin.minimum(), min(spin.maximum(), SPIN_LIMITS.get(name, spin.maximum()))
            if isinstance(spin, QtWidgets.QSpinBox) or float(low).is_integer() and name in SPIN_LIMITS:
                text = str(int(self.rng.integers(int(low), int(high) + 1)))
            elif name == "learningRateSpin":
                text = repr(float(10 ** self.rng.uniform(-4, 2)))
            else:
                text = repr(float(self.rng.uniform(low, min(high, 1e3))))
            spin.setFocus()
            spin.selectAll()
            self.user.qtbot.keyClicks(spin, text)
            self.user.qtbot.keyClick(spin, Key.Key_Return)
        else:
            spin.setFocus()
            self.user.qtbot.keyClick(spin, Key.Key_Up if self.rng.random() < 0.5 else Key.Key_Down)

    def _combo(self):
        combo = self.window.findChild(QtWidgets.QComboBox, self.pick(COMBOS))
        if combo is not None and combo.isEnabled():
            combo.setCurrentIndex(int(self.rng.integers(combo.count())))

    def _tab(self):
        tabs = self.window.view_tabs
        tabs.setCurrentIndex(int(self.rng.integers(tabs.count())))

    def _slider(self):
        slider = self.window.timeline_bar.slider
        if slider.isEnabled():
            slider.setValue(int(self.rng.integers(slider.minimum(), slider.maximum() + 1)))

    def _map(self):
        views = [v for v in (*self.window.boundary_grid.views(), self.window.network_view) if v.isVisible()]
        if not views:
            return
        view = self.pick(views)
        target = view.viewport() if hasattr(view, "viewport") else view
        point = QtCore.QPoint(int(self.rng.integers(max(target.width(), 1))),
                              int(self.rng.integers(max(target.height(), 1))))
        self.user.qtbot.mouseClick(target, QtCore.Qt.MouseButton.LeftButton, pos=point)

    def _wait(self):
        # let the worker get ahead of the next action (it must keep up, not just queue)
        window = self.window
        epoch = window.latest.epoch if window.latest is not None else 0
        self.user.qtbot.waitUntil(lambda: not window.controller.playing
                                  or (window.latest is not None and window.latest.epoch > epoch), timeout=10_000)


@pytest.fixture
def quiet_dialogs(monkeypatch):
    """A lesson's title box and the like answer "cancel" at once (the storm never waits on a dialog)."""
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getMultiLineText", lambda *a, **k: ("", False))


def back_to_normal(window, user, qtbot):
    """Out of projector mode, full screen and any lesson; training paused; the code panel docked."""
    if window.projector.on:
        window.projector.projector_action.trigger()
    if window.isFullScreen():
        window.projector.full_screen_action.setChecked(False)
        qtbot.waitUntil(lambda: not window.isFullScreen())
    close_lesson = window.findChild(QtGui.QAction, "closeLessonAction")
    if close_lesson.isEnabled():
        close_lesson.trigger()
    window.code_dock.setFloating(False)
    if window.controller.playing:
        user.pause()


@pytest.mark.timeout(max(120, int(storm_size()[0] * SECONDS_PER_ACTION)))
def test_a_storm_of_fast_random_actions_ends_with_a_window_that_trains_and_closes(window, user, qtbot,
                                                                                    quiet_dialogs):
    actions, seed = storm_size()
    storm = Storm(window, user, np.random.default_rng(seed))
    started = time.monotonic()
    for number in range(actions):
        storm.one()
        if number % 4:  # mostly one round of events between actions, sometimes none at all
            QtWidgets.QApplication.processEvents()
    assert min(storm.counts.values()) > 0, storm.counts
    # no Python wrapper is left of a layout item Qt deleted (the next object made there crashed)
    assert _wrapped_layout_items() - _held_layout_items() == set()
    print(f"storm: {actions} actions, seed {seed}, {time.monotonic() - started:.1f} s, {storm.counts}")

    # the storm over, the window still does what it says
    back_to_normal(window, user, qtbot)
    user.click("resetButton")
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0, timeout=10_000)
    expected = window.experiment()
    assert all(run.sizes == (2, *expected.network.hidden, expected.dataset.classes) for run in window.latest.runs)
    stop = user.train(5)
    assert stop.snapshot.epoch == 5
    assert len(user.curve("lossPlot")[1]) == 5
    # closing (the fixture) stops every thread without a Qt warning
