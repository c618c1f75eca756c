"""Cost of the views' updates at the sizes the window meets; prints ``name: value`` lines.

Run offscreen: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_views.py``.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from nngui.engine import History, EpochRecord, probability_grid  # noqa: E402
from nngui.gui.qt import QtWidgets  # noqa: E402


def median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def growing_history(n):
    """A History of ``n`` epochs, filled the way the trainer fills it."""
    history = History()
    rng = np.random.default_rng(0)
    loss = 1.1 / (1 + np.arange(n) / 500) + 0.01 * rng.random(n)
    for epoch in range(n):
        history.append(EpochRecord(epoch, loss[epoch], 1 - loss[epoch] / 2, 1 / (1 + 1e-3 * epoch),
                                   1 / (1 + 1e-3 * max(epoch - 1, 0))))
    return history


def main():
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from nngui.gui.boundary_view import BoundaryView, class_rgb, probability_image
    from nngui.gui.network_view import NetworkView
    from nngui.gui.plots import AccuracyPlot, LearningRatePlot, LossPlot

    n = 200_000
    history = growing_history(n + 200)
    plots = [LossPlot(), AccuracyPlot(), LearningRatePlot()]
    for plot in plots:
        plot.resize(480, 300)
        plot.show()
    app.processEvents()

    def one_update():
        # a fresh view each time, as the window gets one per snapshot
        view = history.view()
        for plot in plots:
            plot.update_history(view)

    one_update()
    print(f"plot_update_200k_ms: {median_ms(one_update, 30) / 3:.2f}")

    def update_and_paint():
        one_update()
        for plot in plots:
            plot.viewport().repaint()

    print(f"plot_update_and_paint_200k_ms: {median_ms(update_and_paint, 30) / 3:.2f}")

    rng = np.random.default_rng(1)
    sizes = (2, 64, 3)
    parameters = tuple((rng.normal(size=(a, b)), np.zeros((1, b))) for a, b in zip(sizes[:-1], sizes[1:]))
    bounds = (-1.2, 1.2, -1.2, 1.2)
    grid = probability_grid(parameters, "relu", bounds, 200)
    colors = class_rgb(3)
    print(f"probability_image_200_ms: {median_ms(lambda: probability_image(grid, colors), 50):.2f}")
    boundary = BoundaryView()
    boundary.resize(480, 480)
    boundary.show()
    X = rng.uniform(-1, 1, size=(300, 2))
    boundary.set_data(X, np.arange(300) % 3, 3, bounds)
    boundary.set_probabilities(grid)
    app.processEvents()
    print(f"boundary_set_probabilities_ms: {median_ms(lambda: boundary.set_probabilities(grid), 50):.2f}")

    def boundary_paint():
        boundary.set_probabilities(grid)
        boundary.viewport().repaint()

    print(f"boundary_update_and_paint_ms: {median_ms(boundary_paint, 30):.2f}")

    network = NetworkView()
    network.resize(640, 320)
    network.show()
    for label, sizes in (("2_64_3", (2, 64, 3)), ("4x256", (2, 256, 256, 256, 256, 3))):
        parameters = tuple((rng.normal(size=(a, b)), np.zeros((1, b))) for a, b in zip(sizes[:-1], sizes[1:]))
        network.set_parameters(sizes, parameters)
        app.processEvents()
        print(f"network_set_parameters_{label}_ms: "
              f"{median_ms(lambda: network.set_parameters(sizes, parameters), 30):.2f}")
        print(f"network_paint_{label}_ms: {median_ms(network.repaint, 30):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
