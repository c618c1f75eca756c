"""Long storms of random user actions on the real window; prints ``name: value`` lines.

Run from the repository: ``python benchmarks/bench_storm.py [--actions 5000] [--seeds 1,2,3]``
(offscreen). Each storm is the suite's test (``tests/gui/test_window_storm.py``) at that size
and seed, in its own process under faulthandler, so a crash names its place and ends only its
storm.

- ``storm_<seed>_ok``: 1 when the window ended alive, trained and closed cleanly, else 0 (the
  test's output follows).
- ``storm_<seed>_actions_per_s``: actions a second, events between them included.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--seeds", default="1,2,3")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYQTGRAPH_QT_LIB="PySide6")
    for seed in (int(s) for s in args.seeds.split(",")):
        env["NNGUI_STORM"] = f"{args.actions}:{seed}"
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "pytest", "-q", "-s", "-p",
                               "no:cacheprovider", "tests/gui/test_window_storm.py"],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        took = time.monotonic() - started
        ok = done.returncode == 0
        print(f"storm_{seed}_ok: {int(ok)}")
        match = re.search(r"storm: (\d+) actions, seed \d+, ([\d.]+) s", done.stdout)
        if match:
            print(f"storm_{seed}_actions_per_s: {int(match.group(1)) / float(match.group(2)):.1f}")
        print(f"storm_{seed}_wall_s: {took:.1f}")
        if not ok:
            print((done.stdout + done.stderr)[-6000:])


if __name__ == "__main__":
    main()
