"""What showing the code running costs: an epoch trained, walked, and with each layer's update kept.

Prints ``name: value`` lines, for the chapter's network (2 → 64 → 3, float64) and the largest
one allowed (4 hidden layers of 256):
  <net>_train_epochs_per_s        train_epoch(), as the race runs it
  <net>_keep_updates_epochs_per_s train_epoch() while the code panel is open (updates copied)
  <net>_keep_updates_cost_pct     how much slower that is
  <net>_walked_call_ms            one walked call with its SGD lines traced, the mean over an epoch
  <net>_snapshot_ms               one snapshot with the optimizer's state (the fastest of a few)
  <net>_snapshot_with_updates_ms  the same while the layers' updates are kept
"""

from __future__ import annotations

import argparse
import time
import timeit

import numpy as np

from nngui.engine import SGD, Experiment, NetworkConfig, Trainer
from nngui.engine.walk import LineRecorder

NETWORKS = {"chapter": NetworkConfig((64,)), "largest": NetworkConfig((256, 256, 256, 256))}


def epochs_per_second(trainer, seconds):
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        trainer.train_epoch()
        done += 1
    return done / (time.perf_counter() - started)


def walked_call_ms(trainer, epochs=20):
    calls, started = 0, time.perf_counter()
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            walk = trainer.walk_epoch()
            while True:
                with LineRecorder(SGD, trainer.optimizer):
                    step = next(walk)
                calls += 1
                if step.done:
                    break
    return 1000 * (time.perf_counter() - started) / calls


def snapshot_ms(trainer, repeats=15, number=5):
    """The fastest of ``repeats`` timings: other work on the machine only ever adds to it."""
    return 1000 * min(timeit.repeat(trainer.snapshot, number=number, repeat=repeats)) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time each training rate this long, per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()
    for name, network in NETWORKS.items():
        experiment = Experiment(network=network)
        plain, keeping = Trainer(experiment), Trainer(experiment)
        keeping.keep_updates = True
        rates = {"plain": 0.0, "keeping": 0.0}
        for _ in range(args.rounds):
            rates["plain"] = max(rates["plain"], epochs_per_second(plain, args.seconds))
            rates["keeping"] = max(rates["keeping"], epochs_per_second(keeping, args.seconds))
        print(f"{name}_train_epochs_per_s: {rates['plain']:.1f}")
        print(f"{name}_keep_updates_epochs_per_s: {rates['keeping']:.1f}")
        print(f"{name}_keep_updates_cost_pct: {100 * (rates['plain'] / rates['keeping'] - 1):.1f}")
        print(f"{name}_walked_call_ms: {walked_call_ms(Trainer(experiment)):.3f}")
        print(f"{name}_snapshot_ms: {snapshot_ms(plain):.3f}")
        print(f"{name}_snapshot_with_updates_ms: {snapshot_ms(keeping):.3f}")


if __name__ == "__main__":
    main()
