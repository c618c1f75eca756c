"""Engine speed: the trainer against a plain numpy loop of the lesson (``plain_lesson.py``).

Prints ``name: value`` lines:
  engine_epochs_per_s, plain_loop_epochs_per_s, engine_vs_plain_ratio  the chapter's final
      setting (momentum 0.9, decay 1e-3, float64) in this process: medians of alternating rounds
      (a ratio is the median of the rounds' own ratios)
  cli_train_book_s, plain_lesson_process_s, cli_vs_plain_process_ratio  whole processes, start-up
      included: ``nngui train --book`` (the chapter's 10,001 epochs, the course's numbers) against
      ``python plain_lesson.py``, alternating, medians as above
  cli_startup_ms, plain_startup_ms  the same two processes for one epoch: what starting costs
  decision_grid_200_ms,
  race_headless_epochs_per_s, race_headless_book_epochs_per_s (the chapter's three runs raced,
  float64 as the window starts without book mode, and in book mode; one race epoch is an epoch
  of every run)

``race_headless_rate(experiment, seconds)`` is what ``bench_gui.py`` may import to time the
same headless race.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nngui.engine import CHAPTER_RUNS, Experiment, Race, Trainer, make_dataset, probability_grid
from plain_lesson import plain_loop

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

EPOCHS = 10001


def time_engine(epochs):
    trainer = Trainer(Experiment())
    start = time.perf_counter()
    trainer.run(epochs)
    return epochs / (time.perf_counter() - start)


def time_plain(epochs):
    X, y = make_dataset("spiral", 100, 3, 0.2, np.random.default_rng(0))
    start = time.perf_counter()
    plain_loop(X, y, epochs)
    return epochs / (time.perf_counter() - start)


def process_seconds(argv) -> float:
    """Wall time of one whole process, from start to exit."""
    # as installed: Python keeps the modules' compiled bytecode (an environment that forbids it
    # would make every start compile nngui's sources, which no user's start does)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def nngui_command() -> list[str]:
    """``nngui``, the command a user types (beside this Python), or ``python -m nngui`` without it."""
    script = Path(sys.executable).parent / "nngui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nngui"]


def time_processes(epochs, rounds):
    """Seconds of each round's ``nngui train --book`` and plain lesson as processes, alternating."""
    cli = [*nngui_command(), "train", "--book", "--epochs", str(epochs)]
    plain = [sys.executable, str(HERE / "plain_lesson.py"), "--epochs", str(epochs)]
    process_seconds(cli[:-1] + ["1"])  # a first start writes the bytecode
    times = {"cli": [], "plain": []}
    for _ in range(rounds):
        times["cli"].append(process_seconds(cli))
        times["plain"].append(process_seconds(plain))
    return times["cli"], times["plain"]


def time_grid(repeats=30):
    trainer = Trainer(Experiment())
    trainer.run(100)
    parameters, bounds = trainer.network.parameters(), trainer.data_bounds()
    probability_grid(parameters, "relu", bounds, 200)  # warm the grid cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        probability_grid(parameters, "relu", bounds, 200)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def race_headless_rate(experiment: Experiment, seconds: float) -> float:
    """Race epochs per second (every run's epoch) of the engine alone racing ``experiment``'s runs."""
    race = Race(experiment)
    race.run(20)
    start, first = time.perf_counter(), race.epoch
    while time.perf_counter() - start < seconds and not race.finished:
        race.run(50)
    return (race.epoch - first) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds in this process; the median is kept")
    parser.add_argument("--process-rounds", type=int, default=7, help="alternating rounds of whole processes")
    parser.add_argument("--race-seconds", type=float, default=3.0, help="time each race this long, per round")
    args = parser.parse_args()
    engine, plain = [], []
    # alternate the two so that a noisy neighbour slows both alike
    for _ in range(args.rounds):
        engine.append(time_engine(args.epochs))
        plain.append(time_plain(args.epochs))
    # each ratio is the median of the rounds' own ratios: a round's two runs saw the same neighbours
    print(f"engine_epochs_per_s: {statistics.median(engine):.0f}")
    print(f"plain_loop_epochs_per_s: {statistics.median(plain):.0f}")
    print(f"engine_vs_plain_ratio: {statistics.median(e / p for e, p in zip(engine, plain)):.2f}")
    cli, plain_process = time_processes(args.epochs, args.process_rounds)
    print(f"cli_train_book_s: {statistics.median(cli):.3f}")
    print(f"plain_lesson_process_s: {statistics.median(plain_process):.3f}")
    print(f"cli_vs_plain_process_ratio: {statistics.median(p / c for c, p in zip(cli, plain_process)):.2f}")
    cli_start, plain_start = time_processes(1, args.process_rounds)
    print(f"cli_startup_ms: {1000 * statistics.median(cli_start):.0f}")
    print(f"plain_startup_ms: {1000 * statistics.median(plain_start):.0f}")
    print(f"decision_grid_200_ms: {time_grid():.2f}")
    for name, book in (("race_headless_epochs_per_s", False), ("race_headless_book_epochs_per_s", True)):
        experiment = Experiment(runs=CHAPTER_RUNS, book=book)
        rate = max(race_headless_rate(experiment, args.race_seconds) for _ in range(3))
        print(f"{name}: {rate:.0f}")


if __name__ == "__main__":
    main()
