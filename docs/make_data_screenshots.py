"""Screenshots of the class's own data: points painted with the mouse, trained, and exported.

Run under a virtual X server at the size wanted, from the repository::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python docs/make_data_screenshots.py /tmp/data-1024x768
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_data_screenshots.py /tmp/data-1920x1080

writes ``<prefix>-painting.png`` (a stroke half drawn, Paint on), ``<prefix>-painted.png`` (the
painted set after 300 epochs), and the selected map and the loss plot as the File ▸ Export
menu writes them (``<prefix>-map.png``, ``<prefix>-loss.png``, ``<prefix>-loss.svg``).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-shots-")

from nngui.engine import DatasetConfig, Experiment  # noqa: E402
from nngui.gui import MainWindow
from nngui.gui.window import theme  # noqa: E402
from nngui.gui.qt import QtCore, QtWidgets  # noqa: E402
from make_screenshots import grab  # noqa: E402  (one way to shoot the screen)
from PySide6 import QtTest  # noqa: E402

Button = QtCore.Qt.MouseButton


def wait(app, condition, seconds=60):
    timer = QtCore.QElapsedTimer()
    timer.start()
    while not condition() and timer.elapsed() < seconds * 1000:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)


def pixel(view, x, y):
    return view.mapFromScene(view.view_box.mapViewToScene(QtCore.QPointF(x, y)))


def stroke(view, points):
    viewport = view.viewport()
    QtTest.QTest.mousePress(viewport, Button.LeftButton, pos=pixel(view, *points[0]))
    for x, y in points[1:]:
        QtTest.QTest.mouseMove(viewport, pixel(view, x, y))
    QtTest.QTest.mouseRelease(viewport, Button.LeftButton, pos=pixel(view, *points[-1]))


def main(prefix):
    theme.configure_before_app()
    app = QtWidgets.QApplication([])
    theme.apply_theme(app)
    window = MainWindow()
    window.setGeometry(window.screen().availableGeometry())
    window.show()
    wait(app, lambda: window.data is not None)
    # a few points of each class to paint on: a ring of class 1 around a cluster of class 2
    seed = tuple((0.9 * math.cos(t), 0.9 * math.sin(t), 0) for t in (0, 1.6, 3.2, 4.8)) + ((0.0, 0.0, 1), (0.1, 0.1, 1))
    window.apply_experiment(Experiment(dataset=DatasetConfig("custom", classes=3, points=seed)))
    wait(app, lambda: window.data is not None and len(window.data.X) == len(seed))
    paint = window.data_tools.paint
    paint.paint_action.setChecked(True)
    view = window.boundary_grid.view(0)
    for label, shape in ((0, [(0.8 * math.cos(t / 20 * 2 * math.pi), 0.8 * math.sin(t / 20 * 2 * math.pi))
                              for t in range(21)]),
                         (1, [(-0.2 + 0.02 * i, 0.1 * math.sin(i / 3)) for i in range(21)]),
                         (2, [(-0.5 + 0.05 * i, -0.45) for i in range(21)])):
        paint.class_combo.setCurrentIndex(label)
        count = len(window.experiment().dataset.points)
        stroke(view, shape)
        wait(app, lambda: window.data is not None and len(window.data.X) > count and window.latest.epoch == 0)
    wait(app, lambda: False, 1)
    # a stroke half drawn: the points show before they are added
    paint.class_combo.setCurrentIndex(2)
    viewport = view.viewport()
    QtTest.QTest.mousePress(viewport, Button.LeftButton, pos=pixel(view, 0.5, 0.45))
    for i in range(8):
        QtTest.QTest.mouseMove(viewport, pixel(view, 0.5 - 0.05 * i, 0.45 + 0.02 * i))
    wait(app, lambda: False, 1)
    grab(f"{prefix}-painting.png")
    QtTest.QTest.mouseRelease(viewport, Button.LeftButton, pos=pixel(view, 0.15, 0.59))
    paint.paint_action.setChecked(False)
    window.model.experiment.set_epochs(300)
    window.model.set_pace(None)   # the picture, not the class's pace
    stopped = []
    window.controller.stopped.connect(stopped.append)
    window.play_action.trigger()
    wait(app, lambda: any(stop.reason == "limit" for stop in stopped), 120)
    wait(app, lambda: False, 1)
    grab(f"{prefix}-painted.png")
    window.data_tools.export_picture(window.boundary_grid.view(0), f"{prefix}-map.png")
    window.data_tools.export_picture(window.loss_plot, f"{prefix}-loss.png")
    window.data_tools.export_picture(window.loss_plot, f"{prefix}-loss.svg")
    window.close()


if __name__ == "__main__":
    main(sys.argv[1])
