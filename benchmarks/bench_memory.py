"""The memory budget beside the measured peak: prints ``name: value`` lines.

Run from the repository: ``python benchmarks/bench_memory.py``. Each setting trains one epoch
with ``nngui race`` in its own process (``--memory-limit none``); the peak is the child's
maximum resident set size. ``<setting>_estimate_mb`` is ``nngui.surfaces.budget``'s training
estimate, ``<setting>_peak_mb`` the measurement, ``<setting>_ratio`` their quotient.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nngui.engine import DatasetConfig, Experiment, NetworkConfig, OptimizerConfig  # noqa: E402
from nngui.surfaces import budget  # noqa: E402

SETTINGS = {
    "chapter": ((64,), 100, 3, 1),
    "one_256_12k": ((256,), 2000, 6, 1),
    "four_runs_64_12k": ((64,), 2000, 6, 4),
    "one_4x256_12k": ((256,) * 4, 2000, 6, 1),
    "largest": ((256,) * 4, 2000, 6, 4),
}


def peak_of(args) -> int:
    """The maximum resident set size, in bytes, of ``python -m nngui args`` (run alone)."""
    code = ("import resource, subprocess, sys; "
            "subprocess.run([sys.executable, '-m', 'nngui', *sys.argv[1:]], stdout=subprocess.DEVNULL, check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return int(done.stdout) * 1024  # ru_maxrss is in kB on Linux


def main():
    assert resource  # Linux or macOS: RUSAGE_CHILDREN
    for name, (hidden, samples, classes, runs) in SETTINGS.items():
        kinds = ["sgd", "decay", "momentum", "sgd:lr=0.5"][:runs]
        args = ["race", "--hidden", ",".join(map(str, hidden)), "--samples", str(samples), "--classes",
                str(classes), "--epochs", "1", "--memory-limit", "none"]
        for kind in kinds:
            args += ["--run", kind]
        experiment = Experiment(dataset=DatasetConfig(samples=samples, classes=classes),
                                network=NetworkConfig(hidden=hidden), runs=(OptimizerConfig(),) * runs)
        estimate = budget.estimate(experiment).total
        peak = peak_of(args)
        print(f"{name}_estimate_mb: {estimate / 1e6:.0f}")
        print(f"{name}_peak_mb: {peak / 1e6:.0f}")
        print(f"{name}_ratio: {estimate / peak:.2f}")


if __name__ == "__main__":
    main()
