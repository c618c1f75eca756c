"""Drive the real window on a screen of a given size and print what the class sees, as JSON.

Run by ``test_stage.py`` in a process of its own, whose offscreen screen has the size asked
for (``QT_QPA_PLATFORM=offscreen:configfile=…``): ``python stage_probe.py WIDTH HEIGHT``.
It presses Compare (Ctrl+K) and Step, measures the stage, trains to epoch 2,000, measures
again, enters projector mode (F5) and measures, gives a lesson's step and measures, and opens
the code panel (F3).

``python stage_probe.py WIDTH HEIGHT lessons`` gives every step of every shipped lesson in
projector mode instead, each trained to its epoch, and measures each.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="nngui-stage-")

from nngui.gui.qt import QtCore, QtGui, QtWidgets  # noqa: E402  (PySide6 before pyqtgraph)

from PySide6.QtTest import QTest  # noqa: E402

Key = QtCore.Qt.Key
TIMEOUT_MS = 60_000


def wait(app, condition, timeout_ms=TIMEOUT_MS):
    timer = QtCore.QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > timeout_ms:
            raise SystemExit(f"timed out waiting for {condition}")
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)


def settle(app, rounds=20):
    for _ in range(rounds):
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        app.processEvents()


def rect_in(widget, ancestor):
    top_left = widget.mapTo(ancestor, QtCore.QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def inside(inner, outer):
    return (inner[0] >= 0 and inner[1] >= 0 and inner[0] + inner[2] <= outer[2] and inner[1] + inner[3] <= outer[3])


def labelled_ticks(axis):
    image = QtGui.QImage(10, 10, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    if axis.style["tickFont"] is not None:
        painter.setFont(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    return len(specs[2]) if specs else 0


def measure(window, name=""):
    """The maps' data in pixels, their rectangles, the plots' data areas and the captions' box."""
    X = window.data.X
    low, high = X.min(axis=0), X.max(axis=0)
    grid = window.boundary_grid
    maps = []
    for view in grid.views():
        box = view.getPlotItem().getViewBox()
        seen = box.viewRect()
        box_rect = box.mapRectToScene(box.boundingRect()).toRect()   # the data area, in the view's pixels
        maps.append({
            "data_px": [float(box.width() * (high[0] - low[0]) / seen.width()),
                        float(box.height() * (high[1] - low[1]) / seen.height())],
            "data_shown": bool(seen.left() <= low[0] and seen.right() >= high[0]
                               and seen.top() <= low[1] and seen.bottom() >= high[1]),
            "box": [box.width(), box.height()],   # the room to draw the data in
            "rect": rect_in(view, window),
            "in_grid": inside(rect_in(view, grid), [0, 0, grid.width(), grid.height()]),
            "box_in_view": inside([box_rect.x(), box_rect.y(), box_rect.width(), box_rect.height()],
                                  [0, 0, view.width(), view.height()]),
            "visible": view.isVisible(),
        })
    plots = {}
    for plot in window.plots():
        box = plot.getPlotItem().getViewBox()
        plots[plot.objectName()] = {"visible": plot.isVisible(), "rect": rect_in(plot, window),
                                    "data": [box.width(), box.height()],
                                    "y_ticks": labelled_ticks(plot.getPlotItem().getAxis("left"))}
    shots = os.environ.get("STAGE_PROBE_SHOTS")
    if shots and name:
        window.grab().save(os.path.join(shots, f"stage-{window.width()}-{name}.png"))
    return {"window": window.geometry().getRect(), "maps": maps, "plots": plots,
            "in_window": inside(rect_in(grid, window), [0, 0, window.width(), window.height()]),
            "captions": rect_in(window.captions, window), "status": rect_in(window.status_label, window),
            "legend": rect_in(window.run_legend, window)}


def main(width, height):
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    from nngui.teaching import lessons
    window = open_window(app, width, height)
    out = {"screen": [width, height]}
    QTest.keyClick(window, Key.Key_K, QtCore.Qt.KeyboardModifier.ControlModifier)
    wait(app, lambda: window.latest is not None and len(window.latest.runs) == 3)
    QTest.mouseClick(window.findChild(QtWidgets.QWidget, "stepButton"), QtCore.Qt.MouseButton.LeftButton)
    wait(app, lambda: window.latest.epoch == 1)
    settle(app)
    out["epoch_1"] = measure(window, "epoch_1")

    stops = []
    window.controller.stopped.connect(stops.append)
    window.model.set_pace(None)
    window.model.experiment.set_epochs(2000)
    QTest.keyClick(window, Key.Key_Space)
    wait(app, lambda: any(stop.reason == "limit" for stop in stops))
    settle(app)
    out["epoch_2000"] = measure(window, "epoch_2000")
    out["epoch"] = window.latest.epoch

    QTest.keyClick(window, Key.Key_F5)
    wait(app, lambda: window.isFullScreen())
    QTest.qWait(400)   # the check that full screen was granted
    settle(app)
    out["projector"] = measure(window, "projector")

    path, lesson = next((p, l) for p, l in lessons.shipped_lessons() if p.stem == "08-mini-batch-noise")
    window.lessons.open(lesson, path.name, 3)   # step 4: its claim is about the loss plot's faint lines
    wait(app, lambda: window.latest is not None and window.latest.epoch >= 1 and not window.controller.playing,
         TIMEOUT_MS)
    settle(app)
    text = window.lessons.bar.text_label
    out["lesson"] = measure(window, "lesson")
    out["lesson"]["text_lines"] = text_lines(text)
    out["lesson"]["text_rect"] = rect_in(text, window)

    QTest.keyClick(window, Key.Key_F3)
    settle(app)
    QTest.qWait(100)
    settle(app)
    code = window.code_dock.view
    shots = os.environ.get("STAGE_PROBE_SHOTS")
    if shots:
        window.grab().save(os.path.join(shots, f"stage-{window.width()}-code.png"))
    out["code"] = {"visible": code.isVisible(), "rect": rect_in(code, window), "cut": code_cut(code),
                   "window": window.geometry().getRect(), "source_lines": source_lines(code),
                   "point_size": code.code.font().pointSizeF(),
                   "shown_point_size": code.code.document().defaultFont().pointSizeF()}
    window.close()
    print(json.dumps(out))


