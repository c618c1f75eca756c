"""What the benchmarks share: the median time of a call, in milliseconds; a trainer's epochs per second.

The scripts in this folder are run as ``python benchmarks/bench_*.py``, so this folder is on
``sys.path`` and they import it as ``from common import median_ms``.
"""

from __future__ import annotations

import statistics
import time


def median_ms(fn, repeat: int = 5) -> float:
    """The median wall time of ``fn()`` over ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * float(statistics.median(times))


def epochs_per_second(trainer, seconds: float, chunk: int) -> float:
    """Epochs per second of ``trainer`` over about ``seconds``, ``chunk`` epochs at a time, after 20 to warm up."""
    trainer.run(20)
    start, epochs = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        trainer.run(chunk)
        epochs += chunk
    return epochs / (time.perf_counter() - start)
