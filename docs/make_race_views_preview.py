"""Preview of the race views: legend strip, loss/accuracy/learning-rate plots and the boundary grid.

Trains the chapter's three optimizers (or up to four runs, and finished runs to pin) with the
real engine, then draws them the way a race window would, beside a blank column where the
panels go, in the normal look and projector mode's, and saves PNGs::

    .venv/bin/python docs/make_race_views_preview.py /tmp/race
    # -> /tmp/race-1024x768.png, /tmp/race-1920x1080.png, /tmp/race-1024x768-projector.png, ...
    .venv/bin/python docs/make_race_views_preview.py /tmp/long --runs 4 --pins 2 --split 0.2 --long-names

Without a split the runs use the course's own spiral and weights (book mode): the chapter's
numbers, 95.7 % for SGD + momentum after 10,001 epochs. About 15 seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from nngui.engine import DatasetConfig, Experiment, OptimizerConfig, Trainer  # noqa: E402
from nngui.engine.experiment import CHAPTER_RUNS, run_labels  # noqa: E402
from nngui.gui.qt import QtCore, QtGui, QtWidgets  # noqa: E402

FOURTH = OptimizerConfig("momentum", 0.5, 1e-3, 0.5)
#: Finished runs to pin: another learning rate, another momentum.
PINS = ((OptimizerConfig("sgd", 0.5, 0.0, 0.0), 5000), (OptimizerConfig("momentum", 1.0, 1e-3, 0.5), 8000))
#: Twins whose names need their numbers: the longest names a race gives.
TWINS = (OptimizerConfig("momentum", 1.0, 1e-3, 0.9), OptimizerConfig("momentum", 1.0, 1e-2, 0.9),
         OptimizerConfig("momentum", 0.5, 1e-3, 0.9), OptimizerConfig("sgd", 1.0, 0.0, 0.0))


def trained(config, epochs, split):
    """``(history, probability grid, (X, y, classes, bounds, test mask))`` of one run on the chapter's spiral."""
    experiment = dataclasses.replace(Experiment(dataset=DatasetConfig(test_split=split), book=not split),
                                     runs=(config,))
    trainer = Trainer(experiment)
    trainer.run(epochs)
    test = {tuple(p) for p in trainer.X_test.tolist()}
    mask = np.array([tuple(p) in test for p in trainer.X.tolist()])
    data = (trainer.X, trainer.y, experiment.dataset.classes, trainer.data_bounds(), mask)
    return trainer.snapshot().history, trainer.probability_grid(), data


def build(args):
    from nngui.gui.maps.boundary_grid import BoundaryGrid
    from nngui.model.pins import PinnedRun, pin_label
    from nngui.gui.plots.plot_ranges import PlotRanges
    from nngui.gui.plots.plots import AccuracyPlot, LearningRatePlot, LossPlot
    from nngui.gui.plots.run_legend import RunLegend
    from nngui.gui.plots.run_styles import run_styles

    configs = (TWINS if args.long_names else (*CHAPTER_RUNS, FOURTH))[:args.runs]
    labels = run_labels(configs)
    styles = run_styles(len(configs))
    runs = [trained(c, args.epochs, args.split) for c in configs]
    histories = [h for h, _, _ in runs]

    root = QtWidgets.QWidget()
    body = QtWidgets.QHBoxLayout(root)
    body.setContentsMargins(6, 4, 6, 4)
    panels = QtWidgets.QLabel("panels")
    panels.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    panels.setStyleSheet("background: #E4E6EA; color: #888;")
    panels.setFixedWidth(args.panel_width)
    if args.panel_width:
        body.addWidget(panels)
    stage = QtWidgets.QVBoxLayout()
    body.addLayout(stage, 1)
    grid = BoundaryGrid()
    legend = RunLegend()
    plots = LossPlot(), AccuracyPlot(), LearningRatePlot()
    for plot in plots:
        plot.setObjectName(type(plot).__name__)
    row = QtWidgets.QHBoxLayout()
    for plot in plots:
        row.addWidget(plot)
    stage.addWidget(grid, 5)
    stage.addWidget(legend)
    stage.addLayout(row, 4)
    ranges = PlotRanges(*plots)

    grid.set_runs(labels, styles)
    legend.set_runs(labels, styles)
    for plot in plots:
        plot.set_runs(labels, styles)
    plots[2].set_plans([(c.learning_rate, c.effective_decay) for c in configs], args.epochs)
    legend.set_key(test=bool(args.split))
    pins = []
    for number, (config, epochs) in enumerate(PINS[:args.pins]):
        history = trained(config, epochs, args.split)[0]
        settings = ((0, config),) if number == 0 else ((0, config), (epochs // 2, dataclasses.replace(
            config, learning_rate=config.learning_rate / 2)))
        pins.append(PinnedRun(pin_label(config.name, settings, epochs), history, number % len(labels)))
    for plot in plots:
        plot.set_pins(pins)
    legend.set_pins(pins)
    ranges.set_pins([p.history for p in pins])
    for plot in plots:
        plot.update_runs(histories)
    ranges.update_runs(histories, args.epochs, [c.learning_rate for c in configs])
    grid.set_data(*runs[0][2])
    for i, (history, probabilities, _) in enumerate(runs):
        grid.set_probabilities(i, probabilities)
        grid.set_accuracy(i, float(history.accuracy[-1]))
    grid.set_selected(min(1, len(configs) - 1))
    return root, plots, grid, legend


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix", help="write <prefix>-<size>[-projector].png")
    parser.add_argument("--runs", type=int, default=3, help="runs in the race, 1 to 4 (3: the chapter's)")
    parser.add_argument("--pins", type=int, default=0, help="finished runs pinned, 0 to 2 (0)")
    parser.add_argument("--epochs", type=int, default=10001, help="epochs each run trains (10001)")
    parser.add_argument("--split", type=float, default=0.0, help="test split: test curves and hollow points (0)")
    parser.add_argument("--long-names", action="store_true", help="twin runs, named with their numbers")
    parser.add_argument("--panel-width", type=int, default=290, help="the panels' column, in pixels (290)")
    parser.add_argument("--sizes", default="1024x768,1920x1080", help="screen sizes, comma separated")
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from nngui.gui.window.projector import FONT_SCALE, LINE_SCALE, POINT_SCALE
    from nngui.gui.window.theme import apply_theme
    apply_theme(app)
    root, plots, grid, legend = build(args)
    normal_font = QtGui.QFont(app.font())
    for projector in (False, True):
        font = QtGui.QFont(normal_font)
        if projector:
            font.setPointSizeF(normal_font.pointSizeF() * FONT_SCALE)
        app.setFont(font)
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.ApplicationFontChange)
        app.setStyleSheet(app.styleSheet())
        text, line, point = (FONT_SCALE, LINE_SCALE, POINT_SCALE) if projector else (1.0, 1.0, 1.0)
        for plot in plots:
            plot.set_scale(text, line)
        grid.set_scale(text, point)
        legend.set_scale(text, line)
        for size in args.sizes.split(","):
            width, height = (int(v) for v in size.split("x"))
            root.resize(width, height - 40)  # a menu bar and a status line take the rest
            root.show()
            for _ in range(5):
                app.processEvents()
            path = f"{args.prefix}-{size}{'-projector' if projector else ''}.png"
            root.grab().save(path)
            print(path, "grid", grid.shape, "legend rows height", legend.height())
    return 0


if __name__ == "__main__":
    sys.exit(main())
