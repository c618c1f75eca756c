"""The window's cost to training, its responsiveness, its memory and its start-up; prints ``name: value`` lines.

Run offscreen from the repository: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py``.

- ``gui_vs_headless_ratio``: epochs per second trained by the worker thread with the window
  and every plot live, over epochs per second of the engine alone, same setting, in the same
  run (alternating rounds, median of the per-round ratios: the machine is shared and noisy).
- ``event_latency_p50_ms`` / ``event_latency_p99_ms``: how late a 10 ms timer on the main thread
  fires while training runs at full speed.
- ``race_gui_vs_headless_ratio``, ``race_event_latency_p99_ms``: the same for the chapter's
  three-run race (Compare) with every view live: three curves per plot, three decision
  boundaries; race epochs (every run's epoch) per second.
- ``rss_growth_mb``: resident memory after ``--rss-epochs`` epochs (200,000) minus after 1,000,
  plots live.
- ``startup_to_first_paint_s``: from starting a Python process to the window's first paint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from nngui.engine import Experiment, Trainer  # noqa: E402
from bench_engine import race_headless_rate  # noqa: E402
from common import epochs_per_second  # noqa: E402
from nngui.gui.window import theme  # noqa: E402
from nngui.gui.window.app import return_freed_memory_to_the_system  # noqa: E402
from nngui.threads import one_blas_thread  # noqa: E402
from nngui.gui.qt import QtCore, QtWidgets  # noqa: E402
from nngui.gui.files.settings_store import SettingsStore  # noqa: E402

STARTUP_CHILD = r"""
import sys
from nngui.gui.window import app, main_window
from nngui.gui.qt import QtCore


