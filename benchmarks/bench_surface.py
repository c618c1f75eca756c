"""Loss surfaces: how fast the engine walks them and what drawing them costs; prints ``name: value`` lines.

  surface_steps_per_s            race clock ticks a second, four momentum runs on Rosenbrock
  surface_draw_ms                drawing a surface afresh (fill and contour lines), median
  surface_paths_1000_ms          drawing four 1,000-point paths, median
  surface_view_tick_200_per_s_ms one clock tick of the view at its fastest speed (steps and drawing), median

Run offscreen: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_surface.py``.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from nngui.engine import OptimizerConfig  # noqa: E402
from nngui.surfaces.surface import SURFACES, SurfaceRace  # noqa: E402
from common import median_ms  # noqa: E402

RUNS = [OptimizerConfig("momentum", 0.0005, 0.0, m) for m in (0.5, 0.7, 0.8, 0.9)]


def main():
    race = SurfaceRace(SURFACES["rosenbrock"], (-1.5, 2.0), RUNS)
    start = time.perf_counter()
    race.run(5000)
    print(f"surface_steps_per_s: {race.steps / (time.perf_counter() - start):.0f}")

    from nngui.gui.qt import QtWidgets
    from nngui.gui.maps.surface_plot import SurfacePlot
    from nngui.gui.plots.run_styles import run_styles
    from nngui.gui.maps.surface_view import SurfaceView
    from nngui.model import AppModel

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    plot = SurfacePlot()
    plot.resize(600, 600)
    plot.show()
    surfaces = list(SURFACES.values())
    counter = iter(range(10**6))

    def draw_next_surface():
        plot.set_surface(surfaces[next(counter) % len(surfaces)])
        app.processEvents()

    print(f"surface_draw_ms: {median_ms(draw_next_surface, 8):.1f}")
    plot.set_surface(SURFACES["rosenbrock"])
    plot.set_runs(run_styles(4))
    race = SurfaceRace(SURFACES["rosenbrock"], (-1.5, 2.0), RUNS)
    race.run(1000)
    paths = race.paths()
    print(f"surface_paths_1000_ms: {median_ms(lambda: (plot.set_paths(paths), plot.repaint()), 20):.1f}")

    model = AppModel()
    model.experiment.set_runs(RUNS)
    view = SurfaceView(model)
    view.resize(600, 700)
    view.show()
    view.set_function("rosenbrock")
    view.speed_combo.setCurrentIndex(view.speed_combo.count() - 1)
    view.step_limit = 10**6

    def tick():
        view._on_timer_timeout()
        view.repaint()

    print(f"surface_view_tick_200_per_s_ms: {median_ms(tick, 60):.1f}")


if __name__ == "__main__":
    main()