def open_window(app, width, height):
    """The app's window as a teacher's on this screen, its first network built."""
    from nngui.gui.window import theme
    theme.apply_theme(app)   # the application's own style and 10.5 pt font, as the app starts
    from nngui.gui import MainWindow
    window = MainWindow()
    window.showMaximized()   # the whole screen, as a teacher's window on a projector
    wait(app, lambda: window.data is not None)
    QTest.qWait(1100)        # the first launch's checks of the frame are done
    window.setGeometry(window.screen().availableGeometry())
    window.activateWindow()
    settle(app)
    return window


def measure_step(window):
    """One lesson step as the class sees it: the window, the lesson bar, the maps, the loss plot, the surface."""
    bar = window.lessons.bar
    out = {"window": window.geometry().getRect(), "least_width": window.minimumSizeHint().width(),
           "text_lines": text_lines(bar.text_label), "bar": rect_in(bar, window),
           "banner": window.message_banner.isVisible(),
           "view": next(key for key in window.stage.view_keys()
                        if window.stage.view(key) is window.stage.view_tabs.currentWidget())}
    if out["view"] == "network":
        out["maps"] = [min(view.data_pixels()) for view in window.boundary_grid.views() if view.isVisible()]
        out["drawing"] = window.network_view.isVisible()
    loss = window.loss_plot
    out["loss"] = loss.getPlotItem().getViewBox().height() if loss.isVisible() else None
    if out["view"] == "surface":
        box = window.surface_view.plot.getPlotItem().getViewBox()
        out["surface"] = [box.width(), box.height()]
    # every widget of the stage inside the window: nothing cut at the right or the bottom
    stage = window.centralWidget()
    out["cut"] = sorted({w.objectName() for w in stage.findChildren(QtWidgets.QWidget)
                         if w.isVisible() and w.objectName() and not w.objectName().startswith("qt_")
                         and (lambda r: r[0] + r[2] > window.width() + 1 or r[1] + r[3] > window.height() + 1)(
                             rect_in(w, window))})
    return out


def lessons_main(width, height):
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    from nngui.teaching import lessons
    window = open_window(app, width, height)
    QTest.keyClick(window, Key.Key_F5)
    wait(app, lambda: window.isFullScreen())
    QTest.qWait(400)   # the check that full screen was granted
    settle(app)
    shots = os.environ.get("STAGE_PROBE_SHOTS")
    out = []
    for path, lesson in lessons.shipped_lessons():
        for index, step in enumerate(lesson.steps):
            window.model.set_pace(None)
            window.lessons.open(lesson, path.name, index)
            window.model.set_pace(None)
            wait(app, lambda: not window.controller.playing)
            settle(app)
            QTest.qWait(50)
            settle(app)
            look = measure_step(window)
            look["step"] = f"{path.stem} {index + 1}"
            out.append(look)
            if shots:
                window.grab().save(os.path.join(shots, f"lesson-{width}-{path.stem}-{index + 1}.png"))
    window.close()
    print(json.dumps(out))


def text_lines(label):
    """The lines a word-wrapped label's rich text takes at its width: its height over one line's, measured
    in the label's own font and markup (a ``<big>`` sentence's lines are taller than the font's)."""
    text = label.text()
    big = text.startswith("<big>")
    twin = QtWidgets.QLabel()
    twin.setFont(label.font())
    twin.setWordWrap(True)
    twin.setTextFormat(label.textFormat())

    def height(markup):
        twin.setText(f"<big>{markup}</big>" if big else markup)
        return twin.heightForWidth(label.width())

    one, two = height("X"), height("X<br>X")
    twin.setText(text)
    return round(1 + (twin.heightForWidth(label.width()) - one) / (two - one), 2)


def source_lines(code):
    """How many whole lines of the code the class sees at once."""
    editor = code.findChild(QtWidgets.QPlainTextEdit, "codeSource")
    return editor.viewport().height() // editor.fontMetrics().lineSpacing() if editor is not None else 0


def code_cut(code):
    """How many lines of the code view are wider than the room it has to show them."""
    editors = code.findChildren(QtWidgets.QPlainTextEdit) + code.findChildren(QtWidgets.QTextEdit)
    cut = 0
    for editor in editors:
        if not editor.isVisible():
            continue
        metrics = editor.fontMetrics()
        room = editor.viewport().width() - 2 * editor.document().documentMargin()
        wrap = editor.lineWrapMode() != type(editor).LineWrapMode.NoWrap
        if wrap:
            continue
        cut += sum(metrics.horizontalAdvance(line) > room for line in editor.toPlainText().split("\n"))
    return cut


if __name__ == "__main__":
    if sys.argv[3:] == ["lessons"]:
        lessons_main(int(sys.argv[1]), int(sys.argv[2]))
    else:
        main(int(sys.argv[1]), int(sys.argv[2]))
