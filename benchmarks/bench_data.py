"""Cost of the class's own data and of the exports at their limits; prints ``name: value`` lines.

Run offscreen: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_data.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from nngui.engine import DatasetConfig, Experiment, Race
from nngui.files import csv_data  # noqa: E402
from nngui.engine.datasets import POINTS_RANGE  # noqa: E402
from nngui.engine.experiment import CHAPTER_RUNS  # noqa: E402
from nngui.files.history_csv import history_csv  # noqa: E402
from nngui.model import ExperimentModel  # noqa: E402
from nngui.files import experiment_io  # noqa: E402
from common import median_ms  # noqa: E402


def main():
    rng = np.random.default_rng(0)
    n = POINTS_RANGE[1]
    points = tuple((float(x), float(y), int(k)) for (x, y), k in zip(rng.uniform(-1, 1, (n, 2)).tolist(),
                                                                     rng.integers(0, 6, n).tolist()))
    text = csv_data.to_csv(points)
    print(f"csv_bytes_at_{n}_points: {len(text.encode())}")
    print(f"csv_parse_{n}_points_ms: {median_ms(lambda: csv_data.parse_csv(text.encode())):.1f}")
    experiment = Experiment(dataset=DatasetConfig("custom", classes=6, points=points))
    print(f"experiment_file_bytes_at_{n}_points: {len(experiment_io.dumps(experiment).encode())}")
    print(f"experiment_dumps_ms: {median_ms(lambda: experiment_io.dumps(experiment)):.1f}")
    print(f"experiment_loads_ms: {median_ms(lambda: experiment_io.loads(experiment_io.dumps(experiment))):.1f}")

    # a stroke on the fullest data: the model's edit (check of every point) and the undo it keeps
    model = ExperimentModel(Experiment(dataset=DatasetConfig("custom", classes=6, points=points[:-200])))
    print(f"paint_stroke_of_10_on_{n - 200}_points_ms: "
          f"{median_ms(lambda: (model.add_points([(0.1 * i, 0.0) for i in range(10)], 1), model.undo())):.1f}")
    tracemalloc.start()
    model = ExperimentModel(Experiment(dataset=DatasetConfig("custom", classes=6, points=points[:-200])))
    before = tracemalloc.get_traced_memory()[0]
    for i in range(100):
        model.add_points([(0.001 * i, 0.5)], 0)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"undo_memory_of_100_strokes_on_{n - 200}_points_mb: {(after - before) / 1e6:.2f}")

    race = Race(Experiment(runs=CHAPTER_RUNS, epochs=10001))
    start = time.perf_counter()
    race.run(10001)
    print(f"chapter_race_10001_epochs_s: {time.perf_counter() - start:.1f}")
    histories = [t.history.view() for t in race.trainers]
    print(f"history_csv_3_runs_10001_epochs_ms: {median_ms(lambda: history_csv(race.labels, histories), 3):.0f}")

    from nngui.gui.files import export_pack
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        export_pack.draw_pack(race, Path(folder))
        print(f"slide_pack_draw_3_runs_s: {time.perf_counter() - start:.2f}")
        total = sum(path.stat().st_size for path in Path(folder).iterdir())
        print(f"slide_pack_bytes: {total}")


if __name__ == "__main__":
    main()
