"""A storm of 200 random clicks, keys, typed numbers and race edits: no crash, no exception, no thread left running."""

from __future__ import annotations

import numpy as np

from nngui.gui.qt import QtCore, QtWidgets

ACTIONS = 200
BUTTONS = ("playButton", "stepButton", "resetButton", "regenerateButton", "compareButton", "addRunButton",
           "removeRunButton")
KEYS = (QtCore.Qt.Key.Key_Space, QtCore.Qt.Key.Key_S, QtCore.Qt.Key.Key_R, QtCore.Qt.Key.Key_Right)
# upper ends kept small where a value multiplies the cost of an epoch, so the storm stays quick
SPIN_LIMITS = {"samplesSpin": 150, "neuronsSpin1": 48, "neuronsSpin2": 48, "neuronsSpin3": 48,
               "hiddenLayersSpin": 3, "epochLimitSpin": 3000}
REAL_SPINS = ("learningRateSpin", "decaySpin", "momentumSpin", "noiseSpin", "testSplitSpin")
COMBOS = ("datasetCombo", "activationCombo", "optimizerCombo")


def random_value(spin, rng):
    low, high = spin.minimum(), min(spin.maximum(), SPIN_LIMITS.get(spin.objectName(), spin.maximum()))
    if spin.objectName() in REAL_SPINS:
        # learning rates over decades: 1e-4 … 100
        if spin.objectName() == "learningRateSpin":
            return float(10 ** rng.uniform(-4, 2))
        return float(rng.uniform(low, high))
    return int(rng.integers(low, high + 1))


def test_a_storm_of_random_actions_leaves_a_working_window(window, user):
    rng = np.random.default_rng(20240611)
    spins = [s for s in window.findChildren(QtWidgets.QAbstractSpinBox)
             if s.objectName().startswith(tuple(SPIN_LIMITS) + REAL_SPINS + ("seedSpin", "classesSpin"))]
    counts = {"button": 0, "key": 0, "spin": 0, "combo": 0}
    for _ in range(ACTIONS):
        kind = rng.choice(list(counts), p=(0.35, 0.2, 0.3, 0.15))
        counts[kind] += 1
        if kind == "button":
            user.click(str(rng.choice(BUTTONS)))
        elif kind == "key":
            user.find("lossPlot").setFocus()
            user.key(KEYS[rng.integers(len(KEYS))], window)
        elif kind == "spin":
            spin = spins[rng.integers(len(spins))]
            if not spin.isVisible() or not spin.isEnabled():
                continue
            if rng.random() < 0.5:
                user.type_into(spin.objectName(), repr(random_value(spin, rng)))
            else:
                spin.setFocus()
                user.key(QtCore.Qt.Key.Key_Up if rng.random() < 0.5 else QtCore.Qt.Key.Key_Down, spin)
        else:
            combo = user.find(str(rng.choice(COMBOS)))
            combo.setCurrentIndex(int(rng.integers(combo.count())))
        QtWidgets.QApplication.processEvents()
        if window.controller.playing and rng.random() < 0.3:
            # let some epochs run before the next action (the worker must keep up, not just queue)
            epoch = window.latest.epoch if window.latest is not None else 0
            user.qtbot.waitUntil(lambda: not window.controller.playing
                                 or (window.latest is not None and window.latest.epoch > epoch), timeout=10_000)
    assert min(counts.values()) > 0

    # the storm over, the window still does what it says
    if window.controller.playing:
        user.pause()
    user.click("resetButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and window.latest.epoch == 0, timeout=10_000)
    expected = window.experiment()
    assert all(run.sizes == (2, *expected.network.hidden, expected.dataset.classes) for run in window.latest.runs)
    assert window.data.n_classes == expected.dataset.classes
    user.type_into("learningRateSpin", "0.1")
    stop = user.train(20)
    assert stop.snapshot.epoch == 20
    assert len(user.curve("lossPlot")[1]) == 20
