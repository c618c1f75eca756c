"""Pictures and numbers to take away: PNG and SVG of each plot and map, the window, the history; ``nngui export``."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest

from nngui.engine import Race
from nngui.engine.experiment import CHAPTER_RUNS
from nngui.gui.files import exports
from nngui.gui.qt import QtCore, QtGui, QtWidgets, pg
from nngui.files import experiment_io

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def save_as(monkeypatch):
    """``save_as[0]`` answers the next save dialog; warnings are collected in ``save_as[1]``."""
    answer = [None, []]
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a: (str(answer[0]), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: answer[1].append(a[2]))
    return answer


def action(window, name) -> QtGui.QAction:
    found = window.findChild(QtGui.QAction, name)
    assert found is not None, name
    return found


def svg_paths(path) -> list[int]:
    """The number of points of each drawn path or polyline in an SVG file (which must parse)."""
    root = ElementTree.parse(path).getroot()
    assert root.tag == SVG + "svg"
    counts = []
    for element in root.iter():
        if element.tag == SVG + "path":
            counts.append(len(re.findall(r"-?[\d.]+(?:e-?\d+)?,-?[\d.]+", element.get("d", ""))))
        elif element.tag == SVG + "polyline":
            counts.append(len(element.get("points", "").split()))
    return counts


def svg_text(path) -> str:
    root = ElementTree.parse(path).getroot()
    return " ".join("".join(element.itertext()) for element in root.iter(SVG + "text"))


def race_of_three(window, user, epochs):
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: window.latest is not None and len(window.latest.runs) == 3)
    return user.train(epochs)


def test_each_plot_exports_as_png_and_svg_from_the_file_menu(window, user, tmp_path, save_as):
    race_of_three(window, user, 40)
    for name, plot in (("Loss", window.loss_plot), ("Accuracy", window.accuracy_plot),
                       ("LearningRate", window.learning_rate_plot)):
        png = save_as[0] = tmp_path / f"{name}.png"
        action(window, f"export{name}PNGAction").trigger()
        image = QtGui.QImage(str(png))
        width = plot.getPlotItem().sceneBoundingRect().width()
        assert not image.isNull() and image.width() == pytest.approx(exports.PNG_SCALE * width, abs=2.5)
        # the plot's own shape, drawn larger
        ratio = plot.getPlotItem().sceneBoundingRect().height() / plot.getPlotItem().sceneBoundingRect().width()
        assert image.height() / image.width() == pytest.approx(ratio, abs=0.01)
        svg = save_as[0] = tmp_path / f"{name}.svg"
        action(window, f"export{name}SVGAction").trigger()
        # one curve per run with a point for each of the 40 epochs, and the runs named
        assert sum(1 for count in svg_paths(svg) if count >= 40) >= 3, name
        text = svg_text(svg)
        for label in ("SGD", "SGD + decay", "SGD + momentum 0.9"):
            assert label in text
    assert save_as[1] == []
    # the window's own plots keep the legend beside them, not over the data
    for plot in window.plots():
        assert not [item for item in plot.scene().items() if isinstance(item, pg.LegendItem)]


def test_the_svg_holds_the_curve_values(window, user, tmp_path, save_as):
    stop = user.train(30)
    svg = save_as[0] = tmp_path / "loss.svg"
    action(window, "exportLossSVGAction").trigger()
    losses = stop.snapshot.runs[0].history.loss
    curve = max(svg_paths(svg))
    assert curve == len(losses)
    # the curve's shape: its heights in the picture follow the losses (y grows downward in SVG)
    root = ElementTree.parse(svg).getroot()
    longest = max((e for e in root.iter(SVG + "path")),
                  key=lambda e: len(re.findall(r"-?[\d.]+,-?[\d.]+", e.get("d", ""))))
    ys = np.array([float(pair.split(",")[1]) for pair in re.findall(r"-?[\d.]+(?:e-?\d+)?,-?[\d.]+(?:e-?\d+)?",
                                                                        longest.get("d"))])
    assert np.corrcoef(ys, -losses)[0, 1] > 0.999


def test_each_map_exports_from_its_own_menu_and_the_selected_one_from_the_file_menu(window, user, tmp_path,
                                                                                    save_as):
    race_of_three(window, user, 5)
    view = user.find("boundaryView2")
    menu_actions = {a.objectName(): a for a in view.actions()}
    assert set(menu_actions) == {"boundaryView2ExportPNGAction", "boundaryView2ExportSVGAction"}
    png = save_as[0] = tmp_path / "map2.png"
    menu_actions["boundaryView2ExportPNGAction"].trigger()
    image = QtGui.QImage(str(png))
    # at least 1,000 pixels a side (the title row it gets makes it taller than on screen)
    assert min(image.width(), image.height()) >= exports.MAP_PNG_SIDE
    assert image.width() >= exports.PNG_SCALE * view.getPlotItem().sceneBoundingRect().width()
    # the map's colours are in the picture: every class colour of the spiral shows in its points
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    for color in ("#0072b2", "#e69f00", "#009e73"):
        assert color in colors
    window.model.select_run(2)
    svg = save_as[0] = tmp_path / "selected.svg"
    action(window, "exportBoundarySVGAction").trigger()
    root = ElementTree.parse(svg).getroot()
    # the probability map is embedded as a picture, the title names the run
    assert any(e.tag == SVG + "image" for e in root.iter())
    assert "SGD + momentum 0.9" in svg_text(svg)
    assert save_as[1] == []


def right_click_menu(window, qtbot, widget) -> list[str] | None:
    """Right-click ``widget`` as a mouse does (through the window); the texts of the menu that opens, or None."""
    seen = []

    def look():
        popup = QtWidgets.QApplication.activePopupWidget()
        seen.append([a.text() for a in popup.actions()] if popup else None)
        if popup:
            popup.close()

    QtCore.QTimer.singleShot(200, look)
    position = widget.mapTo(window, widget.rect().center())
    qtbot.mouseClick(window.windowHandle(), QtCore.Qt.MouseButton.RightButton, pos=position)
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_plots_and_maps_have_their_own_export_menu(window, user, tmp_path, save_as):
    user.train(12)
    plot = user.find("accuracyPlot")
    assert right_click_menu(window, user.qtbot, plot) == ["Export as PNG…", "Export as SVG…"]
    assert right_click_menu(window, user.qtbot, user.find("boundaryView1")) == ["Export as PNG…", "Export as SVG…"]
    menu_action = next(a for a in plot.actions() if a.objectName() == "accuracyPlotExportSVGAction")
    save_as[0] = tmp_path / "accuracy.svg"
    menu_action.trigger()
    assert max(svg_paths(tmp_path / "accuracy.svg")) == 12
    # painting, the right button removes points: no menu
    user.click("paintToolButton")
    assert right_click_menu(window, user.qtbot, user.find("boundaryView1")) is None


def test_the_whole_window_exports_as_png(window, user, tmp_path, save_as):
    png = save_as[0] = tmp_path / "window.png"
    action(window, "exportWindowAction").trigger()
    image = QtGui.QImage(str(png))
    ratio = window.devicePixelRatioF()
    assert (image.width(), image.height()) == (round(window.width() * ratio), round(window.height() * ratio))


def test_the_history_csv_rows_equal_every_runs_history(window, user, tmp_path, save_as):
    user.type_into("testSplitSpin", "0.2")
    stop = race_of_three(window, user, 25)
    path = save_as[0] = tmp_path / "history.csv"
    action(window, "exportHistoryAction").trigger()
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["run", "epoch", "loss", "accuracy", "learning_rate", "test_loss", "test_accuracy"]
    assert len(rows) == 1 + 3 * 25
    for index, run in enumerate(stop.snapshot.runs):
        mine = [row for row in rows[1:] if row[0] == stop.snapshot.labels[index]]
        history = run.history
        assert [int(r[1]) for r in mine] == list(range(25))
        for column, values in ((2, history.loss), (3, history.accuracy), (4, history.learning_rate),
                               (5, history.test_loss), (6, history.test_accuracy)):
            assert [float(r[column]) for r in mine] == values.tolist()


def test_before_training_there_is_no_history_to_export(window, save_as):
    action(window, "exportHistoryAction").trigger()
    assert "No history yet" in window.statusBar().currentMessage()


def test_a_picture_that_cannot_be_written_says_why(window, user, tmp_path, save_as):
    save_as[0] = tmp_path / "no such folder" / "loss.png"
    action(window, "exportLossPNGAction").trigger()
    assert len(save_as[1]) == 1 and "loss.png" in save_as[1][0] and "cannot write the file" in save_as[1][0]


# --- nngui export -------------------------------------------------------------------------------

def nngui(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "nngui", *args], cwd=ROOT, text=True, capture_output=True,
                          timeout=120, env=env)


def test_nngui_export_writes_the_slide_pack(tmp_path):
    out = tmp_path / "pack"
    done = nngui("export", "--epochs", "30", "--run", "sgd", "--run", "momentum:momentum=0.5",
                 "--test-split", "0.2", "--out", str(out))
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    names = ["loss", "accuracy", "learning_rate", "boundary_1", "boundary_2"]
    expected = sorted([f"{n}.{s}" for n in names for s in ("png", "svg")] + ["history.csv", "experiment.json"])
    assert sorted(os.listdir(out)) == expected
    assert done.stdout.count("wrote ") == len(expected)
    for name in names:
        image = QtGui.QImage(str(out / f"{name}.png"))
        assert image.width() >= 2 * 500, name  # drawn at 720 × 440 or 560 × 560, twice the pixels
        assert svg_paths(out / f"{name}.svg") is not None
    assert sum(1 for count in svg_paths(out / "loss.svg") if count >= 30) >= 2
    assert "SGD + momentum 0.5" in svg_text(out / "boundary_2.svg")
    experiment = experiment_io.load(out / "experiment.json")
    assert [run.kind for run in experiment.runs] == ["sgd", "momentum"] and experiment.dataset.test_split == 0.2
    # the numbers are the engine's, exactly
    race = Race(experiment)
    race.run(30)
    with open(out / "history.csv", newline="") as file:
        rows = list(csv.reader(file))[1:]
    assert len(rows) == 60
    for index, trainer in enumerate(race.trainers):
        mine = [row for row in rows if row[0] == race.labels[index]]
        assert [float(r[2]) for r in mine] == trainer.history.view().loss.tolist()


def test_nngui_export_takes_your_data_and_refuses_a_bad_file_in_one_line(tmp_path):
    points = tmp_path / "class.csv"
    points.write_text("x,y,label\n0,0,0\n1,1,1\n0.5,-0.5,1\n-0.5,0.5,0\n")
    done = nngui("export", "--data", str(points), "--epochs", "5", "--learning-rate", "0.5", "--json",
                 "--out", str(tmp_path / "mine"))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert len(summary["runs"]) == 1 and len(summary["files"]) == 10
    assert experiment_io.load(tmp_path / "mine" / "experiment.json").dataset.points[1] == (1.0, 1.0, 1)
    points.write_text("0,0,0\n1,x,1\n")
    done = nngui("export", "--data", str(points), "--out", str(tmp_path / "bad"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"nngui export: error: --data: {points}: line 2: y must be a number, got 'x'\n"
    assert not (tmp_path / "bad").exists() or not os.listdir(tmp_path / "bad")
    done = nngui("export", "--epochs", "1")
    assert done.returncode == 2 and "--out" in done.stderr and done.stderr.count("\n") == 1


def test_train_and_race_with_data_never_import_qt(tmp_path):
    points = tmp_path / "class.csv"
    points.write_text("0,0,0\n1,1,1\n")
    code = ("import sys; from nngui.__main__ import main; "
            f"codes = [main(['train', '--data', {str(points)!r}, '--epochs', '2']), "
            f"main(['race', '--data', {str(points)!r}, '--epochs', '2'])]; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken6', 'nngui.gui'))]; "
            "print(codes, bad); sys.exit(bool(bad) or any(codes))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    # the race trained the chapter's runs on your points: its closing table has a row for each
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["run", "epoch"])
    rows = lines[header + 1:header + 1 + len(CHAPTER_RUNS)]
    assert [row.split("  ")[0] for row in rows] == [run.name for run in CHAPTER_RUNS]
    assert all(row.split()[-4] == "1" for row in rows), rows  # each at its last epoch (two trained: 0 and 1)


def image_array(image: QtGui.QImage) -> np.ndarray:
    """An image's pixels as an ``(height, width, 3)`` int array of RGB."""
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, :image.width(), 2::-1].astype(int)   # BGRA in memory


