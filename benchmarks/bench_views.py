"""Cost of the views' updates at the sizes the window meets; prints ``name: value`` lines.

Run offscreen: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_views.py``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from nngui.engine import History, EpochRecord, HistoryView, probability_grid  # noqa: E402
from nngui.gui.qt import QtWidgets  # noqa: E402
from common import median_ms  # noqa: E402


def growing_history(n):
    """A History of ``n`` epochs, filled the way the trainer fills it."""
    history = History()
    rng = np.random.default_rng(0)
    loss = 1.1 / (1 + np.arange(n) / 500) + 0.01 * rng.random(n)
    for epoch in range(n):
        history.append(EpochRecord(epoch, loss[epoch], 1 - loss[epoch] / 2, 1 / (1 + 1e-3 * epoch),
                                   1 / (1 + 1e-3 * max(epoch - 1, 0))))
    return history


def race_history(n, seed, test=True):
    """A HistoryView of ``n`` epochs with noisy falling loss (and test columns), like a run of the chapter."""
    rng = np.random.default_rng(seed)
    epoch = np.arange(n, dtype=float)
    loss = 1.1 / (1 + epoch / (300 * (seed + 1))) + 0.05 * rng.random(n)
    accuracy = 1 - loss / 2
    rate = 1 / (1 + 1e-3 * epoch)
    nan = np.full(n, np.nan)
    return HistoryView(epoch, loss, accuracy, rate, loss * 1.1 if test else nan, accuracy * 0.9 if test else nan)


def bench_race(app, plot_classes):
    """Update and paint of the three plots: one run alone, then a race of three, at the chapter's 10,001 epochs."""
    from nngui.gui.plots.run_styles import run_styles

    def measure(runs, test):
        plots = [cls() for cls in plot_classes]
        for plot in plots:
            plot.resize(480, 300)
            plot.show()
            plot.set_runs([f"run {i}" for i in range(runs)], run_styles(runs))
        histories = [race_history(10_001, seed, test) for seed in range(runs)]
        plots[2].set_plans([(1.0, 1e-3)] * runs, 10_001)
        app.processEvents()

        def update_and_paint():
            for plot in plots:
                plot.update_runs(histories)
                plot.viewport().repaint()

        update_and_paint()
        result = median_ms(update_and_paint, 20)
        for plot in plots:
            plot.close()
        return result

    for test in (False, True):
        split = "_test" if test else ""
        one, three = measure(1, test), measure(3, test)
        print(f"race_1x10k{split}_update_and_paint_3_plots_ms: {one:.2f}")
        print(f"race_3x10k{split}_update_and_paint_3_plots_ms: {three:.2f}")


def main():
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from nngui.gui.maps.boundary_view import BoundaryView, class_rgb, probability_image
    from nngui.gui.maps.network_view import NetworkView
    from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
    from nngui.gui.plots.run_styles import run_styles

    n = 200_000
    history = growing_history(n + 200)
    plots = [LossPlot(), AccuracyPlot(), LearningRatePlot()]
    for plot in plots:
        plot.resize(480, 300)
        plot.set_runs(("SGD",), run_styles(1))   # one run: a race of one, as the window draws it
        plot.show()
    app.processEvents()

    def one_update():
        # a fresh view each time, as the window gets one per snapshot
        view = history.view()
        for plot in plots:
            plot.update_runs((view,))

    one_update()
    print(f"plot_update_200k_ms: {median_ms(one_update, 30) / 3:.2f}")

    def update_and_paint():
        one_update()
        for plot in plots:
            plot.viewport().repaint()

    print(f"plot_update_and_paint_200k_ms: {median_ms(update_and_paint, 30) / 3:.2f}")
    for plot in plots:
        plot.close()
    bench_race(app, (LossPlot, AccuracyPlot, LearningRatePlot))

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

    # a map's picture: drawn afresh at the export size, at least 1,000 pixels a side (PNG) or as SVG
    import tempfile
    from nngui.gui.files import exports
    folder = tempfile.mkdtemp(prefix="nngui-bench-")
    for suffix in (".png", ".svg"):
        path = os.path.join(folder, "map" + suffix)
        print(f"map_export_{suffix[1:]}_ms: {median_ms(lambda: exports.export_plot(boundary, path, 'SGD'), 5):.1f}")
        print(f"map_export_{suffix[1:]}_bytes: {os.path.getsize(path)}")

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
