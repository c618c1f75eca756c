"""The class's own data in the window: painting on the maps, CSV in and out, recent files."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.engine import DatasetConfig, Experiment
from nngui.files import csv_data
from nngui.engine.start import dataset_points
from nngui.gui.maps import paint_tool
from nngui.gui.qt import QtCore, QtGui, QtWidgets

Button = QtCore.Qt.MouseButton
POINTS = ((-0.5, -0.5, 0), (0.5, 0.5, 1), (0.5, -0.5, 1), (-0.5, 0.5, 0))


def rebuilt(window, qtbot, count):
    """Wait until the worker has built a race on ``count`` points; the window's TrainingData."""
    qtbot.waitUntil(lambda: window.data is not None and len(window.data.X) == count
                    and window.latest is not None and window.latest.epoch == 0)
    return window.data


def pixel(view, x, y) -> QtCore.QPoint:
    """Where the data point ``(x, y)`` is on the map's viewport."""
    scene = view.view_box.mapViewToScene(QtCore.QPointF(x, y))
    return view.mapFromScene(scene)


def paint_on(window, user, label):
    """Turn Paint on with the tool bar's button and choose class ``label`` (0-based) with the keyboard."""
    user.click("paintToolButton")
    assert window.data_tools.paint.painting
    user.choose("paintClassCombo", f"Class {label + 1}")


def own_points(window, user, points=POINTS, classes=2):
    window.apply_experiment(Experiment(dataset=DatasetConfig("custom", classes=classes, points=points)))
    return rebuilt(window, user.qtbot, len(points))


def test_a_click_adds_a_point_of_the_chosen_class_and_the_race_starts_again(window, user):
    user.train(3)
    before = len(window.data.X)
    shown = dataset_points(window.experiment())
    paint_on(window, user, 2)
    view = user.find("boundaryView1")
    user.qtbot.mouseClick(view.viewport(), Button.LeftButton, pos=pixel(view, 0.25, -0.5))
    data = rebuilt(window, user.qtbot, before + 1)
    experiment = window.experiment()
    assert experiment.dataset.name == "custom" and not experiment.book
    assert experiment.dataset.points[:-1] == shown
    x, y, label = experiment.dataset.points[-1]
    # where the click was, to within a pixel of the map
    pixel_x, pixel_y = view.view_box.viewPixelSize()
    assert label == 2 and abs(x - 0.25) <= pixel_x and abs(y + 0.5) <= pixel_y
    assert (x, y) in map(tuple, data.X.tolist())
    assert user.find("datasetCombo").currentText() == "Your points"
    assert not user.find("samplesSpin").isEnabled() and not user.find("noiseSpin").isEnabled()
    assert "Painted a point of class 3" in window.statusBar().currentMessage()


