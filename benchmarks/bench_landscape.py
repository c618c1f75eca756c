"""The network's landscape: its cost to training, its grid's time, the window's latency meanwhile.

Prints ``name: value`` lines.

Run offscreen from the repository: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_landscape.py``.

- ``trajectory_off_epochs_per_s`` / ``trajectory_on_epochs_per_s`` / ``trajectory_cost_ratio``: a
  chapter run (book mode, 2→64→3 on 300 points) without and with its trajectory recorded
  (alternating rounds, medians; the ratio is on over off, 1.00 = free);
  ``trajectory_record_us_per_epoch`` the recorder's own time per epoch over the chapter's 10,001
  epochs, and ``trajectory_share_of_epoch_time`` that as a share of an epoch.
- ``landscape_plane_ms``, ``landscape_grid_41_ms``, ``landscape_total_ms``: the principal plane of
  the chapter's three-run race after ``--epochs`` (300) epochs, the 41 × 41 loss grid on it, and the
  whole ``network_landscape`` call (median of ``--repeats``).
- ``landscape_picture_ms``: the landscape and its picture (bands and contour lines), as the
  view's thread makes it.
- ``blas1_landscape_*_ms``: the same times with OpenBLAS on one thread (OPENBLAS_NUM_THREADS=1), from a
  child process: on a machine shared with other work, BLAS threads waiting for each other cost
  more than they give.
- ``landscape_event_latency_p50_ms`` / ``_p99_ms``: how late a 10 ms timer on the main thread fires
  while the Landscape tab computes, over and over, in the real window (the race paused);
  ``idle_event_latency_p99_ms`` the same with nothing computed, for reference; ``landscape_draw_ms``
  the GUI thread's share: drawing a finished landscape (new items and a repaint), median.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from nngui.engine import CHAPTER_RUNS, Experiment, Race, Trainer  # noqa: E402
from nngui.engine.history import TrajectoryRecorder  # noqa: E402
from nngui.surfaces.landscape import (LANDSCAPE_RESOLUTION, flatten, loss_grid, network_landscape,  # noqa: E402
                                    parameter_shapes, principal_plane)
from common import epochs_per_second, median_ms  # noqa: E402


#: Seconds of each latency measurement in the window (several landscapes are computed in it).
LATENCY_SECONDS = 6.0
#: The chapter's run: 10,001 epochs.
CHAPTER_EPOCHS = 10_001


class NoRecording:
    """A trajectory recorder that keeps nothing: the run as it was before trajectories."""

    def record(self, epoch, parameters):
        pass

    def checkpoints(self, epoch=None, parameters=None):
        return ()


def epochs_per_s(record: bool, seconds: float) -> float:
    trainer = Trainer(Experiment(book=True))
    if not record:
        trainer.trajectory = NoRecording()
    return epochs_per_second(trainer, seconds, 100)


def trajectory_cost(rounds: int, seconds: float):
    off, on = [], []
    for index in range(rounds):
        # each goes first in every other round: a machine slowing down or speeding up favours neither
        first_on = index % 2 == 1
        first = epochs_per_s(first_on, seconds)
        second = epochs_per_s(not first_on, seconds)
        on.append(first if first_on else second)
        off.append(second if first_on else first)
    ratios = [b / a for a, b in zip(off, on)]
    print(f"trajectory_off_epochs_per_s: {statistics.median(off):.0f}")
    print(f"trajectory_on_epochs_per_s: {statistics.median(on):.0f}")
    print(f"trajectory_cost_ratio: {statistics.median(ratios):.2f}")
    # the ratio drowns in a shared machine's noise: time the recorder itself over a whole chapter run
    trainer = Trainer(Experiment(book=True))
    recorder = TrajectoryRecorder(trainer.network.parameters())
    parameters = trainer.network.parameters()
    started = time.perf_counter()
    for epoch in range(1, CHAPTER_EPOCHS + 1):
        recorder.record(epoch, parameters)
    per_epoch_us = 1e6 * (time.perf_counter() - started) / CHAPTER_EPOCHS
    print(f"trajectory_record_us_per_epoch: {per_epoch_us:.2f}")
    print(f"trajectory_share_of_epoch_time: {per_epoch_us * 1e-6 * statistics.median(off):.4f}")
    print(f"trajectory_checkpoints_after_chapter: {len(recorder)}")


def chapter_race(epochs: int):
    race = Race(dataclasses.replace(Experiment(book=True), runs=CHAPTER_RUNS))
    race.run(epochs)
    return race, race.snapshot()


def landscape_times(epochs: int, repeats: int):
    from nngui.gui.training.landscape_worker import LandscapeRequest, make_picture
    race, snapshot = chapter_race(epochs)
    runs = tuple((run.label, run.trajectory) for run in snapshot.runs)
    X, y = race.X_train, race.y_train
    paths = [np.array([flatten(p) for _, p in run.trajectory]) for run in snapshot.runs]
    plane = principal_plane(paths[0][0], paths)
    shapes = parameter_shapes(snapshot.runs[0].parameters)
    landscape = network_landscape(runs, "relu", X, y)
    print(f"landscape_checkpoints: {sum(len(p) for p in paths)}")
    print(f"landscape_explained: {landscape.explained:.3f}")
    print(f"landscape_plane_ms: {median_ms(lambda: principal_plane(paths[0][0], paths), repeats):.1f}")
    grid = median_ms(lambda: loss_grid(plane, shapes, "relu", X, y, landscape.alphas, landscape.betas), repeats)
    print(f"landscape_grid_{LANDSCAPE_RESOLUTION}_ms: {grid:.1f}")
    print(f"landscape_total_ms: {median_ms(lambda: network_landscape(runs, 'relu', X, y), repeats):.1f}")
    request = LandscapeRequest(1, runs, "relu", X, y, snapshot.epoch)
    print(f"landscape_picture_ms: {median_ms(lambda: make_picture(request), repeats):.1f}")


def single_thread_times(epochs: int, repeats: int):
    """The landscape's times again with OpenBLAS on one thread (a machine shared with other work
    makes its threads wait for each other), from a child process: lines prefixed ``blas1_``."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    child = subprocess.run([sys.executable, __file__, "--landscape-only", "--epochs", str(epochs),
                            "--repeats", str(repeats)], env=env, capture_output=True, text=True, check=True)
    for line in child.stdout.splitlines():
        if line.startswith("landscape_") and "_ms:" in line:
            print(f"blas1_{line}")


