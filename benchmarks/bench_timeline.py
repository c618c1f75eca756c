"""Looking back: what checkpoints cost and how long showing an earlier epoch takes.

Trains the chapter's three-run race (book mode, as the window starts, with Compare) for
``--epochs`` epochs with its checkpoints, as the training thread does, then shows earlier
epochs as the window does: every run replayed from its checkpoint before the epoch, plus the
three 200 × 200 probability maps. Prints ``name: value`` lines:

  one_blas_thread (numpy's BLAS told to use one thread, as the app does), epochs,
  checkpoints_per_run, checkpoint_interval_epochs, replayed_epochs_max,
  checkpoint_array_mb (the weights, biases and momentums held), checkpoint_memory_mb (with
  the Python objects around them), history_mb (the runs' own records, kept anyway),
  train_s, record_overhead_percent (of the training time, spent taking checkpoints);
  then for show_epoch (any epoch, seeded at random), show_epoch_worst (an epoch at a
  checkpoint: the longest replay), replay_only_worst (the same without the maps) and
  scrub_forward (one epoch further each time, as dragging does): ``_ms_mean``, ``_ms_max``
  and ``_ms_min`` (the best of the samples: near what an idle machine takes) on the wall
  clock, ``_cpu_ms_mean`` and ``_cpu_ms_max`` of the process's CPU time (what a machine
  shared with other work would take alone).
  With ``--gui-epochs N`` (0 skips it) the real window (offscreen) trains the race N epochs and
  is then moved to earlier epochs: window_show_epoch_ms_mean / _max / _min, from setting the
  timeline to the maps, the network and the cursors drawn, and window_sent_ms_mean, to the
  training thread sending the race then (the rest is the window drawing it).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from nngui.engine import CHAPTER_RUNS, Experiment, Race, data_bounds, probability_grid
from nngui.surfaces.checkpoints import RaceTimeline
from nngui.engine.history import COLUMNS

EPOCHS = 100_000
GRID_RESOLUTION = 200  # the window's maps


def deep_size(state) -> int:
    """Bytes of one checkpoint with its Python objects: the state, its tuples and its arrays."""
    size = sys.getsizeof(state) + sys.getsizeof(vars(state))
    size += sys.getsizeof(state.parameters) + sys.getsizeof(state.momentums) + sys.getsizeof(state.optimizer)
    size += sys.getsizeof(state.settings)
    for pair in state.parameters + state.momentums:
        if pair is not None:
            size += sys.getsizeof(pair) + sum(sys.getsizeof(array) for array in pair)
    return size


def show(timeline, bounds, epoch, grids=True):
    """What the worker does for one look back: the race then, and each run's map."""
    snapshot = timeline.snapshot_at(epoch)
    if grids:
        for run in snapshot.runs:
            probability_grid(run.parameters, run.activation, bounds, GRID_RESOLUTION)
    return snapshot


def timed(function, *args, **kwargs) -> tuple[float, float]:
    """Milliseconds ``function(...)`` took: on the wall clock, and of this process's CPU time."""
    started, cpu = time.perf_counter(), time.process_time()
    function(*args, **kwargs)
    return 1000 * (time.perf_counter() - started), 1000 * (time.process_time() - cpu)