def test_a_drag_paints_a_stroke_that_undo_takes_back_at_once(window, user):
    own_points(window, user)
    paint_on(window, user, 1)
    view = user.find("boundaryView1")
    viewport = view.viewport()
    start = pixel(view, -0.6, 0.0)
    moves, step = 30, 5
    assert 2 * step < paint_tool.STROKE_SPACING_PX <= 3 * step
    user.qtbot.mousePress(viewport, Button.LeftButton, pos=start)
    for i in range(1, moves + 1):
        user.qtbot.mouseMove(viewport, start + QtCore.QPoint(step * i, 0))
    user.qtbot.mouseRelease(viewport, Button.LeftButton, pos=start + QtCore.QPoint(step * moves, 0))
    # one point where the drag began, then one each time it had gone STROKE_SPACING_PX further: every third move
    expected = 1 + moves // 3
    user.qtbot.waitUntil(lambda: len(window.experiment().dataset.points) > len(POINTS))
    added = window.experiment().dataset.points[len(POINTS):]
    # one point where the drag began, then one each time it had gone STROKE_SPACING_PX further
    assert len(added) == expected
    assert all(label == 1 and abs(y) < 0.05 for _, y, label in added)
    assert [x for x, _, _ in added] == sorted(x for x, _, _ in added)
    rebuilt(window, user.qtbot, len(POINTS) + len(added))
    user.qtbot.keyClick(window, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    data = rebuilt(window, user.qtbot, len(POINTS))
    assert window.experiment().dataset.points == POINTS
    assert sorted(map(tuple, data.X.tolist())) == sorted((x, y) for x, y, _ in POINTS)


def test_a_right_click_removes_the_nearest_point_and_far_away_removes_none(window, user):
    own_points(window, user, POINTS + ((0.0, 0.0, 1),))
    paint_on(window, user, 0)
    view = user.find("boundaryView1")
    # a few pixels beside the point at (0.5, 0.5)
    user.qtbot.mouseClick(view.viewport(), Button.RightButton, pos=pixel(view, 0.5, 0.5) + QtCore.QPoint(4, -3))
    rebuilt(window, user.qtbot, len(POINTS))
    assert (0.5, 0.5, 1) not in window.experiment().dataset.points
    assert len(window.experiment().dataset.points) == len(POINTS)
    before = window.experiment()
    user.qtbot.mouseClick(view.viewport(), Button.RightButton, pos=pixel(view, -0.0, 0.6))
    assert window.experiment() is before
    assert "No point there" in window.statusBar().currentMessage()


def test_with_paint_off_a_click_selects_a_run_and_adds_nothing(window, user):
    user.click("compareToolButton")
    user.qtbot.waitUntil(lambda: len(window.boundary_grid.views()) == 3 and window.latest is not None
                         and len(window.latest.runs) == 3)
    before = window.experiment()
    view = user.find("boundaryView2")
    user.qtbot.mouseClick(view.viewport(), Button.LeftButton, pos=view.viewport().rect().center())
    assert window.model.selected_run == 1 and window.experiment() is before
    # a map made for the race is painted on as well
    paint_on(window, user, 0)
    user.qtbot.mouseClick(view.viewport(), Button.LeftButton, pos=pixel(view, 0.1, 0.1))
    assert len(window.experiment().dataset.points) == 301


def test_the_class_chooser_follows_the_classes(window, user):
    user.type_into("classesSpin", "5")
    combo = user.find("paintClassCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [f"Class {k}" for k in range(1, 6)]
    assert combo.toolTip() and combo.accessibleName() == "paintClassCombo"
    assert window.data_tools.paint.paint_action.toolTip()


# --- CSV ----------------------------------------------------------------------------------------

@pytest.fixture
def dialogs(monkeypatch):
    """Answers for the file dialogs and a record of the message boxes."""
    record = {"open": None, "save": None, "warnings": []}
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a: (str(record["open"]), ""))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a: (str(record["save"]), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: record["warnings"].append(a[2]))
    return record


def action(window, name) -> QtGui.QAction:
    found = window.findChild(QtGui.QAction, name)
    assert found is not None, name
    return found


def test_import_makes_the_file_points_the_data(window, user, tmp_path, dialogs):
    path = dialogs["open"] = tmp_path / "class.csv"
    path.write_text("x,y,label\n0,0,0\n1,1,1\n-1,0.5,2\n0.5,-1,2\n")
    action(window, "importDataAction").trigger()
    data = rebuilt(window, user.qtbot, 4)
    assert window.experiment().dataset.points == ((0.0, 0.0, 0), (1.0, 1.0, 1), (-1.0, 0.5, 2), (0.5, -1.0, 2))
    assert window.experiment().dataset.classes == 3 and data.n_classes == 3
    assert sorted(data.y.tolist()) == [0, 1, 2, 2]
    assert dialogs["warnings"] == []
    # Undo brings back the data before the import
    action(window, "undoAction").trigger()
    rebuilt(window, user.qtbot, 300)
    assert window.experiment() == Experiment(book=True)


@pytest.mark.parametrize("content, line", [
    ("x,y,label\n0,0,0\n1,1,1\n2,nan,1\n", "line 4: y must be a number, got 'nan'"),
    ("0,0,0\n1,1,9\n", "line 2: label must be a class number 0 to 5, got '9'"),
    ("0,0,0\n1,1\n", "line 2: expected 3 values x,y,label, got 2"),
])
def test_a_bad_row_is_refused_with_its_line_number_and_the_old_data_stays(window, user, tmp_path, dialogs,
                                                                           content, line):
    user.train(2)
    before, data, epoch = window.experiment(), window.data, window.latest.epoch
    path = dialogs["open"] = tmp_path / "bad.csv"
    path.write_text(content)
    action(window, "importDataAction").trigger()
    assert len(dialogs["warnings"]) == 1
    assert line in dialogs["warnings"][0] and "bad.csv" in dialogs["warnings"][0]
    assert "Nothing was changed" in dialogs["warnings"][0]
    assert window.experiment() is before and window.data is data and window.latest.epoch == epoch


def test_a_directory_or_binary_file_is_refused(window, user, tmp_path, dialogs):
    before = window.experiment()
    dialogs["open"] = tmp_path
    action(window, "importDataAction").trigger()
    binary = dialogs["open"] = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    action(window, "importDataAction").trigger()
    assert "a directory, not a regular file" in dialogs["warnings"][0]
    assert "binary data" in dialogs["warnings"][1]
    assert window.experiment() is before


def test_export_data_writes_every_point_and_reads_back_the_same(window, user, tmp_path, dialogs):
    user.type_into("testSplitSpin", "0.2")
    rebuilt(window, user.qtbot, 300)
    path = dialogs["save"] = tmp_path / "spiral"
    action(window, "exportDataAction").trigger()
    written = tmp_path / "spiral.csv"
    assert written.exists() and dialogs["warnings"] == []
    read = csv_data.read_csv(written)
    assert read.points == dataset_points(window.experiment()) and read.classes == 3
    # the same points the maps show, train and test
    assert sorted(map(tuple, window.data.X.tolist())) == sorted((x, y) for x, y, _ in read.points)
    assert not path.exists()


# --- recent files -------------------------------------------------------------------------------

def test_recent_files_remember_opened_files_and_drop_missing_ones(window, user, tmp_path, dialogs):
    data = dialogs["open"] = tmp_path / "class.csv"
    data.write_text(csv_data.to_csv(POINTS))
    action(window, "importDataAction").trigger()
    saved = tmp_path / "mine.json"
    assert window.files.save_experiment(saved)
    menu = window.findChild(QtWidgets.QMenu, "recentMenu")
    menu.refresh()
    names = [a.text() for a in menu.actions() if a.objectName().startswith("recentFileAction")]
    assert names == ["&1 mine.json", "&2 class.csv"]
    # reopening the CSV from the menu imports it again
    window.apply_experiment(Experiment())
    rebuilt(window, user.qtbot, 300)
    menu.findChild(QtGui.QAction, "recentFileAction2").trigger()
    rebuilt(window, user.qtbot, len(POINTS))
    assert window.experiment().dataset.points == POINTS
    menu.refresh()
    assert [a.text() for a in menu.actions() if a.objectName().startswith("recentFileAction")][0] == "&1 class.csv"
    # a file that is gone is removed with a message, and nothing else changes
    saved.unlink()
    before = window.experiment()
    menu.refresh()
    menu.findChild(QtGui.QAction, "recentFileAction2").trigger()
    assert "no longer exists" in window.statusBar().currentMessage()
    assert window.experiment() is before
    menu.refresh()
    assert [a.text() for a in menu.actions() if a.objectName().startswith("recentFileAction")] == ["&1 class.csv"]
    # kept in the settings file: a new window's menu lists it
    assert str(data) in window.settings.text("files/recent")


def test_the_file_menu_holds_the_new_entries(window):
    file_menu = window.findChild(QtWidgets.QMenu, "fileMenu")
    texts = [a.text() for a in file_menu.actions()]
    for text in ("Recent &files", "&Import data…", "E&xport data…", "&Export"):
        assert text in texts
    export = window.findChild(QtWidgets.QMenu, "exportMenu")
    names = [a.objectName() for a in export.actions() if a.objectName()]
    assert names == ["exportLossPNGAction", "exportLossSVGAction", "exportAccuracyPNGAction",
                     "exportAccuracySVGAction", "exportLearningRatePNGAction", "exportLearningRateSVGAction",
                     "exportBoundaryPNGAction", "exportBoundarySVGAction", "exportWindowAction",
                     "exportHistoryAction"]
    assert all(a.toolTip() for a in export.actions() if a.objectName())
    assert np.all([bool(a.toolTip()) for a in (action(window, "importDataAction"), action(window, "paintAction"))])


def test_choosing_your_points_keeps_the_points_shown_and_another_set_drops_them(window, user):
    user.choose("datasetCombo", "Moons")
    rebuilt(window, user.qtbot, 200)
    shown = sorted(map(tuple, window.data.X.tolist()))
    user.choose("datasetCombo", "Your points")
    data = rebuilt(window, user.qtbot, 200)
    assert window.experiment().dataset.name == "custom"
    assert sorted(map(tuple, data.X.tolist())) == shown
    assert not user.find("samplesSpin").isEnabled() and user.find("classesSpin").isEnabled()
    user.choose("datasetCombo", "Circles")
    rebuilt(window, user.qtbot, 200)
    assert window.experiment().dataset.points == () and user.find("samplesSpin").isEnabled()