def latencies_while(app, seconds: float, busy) -> list:
    """Lateness (ms) of a 10 ms timer on the main thread for ``seconds``; ``busy()`` is called each tick."""
    from nngui.gui.qt import QtCore
    from bench_gui import wait_until
    latencies, last = [], [None]
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
    timer.setInterval(10)

    def tick():
        now = time.perf_counter()
        if last[0] is not None:
            latencies.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now
        busy()

    timer.timeout.connect(tick)
    started = time.perf_counter()
    timer.start()
    wait_until(app, lambda: time.perf_counter() - started >= seconds)
    timer.stop()
    return sorted(latencies)


def window_latency(epochs: int, seconds: float):
    from nngui.gui.window import theme
    from nngui.gui.qt import QtWidgets
    from bench_gui import Window, wait_until
    theme.configure_before_app()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["bench_landscape"])
    theme.apply_theme(app)
    holder = Window(app)
    window = holder.window
    window.compare_action.trigger()
    wait_until(app, lambda: window.latest is not None and len(window.latest.runs) == 3)
    holder.train_to(epochs)
    view = window.landscape_view
    window.view_tabs.setCurrentWidget(view)
    computed = []
    view.landscape_ready.connect(computed.append)
    wait_until(app, lambda: computed)
    idle = latencies_while(app, seconds, lambda: None)
    computed.clear()

    def keep_computing():
        if not view.computer.busy:
            view.compute()

    draws = []
    draw = view._draw

    def timed_draw(picture):
        started = time.perf_counter()
        draw(picture)
        view.plot.repaint()   # the paint itself, not only the items' new data
        draws.append(time.perf_counter() - started)

    view._draw = timed_draw
    busy = latencies_while(app, seconds, keep_computing)
    print(f"landscapes_computed_during_latency_run: {len(computed)}")
    print(f"landscape_draw_ms: {1000 * statistics.median(draws):.1f}" if draws else "landscape_draw_ms: nan")
    print(f"landscape_event_latency_p50_ms: {busy[len(busy) // 2]:.1f}")
    print(f"landscape_event_latency_p99_ms: {busy[int(len(busy) * 0.99)]:.1f}")
    print(f"idle_event_latency_p99_ms: {idle[int(len(idle) * 0.99)]:.1f}")
    holder.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds without and with trajectories")
    parser.add_argument("--seconds", type=float, default=1.5, help="length of each round and latency run")
    parser.add_argument("--epochs", type=int, default=300, help="epochs the race trains before its landscape")
    parser.add_argument("--repeats", type=int, default=7, help="timings of the landscape (the median is printed)")
    parser.add_argument("--no-window", action="store_true", help="skip the window's latency")
    parser.add_argument("--landscape-only", action="store_true", help="only the landscape's times")
    args = parser.parse_args(argv)
    if args.landscape_only:
        landscape_times(args.epochs, args.repeats)
        return 0
    trajectory_cost(args.rounds, args.seconds)
    landscape_times(args.epochs, args.repeats)
    single_thread_times(args.epochs, args.repeats)
    if not args.no_window:
        window_latency(args.epochs, max(2 * args.seconds, LATENCY_SECONDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
