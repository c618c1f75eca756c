"""A class's folder checked: the time ``nngui check DIR --report`` takes for 40 submissions.

The 40 files are the test submissions (tests/check/submissions) taken in turn: the lesson's
classes, each known mistake, errors. Two folders are timed: ``typical`` (every file finishes
by itself), and ``with_stalls`` (the same, two of the 40 being endless loops that run into
the time limit). Each is checked with --jobs 1 and --jobs 2 (the machine's cores: 2 here).

Prints ``name: value`` lines:
  single_file_s (one right class, the chapter's three settings and four more, in its worker),
  folder_40_typical_jobs_1_s, folder_40_typical_jobs_2_s,
  folder_40_with_stalls_jobs_2_s (time limit --time-limit, default 20 s), cores
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from nngui.check.folder import check_folder, summary
from nngui.check.isolated import check_isolated

SUBMISSIONS = Path(__file__).resolve().parents[1] / "tests" / "check" / "submissions"
FILES = 40


def make_folder(folder: Path, stalls: int) -> None:
    finishing = sorted(p for p in SUBMISSIONS.glob("*.py") if p.name != "endless_loop.py")
    for i in range(FILES - stalls):
        source = finishing[i % len(finishing)]
        shutil.copy(source, folder / f"student_{i:02d}_{source.name}")
    for i in range(stalls):
        shutil.copy(SUBMISSIONS / "endless_loop.py", folder / f"student_{FILES - stalls + i:02d}_endless_loop.py")


def timed_folder(stalls, jobs, time_limit):
    with tempfile.TemporaryDirectory() as folder:
        make_folder(Path(folder), stalls)
        began = time.perf_counter()
        results = check_folder(folder, jobs, time_limit=time_limit)
        return time.perf_counter() - began, summary(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0, help="each file's time limit, in seconds")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    began = time.perf_counter()
    check_isolated(SUBMISSIONS / "lesson_momentum.py")
    print(f"single_file_s: {time.perf_counter() - began:.2f}")
    for name, stalls, jobs in (("typical_jobs_1", 0, 1), ("typical_jobs_2", 0, 2), ("with_stalls_jobs_2", 2, 2)):
        seconds, said = timed_folder(stalls, jobs, args.time_limit)
        print(f"folder_40_{name}_s: {seconds:.1f}  ({said})")


if __name__ == "__main__":
    main()
