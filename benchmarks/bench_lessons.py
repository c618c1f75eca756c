"""Cost of captions and of checking the shipped lessons' claims; prints ``name: value`` lines.

Run: ``python benchmarks/bench_lessons.py``. A caption is computed for every run about twice
a second while training (``gui/caption_panel.REFRESH_HZ``), so it must stay well under a
millisecond even for long histories; the claims check is what the test suite pays.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from nngui.engine import HistoryView, OptimizerConfig  # noqa: E402
from nngui.teaching.captions import caption  # noqa: E402
from nngui.teaching.claims import check_lesson  # noqa: E402
from nngui.teaching.lessons import shipped_lessons  # noqa: E402
from common import median_ms  # noqa: E402


def history(n):
    rng = np.random.default_rng(0)
    loss = 1.1 / (1 + np.arange(n) / 500) + 0.01 * rng.random(n)
    nan = np.full(n, np.nan)
    return HistoryView(np.arange(n, dtype=float), loss, 1 - loss / 2, 1 / (1 + 1e-3 * np.arange(n)), nan, nan)


def main():
    optimizer = OptimizerConfig()
    for n in (1_000, 10_001, 100_000):
        h = history(n)
        print(f"caption_{n}_epochs_ms: {median_ms(lambda: caption(h, optimizer, 3, 1), 50):.3f}")
    total = 0.0
    for path, lesson in shipped_lessons():
        start = time.perf_counter()
        problems = check_lesson(lesson)
        spent = time.perf_counter() - start
        total += spent
        print(f"claims_{path.stem}_s: {spent:.2f}" + (f"  ({len(problems)} failing)" if problems else ""))
    print(f"claims_all_shipped_lessons_s: {total:.2f}")


if __name__ == "__main__":
    main()
