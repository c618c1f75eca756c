"""Mini-batch speed and memory: an epoch in batches of 10 against a full-batch epoch, and the update log's bound.

Prints ``name: value`` lines:
  full_batch_epoch_ms, batch_10_epoch_ms, batch_10_vs_full_ratio (the chapter's network on its
  300 points; 30 updates an epoch in batches of 10, the best of several rounds),
  batch_10_updates_per_s, update_log_kept_after_1M_updates, update_log_bytes (the per-update
  losses a run keeps however long it trains), effective_steps_100k_epochs_ms (the learning-rate
  plot's η/(1−β) of a 100,000-epoch run, computed once per frame), loss_plot_4_full_update_logs_ms
  (handing the loss plot four runs' full update logs, UPDATE_LOG_CAPACITY updates each, and painting it
  offscreen at 640×360: what one frame of a long mini-batch race costs the window).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402

from nngui.engine import Experiment, OptimizerConfig, Trainer  # noqa: E402
from nngui.engine.batches import UpdateLog  # noqa: E402


class Rates:
    """A history's learning-rate column, all ``effective_steps`` reads."""

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def __len__(self):
        return len(self.learning_rate)


def epoch_ms(batch_size, epochs, rounds):
    """The best of ``rounds`` timings of ``epochs`` epochs, per epoch, in ms."""
    best = float("inf")
    for _ in range(rounds):
        trainer = Trainer(Experiment(batch_size=batch_size))
        trainer.run(2)  # warm up: the first epochs allocate
        started = time.perf_counter()
        trainer.run(epochs)
        best = min(best, (time.perf_counter() - started) / epochs * 1000)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    full = epoch_ms(None, args.epochs, args.rounds)
    batches = epoch_ms(10, args.epochs, args.rounds)
    print(f"full_batch_epoch_ms: {full:.3f}")
    print(f"batch_10_epoch_ms: {batches:.3f}")
    print(f"batch_10_vs_full_ratio: {batches / full:.2f}")
    print(f"batch_10_updates_per_s: {30 / batches * 1000:.0f}")

    log = UpdateLog()
    for step in range(1_000_000):
        log.append(step, step / 30, 1.0)
    print(f"update_log_kept_after_1M_updates: {len(log)}")
    print(f"update_log_bytes: {log._columns.nbytes}")

    from nngui.gui.plots.batch_curves import effective_steps
    n = 100_000
    run = Rates(1.0 / (1 + 1e-3 * np.arange(n)))
    settings = ((0, OptimizerConfig("momentum", 1.0, 1e-3, 0.9)),)
    started = time.perf_counter()
    for _ in range(10):
        effective_steps(run, settings)
    print(f"effective_steps_100k_epochs_ms: {(time.perf_counter() - started) / 10 * 1000:.2f}")
    print(f"loss_plot_4_full_update_logs_ms: {loss_plot_frame_ms():.1f}")


def loss_plot_frame_ms(rounds=5):
    """One frame of the loss plot with four runs' full update logs: setData and an offscreen paint."""
    from nngui.engine.batches import UPDATE_LOG_CAPACITY
    from nngui.gui.plots.plots import LossPlot
    from nngui.gui.qt import QtGui, QtWidgets
    from nngui.gui.plots.run_styles import run_styles
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    plot = LossPlot()
    plot.resize(640, 360)
    plot.set_runs([f"run {i}" for i in range(4)], run_styles(4))
    rng = np.random.default_rng(0)
    runs = []
    for i in range(4):
        log = UpdateLog()
        for step in range(UPDATE_LOG_CAPACITY):
            log.append(step, step / 30, 1.0 + 0.2 * rng.standard_normal())
        runs.append(type("Run", (), {"updates": log.view()})())
    image = QtGui.QImage(640, 360, QtGui.QImage.Format.Format_RGB32)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        plot.update_snapshots(runs)
        painter = QtGui.QPainter(image)
        plot.render(painter)
        painter.end()
        app.processEvents()
        best = min(best, time.perf_counter() - started)
    return best * 1000


if __name__ == "__main__":
    main()