def rasterized(svg_path, size: QtCore.QSize) -> np.ndarray:
    """The SVG drawn by Qt's own renderer at ``size``, on white."""
    from PySide6 import QtSvg
    renderer = QtSvg.QSvgRenderer(str(svg_path))
    assert renderer.isValid()
    image = QtGui.QImage(size, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    renderer.render(painter)
    painter.end()
    return image_array(image)


def class_mask(pixels: np.ndarray, color: str, tolerance=24) -> np.ndarray:
    rgb = np.array(QtGui.QColor(color).getRgb()[:3])
    return np.abs(pixels - rgb).max(axis=2) <= tolerance


@pytest.mark.parametrize("projector", [False, True])
def test_a_maps_svg_has_its_points_on_its_map_as_its_png_does(window, user, tmp_path, save_as, projector):
    race_of_three(window, user, 5)
    if projector:   # larger points and text, another theme, a map of another size
        action(window, "projectorAction").trigger()
        user.qtbot.waitUntil(lambda: window.projector.on)
    window.model.select_run(1)
    png = save_as[0] = tmp_path / "map.png"
    action(window, "exportBoundaryPNGAction").trigger()
    svg = save_as[0] = tmp_path / "map.svg"
    action(window, "exportBoundarySVGAction").trigger()
    assert save_as[1] == []
    picture = QtGui.QImage(str(png))
    # a slide's picture: at least 1,000 pixels a side however small the map is on screen
    assert min(picture.width(), picture.height()) >= exports.MAP_PNG_SIDE
    raster, drawn = image_array(picture), rasterized(svg, picture.size())
    # every class's points cover the same pixels in both (a point is ~20 pixels across at this size)
    colors = {QtGui.QColor(brush.color()).name() for brush in window.boundary_grid.view(1).scatter.data["brush"]}
    assert len(colors) == 3
    for color in colors:
        a, b = class_mask(raster, color), class_mask(drawn, color)
        assert a.sum() > 2000, color
        overlap = (a & b).sum() / (a | b).sum()
        assert overlap > 0.8, (color, overlap)
        ya, xa = np.nonzero(a)
        yb, xb = np.nonzero(b)
        assert abs(xa.mean() - xb.mean()) < 2 and abs(ya.mean() - yb.mean()) < 2, color
    # and the probability map lies under them alike: blocks of 16 × 16 pixels agree but for text's edges
    h, w = (raster.shape[0] // 16) * 16, (raster.shape[1] // 16) * 16
    blocks = lambda p: p[:h, :w].reshape(h // 16, 16, w // 16, 16, 3).mean(axis=(1, 3))  # noqa: E731
    differs = np.abs(blocks(raster) - blocks(drawn)).max(axis=2) > 24
    assert differs.mean() < 0.05, differs.mean()
    # the map in the picture is cut to its data, as on screen: its axes run -1 … 1, not -2 … 2
    words = svg_text(svg).split()
    ticks = [float(w) for w, after in zip(words, [*words[1:], ""]) if re.fullmatch(r"-?[\d.]+", w) and after != "%"]
    assert ticks and min(ticks) == -1 and max(ticks) == 1
    # a slide's map names its axes, though the window's maps leave that to their tooltip (at normal text)
    assert projector or {"x1", "x2"} <= set(words)
    if projector:
        action(window, "projectorAction").trigger()


def test_an_exported_plots_legend_is_as_large_as_its_tick_labels(window, user, tmp_path, save_as, monkeypatch):
    race_of_three(window, user, 5)
    # a PNG is drawn larger than the screen: the legend must grow with the ticks (pyqtgraph's ignores the scale)
    scaled = []
    draw = exports._plot_png

    def spy(widget, *args):
        legends = [item for item in widget.scene().items() if isinstance(item, pg.LegendItem)]
        scaled.extend(not item.flags() & item.GraphicsItemFlag.ItemIgnoresTransformations for item in legends)
        return draw(widget, *args)
    monkeypatch.setattr(exports, "_plot_png", spy)
    save_as[0] = tmp_path / "loss.png"
    action(window, "exportLossPNGAction").trigger()
    assert scaled == [True]
    svg = save_as[0] = tmp_path / "loss.svg"
    action(window, "exportLossSVGAction").trigger()
    root = ElementTree.parse(svg).getroot()

    def size(element):
        # pyqtgraph writes the size in the style or as an attribute, in pt or px
        found = re.search(r"font-size:\s*([\d.]+)(pt|px)", element.get("style", "")) \
            or re.fullmatch(r"([\d.]+)(pt|px)?", element.get("font-size", "") or "")
        assert found, ElementTree.tostring(element)[:200]
        return float(found.group(1)) * (4 / 3 if found.group(2) == "pt" else 1)

    texts = {"".join(e.itertext()).strip(): e for e in root.iter(SVG + "text")}
    legend = [size(texts[name]) for name in ("SGD", "SGD + decay", "SGD + momentum 0.9")]
    ticks = [size(e) for text, e in texts.items() if re.fullmatch(r"-?[\d.]+k?", text)]
    assert ticks and max(legend) == pytest.approx(min(legend)) and legend[0] == pytest.approx(np.median(ticks), rel=0.05)
