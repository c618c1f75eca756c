"""How long closing the window takes while an epoch of a very large setting is under way; prints ``name: value``.

Run offscreen from the repository: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_close.py``.
The issue's case: 4 runs of 4 × 256 neurons on 2,000 × 6 points, one point a batch (an epoch
took minutes; closing waited 75.8 s for it). Training is started, and the window is closed once
every run is inside its first epoch.

- ``close_s``, ``full_batch_close_s``: from ``close()`` to the worker thread ended (the goal:
  under 2 s), one point a batch, and all points in one batch (each call is then one forward or
  backward pass of 12,000 points through 4 × 256 neurons, four runs).
- ``epoch_given_up``: 1 if the epoch was left half made (the worker stopped between two calls).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig  # noqa: E402
from nngui.gui.qt import QtWidgets  # noqa: E402


def wait(app, condition, timeout_s=120):
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.01)


def main():
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    app = QtWidgets.QApplication([])
    for name, batch_size in (("close_s", 1), ("full_batch_close_s", None)):
        close_once(app, name, batch_size)


def close_once(app, name, batch_size):
    from nngui.gui import MainWindow
    window = MainWindow()
    window.model.memory_limit = 0  # this benchmark means to go past it
    window.show()
    wait(app, lambda: window.data is not None)
    experiment = Experiment(dataset=DatasetConfig(samples=2000, classes=6), network=NetworkConfig(hidden=(256,) * 4),
                            runs=(OptimizerConfig(),) * 4, batch_size=batch_size)
    window.apply_experiment(experiment)
    wait(app, lambda: window.latest is not None and len(window.latest.runs) == 4)
    window.controller.play()
    worker = window.controller.worker
    wait(app, lambda: worker.race is not None and worker.race.trainers[0].walking)
    race = worker.race
    started = time.perf_counter()
    window.close()
    took = time.perf_counter() - started
    print(f"{name}: {took:.2f}")
    if batch_size == 1:
        print(f"epoch_given_up: {int(race.epoch == 0 and any(t.walking for t in race.trainers))}")
    window.deleteLater()


if __name__ == "__main__":
    main()
