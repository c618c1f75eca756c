"""Mini-batch speed and memory: an epoch in batches of 10 against a full-batch epoch, and the update log's bound.

Prints ``name: value`` lines:
  full_batch_epoch_ms, batch_10_epoch_ms, batch_10_vs_full_ratio (the chapter's network on its
  300 points; 30 updates an epoch in batches of 10, the best of several rounds),
  batch_10_updates_per_s, update_log_kept_after_1M_updates, update_log_bytes (the per-update
  losses a run keeps however long it trains), effective_steps_100k_epochs_ms (the learning-rate
  plot's η/(1−β) of a 100,000-epoch run, computed once per frame).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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

    from nngui.gui.batch_curves import effective_steps
    n = 100_000
    run = Rates(1.0 / (1 + 1e-3 * np.arange(n)))
    settings = ((0, OptimizerConfig("momentum", 1.0, 1e-3, 0.9)),)
    started = time.perf_counter()
    for _ in range(10):
        effective_steps(run, settings)
    print(f"effective_steps_100k_epochs_ms: {(time.perf_counter() - started) / 10 * 1000:.2f}")


if __name__ == "__main__":
    main()