class FirstPaint(main_window.MainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print("painted", flush=True)
            QtCore.QTimer.singleShot(0, self.close)


# the real start-up path (nngui.gui.window.app.main), with a window that says when it first painted
main_window.MainWindow = FirstPaint
sys.exit(app.main([]))
"""


def rss_mb() -> float:
    """Resident memory of this process, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def headless_rate(seconds: float, experiment: Experiment) -> float:
    """Epochs per second of the engine alone on ``experiment``'s first run."""
    return epochs_per_second(Trainer(experiment), seconds, 50)


def wait_until(app, predicate, timeout_s=600.0):
    """Run the event loop (idle, not spinning: the GIL is shared with training) until ``predicate()``."""
    if predicate():
        return
    deadline = time.perf_counter() + timeout_s
    loop = QtCore.QEventLoop()
    poll = QtCore.QTimer()
    poll.setInterval(20)

    def check():
        if predicate() or time.perf_counter() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not predicate():
        raise TimeoutError("the window did not get there in time")


class Window:
    """The real window with a settings file of its own, and ways to play, pause and wait."""

    def __init__(self, app):
        from nngui.gui.window.main_window import MainWindow
        self.app = app
        self.settings_file = tempfile.NamedTemporaryFile(suffix=".ini", delete=False)
        settings = SettingsStore(self.settings_file.name)
        self.window = MainWindow(settings)
        self.window.resize(1280, 800)
        self.window.show()
        self.window.model.experiment.set_epochs(0)
        self.window.model.set_pace(None)   # as fast as possible (a first launch is at 30 epochs/s)
        wait_until(app, lambda: self.window.data is not None)
        self.stops = []
        self.window.controller.stopped.connect(self.stops.append)

    def play_for(self, seconds: float, latencies: list | None = None) -> float:
        """Train for ``seconds`` with the window live; epochs per second (from the paused epoch)."""
        window = self.window
        start_epoch = window.latest.epoch
        timer = QtCore.QTimer()
        timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        timer.setInterval(10)
        last = [None]

        def tick():
            now = time.perf_counter()
            if last[0] is not None and latencies is not None:
                latencies.append(max(0.0, (now - last[0]) * 1000 - 10))
            last[0] = now

        timer.timeout.connect(tick)
        self.stops.clear()
        started = time.perf_counter()
        window.play_action.trigger()
        timer.start()
        wait_until(self.app, lambda: time.perf_counter() - started >= seconds)
        window.play_action.trigger()
        elapsed = time.perf_counter() - started
        timer.stop()
        wait_until(self.app, lambda: any(s.reason == "pause" for s in self.stops))
        paused = self.stops[-1].snapshot.epoch
        # the captions are tried in the training thread's idle time after a pause: let them finish,
        # so that they never share the machine with the next round's headless training
        wait_until(self.app, lambda: window.captions.tried_epoch == paused)
        return (paused - start_epoch) / elapsed

    def train_to(self, epoch: int):
        window = self.window
        window.model.experiment.set_epochs(epoch)
        self.stops.clear()
        window.play_action.trigger()
        wait_until(self.app, lambda: any(s.reason == "limit" for s in self.stops))

    def close(self):
        self.window.close()
        os.unlink(self.settings_file.name)


def compare_rounds(window, args, prefix, headless):
    """Alternate ``headless(seconds)`` and the window's own training; print the rates, ratio and latency."""
    ratios, gui_rates, headless_rates, latencies = [], [], [], []
    for _ in range(args.rounds):
        alone = headless(args.seconds)
        gui = window.play_for(args.seconds, latencies)
        ratios.append(gui / alone)
        gui_rates.append(gui)
        headless_rates.append(alone)
    print(f"{prefix}headless_epochs_per_s: {statistics.median(headless_rates):.0f}")
    print(f"{prefix}gui_epochs_per_s: {statistics.median(gui_rates):.0f}")
    print(f"{prefix}gui_vs_headless_ratio: {statistics.median(ratios):.2f}")
    latencies.sort()
    print(f"{prefix}event_latency_p50_ms: {latencies[len(latencies) // 2]:.1f}")
    print(f"{prefix}event_latency_p99_ms: {latencies[int(len(latencies) * 0.99)]:.1f}")


def startup_to_first_paint() -> float:
    """Seconds from starting ``python`` to the window's first paint, through ``nngui.gui.window.app.main``."""
    settings_home = tempfile.mkdtemp(prefix="nngui-bench-")
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=settings_home)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", STARTUP_CHILD], stdout=subprocess.PIPE, env=env,
                             cwd=str(ROOT), text=True)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=30)
    if line.strip() != "painted":
        raise RuntimeError("the window never painted")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="alternating headless/window rounds")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each round")
    parser.add_argument("--rss-epochs", type=int, default=200_000)
    parser.add_argument("--startups", type=int, default=3, help="start-up runs (the median is printed)")
    args = parser.parse_args(argv)

    # the process set up as nngui.gui.window.app.main sets it up
    return_freed_memory_to_the_system()
    one_blas_thread()
    theme.configure_before_app()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["bench_gui"])
    theme.apply_theme(app)
    window = Window(app)
    # the window's own setting (the chapter's, in book mode), so both sides train the same network
    compare_rounds(window, args, "", lambda seconds: headless_rate(seconds, window.window.experiment()))
    # the chapter's race, every view live
    window.window.compare_action.trigger()
    wait_until(app, lambda: window.window.latest is not None and len(window.window.latest.runs) == 3)
    race = window.window.experiment()
    compare_rounds(window, args, "race_", lambda seconds: race_headless_rate(race, seconds))
    window.close()

    if args.rss_epochs:
        window = Window(app)
        window.train_to(1000)
        before = rss_mb()
        started = time.perf_counter()
        window.train_to(args.rss_epochs)
        elapsed = time.perf_counter() - started
        after = rss_mb()
        print(f"rss_growth_mb: {after - before:.1f}")
        print(f"rss_run_epochs_per_s: {(args.rss_epochs - 1000) / elapsed:.0f}")
        window.close()

    startups = sorted(startup_to_first_paint() for _ in range(args.startups))
    print(f"startup_to_first_paint_s: {startups[len(startups) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
