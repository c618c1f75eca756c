"""Tried captions: what trying each run's suggestions costs; prints ``name: value`` lines.

The window tries them in the training thread's idle time (after a pause, at the epoch limit,
or looking back), never while training runs; this is how long that idle work takes, and so
how long after a pause the tried captions appear. For the chapter's three-run race in book
mode (as Compare gives it) after each of ``--epochs`` and for plain SGD at learning rate 1:

  race_<E>_tries_ms (the three runs' tried captions, each from the race's state, wall clock,
  median of ``--repeat``), race_<E>_tries_cpu_ms (the process's CPU time, what it takes alone
  on a shared machine), race_<E>_epochs_tried (epochs trained by the copies), copy_run_ms
  (one copy of the chapter's run after 10,001 epochs), epochs_per_s_tried.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nngui.engine import Experiment, Race  # noqa: E402
from nngui.engine.experiment import CHAPTER_RUNS  # noqa: E402
from nngui.teaching.tries import copy_run, race_captions  # noqa: E402
from nngui.threads import one_blas_thread  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, nargs="+", default=[1000, 10001])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    one_blas_thread()
    race = Race(Experiment(runs=CHAPTER_RUNS, book=True))
    for epochs in args.epochs:
        race.run(epochs - race.epoch)
        walls, cpus, captions = [], [], None
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            captions = race_captions(race)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        tried = sum(t.epochs for c in captions if c is not None for t in c.tries)
        print(f"race_{epochs}_tries_ms: {1000 * statistics.median(walls):.0f}")
        print(f"race_{epochs}_tries_cpu_ms: {1000 * statistics.median(cpus):.0f}")
        print(f"race_{epochs}_epochs_tried: {tried}")
        print(f"race_{epochs}_epochs_per_s_tried: {tried / statistics.median(cpus):.0f}")
        for label, found in zip(race.labels, captions):
            print(f"race_{epochs}_caption[{label}]: {found.sentence}")
    trainer = race.trainers[2]
    walls = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        copy_run(trainer)
        walls.append(time.perf_counter() - start)
    print(f"copy_run_ms: {1000 * statistics.median(walls):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