def window_show_times(epochs: int, samples: int, seed: int) -> list[float]:
    """Milliseconds from ``model.set_timeline(k)`` to the window showing epoch k, and to the training
    thread sending it, for random k."""
    import os
    import tempfile
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-bench-")
    from nngui.gui.window.main_window import MainWindow
    from nngui.gui.qt import QtCore, QtWidgets
    from nngui.gui.files.settings_store import SettingsStore

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    window = MainWindow(SettingsStore(os.path.join(os.environ["XDG_CONFIG_HOME"], "bench.ini")))
    window.resize(1280, 800)
    window.model.set_pace(None)   # as fast as possible (a first launch is at 30 epochs/s)
    window.show()

    def run_until(signal, predicate=lambda *args: True):
        loop = QtCore.QEventLoop()

        def check(*args):
            if predicate(*args):
                loop.quit()
        signal.connect(check)
        loop.exec()
        signal.disconnect(check)

    window.compare_action.trigger()
    run_until(window.controller.reset_done, lambda data, snapshot, grids: len(snapshot.runs) == 3)
    window.model.experiment.set_epochs(epochs)
    window.play_action.trigger()
    run_until(window.controller.stopped, lambda stop: stop.reason == "limit")
    times, sent = [], []
    # stamped in the training thread as it sends the race then: the replay and the maps done
    window.controller.worker.looked_back.connect(lambda *args: sent.append(time.perf_counter()),
                                                 QtCore.Qt.ConnectionType.DirectConnection)
    for k in np.random.default_rng(seed).integers(0, epochs, samples):
        started = time.perf_counter()
        window.model.set_timeline(int(k))
        run_until(window.timeline.shown_changed, lambda snapshot: snapshot.epoch == k)
        app.processEvents()  # the repaints the new pictures asked for
        ended = time.perf_counter()
        times.append((1000 * (ended - started), 1000 * (sent[-1] - started)))
    window.close()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--samples", type=int, default=30, help="epochs shown at random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gui-epochs", type=int, default=20_000, help="the window's part (0: skip it)")
    args = parser.parse_args()
    # as the app does: one BLAS thread (a second one spins, and its time would be counted here)
    from nngui.gui.window.app import one_blas_thread
    print(f"one_blas_thread: {one_blas_thread()}")
    experiment = Experiment(runs=CHAPTER_RUNS, book=True)

    race = Race(experiment)
    timeline = RaceTimeline(race)
    train_s = record_s = 0.0
    clock = time.perf_counter
    for _ in range(args.epochs):
        started = clock()
        race.train_epoch()
        between = clock()
        timeline.record()
        ended = clock()
        train_s += between - started
        record_s += ended - between
    bounds = data_bounds(race.X)
    checkpoints = [run.checkpoints for run in timeline.runs]
    states = [c.nearest(e) for c in checkpoints for e in c.epochs]
    interval = max(c.interval for c in checkpoints)
    views = [run.trainer.history.view() for run in timeline.runs]
    history_bytes = sum(getattr(view, column).nbytes for view in views for column in COLUMNS)

    rng = np.random.default_rng(args.seed)
    any_epoch = [timed(show, timeline, bounds, int(k)) for k in rng.integers(0, args.epochs + 1, args.samples)]
    # at a checkpoint, far apart: replayed from the one before, the longest replays, none helped by the last
    worst_epochs = [m * interval for m in np.linspace(1, args.epochs // interval - 1, 8).astype(int)]
    worst = [timed(show, timeline, bounds, k) for k in worst_epochs]
    replay_only = [timed(show, timeline, bounds, k, grids=False) for k in worst_epochs]
    start = args.epochs // 2
    forward = [timed(show, timeline, bounds, start + i) for i in range(30)]

    print(f"epochs: {args.epochs}")
    print(f"checkpoints_per_run: {min(len(c) for c in checkpoints)}-{max(len(c) for c in checkpoints)}")
    print(f"checkpoint_interval_epochs: {interval}")
    print(f"replayed_epochs_max: {interval}")
    print(f"checkpoint_array_mb: {timeline.nbytes / 2**20:.2f}")
    print(f"checkpoint_memory_mb: {sum(deep_size(s) for s in states) / 2**20:.2f}")
    print(f"history_mb: {history_bytes / 2**20:.2f}")
    print(f"train_s: {train_s:.1f}")
    print(f"record_overhead_percent: {100 * record_s / train_s:.2f}")
    for name, times in (("show_epoch", any_epoch), ("show_epoch_worst", worst), ("replay_only_worst", replay_only),
                        ("scrub_forward", forward[1:])):
        wall, cpu = np.array(times).T
        print(f"{name}_ms_mean: {wall.mean():.1f}")
        print(f"{name}_ms_max: {wall.max():.1f}")
        print(f"{name}_ms_min: {wall.min():.1f}")
        print(f"{name}_cpu_ms_mean: {cpu.mean():.1f}")
        print(f"{name}_cpu_ms_max: {cpu.max():.1f}")
    if args.gui_epochs:
        shown, sent = np.array(window_show_times(args.gui_epochs, args.samples, args.seed)).T
        print(f"window_epochs: {args.gui_epochs}")
        print(f"window_sent_ms_mean: {np.mean(sent):.1f}")
        print(f"window_show_epoch_ms_mean: {np.mean(shown):.1f}")
        print(f"window_show_epoch_ms_max: {np.max(shown):.1f}")
        print(f"window_show_epoch_ms_min: {np.min(shown):.1f}")


if __name__ == "__main__":
    main()
